"""exhibit-treasure: a glTF/GLB model on a turntable. Orbit, pan and zoom within the curator's limits; auto-rotate
that pauses on interaction; hotspots that hide when facing away or hidden behind the model; a poster and
progress bar while the model loads; a reset-view button.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import pygame
from panda3d.core import LPoint3f, LVector3f

from experiences.exhibits import hud, offscreen, pbr
from experiences.exhibits.assets3d import ModelLoading
from experiences.exhibits.card_room import FilmShift, fit_clear
from experiences.exhibits.exhibit import Exhibit3D
from experiences.exhibits.orbit import OrbitCamera, OrbitLimits, OrbitView
from experiences.i18n import t
from experiences.runtime import home_button_area

KEY_STEP_PIXELS = 40  # one arrow press turns the object as much as a 40 px drag
DEPTH_EVERY = 6  # frames between depth copies for occlusion (each costs several ms on llvmpipe)


@dataclass
class Hotspot:
    id: str
    number: int
    position: tuple[float, float, float]
    normal: tuple[float, float, float] | None
    title: dict
    text: dict
    audio: str = ""
    image: str = ""
    visible: bool = False
    occluded: bool = False
    screen: tuple[float, float] | None = None
    shown: bool = True  # drawn at the last frame (a marker under the label or a button is left out)


def treasure_buttons(size: tuple[int, int], language: str) -> list[hud.Button]:
    """复位 beside the kiosk's home button, ＋ and － stacked in the bottom right corner; big for small hands."""
    width, height = size
    home_x, home_y, home_w, home_h = home_button_area(size)[0]
    side, gap, margin = hud.px(size, 112), hud.px(size, 20), hud.px(size, hud.MARGIN_PX)
    reset = pygame.Rect(home_x + home_w + gap, home_y + home_h - side, hud.px(size, 190), side)
    return [
        hud.Button("reset", reset, t("exhibit.reset_view", language)),
        hud.Button("zoom_in", pygame.Rect(width - margin - side, height - margin - 2 * side - gap, side, side), "＋"),
        hud.Button("zoom_out", pygame.Rect(width - margin - side, height - margin - side, side, side), "－"),
    ]


class TreasureExhibit(Exhibit3D):
    hint_key = "exhibit.drag_hint"

    def build(self) -> None:
        content = self.package.manifest.content
        self.stage.set_background(tuple(content.get("background", (0.16, 0.15, 0.14))))
        self.poster = self.load_surface(content["poster"]) if content.get("poster") else None
        # panda3d is driven from the main thread only (docs/kiosk-shell.md, "One window, no GL of its own"): a
        # conversion thread beside the window's frames crashed the kiosk now and then (2 in ~30 windowed opens,
        # segfaults in panda3d's PNG decoding and in prepare_scene). The steps still run one per frame, and the
        # converted .bam is cached: a cold convert costs ~0.08 s for the bundled ding, a cached load ~0.015 s.
        self.loading = ModelLoading(self.package, content["model"], background=False)
        self.model = None
        self.orbit: OrbitCamera | None = None
        self.frame_count = 0
        self.open_hotspot: Hotspot | None = None
        self.shift = FilmShift()  # the picture slides aside for an open card (experiences/exhibits/card_room.py)
        self.hotspots = [
            Hotspot(spot["id"], i + 1, tuple(spot["position"]), tuple(spot["normal"]) if spot.get("normal") else None,
                    spot.get("title", {}), spot.get("text", {}), spot.get("audio", ""), spot.get("image", ""))
            for i, spot in enumerate(content.get("hotspots", []))
        ]
        # PBR where the package and kiosk want it and the pipe runs shaders; fixed-function lights otherwise.
        gsg = self.stage.engine.buffer.get_gsg()
        wanted = pbr.lighting_mode(content, self.ctx.services, gsg.get_driver_renderer())
        self.pbr = wanted == "pbr" and pbr.shaders_usable(gsg)
        self.lighting = "pbr" if self.pbr else "basic"
        # The lights ride with the camera, so the side the visitor looks at is always lit.
        self.light_rig = pbr.add_museum_lights(self.stage.root, self.stage.camera, self.pbr)
        self.buttons = treasure_buttons(self.stage.size, self.ctx.language)

    # ---- loading ------------------------------------------------------------------------------------------
    def _place(self) -> None:
        self.model = self.loading.model
        if self.pbr and not pbr.apply_pbr(self.model, self.stage.engine.buffer.get_gsg()):
            self.pbr, self.lighting = False, "basic"  # the shader failed on this pipe after all (logged once)
            self.light_rig.remove_node()
            self.light_rig = pbr.add_museum_lights(self.stage.root, self.stage.camera, pbr=False)
        bounds = self.model.get_tight_bounds()
        low, high = bounds if bounds else (LPoint3f(-0.5), LPoint3f(0.5))
        # The outline the HUD keeps clear of: a ring round the model's upright axis at its top and bottom, which
        # projects nearly the same whichever way the camera has turned (a box's corners would make it breathe).
        reach = max(high.x - low.x, high.y - low.y) / 2 / math.cos(math.pi / 12)  # the 12-gon holds the circle
        self.outline_points = [LPoint3f((low.x + high.x) / 2 + reach * math.cos(a), (low.y + high.y) / 2 + reach * math.sin(a), z)
                               for a in (i * math.pi / 6 for i in range(12)) for z in (low.z, high.z)]
        center = (low + high) / 2
        radius = max((high - low).length() / 2, 1e-3)
        view = self.package.manifest.content.get("view", {})
        distance = view.get("distance", radius * 2.5)
        self.orbit = OrbitCamera(
            view=OrbitView(target=tuple(view.get("target", tuple(center))), distance=distance,
                           yaw=view.get("yaw", 0.0), pitch=view.get("pitch", 15.0)),
            limits=OrbitLimits(min_distance=view.get("min_distance", radius * 1.2),
                               max_distance=view.get("max_distance", radius * 6),
                               min_pitch=view.get("min_pitch", -15.0), max_pitch=view.get("max_pitch", 70.0),
                               max_pan=view.get("max_pan", radius * 0.5)),
            auto_rotate=view.get("auto_rotate", 12.0),
            resume_after=view.get("resume_after", 3.0),
        )
        self.stage.lens.set_near_far(radius * 0.02, radius * 50)
        # A window taller than wide keeps at least a 40° view across, so the treasure fits in portrait too.
        width, height = self.stage.size
        vertical = 2 * math.degrees(math.atan(math.tan(math.radians(offscreen.DEFAULT_VERTICAL_FOV / 2)) * max(1.0, height / width)))
        offscreen.set_vertical_fov(self.stage.lens, vertical, self.stage.size)
        self.vertical_fov = vertical
        self._apply_pose()
        # With auto-rotate paused nothing moves but the camera, which the stage notices itself.
        self.stage.reuse_unchanged_frames = True

    def _apply_pose(self) -> None:
        position, target = self.orbit.pose()
        self.stage.camera.set_pos(*position)
        self.stage.camera.look_at(LPoint3f(*target), LVector3f(0, 0, 1))

    def stop(self, reason: str) -> None:
        if getattr(self, "light_rig", None) is not None:
            self.light_rig.remove_node()  # it hangs under the engine's camera, which outlives this run
        super().stop(reason)

    @property
    def loaded(self) -> bool:
        return self.model is not None

    # ---- frame --------------------------------------------------------------------------------------------
    def update(self, dt: float) -> None:
        if not self.loaded:
            self.loading.step(self.stage)
            if self.loading.done and self.loading.error is None:
                self._place()
            elif self.loading.error:
                self.ctx.log.error("treasure model failed to load: %s", self.loading.error)
            return
        self.orbit.tick(dt, self.ctx.clock.now())
        self._apply_pose()
        if self.open_hotspot is not None:
            self.orbit.touch(self.ctx.clock.now())  # the object holds still while its card is read
        if self.shift.step(dt):
            self.shift.apply(self.stage.lens, self.stage.size, self.vertical_fov)
            self.stage.mark_dirty()

    def draw(self, surface: pygame.Surface) -> None:
        if not self.loaded:
            label = t("exhibit.load_failed" if self.loading.error else "exhibit.loading", self.ctx.language)
            hud.draw_loading(surface, self.text, self.loading.progress, label, self.poster)
            return
        depth_frame = bool(self.hotspots) and self.frame_count % DEPTH_EVERY == 0
        if depth_frame:
            self.stage.request_depth()
        self.stage.render_into(surface)
        self.update_hotspot_visibility(check_occlusion=depth_frame)
        self.frame_count += 1
        self.draw_overlay(surface)

    def update_hotspot_visibility(self, check_occlusion: bool = True) -> None:
        """Project every anchor; hide those off screen or facing away, and (on depth frames) those behind
        the model: the depth buffer under the anchor is nearer than the anchor itself."""
        camera_pos = self.stage.camera.get_pos(self.stage.root)
        for spot in self.hotspots:
            anchor = self.stage.root.get_relative_point(self.model, LPoint3f(*spot.position))
            projected = self.stage.project(anchor)
            spot.screen = projected[:2] if projected else None
            if projected is None or not (0 <= projected[0] < self.stage.size[0] and 0 <= projected[1] < self.stage.size[1]):
                spot.visible = False
                continue
            if spot.normal is not None:
                normal = self.stage.root.get_relative_vector(self.model, LVector3f(*spot.normal))
                if normal.dot(camera_pos - anchor) <= 0:  # facing away from the visitor
                    spot.visible = False
                    continue
            if check_occlusion:
                surface_depth = self.stage.depth_at(projected[0], projected[1])
                tolerance = 0.03 * self.orbit.distance
                spot.occluded = surface_depth is not None and surface_depth < projected[2] - tolerance
            spot.visible = not spot.occluded

    def draw_overlay(self, surface: pygame.Surface) -> None:
        label = self.draw_label(surface)
        panel = None
        if self.open_hotspot is not None:
            image = None
            width = hud.panel_width(surface.get_size())
            if self.open_hotspot.image:
                picture = self.load_surface(self.open_hotspot.image)
                shown = width - 2 * hud.px(surface.get_size(), 28)
                image = pygame.transform.smoothscale(picture, (shown, int(picture.get_height() * shown / picture.get_width())))
            avoid = [r for r in (label,) if r] + [b.rect for b in self.buttons] + \
                [pygame.Rect(r) for r in home_button_area(surface.get_size())]
            panel = hud.panel_rect(surface, self.text, self.local(self.open_hotspot.title),
                                   self.local(self.open_hotspot.text), image, avoid=avoid)
        hint = self.hint_rect(surface)
        self.make_room(panel, label, hint.top if hint is not None else None)
        # Markers stay clear of the label, the panel and the buttons (a marker under them could not be tapped).
        keep_clear = [r for r in (label, panel, hint) if r is not None] + [b.rect for b in self.buttons]
        for spot in self.hotspots:
            if spot.visible and spot.screen:
                spot.shown = hud.draw_marker(surface, self.text, *spot.screen, spot.number, self.local(spot.title),
                                             active=spot is self.open_hotspot, avoid=keep_clear) is not None
            else:
                spot.shown = False
        if self.open_hotspot is not None:
            hud.draw_panel(surface, self.text, self.local(self.open_hotspot.title), self.local(self.open_hotspot.text),
                           image, avoid=avoid)
        super().draw_overlay(surface)

    def make_room(self, panel: pygame.Rect | None, label: pygame.Rect | None, floor: int | None = None) -> None:
        """Aim the picture's shift and scale (experiences/exhibits/card_room.py) so the label, the open card and
        the hint along the bottom (its top: `floor`) never cover the model's outline, nor the open hotspot's
        marker."""
        if self.ctx.vr:
            return
        size = self.stage.size
        points = [self.stage.project(self.stage.root.get_relative_point(self.model, p)) for p in self.outline_points]
        points = [self.shift.unshifted(p[0], p[1], size) for p in points if p is not None]
        if not points:
            return
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        outline = pygame.Rect(round(min(xs)), round(min(ys)), round(max(xs) - min(xs)), round(max(ys) - min(ys)))
        margin, label, panel = hud.px(size, hud.MARGIN_PX), tuple(label) if label else None, tuple(panel) if panel else None
        change = fit_clear(tuple(outline), size, margin, label, panel, floor)
        if panel is not None and self.open_hotspot.screen is not None:
            radius = hud.marker_radius(size)
            ax, ay = self.shift.unshifted(*self.open_hotspot.screen, size)
            title_w = self.text.width(self.local(self.open_hotspot.title), hud.px(size, hud.TEXT_PX)) + hud.px(size, 36)
            for _ in range(3):  # the marker keeps its size when the picture shrinks: fit it at 1/k, settle k
                k = change[2]
                marker = pygame.Rect(round(ax - radius / k), round(ay - radius / k), round((2 * radius + title_w) / k),
                                     round(2 * radius / k))
                change = fit_clear(tuple(outline.union(marker)), size, margin, label, panel, floor)
        self.shift.aim(change)

    def test_targets(self) -> dict[str, pygame.Rect]:
        """The buttons, and each hotspot marker the visitor can see now ("hotspot:<id>")."""
        targets = super().test_targets()
        size = 2 * hud.marker_radius(self.stage.size)
        for spot in self.hotspots:
            if spot.visible and spot.screen and spot.shown:
                targets[f"hotspot:{spot.id}"] = pygame.Rect(round(spot.screen[0]) - size // 2,
                                                            round(spot.screen[1]) - size // 2, size, size)
        return targets

    def shot_states(self):
        """start (the model loaded), rotated (dragged round by a third), hotspot (a story card open)."""
        while not self.loaded:
            if self.loading.error:
                yield "load_failed"
                return
            yield None
        for _ in range(20):
            yield None  # the first frames with the model measure where the markers are and make room for it
        yield "start"
        width, height = self.stage.size
        self.drag(width * 0.3, height * 0.55, width * 0.25, 0)
        yield None
        yield "rotated"
        self.on_button("reset", self.ctx.clock.now())
        for _ in range(DEPTH_EVERY + 1):
            yield None  # a depth frame settles which markers are in view
        targets = [key for key in self.test_targets() if key.startswith("hotspot:")]
        if targets:
            rect = self.test_targets()[targets[0]]
            self.tap(*rect.center)
            for _ in range(30):
                yield None  # the picture slides aside for the card (~0.5 s)
            yield "hotspot"

    # ---- interaction --------------------------------------------------------------------------------------
    def open(self, spot: Hotspot) -> None:
        self.open_hotspot = spot
        self.report_item("hotspot", spot.id, spot.title)
        self.play(spot.audio)

    def hotspot_at(self, x: float, y: float) -> Hotspot | None:
        for spot in self.hotspots:
            reach = hud.marker_radius(self.stage.size) + 8
            if spot.visible and spot.screen and spot.shown and (spot.screen[0] - x) ** 2 + (spot.screen[1] - y) ** 2 <= reach ** 2:
                return spot
        return None

    def gaze_target_at(self, x: float, y: float):
        """What a tap at (x, y) would act on, for VR's gaze dwell: a hotspot or a button, else None."""
        spot = self.hotspot_at(x, y) if self.loaded else None
        if spot is not None:
            return ("hotspot", spot.id)
        return next((("button", b.key) for b in self.buttons if b.hit(x, y)), None)

    def on_press(self, x, y, now) -> None:
        if self.orbit:
            self.orbit.touch(now)

    def on_tap(self, x, y, now) -> None:
        if not self.loaded:
            if self.loading.error:
                self.finished = True
            return
        spot = self.hotspot_at(x, y)
        if spot is not None:
            self.open(spot)
        else:
            self.open_hotspot = None

    def on_drag(self, dx, dy, x, y, now) -> None:
        if self.orbit:
            self.orbit.drag(dx, dy, now)

    def on_pinch(self, factor, dx, dy, now) -> None:
        if self.orbit:
            self.orbit.zoom(factor, now)
            self.orbit.pan_by(dx, dy, now, pixels_per_unit=self.stage.size[1] / 1.0)

    def on_button(self, key, now) -> None:
        if not self.orbit:
            return
        if key == "reset":
            self.orbit.reset()
            self.orbit.touch(now)
            self.open_hotspot = None
        elif key == "zoom_in":
            self.orbit.zoom(1.25, now)
        elif key == "zoom_out":
            self.orbit.zoom(0.8, now)

    def on_action(self, action, now) -> None:
        if action == "back":
            if self.open_hotspot is not None:
                self.open_hotspot = None
            else:
                self.finished = True
            return
        if not self.orbit:
            return
        steps = {"left": (-KEY_STEP_PIXELS, 0), "right": (KEY_STEP_PIXELS, 0),
                 "up": (0, -KEY_STEP_PIXELS), "down": (0, KEY_STEP_PIXELS)}
        if action in steps:
            self.orbit.drag(*steps[action], now)
        elif action == "hint":
            self.on_button("reset", now)
        elif action == "select":
            visible = [spot for spot in self.hotspots if spot.visible]
            if visible:
                current = visible.index(self.open_hotspot) if self.open_hotspot in visible else -1
                self.open(visible[(current + 1) % len(visible)])
        elif action in ("zoom_in", "zoom_out"):
            self.on_button(action, now)
