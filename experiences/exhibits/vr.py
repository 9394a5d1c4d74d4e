"""VR mode for every exhibit kind: side-by-side stereo for a phone-style headset, barrel pre-distortion that
cancels the lenses' pincushion, head (or pointer) look, and a gaze reticle that selects by dwelling.

`VRExhibit` wraps a running exhibit: the exhibit renders each eye into a half-width surface with the camera
turned by the head pose and shifted by half the eye distance; the wrapper distorts and places the two halves.
Head poses arrive as "aim" InputEvents (yaw/pitch in degrees), from a headset or from `ScriptedHeadPose`.
"""
from __future__ import annotations

import bisect
import math
from contextlib import contextmanager
from dataclasses import dataclass, replace

import numpy as np
import pygame

from experiences.exhibits import hud
from experiences.exhibits.offscreen import set_vertical_fov
from experiences.runtime import Experience, InputEvent

DWELL_SECONDS = 1.5  # gaze held this long on a target selects it
EYE_SEPARATION = 0.064  # metres between the eyes (scene units are metres in the bundled exhibits)
HEADSET_FOV = 80.0  # vertical degrees of a phone-in-a-viewer headset
LENS_PASS_MS = 1.0  # what one eye's lens pre-distortion costs (LensPass at 640×720, a loaded 2-core machine)


@dataclass(frozen=True)
class LensProfile:
    """Radial pre-distortion r_src = r · (1 + k1·r² + k2·r⁴), r measured from the lens centre in units of the
    eye view's half-width; `scale` shrinks the picture so the distorted edge stays inside the view."""

    k1: float = 0.22
    k2: float = 0.24
    scale: float = 1.0 / 1.46


def distortion_map(width: int, height: int, lens: LensProfile = LensProfile()) -> np.ndarray:
    """For each pixel of an eye view (rows × cols), the flat index of the source pixel it shows, or -1 where
    the lens sees nothing. Computed once per size; applying it is one gather per frame."""
    cy, cx = (height - 1) / 2, (width - 1) / 2
    half = width / 2
    y, x = np.mgrid[0:height, 0:width]
    dx, dy = (x - cx) / half, (y - cy) / half
    r2 = dx * dx + dy * dy
    # Barrel: a pixel at radius r shows the picture from a larger radius, so the picture is squeezed towards
    # the edge as much as the lens will stretch it back.
    factor = (1 + lens.k1 * r2 + lens.k2 * r2 * r2) * lens.scale
    sx = cx + dx * factor * half
    sy = cy + dy * factor * half
    inside = (sx >= 0) & (sx <= width - 1) & (sy >= 0) & (sy <= height - 1)
    index = np.rint(sy).astype(np.int64) * width + np.rint(sx).astype(np.int64)
    return np.where(inside, index, -1)


def apply_distortion(surface: pygame.Surface, mapping: np.ndarray) -> pygame.Surface:
    """A new surface showing `surface` through the pre-distortion `mapping` (black outside the lens)."""
    pixels = pygame.surfarray.pixels2d(surface)  # columns × rows, packed pixels
    flat = np.ascontiguousarray(pixels.T).ravel()
    del pixels
    out = np.where(mapping >= 0, flat[np.clip(mapping, 0, None)], 0)
    result = pygame.Surface(surface.get_size(), 0, surface)
    pygame.surfarray.blit_array(result, out.reshape(mapping.shape).T)
    return result


class LensPass:
    """Applies one eye's pre-distortion straight into its half of the output surface: one gather of packed
    32-bit pixels with a precomputed index (~0.8 ms an eye at 640×720, where `apply_distortion` plus a blit
    costs ~1.6 ms). Surfaces that are not 32-bit with the eye's pixel layout take `apply_distortion`."""

    def __init__(self, mapping: np.ndarray):
        self.mapping = mapping
        self.shape = mapping.shape
        count = mapping.size
        # Pixels the lens does not see read one extra black texel past the end of the eye's pixels.
        self.index = np.where(mapping.ravel() >= 0, mapping.ravel(), count)
        self.source = np.zeros(count + 1, np.uint32)
        self.gathered = np.empty(count, np.uint32)
        self.last: pygame.Surface | None = None  # the last eye when it took the reference path

    def _packed(self, eye: pygame.Surface, target: pygame.Surface) -> bool:
        height, width = self.shape
        return (eye.get_bytesize() == 4 and target.get_bytesize() == 4 and eye.get_masks() == target.get_masks()
                and eye.get_pitch() == width * 4 and eye.get_size() == (width, height))

    def apply(self, eye: pygame.Surface, target: pygame.Surface, x: int) -> None:
        """Draw `eye` through the lens into `target` with its left edge at column `x`."""
        self.last = None
        if not self._packed(eye, target):
            self.last = apply_distortion(eye, self.mapping)
            target.blit(self.last, (x, 0))
            return
        pixels = np.frombuffer(eye.get_buffer(), np.uint32)  # locks the surfaces while the views live
        self.source[:-1] = pixels
        del pixels
        self.gathered = self.source[self.index]  # fancy indexing: ~30% faster here than np.take(out=)
        self.repeat(target, x)

    def repeat(self, target: pygame.Surface, x: int) -> None:
        """Draw the last eye again at column `x` (the other half, when both eyes see the same picture)."""
        if self.last is not None:
            target.blit(self.last, (x, 0))
            return
        height, width = self.shape
        rows = np.frombuffer(target.get_buffer(), np.uint32).reshape(target.get_height(), target.get_pitch() // 4)
        rows[:height, x:x + width] = self.gathered.reshape(height, width)
        del rows


class ScriptedHeadPose:
    """Head poses from keyframes (time in seconds, yaw, pitch), linearly interpolated: a head tracker for tests,
    demos and attract loops. `event(t)` returns the "aim" InputEvent for time t since the start."""

    def __init__(self, keyframes: list[tuple[float, float, float]]):
        self.keyframes = sorted(keyframes)
        self.times = [k[0] for k in self.keyframes]

    def pose(self, t: float) -> tuple[float, float]:
        i = bisect.bisect_right(self.times, t)
        if i == 0:
            return self.keyframes[0][1:]
        if i == len(self.keyframes):
            return self.keyframes[-1][1:]
        (t0, y0, p0), (t1, y1, p1) = self.keyframes[i - 1], self.keyframes[i]
        f = (t - t0) / (t1 - t0) if t1 > t0 else 1.0
        return y0 + (y1 - y0) * f, p0 + (p1 - p0) * f

    def event(self, t: float) -> InputEvent:
        yaw, pitch = self.pose(t)
        return InputEvent("aim", x=0.5, y=0.5, yaw=yaw, pitch=pitch, source="head")


class VRExhibit(Experience):
    """Side-by-side stereo around an exhibit created for half the screen width."""

    def __init__(self, package, ctx, inner_class, lens: LensProfile = LensProfile(), dwell: float = DWELL_SECONDS):
        super().__init__(package, ctx)
        width, height = ctx.size
        self.eye_size = (width // 2, height)
        self.inner = inner_class(package, replace(ctx, size=self.eye_size))
        self.mapping = distortion_map(*self.eye_size, lens)
        self.lens_pass = LensPass(self.mapping)
        self.dwell = dwell
        self.head = (0.0, 0.0)  # yaw (right positive), pitch (up positive), degrees
        self.gaze_target = None
        self.gaze_since = 0.0
        self.eye_surface = pygame.Surface(self.eye_size)
        self.xr = ctx.services.get("xr")  # an OpenXR headset (experiences/xr/rig.py), or None: side by side
        self.xr_view = None
        self.aim_source = "head"
        self.controller_ray = None  # (origin, yaw, pitch) of the aiming controller, in the headset's frame

    def start(self) -> None:
        self.inner.start()
        # A headset shows a wide view whatever the exhibit chose for a flat screen.
        set_vertical_fov(self.inner.stage.lens, HEADSET_FOV, self.eye_size)
        governor = self.inner.stage.governor
        if governor is not None:  # on a kiosk: two eye renders and two lens passes share one frame's budget
            self.inner.stage.enable_adaptive_resolution(budget_ms=(governor.budget * 1000 - 2 * LENS_PASS_MS) / 2)
        if self.xr is not None:
            from experiences.xr.exhibit_view import XrExhibitView

            self.inner.stage.governor = None  # the headset's runtime sets the pace and the eyes' size
            self.xr_view = XrExhibitView(self.xr, self.inner.stage, self.eye_size)
        self.ctx.reporter.context_extensions["vr-display"] = "openxr" if self.xr_view else "side-by-side"

    def stop(self, reason: str) -> None:
        if self.xr_view is not None:
            self.xr_view.release()
            self.xr_view = None
        self.inner.stop(reason)

    stereo = True  # side by side: the kiosk's home button goes into both eyes

    def visit_summary(self) -> str | None:
        return self.inner.visit_summary()

    @property
    def finished(self) -> bool:
        return getattr(self, "inner", None) is not None and self.inner.finished

    @finished.setter
    def finished(self, value: bool) -> None:  # Experience.__init__ sets it; the inner exhibit decides
        pass

    def handle(self, event: InputEvent) -> None:
        if event.type == "aim" and event.source == "controller":
            self.aim_source, self.controller_ray = "controller", (event.origin, event.yaw, event.pitch)
            return
        if event.type == "aim":
            self.aim_source = "head"
            self.head = (event.yaw, event.pitch)
            return
        if (event.type == "action" and event.action == "select" and event.source == "controller"
                and self.xr_view is not None):
            self._controller_tap()
            return
        self.ctx.reporter.context_extensions["aim-input"] = "keys" if event.type == "action" else "pointer"
        if event.type.startswith("pointer_"):
            # Either half of the screen is the same view: fold pointer positions onto one eye.
            event = replace(event, x=event.x % self.eye_size[0])
        self.inner.handle(event)

    def update(self, dt: float) -> None:
        if self.xr_view is not None:
            self._hold_still()
        self.inner.update(dt)
        if self.aim_source == "head":  # with a controller in hand, looking around never selects
            self._update_gaze()

    def _hold_still(self) -> None:
        """In a headset the world never moves by itself (comfort): no auto-pan, no auto-rotate."""
        if getattr(self.inner, "auto_pan", 0):
            self.inner.auto_pan = 0.0
        orbit = getattr(self.inner, "orbit", None)
        if orbit is not None and orbit.auto_rotate:
            orbit.auto_rotate = 0.0

    def _controller_pixel(self):
        if self.controller_ray is None or self.xr_view is None:
            return None
        return self.xr_view.pixel_of_ray(*self.controller_ray)

    def _controller_tap(self) -> None:
        """The trigger: a tap where the controller's ray meets the exhibit's view."""
        pixel = self._controller_pixel()
        if pixel is None:
            return
        self.ctx.reporter.context_extensions["aim-input"] = "controller"
        self.inner.handle(InputEvent("pointer_down", *pixel, source="controller"))
        self.inner.handle(InputEvent("pointer_up", *pixel, source="controller"))

    @contextmanager
    def head_view(self, eye: int = 0):
        """The exhibit's camera turned by the head pose and moved to one eye (-1 left, +1 right, 0 between),
        restored afterwards so the exhibit's own camera logic never sees the head."""
        camera = self.inner.stage.camera
        saved = camera.get_transform()
        camera.set_hpr(camera, -self.head[0], self.head[1], 0)
        camera.set_pos(camera, eye * EYE_SEPARATION / 2, 0, 0)
        try:
            yield
        finally:
            camera.set_transform(saved)

    def _update_gaze(self) -> None:
        target_of = getattr(self.inner, "gaze_target_at", None)
        center = (self.eye_size[0] / 2, self.eye_size[1] / 2)
        with self.head_view():
            target = target_of(*center) if target_of else None
            now = self.ctx.clock.now()
            if target != self.gaze_target:
                self.gaze_target, self.gaze_since = target, now
                return
            if target is not None and now - self.gaze_since >= self.dwell:
                self.ctx.reporter.context_extensions["aim-input"] = "head"
                self.inner.handle(InputEvent("pointer_down", *center, source="head"))
                self.inner.handle(InputEvent("pointer_up", *center, source="head"))
                self.gaze_since = math.inf  # one selection per dwell: look away and back to select again

    @property
    def gaze_progress(self) -> float:
        if self.gaze_target is None or math.isinf(self.gaze_since):
            return 0.0
        return min(1.0, (self.ctx.clock.now() - self.gaze_since) / self.dwell)

    def stereo_parallax(self) -> float:
        """How many pixels apart the two eyes see the nearest thing the exhibit shows (its `nearest_distance`
        in metres; 0 or missing: unknown, assumed close)."""
        nearest = getattr(self.inner, "nearest_distance", 0.0)
        if nearest <= 0:
            return math.inf
        horizontal_fov = math.radians(self.inner.stage.lens.get_fov()[0])
        focal_pixels = (self.eye_size[0] / 2) / math.tan(horizontal_fov / 2)
        return EYE_SEPARATION * focal_pixels / nearest

    def draw(self, surface: pygame.Surface) -> None:
        if self.xr_view is not None:  # into the headset; the window mirrors it
            if self.aim_source == "controller":
                pointer = self._controller_pixel()
            else:
                pointer = self.xr_view.pixel_of_ray(None, *self.head)
            self.xr_view.render_into(surface, self.inner, pointer)
            return
        if self.stereo_parallax() < 1.0:
            # Everything is so far away (a panorama's sphere) that both eyes would see the same pixels: one
            # render and one lens pass serve both halves, at half the cost.
            with self.head_view(0):
                self.inner.draw(self.eye_surface)
            self._draw_reticle(self.eye_surface)
            self.lens_pass.apply(self.eye_surface, surface, 0)
            self.lens_pass.repeat(surface, self.eye_size[0])
            return
        for index, side in enumerate((-1, 1)):
            with self.head_view(side):
                self.inner.draw(self.eye_surface)
            self._draw_reticle(self.eye_surface)
            self.lens_pass.apply(self.eye_surface, surface, index * self.eye_size[0])

    def _draw_reticle(self, eye: pygame.Surface) -> None:
        """A ring at the gaze point; an arc fills it while a target is held (shape, not only colour)."""
        center = (self.eye_size[0] // 2, self.eye_size[1] // 2)
        pygame.draw.circle(eye, hud.PAPER, center, 12, width=3)
        pygame.draw.circle(eye, hud.INK, center, 3)
        progress = self.gaze_progress
        if progress > 0:
            rect = pygame.Rect(0, 0, 40, 40)
            rect.center = center
            pygame.draw.arc(eye, hud.ACCENT, rect, math.pi / 2, math.pi / 2 + 2 * math.pi * progress, 6)
