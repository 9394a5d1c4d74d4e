"""How the kiosk's window shares the process's GL with the 3D engine and the glow (docs/kiosk-shell.md, "One
window, no GL of its own").

The window is a plain software surface: SDL is told, before its video subsystem starts, never to back the window
with a GL/EGL renderer of its own (SDL_FRAMEBUFFER_ACCELERATION=0; on X11 it then presents with XShm). The only GL
contexts in the process are the ones that render offscreen — panda3d's (experiences/exhibits/offscreen.py) and the
moderngl glow's (games/lanterns/glow_gl.py) — and each makes its own context current before it draws.
"""
from __future__ import annotations

import logging
import os

log = logging.getLogger("yuedu.kiosk.window")


class DisplayUnavailable(RuntimeError):
    """SDL could not open a window (no X/Wayland reachable, no KMS device)."""

# SDL reads hints from the environment when no code set them; SDL2 decides the framebuffer in SDL_VideoInit.
NO_GL_FRAMEBUFFER = {"SDL_FRAMEBUFFER_ACCELERATION": "0"}


def use_window_without_gl() -> None:
    """Call before `pygame.display.init()`: the window gets no GL/EGL context of its own.

    An accelerated window framebuffer makes SDL's own GL context current on the main thread beside panda3d's
    offscreen EGL context; under X11 that ended in `eglMakeCurrent: EGL_BAD_ACCESS`, garbled exhibits and exit 139.
    A value set by someone else is overridden (and logged): the kiosk cannot run 3D beside it."""
    for name, value in NO_GL_FRAMEBUFFER.items():
        previous = os.environ.get(name)
        if previous is not None and previous != value:
            log.warning("%s=%s overridden with %s: the window must not own a GL context (3D renders offscreen)",
                        name, previous, value)
        os.environ[name] = value


def use_headless_drivers() -> None:
    """SDL without a display or sound card; `offscreen` is kept if asked for (it can do OpenGL)."""
    if os.environ.get("SDL_VIDEODRIVER") not in ("dummy", "offscreen"):
        os.environ["SDL_VIDEODRIVER"] = "dummy"
    if os.environ.get("SDL_AUDIODRIVER") not in ("dummy", "disk"):
        os.environ["SDL_AUDIODRIVER"] = "dummy"


def open_window(size: tuple[int, int], fullscreen: bool, headless: bool):
    """The kiosk's one window (a software surface, see above) -> (surface, SDL video driver name).

    Raises DisplayUnavailable when SDL cannot open one, or silently fell back to an invisible driver."""
    if headless:
        use_headless_drivers()
    use_window_without_gl()  # before display init: the 3D engine and the glow own the process's GL
    import pygame

    try:
        pygame.display.init()
        driver = pygame.display.get_driver()
        if not headless and driver in ("dummy", "offscreen") and os.environ.get("SDL_VIDEODRIVER") != driver:
            # SDL fell back to an invisible driver: a kiosk nobody can see is no kiosk
            pygame.display.quit()
            raise DisplayUnavailable(f"SDL found no display and fell back to the {driver} driver")
        surface = pygame.display.set_mode((0, 0), pygame.FULLSCREEN) if fullscreen else pygame.display.set_mode(size)
    except pygame.error as exc:
        raise DisplayUnavailable(str(exc)) from exc
    if driver == "kmsdrm":
        log.warning("SDL's kmsdrm driver gives the window a GL renderer of its own; 3D exhibits are tested "
                    "in an X session (docs/kiosk-shell.md, \"One window, no GL of its own\")")
    pygame.joystick.init()
    if fullscreen:
        pygame.mouse.set_visible(False)  # touch screens: no arrow left where the last finger was
    pygame.display.set_caption("悦读 Yuedu")
    return surface, driver


class FrameTimes:
    """Seconds of work per frame (the last `keep`), summarised for `play` and long-run checks."""

    def __init__(self, keep: int = 20000):
        from collections import deque

        self.seconds = deque(maxlen=keep)

    def add(self, seconds: float) -> None:
        self.seconds.append(seconds)

    def summary(self, skip: int = 10) -> dict[str, float] | None:
        """Median, 95th percentile and worst frame in ms, leaving out the first `skip` frames (loading)."""
        values = sorted(list(self.seconds)[skip:] or self.seconds)
        if not values:
            return None

        def at(q: float) -> float:
            return values[min(len(values) - 1, int(q * len(values)))] * 1000.0

        return {"median_ms": at(0.5), "p95_ms": at(0.95), "max_ms": values[-1] * 1000.0, "frames": len(values)}
