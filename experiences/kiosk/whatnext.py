"""「What next?」picks for the kiosk: fetched from the server on a background thread within a time limit,
with the last answers cached in the data directory for when the kiosk is offline.

No pygame here; experiences/kiosk/whatnext_screen.py draws the cards.
"""
from __future__ import annotations

import base64
import json
import logging
import threading
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from experiences.kiosk.jsoncache import JsonCache

log = logging.getLogger(__name__)

CACHE_FILE = "recommendations.json"
TIMEOUT_SECONDS = 2.5
MAX_PICKS = 5
MIN_PICKS = 3
ITEM_TYPES_RANKED = ("poem",)  # items the server ranks at item level: after one, `after` is its activity IRI

# (base url, key, secret) of the server, or None while it is unknown (offline, embedded service starting).
Endpoint = Callable[[], "tuple[str, str, str] | None"]


@dataclass
class Pick:
    """One card: the package to open (on `item_id` when set) and the reason line, in both languages
    (empty for plain fill-ins). For an item pick `title` is the item's title (a poem's)."""

    package: str
    title: dict[str, str] = field(default_factory=dict)
    text: dict[str, str] = field(default_factory=dict)
    item_type: str = ""
    item_id: str = ""

    @classmethod
    def from_json(cls, data: dict) -> "Pick":
        return cls(str(data["package"]), dict(data.get("title") or {}), dict(data.get("text") or {}),
                   str(data.get("item_type") or ""), str(data.get("item_id") or ""))

    def as_json(self) -> dict:
        data = {"package": self.package, "title": self.title, "text": self.text}
        if self.item_id:
            data.update(item_type=self.item_type, item_id=self.item_id)
        return data


def after_parts(after: str) -> tuple[str, str]:
    """(package, item id) of what was just played: a package id, or a package's or item's activity IRI."""
    if "/activities/" not in after:
        return after, ""
    parts = after.split("/activities/", 1)[1].split("/")
    item = urllib.parse.unquote("/".join(parts[2:])) if len(parts) >= 3 else ""
    return urllib.parse.unquote(parts[0]), item


def repeats(pick: Pick, after: str) -> bool:
    """Whether a pick offers again what was just played: the same item, or (a package pick) the same package."""
    package, item = after_parts(after)
    if pick.item_id:
        return pick.package == package and pick.item_id == item
    return pick.package == package


def server_root(url: str) -> str:
    """The server's root from a configured LRS url (which may end in /xapi or /xapi/statements)."""
    url = url.rstrip("/")
    for tail in ("/statements", "/xapi"):
        if url.endswith(tail):
            url = url[: -len(tail)]
    return url


class PendingPicks:
    """Picks being fetched: `cached` at once, `fresh` once the thread is back (None if it failed)."""

    def __init__(self, after: str, cached: list[Pick]):
        self.after = after
        self.cached = cached
        self.fresh: list[Pick] | None = None
        self.done = threading.Event()

    def best(self) -> list[Pick]:
        return self.fresh if self.fresh else self.cached


class PickSource:
    def __init__(self, endpoint: Endpoint, cache_dir: Path, *, timeout: float = TIMEOUT_SECONDS,
                 opener: Callable | None = None):
        self.endpoint = endpoint
        self.cache = JsonCache(Path(cache_dir) / CACHE_FILE)
        self.timeout = timeout
        self.opener = opener or urllib.request.urlopen

    # --- cache --------------------------------------------------------------------------------------------
    def _write_cache(self, after: str, picks: list[Pick]) -> None:
        self.cache.update(lambda data: data.setdefault("by_after", {}).__setitem__(after, [p.as_json() for p in picks]))

    def cached(self, after: str) -> list[Pick]:
        """The last answer for this package; else what other answers picked most often (no reason line)."""
        by_after = self.cache.read().get("by_after") or {}
        try:
            if after in by_after:
                return [p for p in map(Pick.from_json, by_after[after]) if not repeats(p, after)]
            package = after_parts(after)[0]
            counts: dict[str, tuple[int, Pick]] = {}
            for picks in by_after.values():
                for data in picks:
                    pick = Pick.from_json(data)
                    if pick.package != package and not pick.item_id:  # fill-ins are whole packages
                        n, _ = counts.get(pick.package, (0, pick))
                        counts[pick.package] = (n + 1, Pick(pick.package, pick.title, {}))
        except (KeyError, TypeError):
            return []
        return [pick for _, pick in sorted(counts.values(), key=lambda np: (-np[0], np[1].package))][:MAX_PICKS]

    # --- fetch --------------------------------------------------------------------------------------------
    def request(self, after: str, age_band: str | None = None, kiosk: str = "") -> PendingPicks:
        """Start fetching picks for a visitor who just played `after`; returns at once."""
        pending = PendingPicks(after, self.cached(after))
        threading.Thread(target=self._fetch, args=(pending, age_band, kiosk), name="yuedu-what-next",
                         daemon=True).start()
        return pending

    def _fetch(self, pending: PendingPicks, age_band: str | None, kiosk: str) -> None:
        try:
            pending.fresh = self.fetch_now(pending.after, age_band, kiosk)
            if pending.fresh:
                self._write_cache(pending.after, pending.fresh)
        except (OSError, ValueError, KeyError, TypeError) as error:  # offline, timeout, a bad answer
            log.info("what-next picks not fetched (%s); using the cached list", error)
        finally:
            pending.done.set()

    def fetch_now(self, after: str, age_band: str | None = None, kiosk: str = "") -> list[Pick]:
        endpoint = self.endpoint()
        if endpoint is None:
            raise OSError("no server known yet")
        url, key, secret = endpoint
        query = {"after": after, "kiosk": kiosk}
        if age_band:
            query["age_band"] = age_band
        request = urllib.request.Request(f"{server_root(url)}/api/recommendations?{urllib.parse.urlencode(query)}")
        if key:
            token = base64.b64encode(f"{key}:{secret}".encode()).decode()
            request.add_header("Authorization", f"Basic {token}")
        with self.opener(request, timeout=self.timeout) as response:
            body = json.loads(response.read().decode("utf-8"))
        return [p for p in map(Pick.from_json, body["picks"]) if not repeats(p, after)][:MAX_PICKS]


def complete(picks: list[Pick], available: list[str], after: str, titles: Callable[[str], dict[str, str]]) -> list[Pick]:
    """Only packages this kiosk has, never what was just played (`after`: a package id or an item's IRI);
    topped up from the catalog to at least three."""
    have = set(available)
    chosen = [p for p in picks if p.package in have and not repeats(p, after)][:MAX_PICKS]
    seen = {p.package for p in chosen if not p.item_id}
    just_played = after_parts(after)[0]
    for package in available:
        if len(chosen) >= MIN_PICKS:
            break
        if package != just_played and package not in seen:
            chosen.append(Pick(package, titles(package), {}))
            seen.add(package)
    return chosen
