"""Alembic's migrations of the workspace schema, applied by planner.store.workspace."""
