"""Hosts one running experience: every call into kind code is guarded, so a raising kind never kills the kiosk.

The traceback goes to the log with the package id; the shell then abandons the run and shows the error screen.
"""
from __future__ import annotations

import logging
from typing import Callable

from experiences.package import Package
from experiences.runtime import Experience, InputEvent, RunContext, create_experience

log = logging.getLogger("yuedu.kiosk.host")
# what aimed a selection, as the statements' `aim-input` says it (experiences.engagement.EXTENSIONS)
AIM_INPUT = {"motion": "motion", "mouse": "pointer", "touch": "pointer", "tuio": "pointer", "keyboard": "keys",
             "gamepad": "keys", "controller": "controller", "head": "head"}
SELECTING = ("pointer_down", "action")


class ExperienceHost:
    def __init__(self, package: Package, ctx: RunContext, registry=None,
                 factory: Callable[..., Experience] = create_experience):
        self.package = package
        self.ctx = ctx
        self.registry = registry
        self.factory = factory
        self.experience: Experience | None = None
        self.failed = False
        self.stopped = False
        self.motion_aimed = False  # the 体感 corner gave this run input: its statements say what aimed each pick

    def start(self) -> bool:
        """Create the experience and call its start(); False if either raised (or the kind is missing)."""
        def create_and_start():
            self.experience = self.factory(self.package, self.ctx, self.registry)
            self.experience.start()
        return self._guard("start", create_and_start)

    def handle(self, event: InputEvent) -> bool:
        self._note_aim_input(event)
        return self._guard("handle", lambda: self.experience.handle(event))

    def _note_aim_input(self, event: InputEvent) -> None:
        """Once the motion corner has given this run input, the statements that follow carry `aim-input`:
        "motion" for a pick made by the body, "pointer"/"keys" when the child touched instead. Only that motion
        was the input, never anything about the body. Runs without motion are left as they were (kinds that
        know their own aim, like the VR lanterns, set it themselves)."""
        if event.source == "motion":
            self.motion_aimed = True
        reporter = getattr(self.ctx, "reporter", None)
        if self.motion_aimed and event.type in SELECTING and reporter is not None:
            reporter.context_extensions["aim-input"] = AIM_INPUT.get(event.source, "pointer")

    def update(self, dt: float) -> bool:
        return self._guard("update", lambda: self.experience.update(dt))

    def draw(self, surface) -> bool:
        def draw():
            try:
                self.experience.draw(surface)
            finally:
                surface.set_clip(None)  # a kind's clip must not hide the shell's overlays
        return self._guard("draw", draw)

    @property
    def stereo(self) -> bool:
        return bool(self.experience is not None and getattr(self.experience, "stereo", False))

    def summary(self) -> str | None:
        """The experience's `visit_summary()` for the goodbye; a raise there is logged and costs only the line."""
        if self.experience is None or self.failed:
            return None
        try:
            line = self.experience.visit_summary()
            return line if isinstance(line, str) and line.strip() else None
        except (Exception, SystemExit):
            log.exception("experience %s raised in visit_summary()", self.package.id)
            return None

    @property
    def finished(self) -> bool:
        return bool(self.experience is not None and getattr(self.experience, "finished", False))

    @property
    def busy(self) -> bool:
        return bool(self.experience is not None and getattr(self.experience, "busy", False))

    def stop(self, reason: str) -> None:
        """Call the experience's stop(reason) exactly once; a raise here is logged and otherwise ignored."""
        if self.stopped or self.experience is None:
            self.stopped = True
            return
        self.stopped = True
        try:
            self.experience.stop(reason)
        except (Exception, SystemExit):
            log.exception("experience %s raised in stop(%r)", self.package.id, reason)

    def _guard(self, where: str, call: Callable[[], None]) -> bool:
        if self.failed:
            return False
        try:
            call()
            return True
        except (Exception, SystemExit):  # a kind calling sys.exit() must not end the kiosk either
            log.exception("experience %s (%s) raised in %s()", self.package.id, self.package.kind, where)
            self.failed = True
            return False
