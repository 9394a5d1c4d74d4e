"""The lobby screens the wall has heard from lately.

Each open /wall page asks for its panels every few seconds with an id of its own; a screen not heard from for
`gone_after` has gone away (closed, switched off, off the network) and is forgotten. Nothing is held open for a
screen, so a screen that went away costs nothing but its line here. Pure: the caller gives the time.
"""
from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

SCREEN_ID = re.compile(r"[A-Za-z0-9_-]{1,40}")
MAX_SCREENS = 256  # more ids than this (a page reloading in a loop, a script) drops the longest silent ones


@dataclass(frozen=True)
class Screen:
    id: str
    lang: str
    address: str
    first_seen: datetime
    last_seen: datetime


class Screens:
    """Thread-safe: request threads call seen(), anyone may call live()."""

    def __init__(self, gone_after: timedelta, limit: int = MAX_SCREENS) -> None:
        self.gone_after = gone_after
        self.limit = limit
        self._screens: dict[str, Screen] = {}
        self._lock = threading.Lock()

    def seen(self, screen_id: str, now: datetime, lang: str = "", address: str = "") -> bool:
        """Note that the screen asked now; False (and nothing noted) for an id that is not a page's."""
        if not SCREEN_ID.fullmatch(screen_id or ""):
            return False
        with self._lock:
            before = self._screens.get(screen_id)
            first = before.first_seen if before is not None else now
            self._screens[screen_id] = Screen(screen_id, lang, address, first, now)
            if len(self._screens) > self.limit:
                self._forget(now)
                by_age = sorted(self._screens.values(), key=lambda s: s.last_seen)
                for stale in by_age[:len(self._screens) - self.limit]:
                    del self._screens[stale.id]
        return True

    def live(self, now: datetime) -> list[Screen]:
        """The screens heard from less than `gone_after` ago, first seen first; the others are forgotten."""
        with self._lock:
            self._forget(now)
            return sorted(self._screens.values(), key=lambda s: (s.first_seen, s.id))

    def _forget(self, now: datetime) -> None:
        cutoff = now - self.gone_after
        for gone in [s.id for s in self._screens.values() if s.last_seen <= cutoff]:
            del self._screens[gone]
