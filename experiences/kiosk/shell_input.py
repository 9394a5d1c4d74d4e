"""The kiosk shell's input: pygame events mapped to InputEvents, counted as activity by the state machine, then
given to whatever is on screen (age question, goodbye, shelf, what next, menu, the running experience) — mixed into
KioskShell. TUIO, the headset's controllers and the motion corner arrive through `on_input` too.
"""
from __future__ import annotations

import logging

from experiences.kiosk.states import ASK_AGE, ATTRACT, MENU, RUNNING
from experiences.runtime import InputEvent

log = logging.getLogger("yuedu.kiosk")
RECENTRE_KEY = 1073741889  # pygame.K_F8: staff recentre the VR headset's view (docs/vr-headsets.md)


class ShellInput:
    def _on_pygame_event(self, event) -> None:
        pygame = self.pygame
        if event.type == pygame.QUIT:
            self.quit_requested = True
            return
        if event.type in (pygame.VIDEORESIZE, pygame.WINDOWSIZECHANGED):
            self.size = self.surface.get_size()
            self.mapper.size = self.size
            if self.tuio is not None:
                self.tuio.set_size(self.size)
            if self.motion is not None:
                self.motion.set_size(self.size)
            return
        if event.type == pygame.KEYDOWN and event.key == RECENTRE_KEY and self.xr is not None:
            self.xr.recentre()  # staff: the headset's view faces the scene again
            log.info("VR: recentred by staff")
            return
        mapped = self.mapper.map(event)
        if self.mapper.is_input(event):
            self.on_input(mapped)

    def _headset_input(self, events: list[InputEvent]) -> None:
        """The headset's inputs. Pointing alone (the head's or a controller's aim) is not activity: a headset or a
        controller lying on a table must not keep the kiosk awake, so 还在吗 comes in a run too; the aim still
        steers the run, and a trigger, the menu button or the thumbstick are activity (they answer 还在吗)."""
        if self.xr.panel_active:
            self.on_input(events)  # the panel's own inputs leave pointing out already
            return
        for event in events:
            if event.type == "aim":
                if self.machine.state == RUNNING:
                    self.dispatch(event)
            else:
                self.on_input([event])

    def on_input(self, mapped: list[InputEvent]) -> None:
        """One raw input from any device (pygame, TUIO), already mapped: counted as activity, then dispatched."""
        self._input_seen = True
        state_before = self.machine.state
        if state_before == ATTRACT and getattr(self.attract, "hosts_experience", False):
            self._attract_input(mapped)
            return
        if not self.machine.on_input():
            if state_before == ATTRACT:
                self.menu.pressed = None
                self.age_screen.reset()
            return
        for input_event in mapped:
            self.dispatch(input_event)

    def _attract_input(self, mapped: list[InputEvent]) -> None:
        """An experience as attract loop takes the touch itself; a pick opens that package, else the menu."""
        outcome = self.attract.handle(mapped)
        if outcome is None:
            return
        self.attract.suspend()
        self.machine.on_input()  # a visitor is here: a new session, the age question or the menu
        if outcome[0] == "open" and self.machine.state == ASK_AGE:
            self.age_screen.reset()
            self.open_after_age = outcome[1]  # asked first, so the pick already plays at their level
        elif outcome[0] == "open":
            self.open_by_id(outcome[1])

    def open_by_id(self, package_id: str, start_item: str | None = None) -> bool:
        """Launch an installed package by id (a kind's `open_package` service, a pick on the attract loop),
        optionally straight on one of its items (`ctx.start_item`)."""
        package = next((p for p in self.menu.packages if p.id == package_id), None)
        if package is None:
            log.warning("cannot open %s: not installed or not playable", package_id)
            return False
        return self.launch(package, start_item=start_item)

    def dispatch(self, event: InputEvent) -> None:
        """Give one input to whatever is on screen (the state machine already counted it as activity)."""
        if self.machine.state == ASK_AGE:
            choice = self.age_screen.handle(event, self.size)
            if choice is not None:
                self._age_answered(choice.band)
        elif self.machine.state == MENU and self.goodbye is not None:
            if self.goodbye.handle(event, self.clock.now()):
                self._goodbye_over()
        elif self.machine.state == MENU and self.shelf is not None:
            if self.shelf.handle(event, self.size) == "next":
                self.shelf = None
        elif self.machine.state == MENU and self.what_next is not None:
            chosen = self.what_next.handle(event, self.size)
            if chosen is not None:
                self.what_next = self.pending_picks = None
                if chosen[0] == "open":
                    self.launch(chosen[1], start_item=chosen[2])
        elif self.machine.state == MENU:
            package = self.menu.handle(event)
            if package is not None:
                self.launch(package)
        elif self.machine.state == RUNNING and self.host is not None:
            if self._vr_limit_holds_input():
                return  # the VR session limit's fade and rest message: nothing more to play
            pressed = self.home.handle(event, self.size, self.host.stereo)  # the shell's button comes first
            if pressed == "home":
                self.leave()
                return
            if pressed is not None:
                return
            if not self.host.handle(event):
                self._fail()
            elif self.host.finished:
                self._finish()

    def _age_answered(self, band: str | None) -> None:
        """The visitor tapped an age band (None: skip): into the session, the menu's order, then on."""
        self.machine.choose_age_band(band)
        self.menu.set_band(band)
        if self.motion is not None:
            self.motion.set_age_band(band)  # 3–5 shoot by holding still; older children draw the bow
        requested, self.open_after_age = self.open_after_age, None
        if requested:
            self.open_by_id(requested)
