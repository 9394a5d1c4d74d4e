"""A landmark stream from a file instead of a camera: `[input] camera = "landmarks:/path/stream.jsonl"`.

One JSON object per line, a landmark frame ({"t": seconds, "people": [{name: [x, y, vis]}]}, as
experiences.motion.body.to_wire writes it); the file is followed as it grows (an external tracker, a staff demo,
the acceptance tests). No pictures at all. The gestures run here, in the kiosk's process, as they run in the
tracking process beside the detector: the kiosk gets the same messages from either.
"""
from __future__ import annotations

import json
import logging
import time
from pathlib import Path

from experiences.motion.body import from_wire
from experiences.motion.stage import GestureStage, age_settings

PREFIX = "landmarks:"
log = logging.getLogger("yuedu.motion")


class LandmarkFileTracker:
    """Stands where the tracking process stands (`messages()`, `alive`, `stop()`)."""

    def __init__(self, path: str | Path, per_drain: int = 0, settings: tuple[bool, float] | None = None):
        self.path = Path(path)
        self.stage = GestureStage(*(settings or age_settings(None)))
        self.per_drain = per_drain  # 0: everything new; n: at most n frames each call (one per kiosk frame)
        self._offset = 0
        self._pending: list[dict] = []
        self._told_open = False
        self.alive = True
        self.bad_lines = 0

    def start(self) -> "LandmarkFileTracker":
        return self

    def configure(self, bow: bool, dwell_seconds: float) -> None:
        self.stage.configure(bow, dwell_seconds)

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
            for line in data[:complete].decode("utf-8", "replace").splitlines():
                if line.strip():
                    try:
                        message = json.loads(line)
                        message.setdefault("t", time.monotonic())
                        frame = from_wire(message)
                    except (ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
                        self.bad_lines += 1
                        log.warning("体感关键点文件有一行读不懂，跳过 / landmark file: a line skipped (%s: %s)",
                                    type(exc).__name__, exc)
                        continue
                    self._pending.append(frame)
        take = len(self._pending) if not self.per_drain else min(self.per_drain, len(self._pending))
        for frame in self._pending[:take]:
            out.append({"kind": "frame", "decided": self.stage.feed(frame), "stages": {}})
        del self._pending[:take]
        return out

    def stop(self, timeout: float = 0.0) -> None:
        self.alive = False
