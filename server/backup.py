"""Backup and restore of the service's data as one gzip'd JSON-lines file, the same for SQLite and PostgreSQL.

Each line is {"table": ..., "row": {...}}; bytes travel as base64, datetimes as ISO text.
"""
from __future__ import annotations

import base64
import gzip
import json
from datetime import datetime
from pathlib import Path

from sqlalchemy import delete, insert, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.types import DateTime, LargeBinary

from server.db import write_transaction
from server.models import Base

FORMAT = "yuedu-lrs-backup/1"
BATCH = 1000


def _encode(column, value):
    if value is None:
        return None
    if isinstance(column.type, LargeBinary):
        return base64.b64encode(value).decode("ascii")
    if isinstance(column.type, DateTime):
        return value.isoformat()
    return value


def _decode(column, value):
    if value is None:
        return None
    if isinstance(column.type, LargeBinary):
        return base64.b64decode(value)
    if isinstance(column.type, DateTime):
        return datetime.fromisoformat(value)
    return value


def backup(engine: Engine, out: Path) -> dict[str, int]:
    """Write every table to `out`; returns rows per table. Reads in one transaction: a consistent snapshot."""
    counts: dict[str, int] = {}
    with engine.connect() as conn, conn.begin(), gzip.open(out, "wt", encoding="utf-8") as handle:
        handle.write(json.dumps({"format": FORMAT}) + "\n")
        for table in Base.metadata.sorted_tables:
            counts[table.name] = 0
            for row in conn.execute(select(table)).yield_per(BATCH):
                data = {c.name: _encode(c, row._mapping[c.name]) for c in table.columns}
                handle.write(json.dumps({"table": table.name, "row": data}, ensure_ascii=False) + "\n")
                counts[table.name] += 1
    return counts


def restore(engine: Engine, source: Path) -> dict[str, int]:
    """Replace all data with the backup in `source`, in one transaction (all or nothing)."""
    tables = {t.name: t for t in Base.metadata.sorted_tables}
    counts = {name: 0 for name in tables}
    with gzip.open(source, "rt", encoding="utf-8") as handle, write_transaction(engine) as conn:
        header = json.loads(handle.readline() or "{}")
        if header.get("format") != FORMAT:
            raise ValueError(f"{source} is not a Yuedu LRS backup (expected format {FORMAT})")
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(delete(table))
        # The backup lists tables parents first, so flushing whenever the table changes keeps foreign keys valid.
        current, pending = None, []
        for line in handle:
            record = json.loads(line)
            table = tables[record["table"]]
            if table is not current or len(pending) >= BATCH:
                if pending:
                    counts[current.name] += _flush(conn, current, pending)
                current, pending = table, []
            pending.append({c.name: _decode(c, record["row"].get(c.name)) for c in table.columns})
        if pending:
            counts[current.name] += _flush(conn, current, pending)
        if engine.dialect.name == "postgresql":
            _reset_sequences(conn)
    return counts


def _flush(conn, table, rows: list[dict]) -> int:
    conn.execute(insert(table), rows)
    return len(rows)


def _reset_sequences(conn) -> None:
    # Rows came with their ids: move each serial past the largest one.
    for table in Base.metadata.sorted_tables:
        for column in table.primary_key.columns:
            if column.autoincrement is True or (column.autoincrement == "auto" and column.type.python_type is int):
                conn.execute(text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', '{column.name}'), "
                    f"COALESCE((SELECT MAX({column.name}) FROM {table.name}), 0) + 1, false)"))
