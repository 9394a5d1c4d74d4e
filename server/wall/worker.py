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

log = logging.getLogger(__name__)
PR_SET_PDEATHSIG = 1


def run_loop(db_url: str, tz_name: str, batch: int, seconds: float, stop: threading.Event,
             parent_pid: int | None = None) -> None:
    """Fold new statements every `seconds` until `stop` is set or the parent process is gone."""
    from server.db import make_engine
    from server.wall.rollup import RollupJob

    engine = make_engine(db_url)
    job = RollupJob(engine, tz_name, batch)
    try:
        while True:
            try:
                job.run()
            except Exception:  # a failed run is retried on the next tick; the wall must keep updating
                log.exception("wall rollup run failed")
            if stop.wait(seconds) or (parent_pid is not None and os.getppid() != parent_pid):
                return
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


def run_from_args(args) -> int:
    from server.db import default_database_url

    logging.basicConfig(level=logging.INFO, format="%(asctime)s wall-rollup %(levelname)s %(message)s")
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    if args.parent is not None:
        _die_with_parent()
        if os.getppid() != args.parent:  # the parent died before the death signal was asked for
            return 0
    os.nice(5)  # a background job: requests come first when the cores are busy
    run_loop(args.db or default_database_url(), args.timezone, args.batch, max(args.seconds, 0.1), stop, args.parent)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m server.wall.worker", description=__doc__.splitlines()[0])
    add_arguments(parser)
    return run_from_args(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
