"""Render an experience's screen states as the kiosk shows them (its home button included), each with what was
drawn (experiences.drawlog) and what the screen checks found (experiences.screencheck).

`package_shots(package, (1920, 1080), age_band="6-8")` runs the package in a headless kiosk shell and walks
`Experience.shot_states()`: after every name the kind yields, one kiosk frame is drawn and recorded. A kind's
generator may `yield None` to let a frame pass without a shot (loading, an animation settling).
Used by `launcher.py shots` (the contact sheet) and by the screen tests of every kind.
"""
from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from experiences import drawlog
from experiences.screencheck import Finding, check_screen

SIZES = ((960, 540), (1024, 768), (1280, 800), (1920, 1080), (1080, 1920))  # 16:9 small, 4:3, 16:10, 16:9, portrait
WARM_FRAMES = 3  # frames drawn after start before the first state (first-frame caches, a fade's first step)
MAX_SKIPPED = 600  # `yield None` frames one kind may ask for in a row before it is taken as stuck


class ShotsError(RuntimeError):
    """A package could not be rendered (it failed to start, raised while drawing, or never yielded)."""


@dataclass
class Shot:
    package_id: str
    state: str
    size: tuple[int, int]
    surface: object  # a pygame.Surface copy of the frame
    log: drawlog.DrawLog
    findings: list[Finding] = field(default_factory=list)
    stereo: bool = False  # drawn as side-by-side stereo (a kind's VR mode)

    @property
    def name(self) -> str:
        return f"{self.package_id}-{self.state}-{self.size[0]}x{self.size[1]}"


BLANK_COLOURS = 8  # a frame with fewer distinct colours (on a 1/8 scale copy) shows nothing


def blank_findings(surface) -> list[Finding]:
    """A "blank" finding when the frame is (nearly) one colour: a 3D stage that drew nothing, a black screen."""
    import numpy as np
    import pygame

    width, height = surface.get_size()
    small = pygame.transform.scale(surface, (max(1, width // 8), max(1, height // 8)))
    colours = len(np.unique(pygame.surfarray.array3d(small).reshape(-1, 3), axis=0))
    if colours < BLANK_COLOURS:
        return [Finding("blank", "screen", f"only {colours} colours: nothing was drawn")]
    return []


def kiosk_config(language: str = "zh-CN", vr: bool = False):
    """A kiosk configuration for rendering: defaults, the given language, never written to disk."""
    from experiences.config import KioskConfig

    config = KioskConfig()
    config.kiosk.language = language
    config.kiosk.mode = "vr" if vr else "2d"
    return config


DEFAULT_SEED = 1  # the games' seed when the caller gives none (as `launcher.py shots --seed`)


def package_shots(package, size: tuple[int, int], *, age_band: str | None = None, vr: bool = False,
                  language: str = "zh-CN", data_dir: Path | None = None, services: dict | None = None,
                  catalog=None,
                  rules: tuple[str, ...] = ("size", "latin", "cut", "overlap")) -> Iterator[Shot]:
    """Each screen state of `package` at `size`, as the kiosk draws it; raises ShotsError if it cannot run.
    `catalog`: the installed packages it may use (a dictionary it requires); default: the kiosk's own scan."""
    from experiences.kiosk.shell import KioskShell

    own_dir = None
    if data_dir is None:
        own_dir = tempfile.TemporaryDirectory(prefix="yuedu-shots-")
        data_dir = Path(own_dir.name)
    shell = KioskShell(kiosk_config(language, vr), only=package, headless=True, size=size, fullscreen=False,
                       vr=vr, data_dir=data_dir, catalog=catalog)
    # The games draw their rounds and lantern places from ctx.services["seed"]; without one every run would
    # differ (random.Random(None)) and a screen test could pass fourteen times and fail the fifteenth.
    shell.run_services.update({"seed": DEFAULT_SEED, **(services or {})})
    try:
        shell.open()
        shell.machine.on_input()  # a visitor is here: the session starts
        if age_band is not None:
            shell.machine.choose_age_band(age_band)
        if not shell.launch(package):
            raise ShotsError(f"{package.id} did not start at {size[0]}×{size[1]}")
        dt = 1.0 / shell.fps
        for _ in range(WARM_FRAMES):
            shell.frame(dt)
        experience = shell.host.experience
        skipped = 0
        for state in experience.shot_states():
            if shell.host is None or shell.host.failed:
                raise ShotsError(f"{package.id} failed before its state {state!r} at {size[0]}×{size[1]}")
            if state is None:
                skipped += 1
                if skipped > MAX_SKIPPED:
                    raise ShotsError(f"{package.id} let {MAX_SKIPPED} frames pass without a shot")
                shell.frame(dt)
                continue
            skipped = 0
            with drawlog.recording() as log:
                shell.frame(dt)
            if shell.host is None or shell.host.failed:
                raise ShotsError(f"{package.id} failed drawing its state {state!r} at {size[0]}×{size[1]}")
            surface = shell.surface.copy()
            yield Shot(package.id, state, tuple(shell.surface.get_size()), surface, log,
                       check_screen(log, tuple(shell.surface.get_size()), language, rules) + blank_findings(surface),
                       shell.host.stereo)
    finally:
        shell.close()
        if own_dir is not None:
            own_dir.cleanup()
