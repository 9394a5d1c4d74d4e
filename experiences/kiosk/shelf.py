"""去书架找一找 cards for the kiosk: books on the library's shelves that follow what the visitor just did, asked of
the server (`GET /api/catalogue/cards`) on a background thread within a time limit, and cached in the data
directory so the kiosk shows the last known cards (and shelf state) when the server cannot be reached.

Kiosks never fetch anything else from outside: the cover is drawn here from the title unless the server sent
one it fetched at import. No pygame here; experiences/kiosk/shelf_screen.py draws the cards.
"""
from __future__ import annotations

import base64
import json
import logging
import threading
import urllib.parse
import urllib.request
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Callable

from experiences.kiosk.jsoncache import JsonCache
from experiences.kiosk.whatnext import Endpoint, server_root

log = logging.getLogger(__name__)

CACHE_FILE = "shelf-cards.json"
TIMEOUT_SECONDS = 2.5
MAX_CARDS = 3
MAX_CACHED_QUERIES = 500


@dataclass
class ShelfCard:
    id: str
    title: str
    author: str = ""
    call_number: str = ""
    location: str = ""
    on_shelf: bool = False
    isbn: str = ""
    qr: str = ""  # the short link on the library's server (counted, then redirected to the OPAC record)
    rule: str = ""

    @classmethod
    def from_json(cls, data: dict) -> "ShelfCard":
        known = {f.name for f in fields(cls)}
        card = cls(**{k: v for k, v in data.items() if k in known})
        if not card.id or not card.title:
            raise ValueError("a card needs an id and a title")
        return card

    def as_json(self) -> dict:
        return asdict(self)


def shelf_query(package_kind: str, package_title: str, item: tuple[str, str, str] | None) -> tuple[str, str]:
    """(kind, item) the catalogue rules are asked about: the last item the visitor met (idiom 班门弄斧, poem
    静夜思; anything in an exhibit is `exhibit`), else the package by its title (`package 唐诗里的月亮`).
    `item` is (type, id, zh-CN name)."""
    if item and (item[2] or item[1]):
        kind = "exhibit" if package_kind.startswith("exhibit") else item[0]
        return kind, item[2] or item[1]
    return "package", package_title


class PendingCards:
    def __init__(self, key: str, cached: list[ShelfCard]):
        self.key = key
        self.cached = cached
        self.fresh: list[ShelfCard] | None = None
        self.done = threading.Event()

    def best(self) -> list[ShelfCard]:
        return self.fresh if self.fresh is not None else self.cached


class ShelfSource:
    def __init__(self, endpoint: Endpoint, cache_dir: Path, *, timeout: float = TIMEOUT_SECONDS,
                 opener: Callable | None = None):
        self.endpoint = endpoint
        self.cache = JsonCache(Path(cache_dir) / CACHE_FILE)
        self.timeout = timeout
        self.opener = opener or urllib.request.urlopen

    @staticmethod
    def key(kind: str, item: str, band: str | None) -> str:
        return f"{kind}\t{item}\t{band or ''}"

    def cached(self, kind: str, item: str, band: str | None = None) -> list[ShelfCard]:
        """The last cards for this question (any age band's when this band's were never fetched)."""
        by_key = self.cache.read().get("by_key") or {}
        raw = by_key.get(self.key(kind, item, band))
        if raw is None:
            prefix = self.key(kind, item, "")
            raw = next((v for k, v in by_key.items() if k.startswith(prefix.rstrip("\t") + "\t")), [])
        cards = []
        for data in raw if isinstance(raw, list) else []:
            try:
                cards.append(ShelfCard.from_json(data))
            except (TypeError, ValueError):
                continue
        return cards

    def _write_cache(self, key: str, cards: list[ShelfCard]) -> None:
        def change(data: dict) -> None:
            by_key = data.setdefault("by_key", {})
            by_key.pop(key, None)
            by_key[key] = [c.as_json() for c in cards]  # newest last: the oldest go first when it grows
            while len(by_key) > MAX_CACHED_QUERIES:
                by_key.pop(next(iter(by_key)))

        self.cache.update(change)

    def request(self, kind: str, item: str, band: str | None = None, kiosk: str = "") -> PendingCards:
        """Start asking the server; returns at once with the cached cards."""
        pending = PendingCards(self.key(kind, item, band), self.cached(kind, item, band))
        threading.Thread(target=self._fetch, args=(pending, kind, item, band, kiosk), name="yuedu-shelf-cards",
                         daemon=True).start()
        return pending

    def _fetch(self, pending: PendingCards, kind: str, item: str, band: str | None, kiosk: str) -> None:
        try:
            pending.fresh = self.fetch_now(kind, item, band, kiosk)
            self._write_cache(pending.key, pending.fresh)
        except (OSError, ValueError, KeyError, TypeError) as error:  # offline, timeout, a bad answer
            log.info("shelf cards not fetched (%s); using the last known ones", error)
        finally:
            pending.done.set()

    def fetch_now(self, kind: str, item: str, band: str | None = None, kiosk: str = "") -> list[ShelfCard]:
        endpoint = self.endpoint()
        if endpoint is None:
            raise OSError("no server known yet")
        url, key, secret = endpoint
        query = {"kind": kind, "item": item, "kiosk": kiosk, "k": MAX_CARDS}
        if band:
            query["band"] = band
        request = urllib.request.Request(f"{server_root(url)}/api/catalogue/cards?{urllib.parse.urlencode(query)}")
        if key:
            request.add_header("Authorization", "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode())
        with self.opener(request, timeout=self.timeout) as response:
            body = json.loads(response.read().decode("utf-8"))
        return [ShelfCard.from_json(c) for c in body["cards"]][:MAX_CARDS]
