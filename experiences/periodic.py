"""A job run every N seconds on a daemon thread until stopped: the disk guard, content sync, share uploads.

A failing run is logged with its traceback and tried again next time; one bad run never ends the job.
"""
from __future__ import annotations

import logging
import threading
from typing import Callable

log = logging.getLogger(__name__)


class PeriodicTask:
    def __init__(self, job: Callable[[], object], interval: float, name: str, what: str):
        self.job = job
        self.interval = interval
        self.name = name
        self.what = what  # for the log: "content sync", "share upload", ...
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> "PeriodicTask":
        """Start running now and every `interval` seconds; a second start while running does nothing."""
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
            self._thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        """Ask the loop to end and wait up to `timeout` for a run in progress; safe to call twice."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.job()
            except Exception:  # the kiosk runs unattended: log, and try again next time
                log.exception("%s failed; trying again in %.0f s", self.what, self.interval)
            self._stop.wait(self.interval)
