"""The wall's rollup in a process of its own, beside `launcher.py serve` (or as its own service under gunicorn).

Folding statements is CPU-bound Python: run in the server's process it held the GIL from the request threads,
and a single-statement POST's p99 went from 2–9 ms to 27–31 ms while it ran (bench/ingest.py).
"""
from __future__ import annotations

import argparse
import ctypes
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from typing import Callable

log = logging.getLogger(__name__)
PR_SET_PDEATHSIG = 1
STOP_SIGNALS = {signal.SIGTERM, signal.SIGINT}  # systemd's stop, Ctrl-C


def run_loop(db_url: str, tz_name: str, batch: int, seconds: float, wait: Callable[[float], bool],
             parent_pid: int | None = None) -> None:
    """Fold new statements every `seconds` until `wait(seconds)` says stop (True) or the parent process is gone."""
    from server.db import make_engine
    from server.wall.rollup import RollupJob

    engine = make_engine(db_url)
    job = RollupJob(engine, tz_name, batch)
    try:
        pause = 0.0  # a stop asked for while starting: no run is begun only to be cut short
        while not wait(pause) and (parent_pid is None or os.getppid() == parent_pid):
            try:
                job.run()
            except Exception:  # a failed run is retried on the next tick; the wall must keep updating
                log.exception("wall rollup run failed")
            pause = seconds
    finally:
        engine.dispose()


def spawn(db_url: str, tz_name: str, batch: int, seconds: float) -> subprocess.Popen:
    """Start the worker for this process: it ends when this process does, even if this one is killed."""
    command = [sys.executable, "-m", "server.wall.worker", "--db", db_url, "--timezone", tz_name,
               "--batch", str(batch), "--seconds", str(seconds), "--parent", str(os.getpid())]
    repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    return subprocess.Popen(command, cwd=repo, stdin=subprocess.DEVNULL)


def stop_worker(process: subprocess.Popen, timeout: float = 5.0) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class SupervisedWorker:
    """Keeps one worker running: started again if it ever exits on its own, so an unattended wall never freezes.

    Restarts back off from 1 s to 5 min while the worker keeps dying young (a broken database, say)."""

    def __init__(self, start: Callable[[], subprocess.Popen], check_seconds: float = 5.0,
                 clock: Callable[[], float] = time.monotonic):
        self._start, self.check_seconds, self.clock = start, check_seconds, clock
        self._stop = threading.Event()
        self.process = start()
        self.started_at = clock()
        self.restarts = 0
        self._backoff = 1.0
        self._thread = threading.Thread(target=self._watch, name="wall-rollup-supervisor", daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        while not self._stop.wait(self.check_seconds):
            code = self.process.poll()
            if code is None:
                continue
            lived = self.clock() - self.started_at
            self._backoff = 1.0 if lived > 60 else min(self._backoff * 2, 300.0)
            log.warning("wall rollup worker exited with %s after %.0f s; starting it again in %.0f s",
                        code, lived, self._backoff)
            if self._stop.wait(self._backoff):
                return
            self.process = self._start()
            self.started_at = self.clock()
            self.restarts += 1

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(10)
        stop_worker(self.process)


def _die_with_parent() -> None:
    try:  # Linux: SIGTERM when the parent dies, even by SIGKILL; elsewhere the loop's getppid() check
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        pass


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from server.wall.settings import DEFAULTS

    parser.add_argument("--db", default=None, help="database URL (default: SQLite in the data directory)")
    parser.add_argument("--timezone", default=os.environ.get("YUEDU_WALL_TIMEZONE") or DEFAULTS["WALL_TIMEZONE"],
                        help="the library's time zone (IANA name) that days are cut in")
    parser.add_argument("--batch", type=int, default=DEFAULTS["WALL_ROLLUP_BATCH"],
                        help="statements folded per transaction")
    parser.add_argument("--seconds", type=float, default=DEFAULTS["WALL_ROLLUP_SECONDS"],
                        help="seconds between runs")
    parser.add_argument("--parent", type=int, default=None, help=argparse.SUPPRESS)


def _stop_requested(seconds: float) -> bool:
    """Wait up to `seconds` for SIGTERM or SIGINT (blocked: one that came during a run is taken here)."""
    return signal.sigtimedwait(STOP_SIGNALS, seconds) is not None


def run_from_args(args) -> int:
    from server.db import default_database_url
    from server.wall import rollup  # noqa: F401 (slow under load: imported while a stop still ends us at once)

    logging.basicConfig(level=logging.INFO, format="%(asctime)s wall-rollup %(levelname)s %(message)s")
    if args.parent is not None:
        _die_with_parent()
        if os.getppid() != args.parent:  # the parent died before the death signal was asked for
            return 0
    # From here a stop is taken only between two runs, by sigtimedwait; until here it ends the process (nothing
    # begun). No handler: one calling Event.set() deadlocks when the signal lands while the main thread's own
    # Event.wait() holds the Event's lock (1 stop in about 1,000 hung so, in a loop waiting 1 ms at a time).
    # The worker starts no threads that could take a blocked signal instead.
    signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    os.nice(5)  # a background job: requests come first when the cores are busy
    run_loop(args.db or default_database_url(), args.timezone, args.batch, max(args.seconds, 0.1), _stop_requested,
             args.parent)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m server.wall.worker", description=__doc__.splitlines()[0])
    add_arguments(parser)
    return run_from_args(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
