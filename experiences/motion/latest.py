"""Only the newest, on both sides of the tracking process: no queue anywhere for a frame to go stale in.

- LatestFrame: the camera is read in a thread of its own that keeps only the newest picture (a real camera's
  driver buffers several frames; read at the detector's pace they would be ever older). The detector takes the
  newest frame, stamped when it arrived, and never a queue of old ones.
- LandmarkSlot: what the gestures decided on the newest landmark frame, in shared memory (a seqlock over
  doubles), read by the kiosk each frame: no pickling, no feeder thread, no pipe to fill while the kiosk is
  busy. Taps and actions, each one needed, go round a ring in the same memory. Status messages, rare and each
  one needed, still go through a queue; the slot counts them so the kiosk looks at the queue only when one was
  sent.
"""
from __future__ import annotations

import logging
import math
import threading
import time

from experiences.motion.body import POSE_POINTS
from experiences.motion.camera import SKIPPED
from experiences.motion.stage import STATES, Decided
from experiences.runtime import ACTIONS, InputEvent

log = logging.getLogger("yuedu.motion")
NAN = float("nan")
ACTION_CODES = {name: float(k) for k, name in enumerate(ACTIONS)}

NAMES = tuple(POSE_POINTS)
# the slot's doubles: a head, the player's body, then the event ring, then the kiosk's settings for the gestures
HEAD = 17  # seq, statuses sent, t, index, wait ms, detect ms, detect CPU ms, sent, gestures ms, state, cursor x,
#            cursor y, dwell, drawn, reach_up, moves, body shown
BODY = HEAD
RING_AT = BODY + len(NAMES) * 3  # events written so far, then RING records of (type, x, y, action)
RING = 64  # taps and actions the kiosk may fall behind by (a few a second at most: seconds of a stalled kiosk)
SETTINGS_AT = RING_AT + 1 + RING * 4  # bow (0/1), dwell seconds: written by the kiosk, read each tracked frame
SIZE = SETTINGS_AT + 2
EVENT_TYPES = ("pointer_down", "pointer_up", "action")


class LatestFrame:
    """`take(after, timeout)` → (rgb, arrived) of the newest frame that arrived at or after `after`, or None.
    `keep_all` (a file read as fast as it decodes): every frame is kept until taken, none dropped. A frame that
    arrives before the `after` of the detector's last take, while the detector is busy, could never be taken
    (a newer one replaces it before the detector is ready): it is not decoded (`skipped`). At 20 tracked frames a
    second from a 30 fps camera a third of the pictures, in an empty room (5 a second) five in six."""

    def __init__(self, camera, stop, *, keep_all: bool = False, clock=time.monotonic):
        self.camera, self.stop, self.keep_all, self.clock = camera, stop, keep_all, clock
        self.dropped = 0  # frames a newer one replaced before the detector took them
        self.skipped = 0  # frames not decoded: they came before the detector's next slot
        self.ended = False
        self._after = 0.0  # the detector's next slot: frames arriving before it are not needed
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
                rgb = self.camera.read(None if self.keep_all else self._wanted)
                if rgb is SKIPPED:
                    self.skipped += 1
                    continue
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

    def _wanted(self, arrived: float) -> bool:
        return arrived >= self._after

    def not_before(self, after: float) -> None:
        """The detector's next take will ask for frames arriving at or after `after` (at the soonest): the ones
        before need no decoding."""
        self._after = after

    def take(self, after: float = 0.0, timeout: float = 0.1):
        with self._cond:
            self._after = after
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
    """What the gestures decided on the newest landmark frame (experiences.motion.stage), written by the tracking
    process, read by the kiosk: the newest aim, state and player's body (a seqlock: only the newest counts), and
    a ring of the taps and actions (each one counts). `array`: a shared RawArray('d', SIZE) made by the parent
    (multiprocessing context) and handed to the child; it also carries the kiosk's settings the other way."""

    def __init__(self, array):
        self.array = array
        self._read_seq = 0
        self._read_events = 0
        self.missed = 0  # frames written that the kiosk never read (it was busy): the newest one is enough
        self.lost_events = 0  # taps or actions the ring no longer held when the kiosk looked (it stalled)

    # --- the tracking process ----------------------------------------------------------------------------
    def write(self, decided, wait_ms: float, detect_ms: float, cpu_ms: float) -> None:
        """`decided`: experiences.motion.stage.Decided. Its events first (each kept), then the newest state."""
        a = self.array
        if decided.events:
            written = int(a[RING_AT])
            for event in decided.events:
                at = RING_AT + 1 + (written % RING) * 4
                action = ACTION_CODES.get(event.action, -1.0)
                a[at:at + 4] = [float(EVENT_TYPES.index(event.type)), event.x, event.y, action]
                written += 1
            a[RING_AT] = written
        seq = int(a[0]) + 1
        a[0] = seq  # odd: being written
        body = decided.body
        if body is not None:
            a[BODY:RING_AT] = [v for name in NAMES for v in body.get(name, (0.0, 0.0, 0.0))]
        cursor = decided.cursor or (NAN, NAN)
        a[2:HEAD] = [decided.t, decided.index, wait_ms, detect_ms, cpu_ms, time.monotonic(), decided.gestures_ms,
                     float(STATES.index(decided.state)), cursor[0], cursor[1], decided.dwell, float(decided.drawn),
                     decided.reach_up, decided.moves, float(body is not None)]
        a[0] = seq + 1

    def status_sent(self) -> None:
        self.array[1] += 1

    def settings(self) -> tuple[bool, float]:
        """The kiosk's (bow, dwell seconds) for the gestures (TrackerProcess writes them before it starts)."""
        return bool(self.array[SETTINGS_AT]), float(self.array[SETTINGS_AT + 1])

    # --- the kiosk ---------------------------------------------------------------------------------------
    def set_settings(self, bow: bool, dwell_seconds: float) -> None:
        self.array[SETTINGS_AT:SETTINGS_AT + 2] = [float(bow), dwell_seconds]

    @property
    def statuses(self) -> int:
        return int(self.array[1])

    def read(self) -> tuple | None:
        """(the newest Decided, its stage timings) — or None when nothing new was written (or it is being written
        right now: the next kiosk frame gets it)."""
        a = self.array
        seq = int(a[0])
        if seq == self._read_seq or seq % 2:
            return None
        head = a[0:HEAD]
        body = a[BODY:RING_AT] if head[16] else None
        if int(a[0]) != seq:
            return None  # overwritten while read: the next kiosk frame gets the newer one
        self.missed += max(0, (seq - self._read_seq) // 2 - 1)
        self._read_seq = seq
        cursor = None if math.isnan(head[10]) else (head[10], head[11])
        decided = Decided(head[2], int(head[3]), STATES[int(head[9])], _body(body), cursor, head[12],
                          bool(head[13]), head[14], int(head[15]), head[8], self._events())
        return decided, {"wait": head[4], "ms": head[5], "cpu": head[6], "sent": head[7]}

    def _events(self) -> list[InputEvent]:
        a = self.array
        written = int(a[RING_AT])
        if written == self._read_events:
            return []
        first = max(self._read_events, written - RING)
        if first > self._read_events:
            self.lost_events += first - self._read_events
            log.warning("体感：界面卡住太久，丢了 %d 个点选或手势 / motion: the kiosk stalled, %d taps or gestures "
                        "were lost", first - self._read_events, first - self._read_events)
        events = []
        for n in range(first, written):
            at = RING_AT + 1 + (n % RING) * 4
            kind, x, y, action = a[at:at + 4]
            kind = EVENT_TYPES[int(kind)]
            events.append(InputEvent(kind, x, y, action=ACTIONS[int(action)] if action >= 0 else ""))
        self._read_events = written
        return events


def _body(values) -> dict | None:
    if values is None:
        return None
    return {name: (values[3 * k], values[3 * k + 1], values[3 * k + 2]) for k, name in enumerate(NAMES)}
