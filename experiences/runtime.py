"""The contract between the kiosk shell and every experience kind: input events, run context, lifecycle.

Kinds subclass `Experience`; the shell (or `launcher.py play`) drives handle → update → draw once per frame.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:  # keep this module importable without pygame for pure tests
    import pygame

    from experiences.catalog import Catalog
    from experiences.config import KioskConfig
    from experiences.engagement import ExperienceReporter
    from experiences.package import Package


# Abstract actions every input device maps to, so kinds never read a device directly.
ACTIONS = ("left", "right", "up", "down", "select", "back", "hint")


@dataclass(frozen=True)
class InputEvent:
    """One input, device-independent.

    type: "pointer_down" | "pointer_move" | "pointer_up" (mouse, touch, TUIO, gaze: x, y in surface pixels)
          | "action" (keyboard, gamepad, remote: `action` is one of ACTIONS)
          | "aim" (absolute aim from a motion sensor, head pose or a VR controller: x, y normalised 0..1, plus
            yaw/pitch in degrees; `origin`: where the aim ray starts, metres from the VR reference origin in scene
            axes x right, y forward, z up, or None: from the viewer's eye)
    source: "mouse" | "touch" | "keyboard" | "gamepad" | "tuio" | "head" | "controller" (an OpenXR controller's
            aim pose, trigger = select, menu = back) | "script"
    """

    type: str
    x: float = 0.0
    y: float = 0.0
    action: str = ""
    source: str = "script"
    pointer_id: int = 0
    yaw: float = 0.0
    pitch: float = 0.0
    origin: tuple[float, float, float] | None = None


class Clock:
    """Monotonic time, injectable so idle and recovery timing are tested without sleeping."""

    def now(self) -> float:
        return time.monotonic()


class ManualClock(Clock):
    def __init__(self, start: float = 0.0):
        self.t = start

    def now(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds


@dataclass
class RunContext:
    """What an experience may use. Everything it writes goes under `data_dir`, never into the package."""

    config: "KioskConfig"
    reporter: "ExperienceReporter"
    size: tuple[int, int]
    data_dir: Path
    headless: bool = False
    language: str = "zh-CN"
    clock: Clock = field(default_factory=Clock)
    catalog: "Catalog | None" = None  # other installed packages (e.g. a dictionary this one requires)
    mark_activity: Callable[[], None] = lambda: None  # voice or motion that should keep the session alive
    services: dict[str, Any] = field(default_factory=dict)  # optional edges: "audio", "fonts", "input"
    log: logging.Logger = field(default_factory=lambda: logging.getLogger("yuedu.experience"))
    # the visitor's answer to the kiosk's age question ("3-5", "6-8", "9-12", "13+"); None: not asked or skipped
    age_band: str | None = None
    # an item to open straight on (a poem's id from a 「what next?」 card); None: the kind's usual first screen
    start_item: str | None = None
    # the kiosk is a VR corner (`[kiosk] mode = "vr"`, or `play --vr`): a kind with a VR mode starts in it
    vr: bool = False
    # a 体感 motion corner's camera is open: how a body shoots or picks here — "bow" (6+: a raised hand aims, the
    # other draws the bow and lets go) or "hold" (3–5: aim and hold still); None: no camera. Only for telling the
    # child how to play: the aim and taps themselves come as the usual InputEvents, touch working alongside
    body: str | None = None


# The shell's home button (返回) sits in the bottom-left corner of every run, within reach of a child or a
# wheelchair user also on a portrait screen; its size scales with the window (132×152 px at 1080p).
HOME_WIDTH, HOME_HEIGHT, HOME_MARGIN = 132, 152, 20  # px at 1080p (the window's shorter side)
HOME_VR_TOP = 0.68  # in VR: each eye's left edge, its top at this fraction of the height (inside the lens, below
# the lanterns and the story card, above the floor's edge of the lens)
HOME_VR_INSET = 0.07  # ...and this fraction of an eye's width in from the eye's left edge


def home_scale(size: tuple[int, int], stereo: bool = False) -> float:
    """How big the shell's overlays are drawn: 1.0 when the window's shorter side (in VR: its height) is 1080."""
    width, height = size
    return (height if stereo else min(width, height)) / 1080


def home_button_area(size: tuple[int, int], stereo: bool = False) -> list[tuple[int, int, int, int]]:
    """Where the shell draws its home button in a window of `size`: one (x, y, w, h), or one per eye in VR
    (side-by-side stereo, at the same place in both halves so it sits at screen depth). Keep your own touch
    targets out of this area; a touch there never reaches the running experience."""
    width, height = size
    scale = home_scale(size, stereo)
    w, h = round(HOME_WIDTH * scale), round(HOME_HEIGHT * scale)
    if not stereo:
        margin = round(HOME_MARGIN * scale)
        return [(margin, height - margin - h, w, h)]
    eye = width // 2
    top = min(round(height * HOME_VR_TOP), height - h)
    return [(side * eye + round(eye * HOME_VR_INSET), top, w, h) for side in (0, 1)]


class Experience:
    """Base class of a running experience. Subclasses override what they need.

    Lifecycle: __init__(package, ctx) → start() → per frame: handle(event)* → update(dt) → draw(surface)
    → stop(reason) exactly once ("completed", "quit", "idle", "error", or "back": the visitor left with the
    shell's home button). Set `self.finished = True` to end;
    set `self.busy = True` while the visitor is mid-task (recording a poem) so an idle reset waits.
    Exceptions from any method are caught by the shell: logged, the run abandoned, the menu shown.
    """

    stereo = False  # True: draws side-by-side stereo for a headset (the shell puts its home button in each eye)

    def __init__(self, package: "Package", ctx: RunContext):
        self.package = package
        self.ctx = ctx
        self.finished = False
        self.busy = False

    def start(self) -> None:
        pass

    def handle(self, event: InputEvent) -> None:
        pass

    def update(self, dt: float) -> None:
        pass

    def draw(self, surface: "pygame.Surface") -> None:
        pass

    def stop(self, reason: str) -> None:
        pass

    def shot_states(self):
        """Drive this started experience through each of its screen states in turn, for `launcher.py shots`
        (the contact sheet) and the screen tests (experiences.screencheck). A generator: bring a state on
        screen (through `handle`/`update` where you can, as a visitor would), then `yield "name"` (short ASCII:
        "question", "hit", "card", "end"); the caller draws a frame, records what was drawn and checks it, then
        resumes you. `yield None` lets one frame pass without a shot (loading, an animation settling).
        experiences.kiosk.shots.package_shots runs it inside a headless kiosk. The default: the first screen."""
        yield "start"

    def visit_summary(self) -> str | None:
        """What the visitor did in this run so far, as one short sentence in `ctx.language` without a full
        stop (「你答对了 3 个成语」), for the goodbye the shell shows when they leave with its home button.
        Called before stop("back"); None: nothing worth saying (the goodbye then just thanks them)."""
        return None


def create_experience(package: "Package", ctx: RunContext, registry=None) -> Experience:
    """Instantiate the runner of the package's kind; raises LookupError if the kind is unknown or data-only."""
    from experiences.kinds import default_registry

    registry = registry or default_registry()
    kind = registry.get(package.kind)
    if kind is None:
        raise LookupError(f"kind {package.kind!r} is not installed (installed: {', '.join(registry.names())})")
    if not kind.playable:
        raise LookupError(f"kind {package.kind!r} is data only and cannot be played")
    runner = kind.load_runner()
    return runner(package, ctx)
