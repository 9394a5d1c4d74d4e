"""The kiosk's side of the motion corner: runs the tracking process, takes what its gestures decided (the
events, scaled to the screen; what the overlay draws: `view`), restarts it when it dies, and says when the kiosk
is back to touch only. The gestures themselves run in the tracking process (experiences.motion.stage): the
kiosk's frame only reads their results."""
from __future__ import annotations

import collections
import logging
import time

from experiences.motion.stage import Decided, age_settings, in_order
from experiences.runtime import InputEvent

log = logging.getLogger("yuedu.motion")
RESTART_BACKOFF = (2.0, 5.0, 15.0, 30.0, 60.0)
ALIVE_EVERY = 15  # kiosk frames between looks at whether the tracking process still runs (a system call each)


class MotionReceiver:
    def __init__(self, source, size: tuple[int, int], *, loop: bool = True, clock=time.monotonic,
                 core: str = "auto"):
        self.source = source
        self.core = core  # [input] camera_core: the core the tracking process keeps to
        self.size = size
        self.view = Decided(0.0)  # the newest decided frame: state, player's body, aim, rings (the overlay's)
        self.settings = age_settings(None)  # (bow, dwell seconds) for the gestures
        self.loop = loop
        self.clock = clock
        self.tracker = None
        self.camera = "starting"  # the tracker's last word: "open", "unavailable", "failed", ...
        self.why = ""
        self.restarts = 0
        self._restart_at = 0.0
        self._drains = 0
        self.latency_ms: float | None = None  # capture → event, last frame
        # per frame, ms: (frame waiting for the detector, detector, its CPU, published → read by the kiosk,
        # gestures, total camera → event)
        self.stages: collections.deque = collections.deque(maxlen=1200)
        self.lost_at: float | None = None  # when the child stepped out (我看不到你啦), by `clock`

    @property
    def camera_open(self) -> bool:
        return self.camera == "open"

    @property
    def touch_only(self) -> bool:
        """The camera is not giving frames: the kiosk works by touch alone (the heartbeat says so)."""
        return self.camera in ("unavailable", "failed", "stopped", "ended")

    @property
    def bow(self) -> bool:
        return self.settings[0]

    @property
    def dwell_seconds(self) -> float:
        return self.settings[1]

    @property
    def shoots(self) -> str:
        """How a body shoots or picks at the current age band: "bow" or "hold" (RunContext.body)."""
        return "bow" if self.bow else "hold"

    def set_size(self, size: tuple[int, int]) -> None:
        self.size = size

    def set_age_band(self, band: str | None) -> None:
        """3–5: shoot by holding still 1.2 s; older: draw the bow (and hover 2 s to pick)."""
        self.settings = age_settings(band)
        if self.tracker is not None:
            self.tracker.configure(*self.settings)

    def start(self) -> "MotionReceiver":
        from experiences.motion.replay import PREFIX, LandmarkFileTracker
        from experiences.motion.tracker import TrackerProcess

        if isinstance(self.source, str) and self.source.startswith(PREFIX):
            self.tracker = LandmarkFileTracker(self.source[len(PREFIX):], settings=self.settings).start()
            return self
        self.tracker = TrackerProcess(self.source, loop=self.loop, core=self.core, settings=self.settings).start()
        log.info("motion tracking started (camera frames stay inside the tracking process)")
        return self

    def stop(self) -> None:
        if self.tracker is not None:
            self.tracker.stop()
            self.tracker = None

    def drain(self) -> list[InputEvent]:
        """What the gestures decided since the last call → this kiosk's events. Called every frame; cheap."""
        if self.tracker is None:
            return []
        events: list[InputEvent] = []
        for message in self.tracker.messages():
            if message.get("kind") == "status":
                self._status(message["camera"], message.get("why", ""))
            elif message.get("kind") == "frame":
                if self.camera != "open":
                    self._status("open", "")
                decided = message["decided"]
                if decided.state != self.view.state:
                    self.lost_at = self.clock() if decided.state == "lost" else None
                # the aim moved since the kiosk last looked: the frames that moved it are counted
                events += in_order(decided, decided.moves != self.view.moves, self.size)
                self.view = decided
                got = time.monotonic()
                self.latency_ms = (got - decided.t) * 1000
                stages = message["stages"]
                if stages:
                    self.stages.append((stages["wait"], stages["ms"], stages["cpu"], (got - stages["sent"]) * 1000,
                                        decided.gestures_ms, self.latency_ms))
        self._drains += 1
        if self._drains % ALIVE_EVERY == 0 and self.tracker is not None and not self.tracker.alive \
                and self.clock() >= self._restart_at:
            self._restart()
        return events

    def _status(self, camera: str, why: str) -> None:
        if camera == self.camera:
            return
        was_touch_only = self.touch_only
        self.camera, self.why = camera, why
        if self.touch_only and not was_touch_only:
            log.warning("体感摄像头不可用，只能触摸 / motion camera unavailable, touch only: %s", why or camera)
        elif camera == "open" and was_touch_only:
            log.info("motion camera back: tracking again")

    def _restart(self) -> None:
        delay = RESTART_BACKOFF[min(self.restarts, len(RESTART_BACKOFF) - 1)]
        self.restarts += 1
        self._restart_at = self.clock() + delay
        self._status("failed", self.why or "tracking process ended")
        log.warning("motion tracking process ended; restarting (next try in %.0f s if it ends again)", delay)
        self.tracker.stop(0.5)
        self.view, self.lost_at = Decided(0.0), None  # the new process looks for the child afresh
        self.start()

    def heartbeat(self) -> dict:
        """For the staff heartbeat: is the camera working, or has the kiosk fallen back to touch."""
        return {"camera": self.camera, "touch_only": self.touch_only, "why": self.why,
                "tracking": self.view.state}


def start_from_config(config, size: tuple[int, int]) -> MotionReceiver | None:
    from experiences.motion.camera import parse_source

    source = parse_source(config.input.camera)
    if source is None:
        return None
    return MotionReceiver(source, size, core=config.input.camera_core).start()
