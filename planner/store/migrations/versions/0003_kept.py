"""What is kept stays kept: a round is never changed nor removed, and on SQLite a log line
cannot be replaced by an insert of its number (INSERT OR REPLACE deletes the old line without
the delete trigger firing).

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for event in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER rounds_no_{event.lower()} BEFORE {event} ON rounds "
                       "BEGIN SELECT RAISE(ABORT, 'a round is kept as taken'); END")
        op.execute("CREATE TRIGGER log_no_replace BEFORE INSERT ON log "
                   "WHEN EXISTS (SELECT 1 FROM log WHERE id = NEW.id) "
                   "BEGIN SELECT RAISE(ABORT, 'the log is append-only'); END")
    else:
        op.execute("CREATE FUNCTION rounds_kept() RETURNS trigger AS $$ BEGIN "
                   "RAISE EXCEPTION 'a round is kept as taken'; END $$ LANGUAGE plpgsql")
        op.execute("CREATE TRIGGER rounds_kept BEFORE UPDATE OR DELETE ON rounds "
                   "FOR EACH ROW EXECUTE FUNCTION rounds_kept()")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("rounds_no_update", "rounds_no_delete", "log_no_replace"):
            op.execute(f"DROP TRIGGER {name}")
    else:
        op.execute("DROP TRIGGER rounds_kept ON rounds")
        op.execute("DROP FUNCTION rounds_kept()")
