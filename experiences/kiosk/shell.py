"""The kiosk's pygame loop: one window, the state machine, the running experience, pacing, heartbeat and systemd
notification. Headless: SDL dummy drivers, a fixed time step and a frame budget. Input (shell_input), drawing
(shell_draw), the background services (shell_services) and the after-run offers (afterrun) are mixed in.

`KioskShell(config).run()` is the kiosk; `KioskShell(config, only=package).run(frames=N)` is `play`.
"""
from __future__ import annotations

import logging
import signal
import threading
import time
from pathlib import Path
from typing import Callable

from experiences import datadir
from experiences.catalog import Catalog
from experiences.engagement import ListSink, Place, StatementSink
from experiences.i18n import set_language
from experiences.kiosk.states import ATTRACT, IDLE_WARNING, MENU, RUNNING, KioskStateMachine, RunInfo
from experiences.package import Package
from experiences.runtime import Clock, ManualClock, RunContext
from experiences.kiosk.afterrun import AfterRunOffers
from experiences.kiosk.shell_comfort import ShellComfort
from experiences.kiosk.shell_draw import ShellDrawing
from experiences.kiosk.shell_input import ShellInput
from experiences.kiosk.shell_services import ShellServices
from experiences.kiosk.testhook import TestHook
from experiences.kiosk.watchdog import Heartbeat, SystemdNotifier
from experiences.kiosk.window import DisplayUnavailable, FrameTimes, open_window  # noqa: F401 (re-exported)
from experiences.xr.policy import headset_allowed
from experiences.motion import shellglue as motion_glue

log = logging.getLogger("yuedu.kiosk")


class KioskShell(ShellInput, ShellServices, AfterRunOffers, ShellDrawing, ShellComfort):
    """The kiosk: this module holds its life cycle (open, the loop, runs, close); input, drawing, the background
    services, the after-run offers and VR comfort are mixed in from shell_input, shell_draw, shell_services,
    afterrun and shell_comfort."""
    def __init__(self, config, *, catalog: Catalog | None = None, registry=None, headless: bool = False,
                 size: tuple[int, int] | None = None, fullscreen: bool | None = None,
                 clock: Clock | None = None, sink: StatementSink | None = None,
                 services_factory: Callable | None = None, data_dir: Path | None = None,
                 only: Package | None = None, notifier: SystemdNotifier | None = None,
                 heartbeat: Heartbeat | None = None, picks_source=None, vr: bool | None = None,
                 shelf_source=None):
        from experiences.kinds import default_registry

        self.config = config
        self.headless = headless
        self.registry = registry or default_registry()
        self.catalog = catalog
        self.only = only
        self.lang = config.kiosk.language
        set_language(self.lang)
        self.size = size or (config.kiosk.width, config.kiosk.height)
        self.fullscreen = (config.kiosk.fullscreen if fullscreen is None else fullscreen) and not headless and not size
        self.fps = max(1, config.kiosk.fps)
        # a VR corner: every kind with a VR mode starts in it (`[kiosk] mode = "vr"`; `play --vr` previews it)
        self.vr = config.kiosk.mode == "vr" if vr is None else bool(vr)
        self.clock = clock or (ManualClock() if headless else Clock())
        self.data_dir = Path(data_dir) if data_dir else datadir.data_dir()
        self.services = None
        # previews (`play`) keep their statements to themselves unless a sink is given
        self.services_factory = services_factory if services_factory is not None else (
            None if only is not None or sink is not None else _default_services)
        self.notifier = notifier or SystemdNotifier()
        self.heartbeat = heartbeat or Heartbeat.from_env()
        # a preview has no visitor session to reset: it runs until it ends
        idle_seconds = float("inf") if only is not None else config.kiosk.idle_seconds
        self.machine = KioskStateMachine(sink or ListSink(), Place.from_config(config), self.clock,
                                         idle_seconds=idle_seconds,
                                         warning_seconds=config.kiosk.warning_seconds,
                                         ask_age_band=config.kiosk.ask_age_band and only is None)
        self.host = None
        # "what next?" after an experience: picks from the server (or the cached list), shown over the menu
        self.picks_source = picks_source
        self.what_next = None
        self.pending_picks = None
        # 去书架找一找 after an experience: books from the library's catalogue (experiences/kiosk/shelf.py), shown
        # before the "what next?" picks
        self.shelf_source = shelf_source
        self.shelf = None
        self._shelf_after: tuple[str, str, str] | None = None  # the run the shelf's books were recommended after
        self._shelf_reported: set[str] = set()  # cards already reported (one statement per book shown)
        self._last_item: tuple[str, str, str] | None = None  # (type, id, zh-CN name) of the last item met
        self._left: tuple[str, tuple] | None = None  # (package, last item met) of a run left by the home button
        self.tuio = None  # experiences.input_tuio.TuioReceiver when [input] tuio_enabled
        self.motion = None  # experiences.motion.receiver.MotionReceiver when [input] camera is set (体感)
        self.open_request: str | None = None  # a package the running experience asked to open next
        self.open_request_item: str | None = None  # ...and the item to open it on (None: its first screen)
        self.open_after_age: str | None = None  # a package picked on the attract loop, opened once age is asked
        self.goodbye = None  # experiences.kiosk.goodbye.Goodbye after the home button, until it is over
        self.run_services: dict = {}  # extra ctx.services for every run (tests: {"seed": 3})
        self.surface = None
        self.quit_requested = False
        self.exit_code = 0
        self.frames_drawn = 0
        self.unavailable: Package | None = None  # a package that could not start: its poster shows on the error screen
        self.frame_seconds = FrameTimes()  # the work of each frame (not the pacing wait), for `play` and benches
        self.ready = False
        self.xr = None  # experiences.xr.rig.XrRig: a VR corner's OpenXR headset, when one is there
        self.screen_version = 0  # what the window shows: unchanged while the same still screen stays (the panel)
        self._screen_key = None
        self._input_seen = False
        self.test_hook = TestHook.from_env()  # YUEDU_TEST_HOOK: where things are, for acceptance tests; else None

    # --- window and screens -------------------------------------------------------------------------------
    def open(self) -> None:
        import pygame

        from experiences.kiosk.ageband_screen import AgeBandScreen
        from experiences.kiosk.attract_host import attract_screen
        from experiences.kiosk.covers import CoverCache
        from experiences.kiosk.homebutton import HomeButton
        from experiences.kiosk.inputmap import InputMapper
        from experiences.kiosk.menu import MenuScreen
        from experiences.text import shared_text

        self.surface, self.video_driver = open_window(self.size, self.fullscreen, self.headless)
        self.size = self.surface.get_size()
        self.pygame = pygame
        self.text = shared_text()
        self.covers = CoverCache(self.text)
        self.mapper = InputMapper(self.size)
        if self.catalog is None:
            self.catalog = Catalog.scan()
        packages = [self.only] if self.only else self.catalog.playable(self.registry)
        self.attract = attract_screen(self, packages)
        self.menu = MenuScreen(packages, self.text, self.covers, self.lang)
        self.age_screen = AgeBandScreen(self.text, self.lang)
        self.home = HomeButton(self.text, self.lang)
        self.pacer = pygame.time.Clock()
        if self.vr and not self.headless:
            self.start_headset()

    def start_headset(self) -> None:
        """A VR corner: the OpenXR headset when a runtime is there, else side-by-side stereo (said once)."""
        from experiences.xr.rig import start_rig

        self.xr = start_rig(self.config)

    def close(self) -> None:
        from experiences.kiosk.warmup import warm_kinds_finished

        if self.host is not None:
            self.host.stop("quit")
            self.host = None
        if hasattr(getattr(self, "attract", None), "suspend"):
            self.attract.suspend()  # an experience hosted as the attract loop
        self.machine.shutdown()
        warm_kinds_finished(getattr(self, "warmup_thread", None))
        if self.tuio is not None:
            self.tuio.stop()
            self.tuio = None
        if self.motion is not None:
            self.motion.stop()
            self.motion = None
        if self.services is not None:
            self.services.stop()
            self.services = None
        self.notifier.stopping()
        self.notifier.close()
        if self.xr is not None:
            self.xr.close()
            self.xr = None
        if self.surface is not None:
            self.pygame.display.quit()
            self.surface = None

    # --- the loop -----------------------------------------------------------------------------------------
    def run(self, frames: int = 0, screenshot: str | Path | None = None) -> int:
        """Run until quit (or `frames` frames); returns the exit code (1 if a `play` run raised)."""
        self.open()
        restore = self._install_sigterm()
        try:
            if self.only is not None:
                self.launch(self.only)
            while not self.quit_requested and (frames <= 0 or self.frames_drawn < frames):
                if self.headless:
                    if frames <= 0:
                        self.pacer.tick(self.fps)  # a headless kiosk left running must not spin a core
                    dt = 1.0 / self.fps
                else:  # with a headset its runtime paces the frames (xrWaitFrame), not the window
                    paced = self.xr is not None and self.xr.paces
                    dt = min(0.1, self.pacer.tick(0 if paced else self.fps) / 1000.0)  # a stall never jumps
                    # the game ahead
                self.frame(dt)
            if screenshot:
                if self.frames_drawn == 0:  # `play` of an experience that failed in start(): show why
                    self.draw()
                self.save_screenshot(screenshot)
        finally:
            restore()
            self.close()
        return self.exit_code

    def frame(self, dt: float) -> None:
        """One frame: inputs, timers, the experience's update, drawing, liveness signals."""
        started = time.perf_counter()
        if isinstance(self.clock, ManualClock) and self.headless:
            self.clock.advance(dt)  # headless time is simulated: frames, not wall seconds
        headset = self.xr.begin_frame() if self.xr is not None else []
        for event in self.pygame.event.get():
            self._on_pygame_event(event)
        if headset and (self.machine.state in (RUNNING, IDLE_WARNING) or self.xr.panel_active):
            self._headset_input(headset)  # a run's aim and trigger, or taps on the kiosk's screen in the headset
        if self.tuio is not None:
            for event in self.tuio.drain():
                self.on_input([event])
        if self.motion is not None:
            motion_glue.pump(self)
        for what in self.machine.tick(busy=self.host.busy if self.host else False):
            if what == "reset":
                self._end_host("idle")
                self.what_next = self.pending_picks = self.open_after_age = self.goodbye = self.shelf = None
                self._left = None
                self.attract.reset()
                self.menu.set_band(None)  # the visitor's band left with them
                if self.xr is not None:
                    self.xr.reopen_if_lost()  # a headset session the runtime ended is made anew for the next one
                if self.motion is not None:
                    self.motion.set_age_band(None)
        if self.host is None:
            self._switch_synced_content()
        if self.machine.state == RUNNING and self.host is not None and self._headset_paused():
            pass  # the headset is off: the run waits (an idle reset follows if nobody comes back)
        elif self.machine.state == RUNNING and self.host is not None:
            if self._vr_limit_step(dt):
                pass  # the VR session limit's fade and rest message: the run holds still
            elif not self.host.update(dt):
                self._fail()
            elif self.host.finished:
                self._finish()
        elif self.machine.state == ATTRACT:
            self.attract.update(dt)
        if self.goodbye is not None and self.goodbye.over(self.clock.now()):
            self._goodbye_over()
        self._take_fresh_picks()
        self._update_shelf()
        self.draw()
        self._step_screen_version()
        if self.xr is not None:  # with no run drawing into it, the headset shows this screen (还在吗 over a run)
            self.xr.end_frame(self.surface, self.screen_version, self.headset_notice() if self.host else None)
        if self.motion is not None:
            motion_glue.draw(self)  # over every screen: the camera-on badge, the stick figure, the aim
        self.pygame.display.flip()
        self.frames_drawn += 1
        self.frame_seconds.add(time.perf_counter() - started)
        if self.test_hook is not None:
            self.test_hook.publish(self)  # after the frame's timing: the hook is not the kiosk's work
        if not self.ready:
            self._first_frame_done()
        self.heartbeat.beat()
        self.notifier.ping()

    def _headset_paused(self) -> bool:
        return self.xr is not None and self.host.stereo and self.xr.paused

    # --- runs ---------------------------------------------------------------------------------------------
    def launch(self, package: Package, start_item: str | None = None) -> bool:
        from experiences.kiosk.host import ExperienceHost

        manifest = package.manifest
        self.unavailable = None
        reporter = self.machine.launch(RunInfo(package.id, package.kind, package.version, dict(manifest.titles)))
        ctx = RunContext(config=self.config, reporter=reporter, size=self.size, data_dir=self.data_dir,
                         headless=self.headless, language=self.lang, clock=self.clock, catalog=self.catalog,
                         mark_activity=self.machine.mark_activity,
                         services={"fonts": self.text, "open_package": self._request_open, "kinds": self.registry},
                         log=logging.getLogger(f"yuedu.experience.{package.kind}"), age_band=self.machine.age_band,
                         start_item=start_item, vr=self.vr,
                         body=self.motion.shoots if self.motion is not None and self.motion.camera_open else None)
        ctx.services.update(self.run_services)
        if self.vr and not headset_allowed(self.machine.age_band, self.config.vr.min_age_band):
            ctx.vr = False  # younger than the headset makers allow ([vr] min_age_band): the screen mode
            log.info("VR corner: age band %s is below [vr] min_age_band %s: screen mode", self.machine.age_band,
                     self.config.vr.min_age_band)
        elif self.vr and self.xr is not None:
            self.xr.reopen_if_lost()
            self.xr.recentre()  # each run starts facing its scene
            ctx.services["xr"] = self.xr
        self.host = ExperienceHost(package, ctx, self.registry)
        self.home.reset()
        log.info("launching %s %s%s", package.id, package.version, f" on {start_item}" if start_item else "")
        started = self.host.start()
        if started:
            self._start_vr_limit(package, ctx)
        if not started:
            # It could not even start (no 3D engine on this machine, a raise while building its stage): the
            # visitor sees its poster with 暂时打不开 while the error screen lasts, then the menu.
            self.unavailable = package
            self._fail()
            return False
        self.machine.initialized()
        return True

    def _request_open(self, package_id: str, start_item: str | None = None) -> None:
        """`ctx.services["open_package"]`: the running experience asks for another package (optionally on one
        of its items) once it finishes."""
        self.open_request, self.open_request_item = package_id, start_item

    def _finish(self) -> None:
        finished = self.machine.run.package_id if self.machine.run else None
        after = self._what_next_after(finished)
        self._last_item = self._last_item_met() if finished else None
        requested, self.open_request = self.open_request, None
        requested_item, self.open_request_item = self.open_request_item, None
        self._end_host("completed")
        self.machine.finish()
        if self.only is not None:
            self.quit_requested = True
        elif requested and self.open_by_id(requested, requested_item):
            return
        elif finished and self.picks_source is not None:
            self._offer_what_next(after)
        if finished and self.only is None and not requested:
            self._offer_shelf(finished)

    def leave(self) -> None:
        """The visitor tapped the home button: the run ends as terminated (the kind's stop("back")), and a
        short goodbye says what they did; then 去书架找一找 when they met something (an idiom, a poem, a treasure's
        story — the way out of every exhibit is this button), else the menu."""
        from experiences.kiosk.goodbye import Goodbye

        summary = self.host.summary() if self.host is not None else None
        met = self._last_item_met()
        self._left = (self.machine.run.package_id, met) if met and self.machine.run and self.only is None else None
        self.open_request = self.open_request_item = None
        log.info("visitor left %s with the home button", self.machine.run.package_id if self.machine.run else "?")
        self._end_host("back")
        self.machine.finish()
        self.goodbye = Goodbye(summary, self.text, self.lang, self.clock.now(), self.machine.age_band)

    def _goodbye_over(self) -> None:
        self.goodbye = None
        if self.only is not None:  # `play`: the preview ends after its goodbye
            self.quit_requested = True
        left, self._left = self._left, None
        if left is not None and self.machine.state == MENU:
            self._last_item = left[1]
            self._offer_shelf(left[0])

    @property
    def back_button_rects(self) -> list:
        """Where the home button is on screen now, in window pixels (one per eye in VR); [] when none shows.
        Read-only, for tests that click it with real input."""
        if self.machine.state not in (RUNNING, IDLE_WARNING) or self.host is None or self.surface is None:
            return []
        return self.home.rects(self.size, self.host.stereo)

    @property
    def back_button_rect(self):
        """The home button's pygame.Rect (the left eye's in VR), or None when no experience runs."""
        rects = self.back_button_rects
        return rects[0] if rects else None

    def _fail(self) -> None:
        self.open_request = self.open_request_item = None
        self._end_host("error")
        self.machine.fail()
        if self.only is not None:
            self.exit_code = 1
            self.quit_requested = True

    def _end_host(self, reason: str) -> None:
        self._end_vr_limit()
        if self.host is not None:
            self.host.stop(reason)
            self.host = None

    def _install_sigterm(self) -> Callable[[], None]:
        """SIGTERM (systemd stop, the supervisor) ends the loop cleanly so the open run is closed."""
        if threading.current_thread() is not threading.main_thread():
            return lambda: None
        previous = signal.getsignal(signal.SIGTERM)

        def on_sigterm(signum, frame):
            self.quit_requested = True

        signal.signal(signal.SIGTERM, on_sigterm)
        return lambda: signal.signal(signal.SIGTERM, previous)


def _default_services(config, data_dir):
    from experiences.kiosk.services import start_services

    return start_services(config, data_dir)
