"""Concurrent writers: overlapping resends from several threads store each statement once, and `stored` never
goes backwards as rows are appended (so paging by (stored, seq) is stable)."""
from __future__ import annotations

import threading
import uuid

import pytest
from sqlalchemy.exc import IntegrityError

from server.auth import create_credential
from server.db import insert_rows, select_in, write_transaction


def test_concurrent_overlapping_batches_store_each_id_once(app, make_statement):
    services = app.extensions["yuedu"]
    made = create_credential(services.engine, "kiosk-c")
    statements = [make_statement(n, id=str(uuid.uuid4())) for n in range(200)]
    errors: list[BaseException] = []

    def send(offset: int):
        try:
            # Each thread sends every batch, starting at a different one: the same ids race in from all sides.
            for i in range(4):
                start = ((offset + i) % 4) * 50
                services.statements.store(statements[start:start + 50], principal=made.principal, version="1.0.3")
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=send, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    with services.engine.connect() as conn:
        rows = conn.exec_driver_sql("SELECT statement_id, stored FROM statements ORDER BY seq").all()
    assert sorted(r[0] for r in rows) == sorted(s["id"] for s in statements)
    stored = [r[1] for r in rows]
    assert stored == sorted(stored), "stored went backwards while seq went forwards"


def test_driver_cursor_errors_surface_as_sqlalchemy_integrity_errors(app):
    # The ingest path writes through the DBAPI cursor; the store's retry on a racing id catches SQLAlchemy's
    # IntegrityError, so a driver's own error must arrive as that, and the transaction must still roll back.
    engine = app.extensions["yuedu"].engine
    with pytest.raises(IntegrityError):
        with write_transaction(engine) as conn:
            insert_rows(conn, "activities", ("activity_id", "full"), [("https://a.example/1", "{}")])
            insert_rows(conn, "activities", ("activity_id", "full"), [("https://a.example/1", "{}")])
    with engine.connect() as conn:
        assert select_in(conn, "activities", ("activity_id",), "activity_id", ["https://a.example/1"]) == []
