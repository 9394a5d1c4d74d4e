"""Logging for the kiosk and the server: size-rotated files in the data directory (bounded total size) plus console.

A kiosk runs for months: every file is capped, old backups beyond the count are removed, one record cannot
blow the cap, and uncaught exceptions (any thread) land in the log with their traceback.
"""
from __future__ import annotations

import logging
import logging.handlers
import re
import sys
import threading
import time
from pathlib import Path
from typing import TextIO

from experiences import datadir

FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"
MAX_RECORD_CHARS = 16_000  # a runaway repr must not fill the disk or push every other line out of the log
_MARK = "_yuedu_handler"


class _UtcFormatter(logging.Formatter):
    """ISO-8601 UTC times (kiosks in different places, one server) and records cut to MAX_RECORD_CHARS."""

    converter = time.gmtime

    def formatTime(self, record, datefmt=None):
        return time.strftime("%Y-%m-%dT%H:%M:%S", self.converter(record.created)) + f".{int(record.msecs):03d}Z"

    def format(self, record):
        text = super().format(record)
        if len(text) > MAX_RECORD_CHARS:
            text = text[:MAX_RECORD_CHARS] + f" … [{len(text) - MAX_RECORD_CHARS} characters cut]"
        return text


def setup_logging(logs_dir: str | Path | None = None, level: str | int = "INFO", *, name: str = "yuedu",
                  max_bytes: int = 5 * 1024 * 1024, backups: int = 4, console: bool = True,
                  console_stream: TextIO | None = None, catch_uncaught: bool = True) -> Path:
    """Log to `<logs_dir>/<name>.log` (rotated at `max_bytes`, `backups` old files kept: at most
    (backups + 1) · max_bytes on disk) and to the console. Calling it again replaces the previous set-up.

    Use a different `name` per process ("kiosk", "server", "supervisor"): two processes must not rotate one file.
    Returns the path of the current log file.
    """
    if max_bytes < 1024:
        raise ValueError("max_bytes must be at least 1024")
    if backups < 1:
        raise ValueError("backups must be at least 1")
    numeric_level = _level(level)
    folder = Path(logs_dir) if logs_dir is not None else datadir.logs_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.log"
    _remove_stale_backups(path, backups)

    reset_logging()
    formatter = _UtcFormatter(FORMAT)
    file_handler = logging.handlers.RotatingFileHandler(path, maxBytes=max_bytes, backupCount=backups,
                                                        encoding="utf-8")
    handlers: list[logging.Handler] = [file_handler]
    if console:
        handlers.append(logging.StreamHandler(console_stream or sys.stderr))
    root = logging.getLogger()
    for handler in handlers:
        handler.setFormatter(formatter)
        setattr(handler, _MARK, True)
        root.addHandler(handler)
    root.setLevel(numeric_level)
    logging.captureWarnings(True)
    if catch_uncaught:
        _install_excepthooks()
    return path


def reset_logging() -> None:
    """Remove and close the handlers setup_logging added (tests; a clean shutdown)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, _MARK, False):
            root.removeHandler(handler)
            handler.close()


def _level(level: str | int) -> int:
    if isinstance(level, int):
        return level
    value = logging.getLevelName(str(level).upper())
    if not isinstance(value, int):
        raise ValueError(f"unknown log level {level!r}; use DEBUG, INFO, WARNING, ERROR or CRITICAL")
    return value


def _remove_stale_backups(path: Path, backups: int) -> None:
    """Backups numbered above `backups` (left by an earlier, larger setting) would escape the size bound."""
    pattern = re.compile(re.escape(path.name) + r"\.(\d+)$")
    for old in path.parent.glob(path.name + ".*"):
        match = pattern.match(old.name)
        if match and int(match.group(1)) > backups:
            old.unlink(missing_ok=True)


def _install_excepthooks() -> None:
    log = logging.getLogger("yuedu.uncaught")

    def on_exception(exc_type, exc, tb):
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        log.critical("uncaught exception", exc_info=(exc_type, exc, tb))

    def on_thread_exception(args):
        if args.exc_type is SystemExit:
            return
        name = args.thread.name if args.thread else "?"
        log.critical("uncaught exception in thread %s", name, exc_info=(args.exc_type, args.exc_value,
                                                                         args.exc_traceback))

    sys.excepthook = on_exception
    threading.excepthook = on_thread_exception
