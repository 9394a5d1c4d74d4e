"""The camera edge: `[input] camera` (a device index, a V4L2 path, an RTSP URL or a video file) opened with
cv2.VideoCapture, reopened with backoff when it disappears or freezes. Frames stay in this process's memory."""
from __future__ import annotations

import logging
import time
import zlib
from pathlib import Path

log = logging.getLogger("yuedu.motion.camera")

SKIPPED = "skipped"  # Camera.read: a frame came and went undecoded (nobody wanted it)
BACKOFF = (1.0, 2.0, 4.0, 8.0, 15.0, 30.0)  # seconds between attempts to reopen a lost camera
FROZEN_SECONDS = 3.0  # the same picture this long: the camera hung


def parse_source(value: str) -> int | str | None:
    """None: camera off. An int: a device index. Otherwise the path or URL as given."""
    value = (value or "").strip()
    if value.lower() in ("", "off", "none", "false", "no"):
        return None
    if value.isdigit():
        return int(value)
    return value


def is_file(source) -> bool:
    return isinstance(source, str) and "://" not in source and not source.startswith("/dev/") and Path(source).is_file()


class Camera:
    """read() → an RGB frame (H×W×3 uint8) or None when there is nothing (yet); `status` says why.
    read(wanted): `wanted(arrived)` says whether a frame that has just come is needed; when not, it is taken from
    the camera (the camera's own queue never fills) but not decoded — SKIPPED: a camera's MJPEG picture costs its
    decoding only when the detector will look at it (a file's frame is decoded anyway; its conversion is saved)."""

    def __init__(self, source, *, width: int = 640, height: int = 480, loop: bool = False,
                 realtime: bool | None = None, sleep=time.sleep, clock=time.monotonic):
        self.source = source
        self.width, self.height = width, height
        self.file = is_file(source)
        self.loop = loop
        self.realtime = self.file and loop if realtime is None else realtime
        self.sleep, self.clock = sleep, clock
        self.cap = None
        self.status = "closed"  # "open" | "unavailable" | "ended" | "closed"
        self.why = ""
        self.failures = 0
        self._retry_at = 0.0
        self._last_sum = None
        self._same_since = 0.0
        self._next_frame_at = 0.0
        self.fps = 30.0

    def open(self) -> bool:
        import cv2

        self.close()
        cap = cv2.VideoCapture(self.source)
        if not cap.isOpened():
            self._fail("无法打开摄像头 / cannot open the camera")
            return False
        if not self.file:
            cap.set(cv2.CAP_PROP_FRAME_WIDTH, self.width)
            cap.set(cv2.CAP_PROP_FRAME_HEIGHT, self.height)
        self.fps = cap.get(cv2.CAP_PROP_FPS) or 30.0
        self.cap, self.status, self.why, self.failures = cap, "open", "", 0
        self._last_sum, self._same_since = None, self.clock()
        log.info("camera open: %s", _describe(self.source))
        return True

    def read(self, wanted=None):
        import cv2

        if self.status == "ended":
            return None
        if self.cap is None:
            if self.clock() < self._retry_at or not self.open():
                return None
        if self.realtime:
            wait = self._next_frame_at - self.clock()
            if wait > 0:
                self.sleep(wait)
            if self._next_frame_at < self.clock() - 0.25:  # first frame, or fell behind: no burst to catch up
                self._next_frame_at = self.clock()
            self._next_frame_at += 1.0 / max(1.0, self.fps)
        ok = self.cap.grab()
        if not ok and self.file and self.loop:
            self.cap.set(cv2.CAP_PROP_POS_FRAMES, 0)
            ok = self.cap.grab()
        if ok and wanted is not None and not wanted(self.clock()):
            return SKIPPED
        frame = None
        if ok:
            ok, frame = self.cap.retrieve()
        if not ok or frame is None:
            if self.file:
                self.close()
                self.status = "ended"
                return None
            self._fail("摄像头没有画面 / the camera stopped sending frames")
            return None
        if not self.file and self._frozen(frame):
            self._fail("摄像头画面冻结 / the camera picture froze")
            return None
        if frame.shape[1] > self.width * 1.5:  # big cameras: track on a 640-wide copy
            scale = self.width / frame.shape[1]
            frame = cv2.resize(frame, (self.width, round(frame.shape[0] * scale)), interpolation=cv2.INTER_AREA)
        return cv2.cvtColor(frame, cv2.COLOR_BGR2RGB)

    def _frozen(self, frame) -> bool:
        check = zlib.crc32(frame[::16, ::16].tobytes())
        now = self.clock()
        if check != self._last_sum:
            self._last_sum, self._same_since = check, now
            return False
        return now - self._same_since >= FROZEN_SECONDS

    def _fail(self, why: str) -> None:
        self.close()
        delay = BACKOFF[min(self.failures, len(BACKOFF) - 1)]
        self.failures += 1
        self.status, self.why = "unavailable", why
        self._retry_at = self.clock() + delay
        log.warning("%s (%s); retrying in %.0f s", why, _describe(self.source), delay)

    def close(self) -> None:
        if self.cap is not None:
            self.cap.release()
            self.cap = None
        if self.status == "open":
            self.status = "closed"


def _describe(source) -> str:
    """For logs: a device or a file name; an RTSP URL without its user and password."""
    if isinstance(source, str) and "://" in source and "@" in source:
        scheme, rest = source.split("://", 1)
        return f"{scheme}://…@{rest.split('@', 1)[1]}"
    return str(source)
