"""One experience's view of the offscreen engine (experiences/exhibits/offscreen.py): its scene root, camera and
lens, and the per-frame path from panda3d's buffer to the pygame Surface — render, read back, reuse unchanged
frames, multisample still views, copy or scale into the window, project and pick.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from experiences import drawlog
from experiences import freetype_guard  # noqa: F401  (before pygame.freetype and panda3d)
from panda3d.core import (  # noqa: E402
    AmbientLight,
    DirectionalLight,
    LColor,
    LPoint2f,
    LPoint3f,
    NodePath,
    Texture,
)

from experiences.exhibits.resolution import ResolutionGovernor

if TYPE_CHECKING:
    from experiences.exhibits.offscreen import OffscreenEngine


@dataclass(frozen=True)
class Frame:
    """One rendered frame in RAM: tightly packed rows, top row first, in `pixel_format` ("BGR" or "BGRA")."""

    data: bytes
    size: tuple[int, int]
    pixel_format: str


class Stage:
    """One experience's view of the engine: `root` for its scene, `camera`, `lens`, and per-frame rendering."""

    def __init__(self, engine: OffscreenEngine, size: tuple[int, int]):
        self.engine = engine
        self.size = size
        self.root = engine.render.attach_new_node("stage")
        self.camera = engine.camera
        self.lens = engine.lens
        self.released = False
        self.governor: ResolutionGovernor | None = None
        self.render_scale = 1.0
        self.scale_ceiling = 1.0  # see limit_render_scale
        self.depth_buffer = True  # see use_depth_buffer
        self.reuse_unchanged_frames = False  # opt-in: the exhibit promises to call mark_dirty() on changes
        self.headset_view = False  # an OpenXR headset shows the scene (experiences/xr/exhibit_view.py)
        self._dirty = True
        self._last_key = None
        self._last_image = None
        self._last_data = None
        self._last_frame: Frame | None = None  # the last frame when it was copied straight into the surface
        self._last_small = None  # the last content-limited frame, in the window's format (see _upscale_into)
        self.antialias = False  # see enable_antialias
        self.antialias_still = False
        self.antialias_always = False
        self._last_antialiased = False
        self._depth_pending = False
        self._multisample_next = False  # set by render_into for the next render_frame
        self.set_background((0.0, 0.0, 0.0))

    def set_background(self, rgb: tuple[float, float, float]) -> None:
        self._dirty = True
        self.background = tuple(rgb)
        self.engine.buffer.set_clear_color(LColor(rgb[0], rgb[1], rgb[2], 1))

    def set_render_scale(self, scale: float) -> None:
        """Render at `scale` × the surface size (upscaled when copied): fewer pixels for the software rasteriser.
        Projections stay in surface pixels."""
        self._check_live()
        width, height = self.size
        render_size = (max(16, round(width * scale / 2) * 2), max(16, round(height * scale / 2) * 2))
        self.engine._ensure_buffer(render_size)
        self.render_scale = scale
        self.set_background(self.background)  # a new buffer starts with the default clear colour
        self.use_depth_buffer(self.depth_buffer)  # ...and clears depth

    def use_depth_buffer(self, enabled: bool) -> None:
        """Clear the depth buffer every frame (the default), or leave it untouched for a scene that never
        depth-tests (a panorama's sphere): llvmpipe then skips depth entirely, ~10% of such a frame."""
        self.depth_buffer = enabled
        self.engine.buffer.set_clear_depth_active(enabled)

    def enable_adaptive_resolution(self, budget_ms: float = 11.0) -> None:
        """Let the render scale follow the measured render time, so a slow machine keeps its frame rate."""
        self.governor = ResolutionGovernor(budget_ms / 1000.0, current=self.render_scale, ceiling=self.scale_ceiling)

    def limit_render_scale(self, ceiling: float) -> None:
        """Render at most `ceiling` × the surface size, upscaled smoothly: for scenes with less detail than the
        screen (a magnified panorama), where more pixels cost time and add nothing. Adaptive steps stay below."""
        ceiling = min(1.0, ceiling)
        if ceiling == self.scale_ceiling:
            return
        self.scale_ceiling = ceiling
        if self.governor is not None:
            self.governor = ResolutionGovernor(self.governor.budget, current=min(self.render_scale, ceiling),
                                               ceiling=ceiling)
            ceiling = self.governor.scale
        self.set_render_scale(ceiling)

    def enable_antialias(self, still: bool = True, always: bool = False) -> None:
        """Smooth edges (multisampling, see experiences.exhibits.antialias) on the frames people look at: a
        frame recorded for a shot (experiences.drawlog is recording: `launcher.py shots`, the screen tests);
        with `still`, a still view, rendered once more multisampled and then reused; every frame when `always`,
        or once a multisampled frame measured within the frame budget (a GPU). No effect where the pipe cannot
        multisample."""
        from panda3d.core import AntialiasAttrib

        self.antialias, self.antialias_still, self.antialias_always = True, still, always
        self.root.set_antialias(AntialiasAttrib.M_multisample)

    def add_default_lights(self, ambient: float = 0.35, sun: float = 0.9) -> None:
        """A soft ambient light and one key light from the upper front left, attached to the stage root."""
        amb = AmbientLight("ambient")
        amb.set_color(LColor(ambient, ambient, ambient, 1))
        key = DirectionalLight("key")
        key.set_color(LColor(sun, sun * 0.97, sun * 0.92, 1))
        key_np = self.root.attach_new_node(key)
        key_np.set_hpr(-35, -40, 0)
        self.root.set_light(self.root.attach_new_node(amb))
        self.root.set_light(key_np)

    def render_frame(self) -> Frame:
        """Render once and return the frame in RAM, top row first (multisampled when `render_into` asked for
        it and the pipe can)."""
        self._check_live()
        sampler = self.engine.multisampler() if self._multisample_next else None
        self._multisample_next = False
        pending_scale = None
        if sampler is not None:
            texture = sampler.render(LColor(*self.background, 1), keep_plain=self._depth_pending)
            budget = self.governor.budget if self.governor else None
            if budget is not None:  # a GPU renders it within the budget: multisample every frame
                self.antialias_always = sampler.seconds < budget * 0.8
        else:
            started = time.perf_counter()
            self.engine.graphics_engine.render_frame()
            pending_scale = self.governor.observe(time.perf_counter() - started) if self.governor else None
            texture = self.engine.texture
        self._depth_pending = False
        self._last_antialiased = sampler is not None
        width, height = texture.get_x_size(), texture.get_y_size()
        components = texture.get_num_components()
        raw = texture.get_ram_image()
        pixel_format = "BGRA" if components == 4 else "BGR"
        row = width * components
        # OpenGL's rows run bottom-up; flip once here so every caller sees a normal image.
        rows = np.frombuffer(memoryview(raw), dtype=np.uint8).reshape(height, row)
        frame = Frame(rows[::-1].tobytes(), (width, height), pixel_format)
        if pending_scale is not None:  # applies from the next frame; this one is already in RAM
            self.set_render_scale(pending_scale)
        return frame

    def request_depth(self) -> None:
        """Copy the depth buffer to RAM with the next frame (costs a few ms, so only when hotspots need it)."""
        self.engine.enable_depth()
        self.engine.buffer.trigger_copy()
        self._depth_pending = True

    def depth_at(self, x: float, y: float) -> float | None:
        """Camera-space distance (along the view axis) of the nearest surface under pixel (x, y) at the last
        depth copy; None before any copy, outside the frame, or on tinydisplay (its depth buffer is not
        OpenGL's normalised depth). Infinity where nothing was drawn."""
        texture = self.engine.depth_texture
        if texture is None or not texture.has_ram_image() or self.engine.module != "p3headlessgl":
            return None
        width, height = texture.get_x_size(), texture.get_y_size()
        col, row = int(x * width / self.size[0]), int(y * height / self.size[1])
        if not (0 <= col < width and 0 <= row < height):
            return None
        raw = memoryview(texture.get_ram_image())
        # EGL gives 32-bit floats here; other GL drivers may give 16- or 32-bit integers.
        per_pixel = len(raw) // (width * height)
        dtype = {2: np.uint16, 4: np.float32}.get(per_pixel)
        if dtype is None:
            return None
        if dtype is np.float32 and texture.get_component_type() != Texture.T_float:
            dtype = np.uint32
        depth = np.frombuffer(raw, dtype=dtype, count=width * height).reshape(height, width)
        value = float(depth[height - 1 - row, col])
        if dtype is not np.float32:
            value /= float(np.iinfo(dtype).max)
        if value >= 1.0:
            return float("inf")
        near, far = self.lens.get_near(), self.lens.get_far()
        ndc = 2 * value - 1
        return 2 * near * far / (far + near - ndc * (far - near))

    def mark_dirty(self) -> None:
        """The scene changed (geometry, textures, visibility): the next `render_into` renders anew."""
        self._dirty = True

    def _view_key(self) -> tuple:
        matrix = self.camera.get_mat(self.engine.render)
        return (tuple(matrix.get_row(i)[j] for i in range(4) for j in range(4)), tuple(self.lens.get_fov()),
                self.lens.get_near(), self.lens.get_far(), self.render_scale)

    def render_into(self, surface) -> None:
        """Render and copy the frame into a pygame Surface (scaled if the sizes differ).

        With `reuse_unchanged_frames` set, a frame whose camera and lens did not move and whose scene was not
        marked dirty is copied from the last one instead of rendered: a book being read costs ~1 ms a frame."""
        import pygame

        if self.headset_view:  # the scene goes to the headset; the exhibit draws its overlay on a clear ground
            surface.fill((0, 0, 0, 0))
            return
        key = self._view_key()
        unchanged = self.reuse_unchanged_frames and not self._dirty and key == self._last_key
        recorded = self.antialias and drawlog.active() is not None  # a shot: judged closely, so multisampled
        refine = unchanged and self.antialias and (self.antialias_still or recorded) and not self._last_antialiased \
            and self.engine.multisampler() is not None
        if unchanged and not refine:
            if self._last_image is not None and self._last_image.get_size() == surface.get_size():
                surface.blit(self._last_image, (0, 0))
                return
            if self._last_frame is not None and _copy_into(surface, self._last_frame):
                return
            if self._last_small is not None and _same_format(self._last_small, surface):
                pygame.transform.smoothscale(self._last_small, surface.get_size(), surface)
                return
        self._multisample_next = self.antialias and (self.antialias_always or refine or recorded)
        frame = self.render_frame()
        self._dirty, self._last_key = False, key
        self._last_image = self._last_frame = self._last_small = None
        if frame.size == surface.get_size() and frame.pixel_format == "BGRA" and _copy_into(surface, frame):
            self._last_frame = frame
            return
        if frame.size[0] < surface.get_width() and self.scale_ceiling < 1.0 and self._upscale_into(surface, frame):
            return
        image = pygame.image.frombuffer(frame.data, frame.size, frame.pixel_format)
        if frame.size == surface.get_size():
            shown = image
        elif frame.size[0] < surface.get_width() and self.scale_ceiling < 1.0:
            shown = pygame.transform.smoothscale(image, surface.get_size())  # content-limited: keep it smooth
        elif frame.size[0] < surface.get_width():
            shown = pygame.transform.scale(image, surface.get_size())  # upscaling: nearest is cheaper
        else:
            shown = pygame.transform.smoothscale(image, surface.get_size())
        surface.blit(shown, (0, 0))
        self._last_image, self._last_data = shown, frame.data  # frombuffer shares the bytes: keep them alive

    def _upscale_into(self, surface, frame: Frame) -> bool:
        """A content-limited frame (see `limit_render_scale`) copied into a small surface of the window's own
        format and scaled smoothly straight into the window: no full-size temporary and no alpha blit (~0.4 ms
        at 1280×720). False for windows `_copy_into` cannot take."""
        import pygame

        small = pygame.Surface(frame.size, 0, surface)
        if not _copy_into(small, frame):
            return False
        pygame.transform.smoothscale(small, surface.get_size(), surface)
        self._last_small = small
        return True

    def project(self, point, relative_to: NodePath | None = None) -> tuple[float, float, float] | None:
        """Pixel position (x, y from the top left) and camera-space depth of a 3D point; None if behind the camera."""
        origin = relative_to if relative_to is not None else self.root
        p_cam = self.camera.get_relative_point(origin, LPoint3f(*point))
        projected = LPoint2f()
        if p_cam.y <= 0 or not self.lens.project(p_cam, projected):
            return None
        x = (projected.x + 1) * 0.5 * self.size[0]
        y = (1 - projected.y) * 0.5 * self.size[1]
        return x, y, p_cam.y

    def pick_ray(self, x: float, y: float):
        """The world-space ray (origin, direction) under pixel (x, y)."""
        near, far = LPoint3f(), LPoint3f()
        film = LPoint2f(2 * x / self.size[0] - 1, 1 - 2 * y / self.size[1])
        self.lens.extrude(film, near, far)
        origin = self.root.get_relative_point(self.camera, near)
        target = self.root.get_relative_point(self.camera, far)
        return origin, (target - origin).normalized()

    def release(self) -> None:
        """Detach everything this stage built; the engine stays up for the next run."""
        if self.released:
            return
        self.released = True
        self.root.remove_node()
        if self.engine.stage is self:
            self.engine._reset()
            self.engine.buffer.set_active(False)  # nothing to draw until the next stage (the lanterns' VR view
            # renders on the same engine and must not pay for an empty frame here)

    def _check_live(self) -> None:
        if self.released:
            raise RuntimeError("this stage was released; acquire a new one from the engine")


def _same_format(a, b) -> bool:
    return a.get_bitsize() == b.get_bitsize() and a.get_masks() == b.get_masks()


def _copy_into(surface, frame: Frame) -> bool:
    """Copy a full-size BGRA frame straight into a 32-bit surface whose bytes are B, G, R, X (the usual window
    and Surface format), row by row: ~0.1 ms where frombuffer + an alpha blit costs ~0.4 ms at 1280×720.
    False (nothing copied) for any other surface, which then takes the blit path."""
    width, height = frame.size
    if (surface.get_size() != frame.size or surface.get_bytesize() != 4 or frame.pixel_format != "BGRA"
            or tuple(surface.get_masks()[:3]) != (0xFF0000, 0xFF00, 0xFF)):
        return False
    rows = np.frombuffer(surface.get_buffer(), dtype=np.uint8)  # locks the surface while `rows` lives
    rows.reshape(height, surface.get_pitch())[:, :width * 4] = np.frombuffer(frame.data, dtype=np.uint8).reshape(height, width * 4)
    del rows  # unlocks it
    return True
