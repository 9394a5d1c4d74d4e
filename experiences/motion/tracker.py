"""The tracking process: camera + pose model in a process of its own, so the game's frame time stays its own.

Only landmark frames (experiences.motion.body.to_wire) and camera status cross to the kiosk: never a pixel.
"""
from __future__ import annotations

import logging
import multiprocessing
import queue as queue_module
import time

from experiences.motion.body import LandmarkFrame, to_wire

log = logging.getLogger("yuedu.motion.tracker")
MAX_QUEUED = 8  # the kiosk falls behind: drop landmark frames rather than pile them up (they go stale)
MAX_RATE = 20.0  # tracked frames a second at most: enough for gestures, and a core left for the game
NICE = 10  # the game's frame comes first on a 2-core kiosk


def _put(out, message: dict) -> None:
    try:
        out.put_nowait(message)
    except queue_module.Full:
        pass


def track(source, out, stop, *, loop: bool = True, realtime: bool | None = None) -> None:
    """The process body: read, detect, send, until `stop` is set or a file source ends (loop=False)."""
    from experiences.motion.camera import Camera
    from experiences.motion.detector import PoseDetector

    import os

    try:
        os.nice(NICE)
    except (AttributeError, OSError):
        pass
    camera = Camera(source, loop=loop, realtime=realtime)
    detector = None
    reported = None
    index = 0
    next_at = 0.0
    try:
        detector = PoseDetector()
        _put(out, {"kind": "status", "camera": "starting", "why": ""})
        while not stop.is_set():
            rgb = camera.read()
            captured = time.monotonic()
            if (camera.status, camera.why) != reported:
                reported = (camera.status, camera.why)
                _put(out, {"kind": "status", "camera": camera.status, "why": camera.why})
            if rgb is None:
                if camera.status == "ended":
                    break
                stop.wait(0.05)
                continue
            if captured < next_at and (camera.realtime or not camera.file):
                continue  # a camera faster than MAX_RATE: this frame is skipped (and gone)
            next_at = max(next_at + 1.0 / MAX_RATE, captured - 0.5 / MAX_RATE)
            people = detector.detect(rgb)
            del rgb  # the picture goes no further than this line
            index += 1
            message = to_wire(LandmarkFrame(captured, people, index))
            message.update(kind="frame", ms=(time.monotonic() - captured) * 1000)
            _put(out, message)
    except Exception as exc:  # the kiosk must hear why tracking stopped
        log.exception("motion tracking stopped")
        _put(out, {"kind": "status", "camera": "failed", "why": f"{type(exc).__name__}: {exc}"})
    finally:
        camera.close()
        if detector is not None:
            detector.close()
        _put(out, {"kind": "status", "camera": "stopped", "why": ""})


class TrackerProcess:
    """Starts `track` in a spawned process; `messages()` drains what it sent."""

    def __init__(self, source, *, loop: bool = True, realtime: bool | None = None):
        context = multiprocessing.get_context("spawn")  # never fork a process holding SDL and GL
        self.out = context.Queue(MAX_QUEUED)
        self.stop_event = context.Event()
        self.process = context.Process(target=track, args=(source, self.out, self.stop_event),
                                       kwargs={"loop": loop, "realtime": realtime},
                                       name="yuedu-motion", daemon=True)

    def start(self) -> "TrackerProcess":
        self.process.start()
        return self

    @property
    def alive(self) -> bool:
        return self.process.is_alive()

    def messages(self, timeout: float = 0.0) -> list[dict]:
        got = []
        try:
            if timeout:
                got.append(self.out.get(timeout=timeout))
            while True:
                got.append(self.out.get_nowait())
        except queue_module.Empty:
            return got

    def stop(self, timeout: float = 3.0) -> None:
        self.stop_event.set()
        self.process.join(timeout)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(1.0)
        self.out.close()
