"""Only the newest, on both sides of the tracking process: no queue anywhere for a frame to go stale in.

- LatestFrame: the camera is read in a thread of its own that keeps only the newest picture (a real camera's
  driver buffers several frames; read at the detector's pace they would be ever older). The detector takes the
  newest frame, stamped when it arrived, and never a queue of old ones.
- LandmarkSlot: the newest landmark frame in shared memory (a seqlock over doubles), read by the kiosk each
  frame: no pickling, no feeder thread, no pipe to fill while the kiosk is busy. Status messages, rare and
  each one needed, still go through a queue; the slot counts them so the kiosk looks at the queue only when one
  was sent.
"""
from __future__ import annotations

import threading
import time

from experiences.motion.body import POSE_POINTS

MAX_PEOPLE = 3  # the tracked body and whoever the centre-crop look found
NAMES = tuple(POSE_POINTS)
HEAD = 9  # seq, statuses sent, t, index, wait ms, detect ms, detect CPU ms, sent, people
SIZE = HEAD + MAX_PEOPLE * len(NAMES) * 3


class LatestFrame:
    """`take(after, timeout)` → (rgb, arrived) of the newest frame that arrived at or after `after`, or None.
    `keep_all` (a file read as fast as it decodes): every frame is kept until taken, none dropped."""

    def __init__(self, camera, stop, *, keep_all: bool = False, clock=time.monotonic):
        self.camera, self.stop, self.keep_all, self.clock = camera, stop, keep_all, clock
        self.dropped = 0  # frames a newer one replaced before the detector took them
        self.ended = False
        self._cond = threading.Condition()
        self._frame = None
        self._arrived = 0.0
        self.thread = threading.Thread(target=self._run, name="yuedu-camera", daemon=True)

    def start(self) -> "LatestFrame":
        self.thread.start()
        return self

    def _run(self) -> None:
        try:
            while not self.stop.is_set():
                if self.keep_all:
                    with self._cond:
                        self._cond.wait_for(lambda: self._frame is None or self.stop.is_set(), 0.1)
                        if self._frame is not None:
                            continue
                rgb = self.camera.read()
                if rgb is None:
                    if self.camera.status == "ended":
                        break
                    self.stop.wait(0.05)
                    continue
                arrived = self.clock()
                with self._cond:
                    self.dropped += self._frame is not None
                    self._frame, self._arrived = rgb, arrived
                    self._cond.notify_all()
        finally:
            with self._cond:
                self.ended = True
                self._cond.notify_all()

    def take(self, after: float = 0.0, timeout: float = 0.1):
        with self._cond:
            self._cond.wait_for(lambda: (self._frame is not None and self._arrived >= after) or self.ended, timeout)
            if self._frame is None or self._arrived < after:
                return None
            frame, arrived = self._frame, self._arrived
            self._frame = None
            self._cond.notify_all()
            return frame, arrived

    def join(self, timeout: float = 1.0) -> None:
        with self._cond:
            self._cond.notify_all()
        self.thread.join(timeout)


class LandmarkSlot:
    """The newest landmark frame, written by the tracking process, read by the kiosk. `array`: a shared
    RawArray('d', SIZE) made by the parent (multiprocessing context) and handed to the child."""

    def __init__(self, array):
        self.array = array
        self._read_seq = 0
        self.missed = 0  # frames written that the kiosk never read (it was busy): gestures cope with gaps

    # --- the tracking process ----------------------------------------------------------------------------
    def write(self, t: float, index: int, people: list, wait_ms: float, detect_ms: float, cpu_ms: float) -> None:
        a = self.array
        people = people[:MAX_PEOPLE]
        seq = int(a[0]) + 1
        a[0] = seq  # odd: being written
        values = []
        for body in people:
            for name in NAMES:
                values += body.get(name, (0.0, 0.0, 0.0))
        if values:
            a[HEAD:HEAD + len(values)] = values
        a[2:HEAD] = [t, index, wait_ms, detect_ms, cpu_ms, time.monotonic(), len(people)]
        a[0] = seq + 1

    def status_sent(self) -> None:
        self.array[1] += 1

    # --- the kiosk ---------------------------------------------------------------------------------------
    @property
    def statuses(self) -> int:
        return int(self.array[1])

    def read(self) -> dict | None:
        """The newest frame as a wire message (experiences.motion.body.to_wire, plus stage timings), or None
        when nothing new was written since the last read (or it is being written right now: next frame)."""
        a = self.array
        seq = int(a[0])
        if seq == self._read_seq or seq % 2:
            return None
        head = a[0:HEAD]
        n = int(head[8])
        values = a[HEAD:HEAD + n * len(NAMES) * 3] if n else []
        if int(a[0]) != seq:
            return None  # overwritten while read: the next kiosk frame gets the newer one
        self.missed += max(0, (seq - self._read_seq) // 2 - 1)
        self._read_seq = seq
        people, k = [], 0
        for _ in range(n):
            body = {}
            for name in NAMES:
                body[name] = values[k:k + 3]
                k += 3
            people.append(body)
        return {"kind": "frame", "t": head[2], "i": int(head[3]), "people": people, "wait": head[4],
                "ms": head[5], "cpu": head[6], "sent": head[7]}
