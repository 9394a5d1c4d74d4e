"""`launcher.py --supervise`: runs the kiosk as a child process and restarts it into attract mode after a
crash (non-zero exit or a signal) or a hang (heartbeat file untouched for `hang_seconds` → SIGKILL).

For machines without systemd; with systemd, `yuedu-kiosk.service` does the same with WatchdogSec.
"""
from __future__ import annotations

import logging
import os
import signal
import subprocess
import threading
import time
from pathlib import Path

from experiences.kiosk.watchdog import HEARTBEAT_ENV

log = logging.getLogger("yuedu.supervisor")


class Supervisor:
    """Keeps one child running. All timings are parameters so tests run in fractions of a second."""

    def __init__(self, command: list[str], heartbeat_path: str | Path, *, hang_seconds: float = 10.0,
                 startup_grace: float = 60.0, poll_seconds: float = 0.5, backoff_initial: float = 1.0,
                 backoff_max: float = 60.0, stable_seconds: float = 120.0, max_restarts: int | None = None,
                 stop_timeout: float = 10.0, env: dict | None = None):
        self.command = list(command)
        self.heartbeat_path = Path(heartbeat_path)
        self.hang_seconds = hang_seconds
        self.startup_grace = startup_grace  # before its first heartbeat the kiosk may be loading content
        self.poll_seconds = poll_seconds
        self.backoff_initial = backoff_initial
        self.backoff_max = backoff_max
        self.stable_seconds = stable_seconds  # a run this long resets the backoff
        self.max_restarts = max_restarts
        self.stop_timeout = stop_timeout
        self.env = dict(os.environ if env is None else env)
        self.stop_event = threading.Event()
        self.restarts = 0
        self.child: subprocess.Popen | None = None
        self.history: list[str] = []  # how each run ended: "exit 3", "signal SIGKILL", "hang", "exit 0"

    def run(self) -> int:
        """Supervise until the child exits cleanly (0), a stop is requested, or max_restarts is used up."""
        backoff = self.backoff_initial
        while not self.stop_event.is_set():
            started = time.monotonic()
            outcome, code = self._run_once()
            self.history.append(outcome)
            if outcome == "stopped":
                return 0
            if code == 0:
                log.info("kiosk exited cleanly; supervisor done")
                return 0
            ran = time.monotonic() - started
            if ran >= self.stable_seconds:
                backoff = self.backoff_initial
            if self.max_restarts is not None and self.restarts >= self.max_restarts:
                log.error("kiosk ended (%s) and %d restarts are used up; giving up", outcome, self.restarts)
                return 1
            self.restarts += 1
            log.warning("kiosk ended (%s) after %.1f s; restart %d in %.1f s", outcome, ran, self.restarts, backoff)
            if self._pause(backoff):
                return 0
            backoff = min(backoff * 2, self.backoff_max)
        return 0

    def stop(self) -> None:
        self.stop_event.set()

    def _pause(self, seconds: float) -> bool:
        """Sleep `seconds` unless stopped (then True). Polled, never `stop_event.wait()`: stop() may run in a signal
        handler on this thread, and Event.set() there deadlocks when the signal lands while this thread's wait()
        holds the Event's lock."""
        end = time.monotonic() + seconds
        while not self.stop_event.is_set():
            left = end - time.monotonic()
            if left <= 0:
                return False
            time.sleep(min(left, self.poll_seconds))
        return True

    def _run_once(self) -> tuple[str, int | None]:
        self.heartbeat_path.parent.mkdir(parents=True, exist_ok=True)
        self.heartbeat_path.touch()
        env = dict(self.env, **{HEARTBEAT_ENV: str(self.heartbeat_path)})
        # its own process group, so a hang kill also takes anything the kiosk started
        self.child = subprocess.Popen(self.command, env=env, start_new_session=True)
        log.info("kiosk started (pid %d): %s", self.child.pid, " ".join(self.command))
        last_seen = self._mtime()
        last_change = time.monotonic()
        beating = False
        while True:
            code = self.child.poll()
            if code is not None:
                return _describe(code), code
            if self.stop_event.is_set():
                log.info("supervisor stopping the kiosk (pid %d)", self.child.pid)
                self._terminate()
                return "stopped", None
            mtime = self._mtime()
            now = time.monotonic()
            if mtime != last_seen:  # compare our own monotonic clock, not file times: NTP jumps are harmless
                last_seen, last_change, beating = mtime, now, True
            limit = self.hang_seconds if beating else self.startup_grace
            if now - last_change > limit:
                log.error("kiosk (pid %d) hung: no heartbeat for %.1f s; killing it", self.child.pid, now - last_change)
                self._kill_group(signal.SIGKILL)
                self.child.wait()
                return "hang", -signal.SIGKILL
            time.sleep(self.poll_seconds)

    def _mtime(self) -> int:
        try:
            return self.heartbeat_path.stat().st_mtime_ns
        except FileNotFoundError:
            return 0

    def _terminate(self) -> None:
        self._kill_group(signal.SIGTERM)
        try:
            self.child.wait(self.stop_timeout)
        except subprocess.TimeoutExpired:
            self._kill_group(signal.SIGKILL)
            self.child.wait()

    def _kill_group(self, sig: int) -> None:
        try:
            os.killpg(self.child.pid, sig)
        except ProcessLookupError:
            pass


def _describe(code: int) -> str:
    if code < 0:
        try:
            return f"signal {signal.Signals(-code).name}"
        except ValueError:
            return f"signal {-code}"
    return f"exit {code}"


def run_supervised(command: list[str], heartbeat_path: Path, **options) -> int:
    """The `--supervise` entry: SIGTERM/SIGINT stop the child cleanly, then the supervisor."""
    supervisor = Supervisor(command, heartbeat_path, **options)

    def on_signal(signum, frame):  # no logging here: a write to the stream the loop was writing fails (reentrant)
        supervisor.stop()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        return supervisor.run()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
