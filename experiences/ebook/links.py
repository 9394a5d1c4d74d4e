"""Where a phone reads an e-book: the service's reading page `/e/<package id>` under the library's public address
(kiosk.toml [server] public_base_url, the same address families open share links on). The QR adds `from=` (which
screen showed it: the e-book or the waterfall), which the service counts per day and book, and drops at once.
Pure: no pygame."""
from __future__ import annotations

import urllib.parse

READING_PATH = "/e/"


def reading_path(package_id: str) -> str:
    return READING_PATH + urllib.parse.quote(package_id, safe="")


def reading_url(config, package_id: str, source: str = "") -> str | None:
    """The reading page's address for a QR code, or None when this kiosk has no public address to give."""
    base = (getattr(getattr(config, "server", None), "public_base_url", "") or "").rstrip("/")
    if not base.startswith(("http://", "https://")):
        return None
    url = base + reading_path(package_id)
    return f"{url}?from={urllib.parse.quote(source, safe='')}" if source else url
