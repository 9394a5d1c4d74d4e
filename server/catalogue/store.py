"""The catalogue in the service's database (SQLite or PostgreSQL): records as JSON with their holdings, the
curator's link rules, and a card index rebuilt when an import or a rule change bumps the version.
"""
from __future__ import annotations

import datetime as dt
import gc
import json

import orjson
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Iterable

from sqlalchemy import text
from sqlalchemy.engine import Engine

from server.catalogue.marc import Parsed
from server.catalogue.model import Record
from server.catalogue.rules import DEFAULT_RULES, Card, Catalogue, Rule, parse_rules
from server.db import driver_cursor, insert_rows, select_in, write_transaction

BATCH = 2000
SCANNED_VERB = "https://w3id.org/yuedu/xapi/verbs/scanned"  # server/catalogue/scans.py
RECOMMENDED_VERB = "https://w3id.org/yuedu/xapi/verbs/was-recommended"  # experiences.engagement.VERBS
BOOK_RECORD_KEY = "https://w3id.org/yuedu/xapi/extensions/book-record"
MAX_ERRORS_KEPT = 200


@contextmanager
def bulk():
    """No cyclic garbage collection while a bulk import or an index build makes millions of objects that all
    stay alive (records hold no cycles): the collector's passes over them cost a third of a big import."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


@dataclass
class ImportReport:
    read: int = 0
    stored: int = 0
    deleted: int = 0
    errors: list[str] = field(default_factory=list)
    error_count: int = 0
    covers_wanted: list[tuple[int, str]] = field(default_factory=list)  # (position, cover URL) of stored records
    covers: int = 0  # covers stored on the server after this import (fetched now or before)
    cover_errors: list[str] = field(default_factory=list)

    def error(self, position: int, message: str, source: str = "") -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS_KEPT:
            where = f"{source} " if source else ""
            self.errors.append(f"{where}第 {position} 条 / record {position}: {message}")

    def summary(self) -> str:
        text = (f"读到 {self.read} 条，存入 {self.stored} 条，删除 {self.deleted} 条，出错 {self.error_count} 条 / "
                f"read {self.read}, stored {self.stored}, deleted {self.deleted}, errors {self.error_count}")
        if self.covers_wanted:
            text += (f"；封面 {self.covers} 张，取不到 {len(self.cover_errors)} 张 / covers {self.covers}, "
                     f"not fetched {len(self.cover_errors)}")
        return text

    def fetch_covers(self, root, timeout: float | None = None) -> None:
        """Fetches the covers the stored records name (server/catalogue/images.py); one line per failure."""
        from server.catalogue import images

        stored, failed = images.fetch_covers(root, self.covers_wanted, timeout or images.COVER_TIMEOUT)
        self.covers = stored
        for position, url, error in failed:
            self.cover_errors.append(f"第 {position} 条 / record {position}: 封面取不到，改用画的封面 / cover not "
                                     f"fetched, a drawn one is used: {error} ({url[:200]})")


class CatalogueStore:
    def __init__(self, engine: Engine):
        self.engine = engine
        self._lock = threading.Lock()
        self._index: tuple[str, Catalogue, list[Rule]] | None = None

    # --- settings ---------------------------------------------------------------------------------------
    def setting(self, key: str, default: str = "") -> str:
        with self.engine.connect() as conn:
            value = conn.execute(text("SELECT value FROM catalogue_settings WHERE key = :k"), {"k": key}).scalar()
        return default if value is None else value

    def _put_setting(self, conn, key: str, value: str) -> None:
        conn.execute(text("DELETE FROM catalogue_settings WHERE key = :k"), {"k": key})
        conn.execute(text("INSERT INTO catalogue_settings (key, value) VALUES (:k, :v)"), {"k": key, "v": value})

    def _bump(self, conn) -> None:
        version = conn.execute(text("SELECT value FROM catalogue_settings WHERE key = 'version'")).scalar()
        self._put_setting(conn, "version", str(int(version or 0) + 1))

    def put_setting(self, key: str, value: str) -> None:
        with write_transaction(self.engine) as conn:
            self._put_setting(conn, key, value)

    # --- rules ------------------------------------------------------------------------------------------
    def rules_text(self) -> str:
        return self.setting("rules", DEFAULT_RULES)

    def set_rules(self, rules_text: str) -> list[Rule]:
        """Checks and stores a curator's rules; raises rules.RuleError (nothing stored) on a bad line."""
        rules = parse_rules(rules_text)
        with write_transaction(self.engine) as conn:
            self._put_setting(conn, "rules", rules_text)
            self._bump(conn)
        return rules

    # --- floor plans (a handful per library: kept as one JSON setting) ------------------------------------------
    def plans(self):
        from server.catalogue.plans import FloorPlan

        raw = self.setting("floor_plans", "[]")
        try:
            return [FloorPlan.from_json(p) for p in json.loads(raw)]
        except (ValueError, KeyError, TypeError):
            return []

    def save_plans(self, plans) -> None:
        with write_transaction(self.engine) as conn:
            self._put_setting(conn, "floor_plans", json.dumps([p.as_json() for p in plans], ensure_ascii=False))

    # --- import -----------------------------------------------------------------------------------------
    def import_records(self, parsed: Iterable[Parsed], source: str = "", report: ImportReport | None = None,
                       deleted_ids: Iterable[str] = ()) -> ImportReport:
        """Stores every good record (a newer copy of a record replaces the old); bad ones become errors."""
        report = report or ImportReport()
        batch: dict[str, Record] = {}
        with bulk():
            for item in parsed:
                report.read += 1
                if item.record is None:
                    report.error(item.position, item.error, source)
                    continue
                batch[item.record.id] = item.record
                if item.record.cover:
                    report.covers_wanted.append((item.position, item.record.cover))
                if len(batch) >= BATCH:
                    self._store(batch, report)
                    batch = {}
            self._store(batch, report, deleted=list(deleted_ids))
        return report

    def _store(self, batch: dict[str, Record], report: ImportReport, deleted: list[str] | None = None) -> None:
        ids = list(batch) + list(deleted or [])
        with write_transaction(self.engine) as conn:
            if ids:
                with driver_cursor(conn) as cursor:
                    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
                    for start in range(0, len(ids), 500):
                        chunk = ids[start:start + 500]
                        marks = ", ".join([mark] * len(chunk))
                        cursor.execute(f"DELETE FROM catalogue_holdings WHERE record_id IN ({marks})", tuple(chunk))
                        cursor.execute(f"DELETE FROM catalogue_records WHERE id IN ({marks})", tuple(chunk))
            insert_rows(conn, "catalogue_records", ("id", "isbn", "data", "datestamp"),
                        [(r.id, r.isbn, orjson.dumps(r.as_json()).decode(), r.datestamp)
                         for r in batch.values()])
            insert_rows(conn, "catalogue_holdings", ("record_id", "barcode", "call_number", "status"),
                        list({(r.id, h.barcode or f"#{i}"): (r.id, h.barcode or f"#{i}", h.call_number, h.status)
                              for r in batch.values() for i, h in enumerate(r.holdings)}.values()))
            report.stored += len(batch)
            report.deleted += len(deleted or [])
            if batch or deleted:
                self._bump(conn)

    def record(self, record_id: str) -> Record | None:
        with self.engine.connect() as conn:
            rows = select_in(conn, "catalogue_records", ("data",), "id", [record_id])
        return Record.from_json(json.loads(rows[0][0])) if rows else None

    def count(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(text("SELECT count(*) FROM catalogue_records")).scalar() or 0)

    # --- cards ------------------------------------------------------------------------------------------
    def index(self) -> tuple[Catalogue, list[Rule]]:
        """The card index, rebuilt only when the catalogue or the rules changed since it was built."""
        version = self.setting("version", "0")
        with self._lock:
            if self._index is None or self._index[0] != version:
                with bulk(), self.engine.connect() as conn:
                    records = [Record.from_json(orjson.loads(data)) for (data,) in
                               conn.execute(text("SELECT data FROM catalogue_records ORDER BY id"))]
                    catalogue = Catalogue(records)
                self._index = (version, catalogue, parse_rules(self.rules_text()))
            return self._index[1], self._index[2]

    def cards(self, kind: str, item: str, band: str | None = None, limit: int = 3) -> list[Card]:
        catalogue, rules = self.index()
        return catalogue.cards(rules, kind, item, band, limit)

    # --- QR scans (no personal data: a count per day, book and experience) -------------------------------
    def count_scan(self, record_id: str, package: str = "", day: dt.date | None = None) -> None:
        values = {"d": (day or dt.date.today()).isoformat(), "r": record_id, "p": package[:200]}
        with write_transaction(self.engine) as conn:
            updated = conn.execute(text("UPDATE catalogue_scans SET n = n + 1 "
                                        "WHERE day = :d AND record_id = :r AND package = :p"), values).rowcount
            if not updated:
                conn.execute(text("INSERT INTO catalogue_scans (day, record_id, package, n) VALUES (:d, :r, :p, 1)"),
                             values)

    def experience_parent(self, book: str, package: str) -> str | None:
        """The experience's activity IRI as a kiosk's `was recommended` statement of this book named it (the kiosk
        knows the library's activity base; a scan knows only the package id), from the latest such statements."""
        from server.catalogue.scans import package_of

        if not package:
            return None
        with self.engine.connect() as conn:
            rows = conn.execute(text("SELECT \"full\" FROM statements WHERE object_activity_id = :b AND verb_id = :v "
                                     "ORDER BY seq DESC LIMIT 20"), {"b": book, "v": RECOMMENDED_VERB})
            for (full,) in rows:
                parents = ((orjson.loads(full).get("context") or {}).get("contextActivities") or {}).get("parent")
                for parent in parents or []:
                    if package_of(parent.get("id", "")) == package:
                        return parent["id"]
        return None

    def scans(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            return {r: int(n) for r, n in conn.execute(
                text("SELECT record_id, sum(n) FROM catalogue_scans GROUP BY record_id"))}

    # --- loans and 从体验到书架 ----------------------------------------------------------------------------
    def import_loans(self, rows) -> ImportReport:
        """Rows of funnel.read_loans_csv: (row, barcode, day, error). A loan seen again is kept once."""
        report = ImportReport()
        loans = set()
        for row, barcode, day, error in rows:
            report.read += 1
            if error:
                report.error(row, error)
            else:
                loans.add((barcode[:200], day.isoformat()))
        with write_transaction(self.engine) as conn:
            with driver_cursor(conn) as cursor:
                mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
                for barcode, day in loans:
                    cursor.execute(f"DELETE FROM catalogue_loans WHERE barcode = {mark} AND day = {mark}",
                                   (barcode, day))
            insert_rows(conn, "catalogue_loans", ("barcode", "day"), sorted(loans))
        report.stored = len(loans)
        return report

    def funnel(self, since: dt.date | None = None) -> list:
        """从体验到书架 per experience (server/catalogue/funnel.py), from the `was recommended` and `scanned`
        statements and the loans (since a day, default the last 90 days)."""
        from server.catalogue.funnel import funnel

        return funnel(*self._funnel_inputs(since))

    def shelf_figures(self, since: dt.date | None = None, top: int = 5) -> tuple[list, list, int]:
        """What the wall's 从体验到书架 panel shows: (per experience, the top books with title and 索书号, loans
        known at all — 0 until the ILS's first export is imported)."""
        from server.catalogue.funnel import funnel, top_books

        recommendations, scans, loans = self._funnel_inputs(since)
        books = top_books(recommendations, scans, loans, top)
        with self.engine.connect() as conn:
            known = int(conn.execute(text("SELECT count(*) FROM catalogue_loans")).scalar() or 0)
            rows = select_in(conn, "catalogue_records", ("id", "data"), "id", [b.record for b in books])
        records = {r: Record.from_json(orjson.loads(data)) for r, data in rows}
        for book in books:
            record = records.get(book.record)
            if record is not None:
                holding = record.best_holding(children=True)
                book.title, book.call_number = record.title, holding.call_number if holding else ""
        return funnel(recommendations, scans, loans), books, known

    def _funnel_inputs(self, since: dt.date | None) -> tuple[list, list, list]:
        since = since or dt.date.today() - dt.timedelta(days=90)
        recommendations, scans = [], {}
        with self.engine.connect() as conn:
            for verb, (package, record, day) in self._book_statements(conn, since):
                if verb == RECOMMENDED_VERB:
                    recommendations.append((package, record, day))
                else:
                    scans[(package, record)] = scans.get((package, record), 0) + 1
            loans = [(r, dt.date.fromisoformat(d)) for r, d in conn.execute(
                text("SELECT h.record_id, l.day FROM catalogue_loans l JOIN catalogue_holdings h "
                     "ON h.barcode = l.barcode WHERE l.day >= :d"), {"d": since.isoformat()})]
        return recommendations, [(p, r, n) for (p, r), n in scans.items()], loans

    @staticmethod
    def _book_statements(conn, since: dt.date):
        """(verb, (package, record, day)) of each `was recommended` and `scanned` statement since a day that names
        its book (book-record) and the experience (the parent activity); scans of a card with no experience
        known are not counted per experience."""
        from server.catalogue.scans import package_of

        rows = conn.execute(text("SELECT verb_id, \"full\" FROM statements WHERE verb_id IN (:r, :s) "
                                 "AND voided = :f AND timestamp >= :since"),
                            {"r": RECOMMENDED_VERB, "s": SCANNED_VERB, "f": False,
                             "since": dt.datetime.combine(since, dt.time())})
        for verb, full in rows:
            statement = orjson.loads(full)
            context = statement.get("context") or {}
            record = (context.get("extensions") or {}).get(BOOK_RECORD_KEY)
            parents = (context.get("contextActivities") or {}).get("parent") or []
            if record and parents:
                yield verb, (package_of(parents[0]["id"]), record,
                             dt.date.fromisoformat(statement["timestamp"][:10]))
