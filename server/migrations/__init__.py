"""Alembic migrations of the engagement service, shipped in the package and applied at start-up."""
