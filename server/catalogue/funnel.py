"""从体验到书架: per experience, the books its 去书架找一找 cards recommended, the QR scans of those cards, and the
recommended books borrowed within 14 days (the ILS's daily loans export: item barcode + date, no patron data).

Pure: plain tuples in, counts out; server/catalogue/store.py reads them from the database.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from typing import IO, Iterable, Iterator

WINDOW_DAYS = 14


@dataclass
class Funnel:
    package: str
    recommended: int = 0  # cards shown (one per book per visit)
    books: int = 0  # distinct books recommended
    scans: int = 0  # QR scans of cards shown after this experience
    borrowed: int = 0  # recommended books borrowed within WINDOW_DAYS of a recommendation

    def as_json(self) -> dict:
        return dict(self.__dict__)


def funnel(recommendations: Iterable[tuple[str, str, dt.date]], scans: Iterable[tuple[str, str, int]],
           loans: Iterable[tuple[str, dt.date]], window_days: int = WINDOW_DAYS) -> list[Funnel]:
    """`recommendations`: (package, record id, day); `scans`: (package, record id, count);
    `loans`: (record id, day) — a loan counts once per package that recommended the book in the days before."""
    by_package: dict[str, Funnel] = {}
    shown: dict[str, dict[str, list[dt.date]]] = {}
    for package, record, day in recommendations:
        f = by_package.setdefault(package, Funnel(package))
        f.recommended += 1
        shown.setdefault(package, {}).setdefault(record, []).append(day)
    for package, records in shown.items():
        by_package[package].books = len(records)
    for package, _record, n in scans:
        by_package.setdefault(package, Funnel(package)).scans += n
    window = dt.timedelta(days=window_days)
    for record, day in loans:
        for package, records in shown.items():
            if any(seen <= day <= seen + window for seen in records.get(record, ())):
                by_package[package].borrowed += 1
    return sorted(by_package.values(), key=lambda f: (-f.recommended, f.package))


@dataclass
class BookFunnel:
    record: str
    recommended: int = 0  # cards shown, after any experience
    scans: int = 0
    borrowed: int = 0  # loans within WINDOW_DAYS after a recommendation (each loan once)
    title: str = ""
    call_number: str = ""

    def as_json(self) -> dict:
        return dict(self.__dict__)


def top_books(recommendations: Iterable[tuple[str, str, dt.date]], scans: Iterable[tuple[str, str, int]],
              loans: Iterable[tuple[str, dt.date]], limit: int = 5, window_days: int = WINDOW_DAYS) -> list[BookFunnel]:
    """The recommended books most borrowed after a recommendation, then most scanned, then most recommended."""
    books: dict[str, BookFunnel] = {}
    shown: dict[str, list[dt.date]] = {}
    for _package, record, day in recommendations:
        books.setdefault(record, BookFunnel(record)).recommended += 1
        shown.setdefault(record, []).append(day)
    for _package, record, n in scans:
        if record in books:
            books[record].scans += n
    window = dt.timedelta(days=window_days)
    for record, day in loans:
        if any(seen <= day <= seen + window for seen in shown.get(record, ())):
            books[record].borrowed += 1
    ranked = sorted(books.values(), key=lambda b: (-b.borrowed, -b.scans, -b.recommended, b.record))
    return ranked[:limit]


def read_loans_csv(stream: IO[bytes]) -> Iterator[tuple[int, str, dt.date | None, str]]:
    """(row, barcode, date, error) from a loans export: `barcode,date` (a header row naming them, or none);
    any other column (a patron's!) is ignored and never stored."""
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    rows = csv.reader(text)
    first = next(rows, None)
    if first is None:
        return
    header = [c.strip().lower() for c in first]
    if "barcode" in header and "date" in header:
        b, d, start = header.index("barcode"), header.index("date"), 2
    else:
        b, d, start = 0, 1, 1
        rows = iter([first, *rows])
    for n, row in enumerate(rows, start=start):
        if len(row) <= max(b, d) or not row[b].strip():
            yield n, "", None, "缺少条码或日期 / barcode and date are required"
            continue
        try:
            yield n, row[b].strip(), dt.date.fromisoformat(row[d].strip()[:10]), ""
        except ValueError:
            yield n, row[b].strip(), None, f"日期看不懂 / not a date (YYYY-MM-DD): {row[d].strip()}"
