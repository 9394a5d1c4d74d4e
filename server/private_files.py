"""The service's data on disk is for the service's user alone: folders 0700 and files 0600 from creation,
whatever the umask, and an installation from before this rule is tightened at start (lock_down)."""
from __future__ import annotations

import os
import stat
from pathlib import Path

DIR_MODE = 0o700
FILE_MODE = 0o600
SQLITE_SUFFIXES = ("", "-wal", "-shm", "-journal")


def private_dir(path: Path) -> Path:
    """Make `path` (and missing parents) and leave it 0700."""
    path = Path(path)
    path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    if stat.S_IMODE(path.stat().st_mode) != DIR_MODE:
        path.chmod(DIR_MODE)
    return path


def open_private(path: Path, mode: str = "wb"):
    """open() for writing a new or truncated file that is 0600 before a byte is in it."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_APPEND if "a" in mode else os.O_TRUNC)
    fd = os.open(path, flags, FILE_MODE)
    os.fchmod(fd, FILE_MODE)  # an existing file keeps its old mode otherwise
    return os.fdopen(fd, mode)


def write_private(path: Path, data: bytes) -> None:
    with open_private(path) as handle:
        handle.write(data)


def private_sqlite_file(database: Path) -> None:
    """The SQLite file exists and is 0600 before SQLite opens it (SQLite gives its WAL and SHM files the
    database's mode); the WAL, SHM and journal of an older installation are tightened too."""
    if not database.exists():
        os.close(os.open(database, os.O_WRONLY | os.O_CREAT, FILE_MODE))
    for suffix in SQLITE_SUFFIXES:
        lock_down_file(Path(f"{database}{suffix}"))


def lock_down_file(path: Path) -> None:
    try:
        if stat.S_IMODE(path.lstat().st_mode) != FILE_MODE and path.is_file() and not path.is_symlink():
            path.chmod(FILE_MODE)
    except FileNotFoundError:
        pass


def lock_down(root: Path) -> Path:
    """Make root a private folder; if it was not (an older installation), every folder and file under it too.

    The root's own mode is the marker: once it is 0700, everything in it was made by this rule, so a start does
    not walk thousands of share recordings each time."""
    root = Path(root)
    if root.exists() and stat.S_IMODE(root.stat().st_mode) == DIR_MODE:
        return root
    root.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    for folder, dirs, files in os.walk(root):
        for name in dirs:
            path = Path(folder) / name
            if not path.is_symlink():
                path.chmod(DIR_MODE)
        for name in files:
            lock_down_file(Path(folder) / name)
    root.chmod(DIR_MODE)  # last: an interrupted walk is done again at the next start
    return root
