"""The workspace's tables, written once (SQLAlchemy Core): the migrations create them and the
workspace reads and writes them."""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

# what the workspace is about: the case, its profile, when it was set up
settings = sa.Table(
    "settings", metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

# the secretariat and the groups' coordinators; a token is kept only as its SHA-256
people = sa.Table(
    "people", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(200), nullable=False, unique=True),
    sa.Column("role", sa.String(20), nullable=False),  # secretariat | coordinator
    sa.Column("group_name", sa.String(200)),  # a coordinator's group
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("created_at", sa.String(32), nullable=False),
    sa.Column("revoked_at", sa.String(32)),
)

# each group's nominations: one row per State and post, changed in place, its version counted
nominations = sa.Table(
    "nominations", metadata,
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

# every change, in order, never changed or removed (the database refuses: see the migration)
log = sa.Table(
    "log", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.String(32), nullable=False),
    sa.Column("person_id", sa.Integer, sa.ForeignKey("people.id")),
    sa.Column("who", sa.String(200), nullable=False),
    sa.Column("action", sa.String(40), nullable=False),
    sa.Column("detail", sa.Text, nullable=False),  # JSON
)

# a round: a named, dated snapshot (the best slate as the nominations stood, its score and
# check, in JSON), with the log line it was taken at
rounds = sa.Table(
    "rounds", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(200), nullable=False, unique=True),
    sa.Column("at", sa.String(32), nullable=False),
    sa.Column("person_id", sa.Integer, sa.ForeignKey("people.id")),
    sa.Column("who", sa.String(200), nullable=False),
    sa.Column("log_id", sa.Integer, nullable=False),
    sa.Column("snapshot", sa.Text, nullable=False),
)
