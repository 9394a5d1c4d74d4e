"""A landmark stream from a file instead of a camera: `[input] camera = "landmarks:/path/stream.jsonl"`.

One JSON object per line, as the tracking process sends them ({"t": seconds, "people": [{name: [x, y, vis]}]});
the file is followed as it grows (an external tracker, a staff demo, the acceptance tests). No pictures at all.
"""
from __future__ import annotations

import json
import time
from pathlib import Path

PREFIX = "landmarks:"


class LandmarkFileTracker:
    """Stands where the tracking process stands (`messages()`, `alive`, `stop()`)."""

    def __init__(self, path: str | Path, per_drain: int = 0):
        self.path = Path(path)
        self.per_drain = per_drain  # 0: everything new; n: at most n frames each call (one per kiosk frame)
        self._offset = 0
        self._pending: list[dict] = []
        self._told_open = False
        self.alive = True

    def start(self) -> "LandmarkFileTracker":
        return self

    def messages(self, timeout: float = 0.0) -> list[dict]:
        out = []
        if not self._told_open:
            self._told_open = True
            out.append({"kind": "status", "camera": "open", "why": ""})
        if self.path.exists():
            with self.path.open("rb") as stream:
                stream.seek(self._offset)
                data = stream.read()
            complete = data.rfind(b"\n") + 1
            self._offset += complete
            for line in data[:complete].decode("utf-8").splitlines():
                if line.strip():
                    message = json.loads(line)
                    message.setdefault("t", time.monotonic())
                    self._pending.append({"kind": "frame", **message})
        take = len(self._pending) if not self.per_drain else min(self.per_drain, len(self._pending))
        out += self._pending[:take]
        del self._pending[:take]
        return out

    def stop(self, timeout: float = 0.0) -> None:
        self.alive = False
