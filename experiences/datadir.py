"""The per-machine data directory: everything Yuedu writes (config, logs, outbox, recordings, caches).

Packages are read-only; all writes go under one root chosen by $YUEDU_DATA_DIR or the platform default.
"""
from __future__ import annotations

import os
from pathlib import Path

ENV_VAR = "YUEDU_DATA_DIR"


def data_dir(create: bool = True) -> Path:
    """Return the data directory root, creating it on first use."""
    configured = os.environ.get(ENV_VAR)
    if configured:
        root = Path(configured).expanduser()
    else:
        base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
        root = Path(base) / "yuedu"
    if create:
        root.mkdir(parents=True, exist_ok=True)
    return root


def sub_dir(name: str, create: bool = True) -> Path:
    """A named area inside the data directory (logs, recordings, cache, packages, server, ...)."""
    path = data_dir(create) / name
    if create:
        path.mkdir(parents=True, exist_ok=True)
    return path


def config_path() -> Path:
    return data_dir() / "kiosk.toml"


def outbox_path() -> Path:
    return data_dir() / "outbox.sqlite3"


def logs_dir() -> Path:
    return sub_dir("logs")


def recordings_dir() -> Path:
    return sub_dir("recordings")


def cache_dir() -> Path:
    return sub_dir("cache")


def installed_packages_dir() -> Path:
    """Packages installed by sync or `launcher.py install`, beside the bundled content/ folder."""
    return sub_dir("packages")


def server_dir() -> Path:
    return sub_dir("server")
