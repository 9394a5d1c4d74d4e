"""The wall's 从体验到书架 panel: per experience, the books its 去书架找一找 cards recommended, the QR scans of those
cards and the recommended books borrowed within 14 days (server/catalogue/funnel.py), with the top books by title
and 索书号.

The figures read every recommendation and scan statement of the last 90 days, so they are computed at most every
WALL_SHELF_SECONDS (default 60) for all screens and languages, not at every render of the panels. No Flask here.
"""
from __future__ import annotations

import datetime as dt
import threading
import time
from dataclasses import dataclass, field

from server.catalogue.funnel import WINDOW_DAYS

DAYS = 90  # the panel's period, as /api/catalogue/funnel's
ROWS = 5  # experiences shown (the portrait layout has room for all; landscape too)
BOOKS = 4  # top books shown


@dataclass
class ShelfRow:
    title: str
    recommended: int  # cards shown
    books: int  # distinct books
    scans: int
    borrowed: int


@dataclass
class ShelfBook:
    title: str
    call_number: str
    recommended: int
    scans: int
    borrowed: int


@dataclass
class ShelfView:
    rows: list[ShelfRow] = field(default_factory=list)
    books: list[ShelfBook] = field(default_factory=list)
    loans_known: bool = False  # the ILS has sent loans at all
    catalogue: bool = False  # the library imported a catalogue: the wall shows this panel in its rotation
    days: int = DAYS
    window: int = WINDOW_DAYS
    totals: ShelfRow | None = None  # over every experience, also those beyond ROWS
    experiences: int = 0


def build_shelf_view(funnels: list, books: list, loans: int, records: int, titles: dict[str, dict[str, str]],
                     lang: str) -> ShelfView:
    """From CatalogueStore.shelf_figures (funnels per package, top books, loans known) and the packages' titles."""
    def title(package: str) -> str:
        names = titles.get(package) or {}
        return names.get(lang) or names.get("zh-CN") or package

    rows = [ShelfRow(title(f.package), f.recommended, f.books, f.scans, f.borrowed) for f in funnels]
    rows.sort(key=lambda r: (-r.borrowed, -r.scans, -r.recommended, r.title))
    totals = ShelfRow("", sum(r.recommended for r in rows), sum(r.books for r in rows), sum(r.scans for r in rows),
                      sum(r.borrowed for r in rows)) if rows else None
    return ShelfView(rows=rows[:ROWS], books=[ShelfBook(b.title or b.record, b.call_number, b.recommended, b.scans,
                                                        b.borrowed) for b in books[:BOOKS]],
                     loans_known=loans > 0, catalogue=records > 0, totals=totals, experiences=len(rows))


class ShelfFigures:
    """The store's figures, kept for `seconds` (computed by one thread at a time; the others wait for it)."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self._lock = threading.Lock()
        self._kept: tuple[float, dt.date, tuple] | None = None
        self.generation = 0  # goes up whenever the figures change: rendered panels are kept per generation

    def get(self, store, today: dt.date) -> tuple[list, list, int, int]:
        """(funnels, top books, loans known, catalogue records). While one thread reads them again, the others
        go on with the kept ones rather than wait (only the very first read makes them wait)."""
        kept = self._kept
        if kept is not None and not self._stale(kept, today):
            return kept[2]
        if not self._lock.acquire(blocking=kept is None):
            return kept[2]
        try:
            kept = self._kept
            if kept is None or self._stale(kept, today):
                funnels, books, loans = store.shelf_figures(since=today - dt.timedelta(days=DAYS), top=BOOKS)
                figures = (funnels, books, loans, store.count())
                if kept is None or kept[2] != figures:
                    self.generation += 1
                kept = (time.monotonic(), today, figures)
                self._kept = kept
            return kept[2]
        finally:
            self._lock.release()

    def _stale(self, kept: tuple, today: dt.date) -> bool:
        return kept[1] != today or time.monotonic() - kept[0] >= self.seconds
