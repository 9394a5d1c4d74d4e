"""The kiosk shell's drawing: the screen for the state machine's state, the 还在吗 veil over it, the error and
暂时打不开 screens, screenshots — mixed into KioskShell.
"""
from __future__ import annotations

from pathlib import Path

from experiences import drawlog
from experiences.kiosk.states import ASK_AGE, ATTRACT, ERROR, IDLE_WARNING, MENU, RUNNING
from experiences.package import Package


class ShellDrawing:
    def draw(self) -> None:
        from experiences.kiosk.overlays import draw_idle_warning

        if self.machine.state == IDLE_WARNING and drawlog.active() is not None:
            # 还在吗 covers the screen under it with a veil: what is under it is not read, so the screen checks
            # (experiences.drawlog) see the question alone
            with drawlog.recording():
                self._draw_screen()
        else:
            self._draw_screen()
        if self.machine.state == IDLE_WARNING:
            draw_idle_warning(self.surface, self.text, self.machine.warning_seconds_left(), self.lang)

    def _draw_screen(self) -> None:
        from experiences.kiosk.overlays import draw_error, draw_unavailable

        state, surface = self.machine.state, self.surface
        if state == ATTRACT:
            self.attract.draw(surface)
        elif state in (RUNNING, IDLE_WARNING) and self.host is not None:
            if self.vr_limit is not None and self.vr_limit.state in ("rest", "done"):
                self._draw_vr_rest(surface)  # nothing drawn into the headset: the panel shows it
                return
            if not self.host.draw(surface):
                self._fail()
                draw_error(surface, self.text, self.lang)
                return
            self.home.draw(surface, self.host.stereo)
            self._draw_vr_limit(surface, self.xr is not None and self.xr.session.layers_pending > 0)
        elif state == ERROR and self.unavailable is not None:
            draw_unavailable(surface, self.text, self._poster(self.unavailable), self.lang)
            return
        elif state == ERROR:
            draw_error(surface, self.text, self.lang)
            return
        elif self.machine.screen == ASK_AGE:
            self.age_screen.draw(surface)
        elif self.goodbye is not None:
            self.goodbye.draw(surface)
        elif self.shelf is not None:
            self.shelf.draw(surface)
        elif self.what_next is not None:
            self.what_next.draw(surface)
        else:
            self.menu.draw(surface)

    def _step_screen_version(self) -> None:
        """The window's picture gets a new version unless a still screen (the menu, the age question: drawn from
        their own state, which only input changes) stays on without input; the headset's panel then shows its
        last image again instead of uploading the same pixels (no pixel is compared)."""
        machine = self.machine
        key = (machine.state, self.size, id(self.menu), id(self.goodbye), id(self.shelf), id(self.what_next),
               machine.age_band, self.menu.page, self.menu.focus)
        still = (machine.state in (MENU, ASK_AGE) and self.goodbye is None and self.shelf is None
                 and self.what_next is None and self.host is None)
        if not still or self._input_seen or key != self._screen_key:
            self.screen_version += 1
        self._screen_key, self._input_seen = key, False

    def _poster(self, package: Package):
        """A package's cover as the 暂时打不开 poster: filling a landscape window, whole on a portrait one (a
        cover cropped to a tall window loses its title)."""
        width, height = self.size
        if width >= height:
            return self.covers.get(package, self.size, self.lang)
        return self.covers.get_whole(package, (width, height), self.lang)

    def save_screenshot(self, path: str | Path) -> Path:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        self.pygame.image.save(self.surface, str(path))
        return path
