"""Availability over SIP2 (3M Standard Interchange Protocol 2.00): Item Information (17 → 18) for the copies on
the cards, so a card says whether the book is on the shelf now.

A small client on the standard's messages (error detection with sequence number and checksum), and a cache:
each barcode is asked about at most every TTL seconds; when the link is down, the last known state is used and
the link is not tried again for DOWN_SECONDS, so a card request never waits on a dead ILS for long.
"""
from __future__ import annotations

import datetime as dt
import socket
import threading
import time
from typing import Callable

from server.catalogue.model import AVAILABLE

TTL = 300.0
DOWN_SECONDS = 60.0
TIMEOUT = 1.0
# 18's circulation status -> ours
STATUS = {"03": AVAILABLE, "04": "on_loan", "05": "on_loan", "07": "on_loan", "08": "on_loan",
          "06": "processing", "09": "processing", "10": "processing", "12": "missing", "13": "missing"}


def checksum(text: str) -> str:
    return f"{(-sum(text.encode('cp850', errors='replace'))) & 0xFFFF:04X}"


def with_checksum(message: str, sequence: int) -> str:
    body = f"{message}AY{sequence % 10}AZ"
    return body + checksum(body)


def item_information(institution: str, barcode: str, password: str = "", sequence: int = 0,
                     now: dt.datetime | None = None) -> str:
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d    %H%M%S")
    fields = f"AO{institution}|AB{barcode}|" + (f"AC{password}|" if password else "")
    return with_checksum(f"17{stamp}{fields}", sequence)


def parse_item_information(response: str) -> tuple[str, dict[str, str]]:
    """(our status, the variable fields by their two-letter id) of an 18 response."""
    response = response.rstrip("\r\n")
    if not response.startswith("18") or len(response) < 26:
        raise ValueError(f"SIP2: not an Item Information response: {response[:20]!r}")
    fields: dict[str, str] = {}
    for part in response[26:].split("|"):
        if len(part) >= 2 and part[:2] not in ("AY", "AZ"):
            fields.setdefault(part[:2], part[2:])
    return STATUS.get(response[2:4], "unknown"), fields


class SIP2Client:
    def __init__(self, host: str, port: int, institution: str = "", password: str = "", timeout: float = TIMEOUT,
                 encoding: str = "utf-8"):
        self.address = (host, port)
        self.institution, self.password, self.timeout, self.encoding = institution, password, timeout, encoding
        self._sequence = 0

    def statuses(self, barcodes: list[str]) -> dict[str, str]:
        """Our status of each barcode, over one connection; raises OSError when the ILS cannot be reached."""
        out = {}
        with socket.create_connection(self.address, timeout=self.timeout) as conn:
            conn.settimeout(self.timeout)
            pending = b""
            for barcode in barcodes:
                self._sequence += 1
                message = item_information(self.institution, barcode, self.password, self._sequence)
                conn.sendall((message + "\r").encode(self.encoding))
                while b"\r" not in pending:  # a SIP2 message ends with a carriage return (and maybe a line feed)
                    chunk = conn.recv(4096)
                    if not chunk:
                        raise ConnectionError("SIP2: the ILS closed the connection")
                    pending += chunk
                line, _, pending = pending.partition(b"\r")
                pending = pending.lstrip(b"\n")
                out[barcode] = parse_item_information(line.decode(self.encoding, errors="replace"))[0]
        return out


class Availability:
    """Statuses by barcode with their age; the last known state when the ILS is down."""

    def __init__(self, ask: Callable[[list[str]], dict[str, str]], clock: Callable[[], float] = time.monotonic,
                 ttl: float = TTL, down_seconds: float = DOWN_SECONDS):
        self.ask, self.clock, self.ttl, self.down_seconds = ask, clock, ttl, down_seconds
        self.known: dict[str, tuple[str, float]] = {}
        self.down_until = 0.0
        self._lock = threading.Lock()

    def statuses(self, barcodes: list[str]) -> dict[str, str]:
        now = self.clock()
        with self._lock:
            stale = [b for b in barcodes if b and (b not in self.known or now - self.known[b][1] > self.ttl)]
            if stale and now >= self.down_until:
                try:
                    for barcode, status in self.ask(stale).items():
                        self.known[barcode] = (status, now)
                except (OSError, ValueError):
                    self.down_until = now + self.down_seconds  # the last known states serve meanwhile
            return {b: self.known[b][0] for b in barcodes if b in self.known}
