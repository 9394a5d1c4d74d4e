"""The kiosk's durable statement outbox: xAPI statements wait here (SQLite, WAL) until the sender delivers them.

`put` is durable when it returns; rows are sent in order, marked sent, or dead-lettered (kept, never retried
automatically). Thread-safe: the kiosk puts while the sender thread takes and marks.
"""
from __future__ import annotations

import json
import sqlite3
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from experiences import datadir

SCHEMA_VERSION = 1
UNSENT, SENT, REJECTED = "unsent", "sent", "rejected"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS statements (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,  -- delivery order
    statement_id TEXT NOT NULL UNIQUE,
    body         TEXT NOT NULL,                      -- the exact JSON sent, so a resend is byte-identical
    created_at   REAL NOT NULL,
    state        TEXT NOT NULL DEFAULT 'unsent' CHECK (state IN ('unsent', 'sent', 'rejected')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    done_at      REAL,                               -- when sent or rejected
    reason       TEXT                                -- why rejected (dead letter)
);
CREATE INDEX IF NOT EXISTS statements_state_seq ON statements (state, seq);
-- Statements an upgrade rewrote (experiences/outbox_repair.py), once each; additive, so an older program that
-- opens this file still works (it ignores the table).
CREATE TABLE IF NOT EXISTS repairs (
    statement_id TEXT NOT NULL,
    repair       TEXT NOT NULL,                      -- which repair, e.g. extension-keys
    done_at      REAL NOT NULL,
    before_state TEXT NOT NULL,                      -- unsent or rejected
    before_body  TEXT NOT NULL,                      -- the statement as the old kiosk stored it
    before_reason TEXT,                              -- the LRS's reason, for a dead letter
    PRIMARY KEY (statement_id, repair)
);
"""


@dataclass(frozen=True)
class OutboxRow:
    """One stored statement: `body` is its JSON text exactly as it will be posted."""

    seq: int
    statement_id: str
    body: str
    attempts: int = 0
    reason: str | None = None

    @property
    def statement(self) -> dict:
        return json.loads(self.body)


class Outbox:
    """A StatementSink (see experiences.engagement) backed by SQLite with WAL and synchronous=FULL."""

    def __init__(self, path: str | Path | None = None, *, wall_clock: Callable[[], float] = time.time):
        self.path = Path(path) if path is not None else datadir.outbox_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.wall_clock = wall_clock
        self._lock = threading.Lock()
        # One connection shared under a lock: SQLite serialises writers anyway, and one handle keeps it simple.
        self._db = sqlite3.connect(str(self.path), timeout=30.0, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        # FULL: every commit fsyncs the WAL, so a put survives a power cut, not only a SIGKILL.
        self._db.execute("PRAGMA synchronous=FULL")
        self._db.execute("PRAGMA busy_timeout=30000")
        with self._lock:
            self._db.executescript(_SCHEMA)
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise RuntimeError(f"{self.path}: outbox schema {version} is newer than this program ({SCHEMA_VERSION})")
            self._db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        self._closed = False
        self._listeners: list[Callable[[], None]] = []

    def subscribe(self, listener: Callable[[], None]) -> None:
        """Call `listener()` after every put (the sender's wake); it must be quick and must not raise."""
        self._listeners.append(listener)

    def unsubscribe(self, listener: Callable[[], None]) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    # --- the sink side -------------------------------------------------------------------------------------------
    def put(self, statement: dict) -> None:
        """Store one statement; durable on return. A statement without an id gets one (resends stay idempotent);
        putting an id that is already stored keeps the first copy."""
        if not isinstance(statement, dict):
            raise TypeError(f"an xAPI statement is a JSON object (dict), not {type(statement).__name__}")
        if not statement.get("id"):
            statement = {"id": str(uuid.uuid4()), **statement}
        body = json.dumps(statement, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        with self._lock:
            self._check_open()
            self._db.execute(
                "INSERT OR IGNORE INTO statements (statement_id, body, created_at) VALUES (?, ?, ?)",
                (str(statement["id"]), body, self.wall_clock()),
            )
        self._notify()

    def put_many(self, statements: Iterable[dict]) -> None:
        """Store several statements in one transaction (one fsync): all or none."""
        rows = []
        for statement in statements:
            if not statement.get("id"):
                statement = {"id": str(uuid.uuid4()), **statement}
            rows.append((str(statement["id"]), json.dumps(statement, ensure_ascii=False, separators=(",", ":"),
                                                          allow_nan=False), self.wall_clock()))
        with self._lock:
            self._check_open()
            with self._transaction():
                self._db.executemany(
                    "INSERT OR IGNORE INTO statements (statement_id, body, created_at) VALUES (?, ?, ?)", rows)
        self._notify()

    # --- the sender side -----------------------------------------------------------------------------------------
    def take_batch(self, limit: int = 50) -> list[OutboxRow]:
        """The oldest `limit` unsent statements, in the order they were put. Nothing changes until marked."""
        with self._lock:
            self._check_open()
            cursor = self._db.execute(
                "SELECT seq, statement_id, body, attempts, reason FROM statements WHERE state = ? "
                "ORDER BY seq LIMIT ?", (UNSENT, int(limit)))
            return [OutboxRow(*row) for row in cursor.fetchall()]

    def count_attempt(self, statement_ids: Iterable[str]) -> None:
        """Note that these statements were posted once more (for the operator; it changes no decision)."""
        self._update("UPDATE statements SET attempts = attempts + 1 WHERE statement_id = ? AND state = 'unsent'",
                     [(sid,) for sid in statement_ids])

    def mark_sent(self, statement_ids: Iterable[str]) -> None:
        now = self.wall_clock()
        self._update("UPDATE statements SET state = 'sent', done_at = ?, reason = NULL "
                     "WHERE statement_id = ? AND state = 'unsent'",
                     [(now, sid) for sid in statement_ids])

    def mark_rejected(self, statement_ids: Iterable[str], reason: str) -> None:
        """Dead-letter: the LRS refused these for good. They stay in the file with the reason, and are never
        retried automatically (`requeue_rejected` puts them back after an operator fixed the cause)."""
        now = self.wall_clock()
        self._update("UPDATE statements SET state = 'rejected', done_at = ?, reason = ? "
                     "WHERE statement_id = ? AND state = 'unsent'",
                     [(now, str(reason)[:2000], sid) for sid in statement_ids])

    def requeue_rejected(self, statement_ids: Iterable[str] | None = None) -> int:
        """Operator action: send dead-lettered statements again (all of them, or the given ids)."""
        with self._lock:
            self._check_open()
            with self._transaction():
                if statement_ids is None:
                    cursor = self._db.execute(
                        "UPDATE statements SET state = 'unsent', done_at = NULL WHERE state = 'rejected'")
                    return cursor.rowcount
                total = 0
                for sid in statement_ids:
                    total += self._db.execute(
                        "UPDATE statements SET state = 'unsent', done_at = NULL "
                        "WHERE statement_id = ? AND state = 'rejected'", (sid,)).rowcount
                return total

    def repair_old_statements(self) -> int:
        """Rewrite, once each, statements an older kiosk left that the LRS refuses or refused for their extension
        keys (experiences/outbox_repair.py): unsent ones before they go, dead letters refused for that reason
        back into the queue. Dead letters refused for another reason stay as they are. Returns how many."""
        from experiences.outbox_repair import EXTENSION_KEYS, refused_for_extension_key, repair_extension_keys

        now = self.wall_clock()
        repaired = 0
        with self._lock:
            self._check_open()
            with self._transaction():
                rows = self._db.execute(
                    "SELECT statement_id, body, state, reason FROM statements WHERE state IN ('unsent', 'rejected') "
                    "AND statement_id NOT IN (SELECT statement_id FROM repairs WHERE repair = ?) ORDER BY seq",
                    (EXTENSION_KEYS,)).fetchall()
                for statement_id, body, state, reason in rows:
                    if state == REJECTED and not refused_for_extension_key(reason):
                        continue
                    try:
                        fixed = repair_extension_keys(json.loads(body))
                    except ValueError:  # not JSON: nothing this repair can do
                        continue
                    if fixed is None:
                        continue
                    self._db.execute(
                        "UPDATE statements SET body = ?, state = 'unsent', done_at = NULL, reason = NULL "
                        "WHERE statement_id = ?",
                        (json.dumps(fixed, ensure_ascii=False, separators=(",", ":"), allow_nan=False), statement_id))
                    self._db.execute(
                        "INSERT INTO repairs (statement_id, repair, done_at, before_state, before_body, before_reason) "
                        "VALUES (?, ?, ?, ?, ?, ?)", (statement_id, EXTENSION_KEYS, now, state, body, reason))
                    repaired += 1
        if repaired:
            self._notify()
        return repaired

    def repaired_count(self) -> int:
        with self._lock:
            self._check_open()
            return self._db.execute("SELECT COUNT(*) FROM repairs").fetchone()[0]

    # --- looking and tidying -------------------------------------------------------------------------------------
    def unsent_count(self) -> int:
        return self._count(UNSENT)

    def sent_count(self) -> int:
        return self._count(SENT)

    def rejected_count(self) -> int:
        return self._count(REJECTED)

    def rejected(self, limit: int = 100) -> list[OutboxRow]:
        """Dead letters, oldest first, with the LRS's reason."""
        with self._lock:
            self._check_open()
            cursor = self._db.execute(
                "SELECT seq, statement_id, body, attempts, reason FROM statements WHERE state = ? "
                "ORDER BY seq LIMIT ?", (REJECTED, int(limit)))
            return [OutboxRow(*row) for row in cursor.fetchall()]

    def state_of(self, statement_id: str) -> str | None:
        with self._lock:
            self._check_open()
            row = self._db.execute("SELECT state FROM statements WHERE statement_id = ?", (statement_id,)).fetchone()
            return row[0] if row else None

    def purge_sent(self, older_than_days: float, now: float | None = None) -> int:
        """Delete delivered rows sent more than `older_than_days` ago; unsent and rejected rows are never purged."""
        now = self.wall_clock() if now is None else now
        cutoff = now - float(older_than_days) * 86400.0
        with self._lock:
            self._check_open()
            cursor = self._db.execute("DELETE FROM statements WHERE state = 'sent' AND done_at < ?", (cutoff,))
            removed = cursor.rowcount
        if removed:
            # Give the WAL's pages back so a long-running kiosk's file does not only grow.
            with self._lock:
                self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return removed

    def close(self) -> None:
        with self._lock:
            if not self._closed:
                self._closed = True
                self._db.close()

    def __enter__(self) -> "Outbox":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- internals -----------------------------------------------------------------------------------------------
    def _notify(self) -> None:
        for listener in list(self._listeners):
            listener()

    def _count(self, state: str) -> int:
        with self._lock:
            self._check_open()
            return self._db.execute("SELECT COUNT(*) FROM statements WHERE state = ?", (state,)).fetchone()[0]

    def _update(self, sql: str, rows: list[tuple]) -> None:
        if not rows:
            return
        with self._lock:
            self._check_open()
            with self._transaction():
                self._db.executemany(sql, rows)

    def _transaction(self):
        return _Transaction(self._db)

    def _check_open(self) -> None:
        if self._closed:
            raise RuntimeError(f"outbox {self.path} is closed")


class _Transaction:
    """BEGIN IMMEDIATE … COMMIT (or ROLLBACK on error) on an autocommit connection."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def __enter__(self):
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type, exc, tb):
        self.db.execute("COMMIT" if exc_type is None else "ROLLBACK")
        return False
