"""Liveness signals from the kiosk's main loop: a heartbeat file for the built-in supervisor and
systemd's sd_notify protocol (READY=1, WATCHDOG=1) over $NOTIFY_SOCKET, in plain socket code.

Both are sent from the frame loop only, so a hung loop stops them and gets the kiosk restarted.
"""
from __future__ import annotations

import logging
import os
import socket
import time
from pathlib import Path

log = logging.getLogger(__name__)

HEARTBEAT_ENV = "YUEDU_HEARTBEAT"


class SystemdNotifier:
    """Sends sd_notify datagrams when systemd (or a test) set $NOTIFY_SOCKET; does nothing otherwise."""

    def __init__(self, address: str | None = None, watchdog_usec: str | None = None):
        address = address if address is not None else os.environ.get("NOTIFY_SOCKET", "")
        self.address = "\0" + address[1:] if address.startswith("@") else address  # "@" = abstract socket
        usec = watchdog_usec if watchdog_usec is not None else os.environ.get("WATCHDOG_USEC", "")
        # systemd advises pinging at half the watchdog period; 2 s when no period was given
        self.interval = int(usec) / 2e6 if usec.isdigit() and int(usec) > 0 else 2.0
        self._last_ping = float("-inf")
        self._socket: socket.socket | None = None

    @property
    def enabled(self) -> bool:
        return bool(self.address)

    def notify(self, message: str) -> bool:
        if not self.enabled:
            return False
        try:
            if self._socket is None:
                self._socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC)
            self._socket.sendto(message.encode("utf-8"), self.address)
            return True
        except OSError as exc:  # never let the watchdog channel take the kiosk down
            log.warning("sd_notify %r failed: %s", message, exc)
            return False

    def ready(self) -> bool:
        return self.notify("READY=1\nSTATUS=attract screen up")

    def ping(self, now: float | None = None) -> bool:
        """WATCHDOG=1, at most once per interval."""
        now = time.monotonic() if now is None else now
        if now - self._last_ping < self.interval:
            return False
        self._last_ping = now
        return self.notify("WATCHDOG=1")

    def stopping(self) -> bool:
        return self.notify("STOPPING=1")

    def close(self) -> None:
        if self._socket is not None:
            self._socket.close()
            self._socket = None


class Heartbeat:
    """Touches a file at most every `interval` seconds; the supervisor restarts the kiosk when it goes stale."""

    def __init__(self, path: str | Path | None, interval: float = 1.0):
        self.path = Path(path) if path else None
        self.interval = interval
        self._last = float("-inf")

    @classmethod
    def from_env(cls) -> "Heartbeat":
        return cls(os.environ.get(HEARTBEAT_ENV) or None)

    def beat(self, now: float | None = None) -> bool:
        if self.path is None:
            return False
        now = time.monotonic() if now is None else now
        if now - self._last < self.interval:
            return False
        self._last = now
        try:
            self.path.touch()
            os.utime(self.path)  # touch() keeps an old mtime on some filesystems when the file exists
            return True
        except OSError as exc:
            log.warning("heartbeat %s not written: %s", self.path, exc)
            return False
