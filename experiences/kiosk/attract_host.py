"""An experience as the attract screen (`[kiosk] attract_package`, e.g. the e-book waterfall): it runs while the
kiosk waits, and a visitor's tap on it either opens a package directly or goes on to the menu.

It has the attract screen's surface (reset, update, draw) plus `handle(events)`; if the package is missing or its
experience raises, the kiosk's own attract screen takes over, so a broken package never leaves a dark kiosk.
"""
from __future__ import annotations

import logging

from experiences.engagement import ListSink, Place, SessionReporter
from experiences.kiosk.attract import AttractScreen
from experiences.kiosk.host import ExperienceHost
from experiences.runtime import RunContext

log = logging.getLogger("yuedu.kiosk.attract")


def attract_screen(shell, packages: list):
    """The shell's attract screen: the configured package's experience if it is installed and playable, else
    the built-in showcase of covers."""
    fallback = AttractScreen(packages, shell.text, shell.covers, shell.lang)
    wanted = shell.config.kiosk.attract_package
    if not wanted or shell.only is not None:
        return fallback
    package = next((p for p in shell.catalog.playable(shell.registry) if p.id == wanted), None)
    if package is None:
        log.warning("attract_package %s is not installed or cannot run; showing the usual attract screen", wanted)
        return fallback
    return HostedAttract(package, shell, fallback)


class HostedAttract:
    """Runs one experience as the attract loop. Nobody is there yet, so its statements go nowhere: the visitor's
    session starts with the tap, and what they open is reported as their own launch."""

    hosts_experience = True

    def __init__(self, package, shell, fallback: AttractScreen):
        self.package = package
        self.shell = shell
        self.fallback = fallback
        self.host: ExperienceHost | None = None
        self.failed = False
        self.requests: list[str] = []

    def _context(self) -> RunContext:
        shell = self.shell
        session = SessionReporter(ListSink(), Place.from_config(shell.config), session_id="attract")
        manifest = self.package.manifest
        reporter = session.experience(self.package.id, self.package.kind, self.package.version, dict(manifest.titles),
                                      monotonic=shell.clock.now)
        return RunContext(config=shell.config, reporter=reporter, size=shell.size, data_dir=shell.data_dir,
                          headless=shell.headless, language=shell.lang, clock=shell.clock, catalog=shell.catalog,
                          services={"fonts": shell.text, "attract": True, "open_package": self.requests.append,
                                    "kinds": shell.registry},
                          log=logging.getLogger(f"yuedu.attract.{self.package.kind}"))

    def _running(self) -> bool:
        """Start the experience if it is not running; False once it has failed (the fallback shows instead)."""
        if self.failed:
            return False
        if self.host is None:
            self.requests.clear()
            self.host = ExperienceHost(self.package, self._context(), self.shell.registry)
            if not self.host.start():
                return self._fail("start")
        return True

    def _fail(self, where: str) -> bool:
        log.error("attract experience %s failed in %s; showing the usual attract screen", self.package.id, where)
        self.failed = True
        self.suspend()
        return False

    def suspend(self) -> None:
        """Stop the experience (a visitor came, or the kiosk resets); it starts afresh when next shown."""
        if self.host is not None:
            self.host.stop("quit")
            self.host = None

    def reset(self) -> None:
        self.suspend()
        self.fallback.reset()

    def update(self, dt: float) -> None:
        if not self._running():
            self.fallback.update(dt)
        elif not self.host.update(dt):
            self._fail("update")

    def draw(self, surface) -> None:
        if self._running() and self.host.draw(surface):
            return
        if self.host is not None:
            self._fail("draw")
        self.fallback.draw(surface)

    def handle(self, events) -> tuple[str, str | None] | None:
        """Give a visitor's input to the experience: ("open", package id) when it picked a package, ("menu",
        None) when it is done otherwise (or is not running), None while it keeps the input (half a tap)."""
        if not self._running():
            return ("menu", None)
        for event in events:
            if not self.host.handle(event):
                self._fail("handle")
                return ("menu", None)
            if self.requests:
                return ("open", self.requests[-1])
            if self.host.finished:
                return ("menu", None)
        return None
