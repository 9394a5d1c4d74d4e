"""The shipped Alembic migrations build exactly the schema the models describe, and re-running is harmless."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from server.db import make_engine, upgrade_schema
from server.models import Base


def test_migrations_match_models(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'm.sqlite3'}")
    upgrade_schema(engine)
    upgrade_schema(engine)  # start-up runs it every time
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    assert diff == []
