"""What one statement adds to (or, voided, takes from) the wall's rollups: pure bookkeeping, no database.

A batch of statements folds into one Deltas; server.wall.rollup then writes it in a single transaction.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from server.analytics.events import Event


@dataclass
class Presence:
    """Facts that only grow: a package's kind, titles and first time; a kiosk's branch and last time."""

    kind: str = ""
    title_zh: str = ""
    title_en: str = ""


@dataclass
class Deltas:
    tz: ZoneInfo
    sessions: Counter = field(default_factory=Counter)  # (day, session, branch, kiosk, band)
    counts: Counter = field(default_factory=Counter)  # (day, branch, metric, key)
    launches: Counter = field(default_factory=Counter)  # (day, branch, session, package)
    session_items: Counter = field(default_factory=Counter)  # (session, package)
    session_bands: dict[str, str] = field(default_factory=dict)
    poem_items: Counter = field(default_factory=Counter)  # (session, package, poem)
    poem_titles: dict[tuple[str, str], str] = field(default_factory=dict)  # (package, poem) -> title
    readings_added: dict[int, tuple] = field(default_factory=dict)  # seq -> (day, branch, score, nickname, poem)
    readings_removed: set[int] = field(default_factory=set)
    packages: dict[str, tuple[Presence, datetime]] = field(default_factory=dict)
    kiosks: dict[str, tuple[str, datetime]] = field(default_factory=dict)
    kiosk_names: dict[str, str] = field(default_factory=dict)  # the newest non-empty name each kiosk sent
    kiosk_packages: set[tuple[str, str]] = field(default_factory=set)
    voided_ids: list[str] = field(default_factory=list)

    def day(self, ev: Event) -> date:
        return ev.at.astimezone(self.tz).date()

    def add(self, ev: Event, seq: int, sign: int = 1, presence: Presence | None = None) -> None:
        """Fold one event in (sign 1) or take it back out (sign -1, a voided statement)."""
        day = self.day(ev)
        self.sessions[(day, ev.session, ev.branch, ev.kiosk_id, ev.age_band)] += sign
        if ev.event == "launched":
            self.counts[(day, ev.branch, "plays", ev.package_id)] += sign
            self.counts[(day, ev.branch, "hour", f"{ev.at.astimezone(self.tz).hour:02d}")] += sign
            self.launches[(day, ev.branch, ev.session, ev.package_id)] += sign
            self.session_items[(ev.session, ev.package_id)] += sign
            if ev.age_band or ev.session not in self.session_bands:
                self.session_bands[ev.session] = ev.age_band
        elif ev.event == "answered" and ev.item_type == "idiom" and ev.success is not None:
            self.counts[(day, ev.branch, "right" if ev.success else "missed", ev.item_name)] += sign
        elif ev.event == "completed" and ev.item_type == "poem":
            self.counts[(day, ev.branch, "recited", ev.item_name)] += sign
        elif ev.event == "scored" and ev.item_type == "poem" and ev.score is not None:
            if sign > 0:
                self.readings_added[seq] = (day, ev.branch, round(ev.score * 100, 1), ev.nickname, ev.item_name)
            elif self.readings_added.pop(seq, None) is None:
                self.readings_removed.add(seq)
        if ev.item_type == "poem" and ev.item_id:
            # any statement about a poem puts it in the session's basket (item-level co-occurrence)
            self.poem_items[(ev.session, ev.package_id, ev.item_id)] += sign
            if sign > 0 and not self.poem_titles.get((ev.package_id, ev.item_id)):
                self.poem_titles[(ev.package_id, ev.item_id)] = ev.item_name[:200]
        if sign > 0:
            self._presence(ev, presence or Presence())

    def _presence(self, ev: Event, presence: Presence) -> None:
        # Presence counts every statement heard, voided or not: a kiosk that sent one was alive.
        known = self.packages.get(ev.package_id)
        if known is None:
            self.packages[ev.package_id] = (presence, ev.at)
        else:
            old, first = known
            merged = Presence(old.kind or presence.kind, old.title_zh or presence.title_zh,
                              old.title_en or presence.title_en)
            self.packages[ev.package_id] = (merged, min(first, ev.at))
        if ev.kiosk_id:
            branch, last = self.kiosks.get(ev.kiosk_id, (ev.branch, ev.stored))
            self.kiosks[ev.kiosk_id] = (ev.branch or branch, max(last, ev.stored))
            if ev.kiosk_name:
                self.kiosk_names[ev.kiosk_id] = ev.kiosk_name[:200]
            self.kiosk_packages.add((ev.kiosk_id, ev.package_id))


def basket_changes(before: set[str], after: set[str]) -> tuple[set[str], set[str]]:
    """Packages that entered and left a session's basket."""
    return after - before, before - after


def pair_changes(before: set[str], after: set[str]) -> Counter:
    """Signed changes of the ordered pairs (a, b), a ≠ b, of a basket that went from `before` to `after`."""
    change: Counter = Counter()
    for basket, sign in ((after, 1), (before, -1)):
        for a in basket:
            for b in basket:
                if a != b:
                    change[(a, b)] += sign
    return Counter({k: v for k, v in change.items() if v})
