"""exhibit-panorama: a 360° hall from an equirectangular image on an inside-out sphere. Drag to look around,
tap hotspots for information or to open another exhibit; a gentle auto-pan when nobody is touching.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import pygame

from experiences import drawlog
from experiences.exhibits import geometry, hud
from experiences.exhibits.exhibit import Exhibit3D
from experiences.exhibits.assets3d import texture_from_array
from experiences.exhibits.offscreen import set_vertical_fov
from experiences.exhibits.orbit import clamp
from experiences.exhibits.resolution import texel_matched_scale
from experiences.i18n import t
from experiences.runtime import home_button_area

SPHERE_RADIUS = 50.0
DEGREES_PER_PIXEL = 0.15
KEY_STEP = 15.0  # degrees per arrow press
PITCH_LIMIT = 80.0
MIN_FOV, MAX_FOV = 35.0, 100.0  # degrees, the range pinching may reach


@dataclass
class PanoramaSpot:
    id: str
    number: int
    yaw: float
    pitch: float
    title: dict
    text: dict
    image: str = ""
    audio: str = ""
    opens: str = ""
    screen: tuple[float, float] | None = None

    def direction(self) -> tuple[float, float, float]:
        yaw, pitch = math.radians(self.yaw), math.radians(self.pitch)
        return (math.sin(yaw) * math.cos(pitch), math.cos(yaw) * math.cos(pitch), math.sin(pitch))


class PanoramaExhibit(Exhibit3D):
    hint_key = "exhibit.panorama_hint"
    visit_key = "exhibit.visit_places"
    nearest_distance = SPHERE_RADIUS  # metres: VR sees no parallax this far away and renders one view
    antialias_edges = False  # one textured sphere: its smoothness comes from the image (authoring/hall.py)

    def build(self) -> None:
        content = self.package.manifest.content
        sphere = geometry.geom_node("panorama", *geometry.uv_sphere(SPHERE_RADIUS, 64, 32, inside=True))
        self.sphere = self.stage.root.attach_new_node(sphere)
        # The image is magnified on screen (a 2048-px panorama spreads over ~4300 px at 70°), so no mipmaps:
        # llvmpipe then skips the per-pixel level-of-detail work (~20% of the frame in bench/exhibit.py).
        pixels = self.load_pixels(content["image"])
        self.image_width = pixels.shape[1]
        texture = texture_from_array(pixels, "panorama", mipmap=False)
        self.sphere.set_texture(texture, 1)
        self.sphere.set_light_off()
        # Nothing else is drawn: without depth test, write or clear llvmpipe never touches a depth buffer.
        self.sphere.set_depth_write(False)
        self.sphere.set_depth_test(False)
        self.stage.use_depth_buffer(False)
        self.yaw = float(content.get("start_yaw", 0.0))
        self.pitch = 0.0
        self.fov = float(content.get("fov", 70.0))
        self.auto_pan = float(content.get("auto_pan", 3.0))
        self.resume_after = float(content.get("resume_after", 3.0))
        self.last_interaction = -math.inf
        set_vertical_fov(self.stage.lens, self.fov, self.stage.size)
        self.stage.lens.set_near_far(0.1, SPHERE_RADIUS * 2)
        self.spots = [PanoramaSpot(s["id"], i + 1, float(s["yaw"]), float(s["pitch"]), s.get("title", {}),
                                   s.get("text", {}), s.get("image", ""), s.get("audio", ""), s.get("opens", ""))
                      for i, s in enumerate(content.get("hotspots", []))]
        self.painted = list(content.get("texts", []))  # text baked into the image (see note_painted_texts)
        self.open_spot: PanoramaSpot | None = None
        self.open_request: str | None = None
        self._apply_view()
        self.stage.reuse_unchanged_frames = True  # only the camera moves, and that is noticed by itself

    def _apply_view(self) -> None:
        # Yaw to the right of the image centre is a negative panda3d heading (headings turn counter-clockwise).
        self.stage.camera.set_hpr(-self.yaw, self.pitch, 0)

    def look(self, d_yaw: float, d_pitch: float, now: float) -> None:
        self.last_interaction = now
        self.yaw = (self.yaw + d_yaw + 180) % 360 - 180
        self.pitch = clamp(self.pitch + d_pitch, -PITCH_LIMIT, PITCH_LIMIT)
        self._apply_view()

    def panning(self, now: float) -> bool:
        return self.auto_pan > 0 and now - self.last_interaction >= self.resume_after

    def update(self, dt: float) -> None:
        if self.turn_left or self.turn_up:
            share = 1.0 if abs(self.turn_left) + abs(self.turn_up) < 0.2 else min(1.0, 8.0 * dt)
            d_yaw, d_pitch = self.turn_left * share, self.turn_up * share
            self.turn_left, self.turn_up = self.turn_left - d_yaw, self.turn_up - d_pitch
            self.look(d_yaw, -d_pitch, self.ctx.clock.now())
            return
        if self.open_spot is not None:
            self.last_interaction = self.ctx.clock.now()  # the view holds still while a card is read
        if self.panning(self.ctx.clock.now()):
            self.yaw = (self.yaw + self.auto_pan * dt + 180) % 360 - 180
            self.pitch *= max(0.0, 1 - dt)  # drift back to the horizon while panning
            self._apply_view()

    def draw(self, surface: pygame.Surface) -> None:
        # The image is magnified on screen: render no more pixels than it has texels there (the field of view
        # changes with pinching and in VR), in steps of 5% so a pinch does not rebuild the buffer every frame.
        scale = texel_matched_scale(self.image_width, self.stage.lens.get_fov()[1], self.stage.size)
        self.stage.limit_render_scale(max(0.3, math.ceil(scale * 20) / 20))
        self.stage.render_into(surface)
        width, height = self.stage.size
        for spot in self.spots:
            direction = spot.direction()
            projected = self.stage.project(tuple(c * SPHERE_RADIUS * 0.9 for c in direction))
            on_screen = projected is not None and 0 <= projected[0] < width and 0 <= projected[1] < height
            spot.screen = projected[:2] if on_screen else None
        self.note_painted_texts()
        self.draw_overlay(surface)

    def screen_at(self, yaw: float, pitch: float) -> tuple[float, float] | None:
        """Where the image's point at (yaw, pitch) is on screen now; None behind the camera."""
        direction = PanoramaSpot("", 0, yaw, pitch, {}, {}).direction()
        projected = self.stage.project(tuple(c * SPHERE_RADIUS * 0.9 for c in direction))
        return projected[:2] if projected else None

    def note_painted_texts(self) -> None:
        """Tell the draw log about the text painted into the image (the manifest's `texts`: a scroll's columns)
        at its size on screen now — its characters' size measured across its own angle, its box from its
        corners — so the screen checks judge it like drawn text. Only text wholly in view is noted: a column
        half past the screen's edge is the hall seen in part, not a layout that cuts it."""
        if drawlog.active() is None:
            return
        width, height = self.stage.size
        for item in self.painted:
            yaw, pitch, half_w, half_h = item["yaw"], item["pitch"], item["width"] / 2, item["height"] / 2
            # Its extent across at its middle height, and up and down along its middle: the sphere's projection
            # bows lines of constant pitch, so a box from its corners would grow into its neighbours'.
            corners = [self.screen_at(yaw - half_w, pitch), self.screen_at(yaw + half_w, pitch),
                       self.screen_at(yaw, pitch + half_h), self.screen_at(yaw, pitch - half_h)]
            ends = [self.screen_at(yaw, pitch + item["size"] / 2), self.screen_at(yaw, pitch - item["size"] / 2)]
            if any(p is None for p in corners + ends):
                continue
            xs, ys = [p[0] for p in corners], [p[1] for p in corners]
            if min(xs) < 0 or min(ys) < 0 or max(xs) > width or max(ys) > height:
                continue
            drawlog.note_text(item["text"], round(math.dist(*ends)), (round(min(xs)), round(min(ys)),
                                                                     round(max(xs) - min(xs)), round(max(ys) - min(ys))))

    def draw_overlay(self, surface: pygame.Surface) -> None:
        size = surface.get_size()
        label = self.draw_label(surface)
        self.buttons = []
        panel = None
        if self.open_spot is not None:
            width = hud.panel_width(size)
            image = None
            if self.open_spot.image:
                picture = self.load_surface(self.open_spot.image)
                shown = width - 2 * hud.px(size, 28)
                image = pygame.transform.smoothscale(picture, (shown, int(picture.get_height() * shown / picture.get_width())))
            avoid = [r for r in (label,) if r] + [pygame.Rect(r) for r in home_button_area(size)]
            reserve = hud.px(size, 16 + 112) if self.open_spot.opens else 0  # room below the card for 去看看
            panel = hud.panel_rect(surface, self.text, self.local(self.open_spot.title), self.local(self.open_spot.text),
                                   image, avoid=avoid, reserve=reserve)
            if self.open_spot.opens:
                rect = pygame.Rect(panel.x, panel.bottom + hud.px(size, 16), hud.px(size, 240), hud.px(size, 112))
                self.buttons = [hud.Button("open", rect, t("exhibit.opens", self.ctx.language))]
        keep_clear = [r for r in (label, panel, self.hint_rect(surface)) if r is not None] + [b.rect for b in self.buttons] \
            + [pygame.Rect(r) for r in home_button_area(size)]
        for spot in self.spots:
            if spot.screen:
                if hud.draw_marker(surface, self.text, *spot.screen, spot.number, self.local(spot.title),
                                   active=spot is self.open_spot, avoid=keep_clear) is None:
                    spot.screen = None  # hidden under the label or a panel: not tappable either
        if self.open_spot is not None:
            self.keep_in_view(self.open_spot, panel, size)
            hud.draw_panel(surface, self.text, self.local(self.open_spot.title), self.local(self.open_spot.text),
                           image, avoid=avoid, reserve=reserve)
        super().draw_overlay(surface)

    def keep_in_view(self, spot: PanoramaSpot, panel: pygame.Rect, size: tuple[int, int]) -> None:
        """Turn the view (eased, in `update`) when the open card would cover the spot it talks about: the spot
        goes to the middle of the room left of the card (above it in portrait)."""
        if self.ctx.vr:
            return  # in a headset the visitor's head turns the view, never the exhibit
        direction = spot.direction()
        projected = self.stage.project(tuple(c * SPHERE_RADIUS * 0.9 for c in direction))
        if projected is None:
            return
        reach = hud.marker_radius(size) + self.text.width(self.local(spot.title), hud.px(size, hud.TEXT_PX)) \
            + hud.px(size, 44)
        x, y = projected[:2]
        hfov, vfov = self.stage.lens.get_fov()
        if size[0] >= size[1] and x + reach > panel.left:
            self.turn_left = (x - (panel.left - hud.px(size, hud.MARGIN_PX)) / 2) * hfov / size[0]
        elif size[0] < size[1] and y + hud.marker_radius(size) > panel.top:
            self.turn_up = (y - panel.top / 2) * vfov / size[1]

    turn_left = turn_up = 0.0  # degrees the view still turns to bring the open spot clear of its card

    def shot_states(self):
        """start (looking ahead at the ding), turned (dragged round to the book table), hotspot (a card open),
        text (the first text painted into the image, looked at straight on)."""
        yield None
        yield "start"
        width, height = self.stage.size
        degrees = 90.0
        self.drag(width * 0.7, height * 0.6, -degrees / (DEGREES_PER_PIXEL * self.fov / 70), 0, steps=12)
        yield None
        yield "turned"
        spot = next((s for s in self.spots if s.screen), None)
        if spot is not None:
            self.tap(*spot.screen)
            for _ in range(30):
                yield None  # the view turns the spot clear of its card if it has to
            yield "hotspot"
        if self.painted:  # the text painted into the image (a scroll), looked at straight on, no card open
            self.open_spot = None
            first = self.painted[0]  # with the texts painted beside it (within 30°): their middle, straight ahead
            group = [t for t in self.painted if abs((t["yaw"] - first["yaw"] + 180) % 360 - 180) < 30]
            yaw = first["yaw"] + sum((t["yaw"] - first["yaw"] + 180) % 360 - 180 for t in group) / len(group)
            pitch = sum(t["pitch"] for t in group) / len(group)
            self.look(yaw - self.yaw, pitch - self.pitch, self.ctx.clock.now())
            yield None
            yield "text"

    def test_targets(self) -> dict[str, pygame.Rect]:
        """The buttons, and each hotspot marker on screen now ("hotspot:<id>")."""
        targets = super().test_targets()
        size = 2 * hud.marker_radius(self.stage.size)
        width, height = self.stage.size
        for spot in self.spots:
            if spot.screen and 0 <= spot.screen[0] < width and 0 <= spot.screen[1] < height:
                targets[f"hotspot:{spot.id}"] = pygame.Rect(round(spot.screen[0]) - size // 2,
                                                            round(spot.screen[1]) - size // 2, size, size)
        return targets

    def spot_at(self, x: float, y: float) -> PanoramaSpot | None:
        for spot in self.spots:
            if spot.screen and math.dist(spot.screen, (x, y)) <= hud.marker_radius(self.stage.size) + 8:
                return spot
        return None

    def gaze_target_at(self, x: float, y: float):
        """What a tap at (x, y) would act on, for VR's gaze dwell: a hotspot or a button, else None."""
        spot = self.spot_at(x, y)
        if spot is not None:
            return ("hotspot", spot.id)
        return next((("button", b.key) for b in self.buttons if b.hit(x, y)), None)

    def open(self, spot: PanoramaSpot) -> None:
        self.open_spot = spot
        self.report_item("hotspot", spot.id, spot.title)
        self.play(spot.audio)

    def on_press(self, x, y, now) -> None:
        self.last_interaction = now

    def on_tap(self, x, y, now) -> None:
        spot = self.spot_at(x, y)
        if spot is not None:
            self.open(spot)
        else:
            self.open_spot = None

    def on_drag(self, dx, dy, x, y, now) -> None:
        # Grab-and-drag: the scene follows the finger, so the view turns the other way.
        self.look(-dx * DEGREES_PER_PIXEL * self.fov / 70, dy * DEGREES_PER_PIXEL * self.fov / 70, now)

    def on_pinch(self, factor, dx, dy, now) -> None:
        """Spreading two fingers narrows the view (zooms in), within comfortable limits."""
        self.last_interaction = now
        self.fov = clamp(self.fov / factor, MIN_FOV, MAX_FOV)
        set_vertical_fov(self.stage.lens, self.fov, self.stage.size)

    def on_button(self, key, now) -> None:
        if key == "open" and self.open_spot is not None and self.open_spot.opens:
            self.open_request = self.open_spot.opens
            opener = self.ctx.services.get("open_package")
            if opener is not None:
                opener(self.open_request)
            self.finished = True

    def on_action(self, action, now) -> None:
        steps = {"left": (-KEY_STEP, 0), "right": (KEY_STEP, 0), "up": (0, KEY_STEP), "down": (0, -KEY_STEP)}
        if action in steps:
            self.look(*steps[action], now)
        elif action == "select" and self.spots:
            current = self.spots.index(self.open_spot) if self.open_spot in self.spots else -1
            spot = self.spots[(current + 1) % len(self.spots)]
            self.look(spot.yaw - self.yaw, spot.pitch - self.pitch, now)
            self.open(spot)
        elif action == "back" and self.open_spot is not None:
            self.open_spot = None
        else:
            super().on_action(action, now)
