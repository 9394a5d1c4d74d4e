"""The free-disk guard: below `storage.min_free_mb` it deletes old recordings, then caches; never the outbox.

`plan_cleanup` is the pure rule (files with ages and sizes + free bytes → what to delete); `DiskGuard` is the
filesystem edge that scans the data directory, applies a plan, and can run every few minutes in a thread.
"""
from __future__ import annotations

import logging
import os
import shutil
import stat
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from experiences import datadir
from experiences.i18n import both
from experiences.periodic import PeriodicTask

log = logging.getLogger("yuedu.diskguard")

RECORDING, CACHE = "recording", "cache"
MB = 1024 * 1024
DAY = 86400.0
OUTBOX_SUFFIXES = ("", "-wal", "-shm", "-journal")  # SQLite keeps unsent statements in all of these


@dataclass(frozen=True)
class Candidate:
    """A file the guard may delete: where, how big, how old (seconds since last modified), which kind."""

    path: str
    size: int
    age_seconds: float
    category: str  # RECORDING or CACHE


@dataclass(frozen=True)
class Plan:
    delete: tuple[Candidate, ...]
    expired: int  # how many of `delete` are recordings past their keep time (deleted whatever the free space)
    free_after: int  # free bytes once `delete` is applied
    short_by: int  # bytes still missing under min_free after every deletable file (0: enough)

    @property
    def freed(self) -> int:
        return sum(c.size for c in self.delete)


def plan_cleanup(files: Iterable[Candidate], free_bytes: int, *, min_free_bytes: int,
                 keep_recordings_seconds: float, min_age_seconds: float = 300.0,
                 protected: Iterable[str] = ()) -> Plan:
    """Decide what to delete.

    1. Recordings older than the keep time always expire.
    2. While free space is under `min_free_bytes`: the oldest remaining recordings, then the oldest cache files.
       Recordings go before caches because the caches hold compiled code (numba) and rendered assets whose loss
       stalls a child's next session, while a recording past its session has served its purpose.
    Files younger than `min_age_seconds` may still be being written and are never touched; protected paths (the
    outbox) are never touched whatever they are listed as.
    """
    protected_paths = {os.path.normpath(p) for p in protected}
    usable: list[Candidate] = []
    for candidate in files:
        if candidate.category not in (RECORDING, CACHE):
            raise ValueError(f"{candidate.path}: unknown category {candidate.category!r}")
        if os.path.normpath(candidate.path) in protected_paths or candidate.age_seconds < min_age_seconds:
            continue
        usable.append(candidate)

    expired = [c for c in usable if c.category == RECORDING and c.age_seconds > keep_recordings_seconds]
    delete = sorted(expired, key=lambda c: -c.age_seconds)
    free = free_bytes + sum(c.size for c in delete)

    chosen = {c.path for c in delete}
    remaining = [c for c in usable if c.path not in chosen]
    order = sorted(remaining, key=lambda c: (c.category != RECORDING, -c.age_seconds))  # recordings, oldest first
    for candidate in order:
        if free >= min_free_bytes:
            break
        delete.append(candidate)
        free += candidate.size
    return Plan(tuple(delete), len(expired), free, max(0, min_free_bytes - free))


@dataclass
class Report:
    deleted: list[str] = field(default_factory=list)
    freed_bytes: int = 0
    free_bytes: int = 0  # measured after deleting
    short_by: int = 0
    errors: list[str] = field(default_factory=list)


class DiskGuard:
    """Keeps the kiosk's disk from filling: `run_once()` now, or `start()` to check every `interval` seconds."""

    def __init__(self, recordings_dir: str | Path, cache_dirs: Iterable[str | Path], *, min_free_mb: float,
                 recordings_keep_days: float, protected: Iterable[str | Path] = (),
                 free_bytes: Callable[[], int] | None = None, clock: Callable[[], float] = time.time,
                 min_age_seconds: float = 300.0):
        self.recordings_dir = Path(recordings_dir)
        self.cache_dirs = [Path(d) for d in cache_dirs]
        self.min_free_bytes = int(min_free_mb * MB)
        self.keep_recordings_seconds = float(recordings_keep_days) * DAY
        outbox = datadir.outbox_path()
        self.protected = {str(Path(p)) for p in protected} | {str(outbox) + s for s in OUTBOX_SUFFIXES}
        self.free_bytes = free_bytes or (lambda: shutil.disk_usage(self.recordings_dir).free)
        self.clock = clock
        self.min_age_seconds = min_age_seconds
        self._task: PeriodicTask | None = None

    @classmethod
    def from_config(cls, config, **kwargs) -> "DiskGuard":
        """The kiosk's guard: recordings and caches in the data directory, thresholds from kiosk.toml [storage]."""
        return cls(datadir.recordings_dir(), [datadir.cache_dir()], min_free_mb=config.storage.min_free_mb,
                   recordings_keep_days=config.storage.recordings_keep_days, **kwargs)

    def scan(self) -> list[Candidate]:
        now = self.clock()
        found = []
        for root, category in [(self.recordings_dir, RECORDING)] + [(d, CACHE) for d in self.cache_dirs]:
            for folder, _dirs, names in os.walk(root):  # does not follow symlinked folders
                for name in names:
                    path = os.path.join(folder, name)
                    try:
                        info = os.lstat(path)
                    except OSError:
                        continue  # gone meanwhile
                    if not stat.S_ISREG(info.st_mode):
                        continue  # symlinks and devices are not ours to judge
                    found.append(Candidate(path, info.st_size, max(0.0, now - info.st_mtime), category))
        return found

    def plan(self) -> Plan:
        return plan_cleanup(self.scan(), self.free_bytes(), min_free_bytes=self.min_free_bytes,
                            keep_recordings_seconds=self.keep_recordings_seconds,
                            min_age_seconds=self.min_age_seconds, protected=self.protected)

    def run_once(self) -> Report:
        plan = self.plan()
        report = Report()
        for candidate in plan.delete:
            try:
                os.unlink(candidate.path)
            except FileNotFoundError:
                continue
            except OSError as error:
                report.errors.append(f"{candidate.path}: {error}")
                continue
            report.deleted.append(candidate.path)
            report.freed_bytes += candidate.size
        self._remove_emptied_folders(report.deleted)
        report.free_bytes = self.free_bytes()
        report.short_by = max(0, self.min_free_bytes - report.free_bytes)
        if report.deleted:
            log.info(both("diskguard.freed", files=len(report.deleted), mb=f"{report.freed_bytes / MB:.1f}"))
        if report.short_by:
            log.warning(both("diskguard.still_low", free_mb=f"{report.free_bytes / MB:.0f}",
                             min_mb=f"{self.min_free_bytes / MB:.0f}"))
        for error in report.errors:
            log.warning("diskguard: could not delete %s", error)
        return report

    def start(self, interval: float = 600.0) -> "DiskGuard":
        """Check now and then every `interval` seconds in a daemon thread."""
        if self._task is None:  # a vanished folder must not end the guard: a failed check is retried
            self._task = PeriodicTask(self.run_once, interval, "yuedu-diskguard", "diskguard check").start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        if self._task is not None:
            self._task.stop(timeout)
            self._task = None

    def _remove_emptied_folders(self, deleted: list[str]) -> None:
        """Remove folders our deletions emptied (never a root, never a folder someone just made)."""
        roots = {self.recordings_dir, *self.cache_dirs}
        folders = {Path(p).parent for p in deleted}
        for folder in sorted(folders, key=lambda f: len(f.parts), reverse=True):
            while folder not in roots and any(root in folder.parents for root in roots):
                try:
                    folder.rmdir()  # only succeeds when empty
                except OSError:
                    break
                folder = folder.parent
