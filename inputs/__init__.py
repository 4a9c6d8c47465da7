"""The real cases shipped with the planner; each folder is one case (see README.md)."""
