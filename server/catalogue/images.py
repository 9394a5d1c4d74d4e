"""Pictures the catalogue serves to kiosks: book covers the server fetched at import (when a record names one)
and the curators' floor plans. Kiosks never fetch anything from outside: they get these from our server.

A cover is fetched once per URL with a time limit, a size limit and a type check (an image by its header and
by its bytes: Pillow must open it), scaled down to at most COVER_MAX_PX and stored as
`<dir>/covers/<sha256 of the URL>.jpg`, so a card finds its cover from the record's URL alone. A cover that cannot
be fetched is an error line of the import (the record is still stored; the kiosk draws a cover from the title).
"""
from __future__ import annotations

import hashlib
import io
import os
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Iterable

from PIL import Image, UnidentifiedImageError

COVER_TIMEOUT = 5.0  # seconds for one cover (connect and each read)
COVER_MAX_BYTES = 4 * 1024 * 1024
COVER_MAX_PX = 600  # the longer side of a stored cover
COVER_TYPES = ("image/jpeg", "image/png", "image/gif", "image/webp")
COVER_WORKERS = 4
PLAN_MAX_BYTES = 16 * 1024 * 1024
PLAN_MAX_PX = 2400  # the longer side of a stored plan
MAX_PIXELS = 50_000_000  # no decompression bombs
NAME_CHARS = set("0123456789abcdef.jpng")


class ImageError(ValueError):
    def __init__(self, zh: str, en: str):
        super().__init__(f"{zh} / {en}")
        self.zh, self.en = zh, en


def default_dir() -> Path:
    from experiences import datadir

    return datadir.server_dir() / "catalogue-images"


def cover_name(url: str) -> str:
    return hashlib.sha256(url.encode("utf-8")).hexdigest()[:40] + ".jpg"


def cover_path(root: Path, url: str) -> Path | None:
    """The stored cover of `url`, or None when it was never fetched (or could not be)."""
    path = Path(root) / "covers" / cover_name(url)
    return path if url and path.is_file() else None


def safe_name(name: str) -> bool:
    """A stored image's name as we make them (hex + extension): never a path."""
    return 0 < len(name) <= 80 and set(name) <= NAME_CHARS and name.count(".") == 1 and not name.startswith(".")


def _open(data: bytes) -> Image.Image:
    try:
        image = Image.open(io.BytesIO(data))
        if image.width * image.height > MAX_PIXELS:
            raise ImageError("图片太大", "the picture is too big")
        image.load()
        return image
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError, SyntaxError):
        raise ImageError("不是能打开的图片（JPEG、PNG、GIF、WebP）",
                         "not a picture that opens (JPEG, PNG, GIF, WebP)") from None


def _save_atomic(path: Path, write) -> None:
    """Writes a picture whole or not at all; a folder that cannot be written is an ImageError, said plainly."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".part")
    except OSError as error:
        raise ImageError("服务器存不下图片（文件夹不能写）", f"the server cannot store the picture: {error}") from None
    try:
        with os.fdopen(fd, "wb") as out:
            write(out)
        os.replace(tmp, path)
    except BaseException as error:
        os.unlink(tmp)
        if isinstance(error, OSError):
            raise ImageError("服务器存不下图片", f"the server cannot store the picture: {error}") from None
        raise


class _NoRedirectToOtherSchemes(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urllib.parse.urlsplit(newurl).scheme not in ("http", "https"):
            raise ImageError("封面地址跳转到了别的协议", "the cover URL redirects to another scheme")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_OPENER = urllib.request.build_opener(_NoRedirectToOtherSchemes)


def download(url: str, timeout: float = COVER_TIMEOUT, max_bytes: int = COVER_MAX_BYTES) -> bytes:
    """The bytes of an image at an http(s) URL, or ImageError saying why not."""
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise ImageError("封面地址要以 http:// 或 https:// 开头", "a cover URL starts with http:// or https://")
    request = urllib.request.Request(url, headers={"User-Agent": "Yuedu-catalogue/1", "Accept": "image/*"})
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            kind = (response.headers.get_content_type() or "").lower()
            if kind not in COVER_TYPES:
                raise ImageError(f"不是图片（{kind}）", f"not a picture ({kind})")
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise ImageError("图片太大", f"the picture is larger than {max_bytes // 1024} KB")
            data = response.read(max_bytes + 1)
    except urllib.error.HTTPError as error:
        raise ImageError(f"服务器答 {error.code}", f"the server answered {error.code}") from None
    except (urllib.error.URLError, OSError) as error:  # refused, unknown host, timed out
        reason = getattr(error, "reason", error)
        raise ImageError("取不到（超时或连不上）", f"could not fetch it (timed out or refused: {reason})") from None
    if len(data) > max_bytes:
        raise ImageError("图片太大", f"the picture is larger than {max_bytes // 1024} KB")
    return data


def store_cover(root: Path, url: str, data: bytes) -> Path:
    image = _open(data)
    image.thumbnail((COVER_MAX_PX, COVER_MAX_PX))
    image = image.convert("RGB")
    path = Path(root) / "covers" / cover_name(url)
    _save_atomic(path, lambda out: image.save(out, "JPEG", quality=85))
    return path


def fetch_cover(root: Path, url: str, timeout: float = COVER_TIMEOUT) -> Path:
    """The cover of `url` in the store, fetched now if it is not there yet; raises ImageError."""
    return cover_path(root, url) or store_cover(root, url, download(url, timeout))


def fetch_covers(root: Path, wanted: Iterable[tuple[int, str]], timeout: float = COVER_TIMEOUT) -> tuple[int, list]:
    """Fetches the covers of (position, URL) pairs not yet stored, a few at a time. Returns how many are stored
    now and the (position, url, ImageError) of those that failed."""
    todo = [(pos, url) for pos, url in dict((u, (p, u)) for p, u in wanted if u).values()]
    stored, failed = 0, []

    def one(item):
        position, url = item
        try:
            fetch_cover(root, url, timeout)
            return position, url, None
        except ImageError as error:
            return position, url, error

    with ThreadPoolExecutor(max_workers=COVER_WORKERS) as pool:
        for position, url, error in pool.map(one, todo):
            if error is None:
                stored += 1
            else:
                failed.append((position, url, error))
    return stored, failed


def store_plan(root: Path, data: bytes) -> tuple[str, int, int]:
    """A floor plan image checked, scaled down to PLAN_MAX_PX and stored as PNG: (name, width, height)."""
    if len(data) > PLAN_MAX_BYTES:
        raise ImageError("平面图太大（最多 16 MB）", "the floor plan is too large (16 MB at most)")
    image = _open(data)
    image.thumbnail((PLAN_MAX_PX, PLAN_MAX_PX))
    image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
    out = io.BytesIO()
    image.save(out, "PNG", optimize=False)
    png = out.getvalue()
    name = hashlib.sha256(png).hexdigest()[:40] + ".png"
    path = Path(root) / "plans" / name
    if not path.exists():
        _save_atomic(path, lambda f: f.write(png))
    return name, image.width, image.height


def image_path(kind: str, name: str) -> str:
    """A picture's path on our server (kiosks join it to the server's address they know)."""
    return f"/catalogue/images/{kind}/{name}"


def card_view(card, plans, root: Path) -> dict:
    """A card as kiosks, the portal's preview and `catalogue cards --json` show it: the cover as a path on our
    server when the server fetched one at import ("" otherwise: the kiosk draws one), and the map of the shelf
    the copy stands on (server/catalogue/plans.py)."""
    from server.catalogue.plans import card_map

    data = card.as_json()
    data["cover"] = image_path("covers", cover_name(card.record.cover)) \
        if card.record.cover and cover_path(root, card.record.cover) else ""
    h = card.holding
    data["map"] = card_map(plans, h.call_number, h.location, lambda name: image_path("plans", name)) if h else None
    return data
