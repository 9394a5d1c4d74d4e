"""The base of the 3D exhibit runners: a stage from the offscreen engine, pointer gestures (tap, drag, pinch),
the HUD, engagement reports (items experienced, time spent) and sounds under the kiosk's volume cap.
"""
from __future__ import annotations

import io
import math

import numpy as np
import pygame

from experiences.engagement import Item, build_result
from experiences.exhibits import hud, offscreen
from experiences.i18n import t
from experiences.kiosk.ageband import YOUNG_BANDS
from experiences.runtime import Experience, InputEvent, home_button_area


class Exhibit3D(Experience):
    """Subclasses build their scene in `build()` and override the gesture hooks they use."""

    def __init__(self, package, ctx):
        super().__init__(package, ctx)
        self.stage: offscreen.Stage | None = None
        self.text = hud.TextCache()
        self.pointers: dict[int, dict] = {}
        self.experienced: set[tuple[str, str]] = set()
        self.started_at = 0.0
        self.buttons: list[hud.Button] = []
        self.touched = False

    # ---- lifecycle ----------------------------------------------------------------------------------------
    def start(self) -> None:
        self.started_at = self.ctx.clock.now()
        # Young readers on a zh-CN kiosk read the HUD with pinyin, as in the games (experiences/kiosk/ageband.py).
        # Not yet in the side-by-side VR form: its eye views are half as wide, and the taller label and hint
        # covered most of the object and ran past the lens's edge.
        self.text.window = tuple(self.ctx.size)
        self.text.pinyin = self.ctx.language == "zh-CN" and self.ctx.age_band in YOUNG_BANDS and not self.ctx.vr
        self.stage = offscreen.acquire_stage(tuple(self.ctx.size))
        if not self.ctx.headless:  # tests and previews render every pixel; the kiosk keeps its frame rate
            self.stage.enable_adaptive_resolution()
        if self.antialias_edges:  # shots are always multisampled; the kiosk: still views too (or a GPU's all)
            self.stage.enable_antialias(still=not self.ctx.headless)
        self.build()

    def build(self) -> None:
        """Create the scene under `self.stage.root`."""

    def draw(self, surface: pygame.Surface) -> None:
        self.stage.render_into(surface)
        self.draw_overlay(surface)

    hint_key = ""  # a catalog key shown at the bottom while the visitor has not touched anything yet
    antialias_edges = True  # multisample the model's edges (a panorama's sphere has none: it says False)
    show_label = True  # the exhibit's label (title and caption) in the top left corner

    def label_texts(self) -> tuple[str, str]:
        """The label's title and caption: the package's title and description in the kiosk's language."""
        manifest = self.package.manifest
        return manifest.title(self.ctx.language), manifest.description(self.ctx.language)

    def draw_label(self, surface: pygame.Surface) -> pygame.Rect | None:
        if not self.show_label:
            return None
        title, caption = self.label_texts()
        self.label_rect = hud.draw_label(surface, self.text, title, caption, centred=bool(self.ctx.vr),
                                         max_lines=self.label_lines)
        return self.label_rect

    label_rect: pygame.Rect | None = None

    @property
    def label_lines(self) -> int:
        """How many lines the label's caption may take (whole sentences that do not fit are left out)."""
        return 3

    def draw_overlay(self, surface: pygame.Surface) -> None:
        for button in self.buttons:
            button.draw(surface, self.text)
        if self.hint_key and not self.touched:
            hud.draw_caption(surface, self.text, self.hint(self.hint_key), avoid=self.hud_obstacles(surface))

    def hint(self, key: str) -> str:
        """What the hint `key` says — in a 体感 motion corner (RunContext.body) its `_motion` wording, a sweep of
        the hand and a hold instead of a drag and a tap, where the catalog has one."""
        if self.ctx.body:
            said = t(f"{key}_motion", self.ctx.language)
            if said != f"{key}_motion":
                return said
        return t(key, self.ctx.language)

    def hint_rect(self, surface: pygame.Surface) -> pygame.Rect | None:
        """Where the hint at the bottom is drawn now (markers keep clear of it), None when it is not shown."""
        if not self.hint_key or self.touched:
            return None
        return hud.caption_rect(surface.get_size(), self.text, self.hint(self.hint_key),
                                avoid=self.hud_obstacles(surface))

    def hud_obstacles(self, surface: pygame.Surface) -> list[pygame.Rect]:
        """What bottom captions must not cover: the buttons and the kiosk's home button."""
        return [b.rect for b in self.buttons] + [pygame.Rect(r) for r in home_button_area(surface.get_size())]

    def stop(self, reason: str) -> None:
        if self.stage is None:
            return  # it never got a stage (no 3D on this machine): nothing was seen, no time spent to report
        try:
            elapsed = max(0.0, self.ctx.clock.now() - self.started_at)
            self.ctx.reporter.report("progressed", result=build_result(
                duration=elapsed, completion=reason == "completed", extensions=self.progress_extensions()))
        finally:
            if self.stage is not None:
                self.stage.release()
                self.stage = None

    def progress_extensions(self) -> dict:
        """Counts added to the time-spent statement (e.g. pages read)."""
        return {"items-experienced": len(self.experienced)}

    def test_targets(self) -> dict[str, pygame.Rect]:
        """Where things are, for the kiosk's read-only test hook (docs/kiosk-shell.md): the on-screen buttons
        ("button:zoom_in" …); kinds add their hotspots or pages."""
        return {f"button:{button.key}": button.rect for button in self.buttons}

    visit_item, visit_key = "hotspot", "exhibit.visit_hotspots"  # what the goodbye counts, and how it says it

    def visit_summary(self) -> str | None:
        """For the kiosk's goodbye: how many of `visit_item` the visitor opened (None: none, or no `visit_key`)."""
        count = sum(1 for kind, _ in self.experienced if kind == self.visit_item)
        return t(self.visit_key, self.ctx.language, count=count) if count and self.visit_key else None

    # ---- content helpers ----------------------------------------------------------------------------------
    def local(self, texts: dict | str | None) -> str:
        if isinstance(texts, str):
            return texts
        texts = texts or {}
        return texts.get(self.ctx.language) or texts.get("zh-CN") or next(iter(texts.values()), "")

    def load_surface(self, name: str) -> pygame.Surface:
        data = self.package.source.read_bytes(name)
        return pygame.image.load(io.BytesIO(data), name)

    def load_pixels(self, name: str) -> np.ndarray:
        """An image from the package as an RGB array (rows top first)."""
        return surface_to_array(self.load_surface(name))

    def play(self, name: str) -> None:
        """Play a package sound if the mixer is running, at no more than the kiosk's volume cap."""
        if not name or not pygame.mixer.get_init():
            return
        try:
            sound = pygame.mixer.Sound(io.BytesIO(self.package.source.read_bytes(name)))
            sound.set_volume(self.ctx.config.audio.volume_cap)
            sound.play()
        except (pygame.error, OSError, FileNotFoundError) as exc:
            self.ctx.log.warning("sound %s not played: %s", name, exc)

    def report_item(self, item_type: str, item_id: str, names: dict | None = None, once: bool = True) -> None:
        key = (item_type, item_id)
        if once and key in self.experienced:
            return
        self.experienced.add(key)
        self.ctx.reporter.report("experienced", Item(item_type, item_id, name=dict(names or {})))

    # ---- input --------------------------------------------------------------------------------------------
    def handle(self, event: InputEvent) -> None:
        now = self.ctx.clock.now()
        if event.type in ("pointer_down", "action"):
            self.touched = True
        if event.type == "pointer_down":
            self.pointers[event.pointer_id] = {"start": (event.x, event.y), "last": (event.x, event.y), "moved": 0.0}
            self.on_press(event.x, event.y, now)
        elif event.type == "pointer_move" and event.pointer_id in self.pointers:
            self._move(event, now)
        elif event.type == "pointer_up" and event.pointer_id in self.pointers:
            pointer = self.pointers.pop(event.pointer_id)
            if pointer["moved"] <= hud.TOUCH_SLOP and not self.pointers:
                if not self._press_button(event.x, event.y):
                    self.on_tap(event.x, event.y, now)
            self.on_release(event.x, event.y, now)
        elif event.type == "action":
            self.on_action(event.action, now)

    def _move(self, event: InputEvent, now: float) -> None:
        pointer = self.pointers[event.pointer_id]
        last = pointer["last"]
        dx, dy = event.x - last[0], event.y - last[1]
        pointer["last"] = (event.x, event.y)
        pointer["moved"] = max(pointer["moved"], math.dist(pointer["start"], (event.x, event.y)))
        if len(self.pointers) >= 2:
            other = next(p for pid, p in self.pointers.items() if pid != event.pointer_id)
            before = math.dist(last, other["last"])
            after = math.dist((event.x, event.y), other["last"])
            if before > 1:
                self.on_pinch(after / before, dx / 2, dy / 2, now)
        elif pointer["moved"] > hud.TOUCH_SLOP:
            self.on_drag(dx, dy, event.x, event.y, now)

    def _press_button(self, x: float, y: float) -> bool:
        for button in self.buttons:
            if button.hit(x, y):
                self.on_button(button.key, self.ctx.clock.now())
                return True
        return False

    # ---- shot states (launcher.py shots, the screen tests) -----------------------------------------------
    def tap(self, x: float, y: float) -> None:
        """A visitor's tap at (x, y), through `handle`."""
        self.handle(InputEvent("pointer_down", x, y))
        self.handle(InputEvent("pointer_up", x, y))

    def drag(self, x: float, y: float, dx: float, dy: float, steps: int = 8) -> None:
        """A visitor's drag from (x, y) by (dx, dy), through `handle`."""
        self.handle(InputEvent("pointer_down", x, y))
        for i in range(1, steps + 1):
            self.handle(InputEvent("pointer_move", x + dx * i / steps, y + dy * i / steps))
        self.handle(InputEvent("pointer_up", x + dx, y + dy))

    def on_press(self, x, y, now) -> None: ...
    def on_release(self, x, y, now) -> None: ...
    def on_tap(self, x, y, now) -> None: ...
    def on_drag(self, dx, dy, x, y, now) -> None: ...
    def on_pinch(self, factor, dx, dy, now) -> None: ...
    def on_button(self, key, now) -> None: ...
    def on_action(self, action, now) -> None:
        if action == "back":
            self.finished = True


def surface_to_array(surface: pygame.Surface) -> np.ndarray:
    return pygame.surfarray.array3d(surface).transpose(1, 0, 2).copy()
