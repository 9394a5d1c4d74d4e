"""Kiosk logging for 24-hour operation: a size-rotated file in the data directory's logs/ plus stderr."""
from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def setup_logging(logs_dir: Path, name: str = "kiosk.log", level: int = logging.INFO,
                  max_bytes: int = 5_000_000, backups: int = 5) -> Path:
    """Log to logs_dir/name (rotated at max_bytes, `backups` old files kept) and to stderr; idempotent."""
    logs_dir.mkdir(parents=True, exist_ok=True)
    path = logs_dir / name
    root = logging.getLogger()
    root.setLevel(level)
    if not any(getattr(h, "baseFilename", None) == str(path) for h in root.handlers):
        file_handler = logging.handlers.RotatingFileHandler(path, maxBytes=max_bytes, backupCount=backups,
                                                            encoding="utf-8")
        file_handler.setFormatter(logging.Formatter(FORMAT))
        root.addHandler(file_handler)
    if not any(type(h) is logging.StreamHandler for h in root.handlers):
        stream = logging.StreamHandler()
        stream.setFormatter(logging.Formatter(FORMAT))
        root.addHandler(stream)
    return path
