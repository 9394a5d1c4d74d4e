"""去书架找一找 cards for the kiosk: books on the library's shelves that follow what the visitor just did, asked of
the server (`GET /api/catalogue/cards`) on a background thread within a time limit, and cached in the data
directory so the kiosk shows the last known cards (and shelf state) when the server cannot be reached.

Kiosks never fetch anything else from outside: the cover is drawn here from the title unless the server sent
one it fetched at import; covers and floor plans (a card's map: the plan and the shelf's rectangle on it) come
only from our own server, by paths under /catalogue/images/, and are kept in `<data dir>/shelf-images/` so the
map still shows offline. No pygame here; experiences/kiosk/shelf_screen.py draws the cards.
"""
from __future__ import annotations

import base64
import hashlib
import json
import logging
import os
import re
import threading
import time
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
IMAGES_DIR = "shelf-images"
IMAGE_PATH = re.compile(r"/catalogue/images/(covers|plans)/[0-9a-f]{8,64}\.(jpg|png)")
MAX_IMAGE_BYTES = 8 * 1024 * 1024
KEEP_UNUSED_SECONDS = 600  # a picture no cached card names is removed once it is this old


def valid_map(data) -> dict | None:
    """A card's map as the server sends it (plan path, size, the shelf's rectangle in fractions), or None."""
    try:
        shelf = [float(v) for v in data["shelf"]]
        width, height = int(data["width"]), int(data["height"])
        if (len(shelf) != 4 or not IMAGE_PATH.fullmatch(data["plan"]) or width <= 0 or height <= 0
                or not all(0 <= v <= 1.0001 for v in shelf) or shelf[2] <= 0 or shelf[3] <= 0):
            return None
        return {"plan": data["plan"], "width": width, "height": height, "shelf": shelf,
                "label": str(data.get("label") or "")[:40]}
    except (KeyError, TypeError, ValueError):
        return None


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
    cover: str = ""  # a cover the server fetched at import: a path on our server ("" : drawn from the title)
    map: dict | None = None  # where it stands: {"plan": path, "width", "height", "shelf": [x, y, w, h], "label"}
    cover_file: str = ""  # the cover and the plan as kept on this kiosk (set by ShelfSource, never sent)
    map_file: str = ""

    @classmethod
    def from_json(cls, data: dict) -> "ShelfCard":
        known = {f.name for f in fields(cls)} - {"cover_file", "map_file"}
        card = cls(**{k: v for k, v in data.items() if k in known})
        if not card.id or not card.title:
            raise ValueError("a card needs an id and a title")
        card.cover = card.cover if isinstance(card.cover, str) and IMAGE_PATH.fullmatch(card.cover) else ""
        card.map = valid_map(card.map) if card.map else None
        return card

    def as_json(self) -> dict:
        data = asdict(self)
        del data["cover_file"], data["map_file"]
        return data


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
        self.images = Path(cache_dir) / IMAGES_DIR

    def image_file(self, path: str) -> Path:
        """Where a picture from our server is kept on this kiosk."""
        return self.images / (hashlib.sha256(path.encode()).hexdigest()[:32] + path[-4:])

    def attach_images(self, cards: list[ShelfCard]) -> list[ShelfCard]:
        """Sets each card's cover_file and map_file to the pictures this kiosk has."""
        for card in cards:
            cover = self.image_file(card.cover) if card.cover else None
            card.cover_file = str(cover) if cover and cover.is_file() else ""
            plan = self.image_file(card.map["plan"]) if card.map else None
            card.map_file = str(plan) if plan and plan.is_file() else ""
        return cards

    def _fetch_images(self, cards: list[ShelfCard], root: str, auth: str) -> None:
        """The covers and plans of these cards not yet kept here, from our server only; a failure leaves a card
        with a drawn cover or no map (tried again next time)."""
        wanted = {c.cover for c in cards if c.cover} | {c.map["plan"] for c in cards if c.map}
        for path in sorted(wanted):
            target = self.image_file(path)
            if target.is_file() or not IMAGE_PATH.fullmatch(path):
                continue
            request = urllib.request.Request(root + path)
            if auth:
                request.add_header("Authorization", auth)
            try:
                with self.opener(request, timeout=self.timeout) as response:
                    data = response.read(MAX_IMAGE_BYTES + 1)
                if len(data) > MAX_IMAGE_BYTES:
                    raise ValueError("picture too large")
                target.parent.mkdir(parents=True, exist_ok=True)
                tmp = target.with_name(target.name + ".part")
                tmp.write_bytes(data)
                os.replace(tmp, target)
            except (OSError, ValueError) as error:
                log.info("shelf picture %s not fetched (%s)", path, error)

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
        return self.attach_images(cards)

    def _write_cache(self, key: str, cards: list[ShelfCard]) -> None:
        def change(data: dict) -> None:
            by_key = data.setdefault("by_key", {})
            by_key.pop(key, None)
            by_key[key] = [c.as_json() for c in cards]  # newest last: the oldest go first when it grows
            while len(by_key) > MAX_CACHED_QUERIES:
                by_key.pop(next(iter(by_key)))

        self.cache.update(change)
        self._prune_images()

    def _prune_images(self) -> None:
        """Removes kept pictures no cached card names any more (the cache keeps the last 500 questions)."""
        if not self.images.is_dir():
            return
        named = set()
        for raw in (self.cache.read().get("by_key") or {}).values():
            for data in raw if isinstance(raw, list) else []:
                if isinstance(data, dict):
                    named.add(data.get("cover") or "")
                    if isinstance(data.get("map"), dict):
                        named.add(data["map"].get("plan") or "")
        keep = {self.image_file(path).name for path in named if path}
        now = time.time()
        for path in self.images.iterdir():
            try:
                if path.name not in keep and now - path.stat().st_mtime > KEEP_UNUSED_SECONDS:
                    path.unlink()
            except OSError:
                continue

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
        root = server_root(url)
        request = urllib.request.Request(f"{root}/api/catalogue/cards?{urllib.parse.urlencode(query)}")
        auth = "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode() if key else ""
        if auth:
            request.add_header("Authorization", auth)
        with self.opener(request, timeout=self.timeout) as response:
            body = json.loads(response.read().decode("utf-8"))
        cards = [ShelfCard.from_json(c) for c in body["cards"]][:MAX_CARDS]
        self._fetch_images(cards, root, auth)
        return self.attach_images(cards)
