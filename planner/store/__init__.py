"""The shared workspace of a consultation, kept in a real database (SQLite by default,
PostgreSQL by URL): its people and their roles, the groups' nominations, and the append-only
log of every change. The schema is versioned by Alembic migrations (planner/store/migrations)."""
