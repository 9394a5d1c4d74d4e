"""A kiosk's small JSON cache of what the server last answered (what-next picks, shelf cards), so a kiosk whose
server is down still shows the last known answer: read whole, updated under a lock and replaced atomically (a
power cut leaves the old file or the new one, never half)."""
from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Callable


class JsonCache:
    def __init__(self, path: Path):
        self.path = Path(path)
        self._lock = threading.Lock()

    def read(self) -> dict:
        """The cached object; {} when there is none or it is unreadable."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return data if isinstance(data, dict) else {}
        except (OSError, ValueError):
            return {}

    def update(self, change: Callable[[dict], None]) -> None:
        """Apply `change` to the cached object in place and write it back, one writer at a time."""
        with self._lock:
            data = self.read()
            change(data)
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(".tmp")
            tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
            os.replace(tmp, self.path)
