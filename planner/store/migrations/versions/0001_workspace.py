"""The first workspace schema: settings, people, nominations and the append-only log.

Written out here, not read from planner/store/schema.py: a migration is a fixed step, and the
declared schema moves on (tests/test_workspace.py holds the migrated schema to the declared one).

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "settings",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    op.create_table(
        "people",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("group_name", sa.String(200)),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.Column("revoked_at", sa.String(32)),
    )
    op.create_table(
        "nominations",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("group_name", sa.String(200), nullable=False),
        sa.Column("state", sa.String(200), nullable=False),
        sa.Column("post", sa.String(200), nullable=False),
        sa.Column("priority", sa.Integer, nullable=False),
        sa.Column("person", sa.String(200), nullable=False, server_default=""),
        sa.Column("withdrawn", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("updated_at", sa.String(32), nullable=False),
        sa.Column("updated_by", sa.Integer, sa.ForeignKey("people.id"), nullable=False),
        sa.UniqueConstraint("state", "post", name="one_nomination_per_state_and_post"),
    )
    op.create_table(
        "log",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("person_id", sa.Integer, sa.ForeignKey("people.id")),
        sa.Column("who", sa.String(200), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
    )
    # the log is appended to, never changed nor cut: the database itself refuses
    if op.get_bind().dialect.name == "sqlite":
        for event in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER log_no_{event.lower()} BEFORE {event} ON log "
                       "BEGIN SELECT RAISE(ABORT, 'the log is append-only'); END")
    else:
        op.execute("CREATE FUNCTION log_append_only() RETURNS trigger AS $$ BEGIN "
                   "RAISE EXCEPTION 'the log is append-only'; END $$ LANGUAGE plpgsql")
        op.execute("CREATE TRIGGER log_append_only BEFORE UPDATE OR DELETE ON log "
                   "FOR EACH ROW EXECUTE FUNCTION log_append_only()")


def downgrade() -> None:
    for name in ("log", "nominations", "people", "settings"):
        op.drop_table(name)
