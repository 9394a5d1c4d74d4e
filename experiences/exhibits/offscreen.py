"""The bridge from panda3d to the kiosk's pygame window: one offscreen engine per process, one stage at a time.

A 3D experience acquires a `Stage` (a fresh scene root, camera and lens), builds its scene under `stage.root`,
and each frame calls `stage.render_into(surface)`: panda3d renders into an offscreen buffer (p3headlessgl on
EGL/Mesa, which runs shaders; p3tinydisplay in software as a fallback), the frame is copied to RAM and blitted
into the pygame Surface. Releasing the stage clears the scene so the next run starts clean with the same engine.
This module holds the engine (pipe, buffers per size, multisamplers); experiences/exhibits/stage.py the stage.
"""
from __future__ import annotations

import logging
import os
import threading

from experiences import freetype_guard  # noqa: F401  (before pygame.freetype and panda3d)
from panda3d.core import (  # noqa: E402
    AntialiasAttrib,
    ColorWriteAttrib,
    Camera,
    FrameBufferProperties,
    GraphicsOutput,
    GraphicsPipe,
    GraphicsPipeSelection,
    LColor,
    NodePath,
    PerspectiveLens,
    Texture,
    WindowProperties,
    loadPrcFileData,
)

# The stage (per-run scene, camera and frame copying) lives in stage.py; its names stay importable from here.
from experiences.exhibits.stage import Frame, Stage, _copy_into, _same_format  # noqa: F401

log = logging.getLogger(__name__)

# Display modules in order of preference: shaders on EGL/Mesa first, software rasteriser as fallback.
DISPLAY_MODULES = ("p3headlessgl", "p3tinydisplay")
OFFSCREEN_PIPE_TYPES = {"p3headlessgl": "eglGraphicsPipe", "p3tinydisplay": "TinyOffscreenGraphicsPipe",
                        "pandagl": "glxGraphicsPipe"}  # GLX under X11: OpenXR's Xlib binding (experiences/xr)

_PRC = """
window-type none
audio-library-name null
sync-video false
framebuffer-multisample false
textures-power-2 none
model-cache-dir
notify-level-display error
notify-level-device fatal
"""


DEFAULT_VERTICAL_FOV = 40.0
KEPT_BUFFERS = 6  # inactive offscreen buffers kept for reuse (adaptive-resolution steps, VR eye sizes)


def set_vertical_fov(lens, degrees: float, size: tuple[int, int]) -> None:
    """Fix the vertical field of view; the horizontal one follows the frame's aspect ratio."""
    import math

    vertical = math.radians(degrees)
    horizontal = 2 * math.atan(math.tan(vertical / 2) * size[0] / size[1])
    lens.set_fov(math.degrees(horizontal), degrees)


class OffscreenUnavailable(RuntimeError):
    """No display module could open an offscreen buffer; the message lists what was tried."""


class OffscreenEngine:
    """The single panda3d graphics engine of this process; hands out one `Stage` at a time."""

    def __init__(self, modules: tuple[str, ...] = DISPLAY_MODULES):
        loadPrcFileData("yuedu-offscreen", _PRC)
        self.pipe, self.module = self._open_pipe(modules)
        from panda3d.core import GraphicsEngine

        self.graphics_engine = GraphicsEngine.get_global_ptr()
        self.buffer: GraphicsOutput | None = None
        self.texture: Texture | None = None
        self.size: tuple[int, int] | None = None
        self.render = NodePath("render")
        # The frame is read back as BGRA (Mesa's fast path) and blitted with per-pixel alpha: never write alpha,
        # so it keeps the clear value 1.0 and the 3D frame stays opaque whatever the scene blends.
        self.render.set_attrib(ColorWriteAttrib.make(ColorWriteAttrib.C_rgb), 1000)
        self.camera = NodePath(Camera("camera"))
        self.camera.reparent_to(self.render)
        self.lens = PerspectiveLens()
        self.camera.node().set_lens(self.lens)
        self.display_region = None
        self.depth_texture: Texture | None = None
        self.stage: Stage | None = None
        # sizes not rendered now -> (buffer, texture, display region, depth texture), least recently used first
        self._outputs: dict[tuple[int, int], tuple] = {}
        self._multisamplers: dict[tuple[int, int], object] = {}  # size -> antialias.Multisampler (or None)
        self._multisample_host = None

    def multisampler(self):
        """The multisampled buffer for the current size (see experiences.exhibits.antialias), None if the pipe
        has none."""
        from experiences.exhibits import antialias

        if self.size not in self._multisamplers:
            while len(self._multisamplers) >= KEPT_BUFFERS:
                old = self._multisamplers.pop(next(iter(self._multisamplers)))
                if old is not None:
                    old.close()
            if self._multisample_host is None and self.module == "p3headlessgl":
                self._multisample_host = antialias.make_host(self)
            self._multisamplers[self.size] = antialias.make(self, self._multisample_host, self.size)
        return self._multisamplers[self.size]

    @staticmethod
    def _open_pipe(modules: tuple[str, ...]):
        selection = GraphicsPipeSelection.get_global_ptr()
        tried = []
        for module in modules:
            default = selection.make_module_pipe(module)  # loads the module
            wanted = OFFSCREEN_PIPE_TYPES.get(module)
            if default is not None and default.is_valid() and default.get_type().name == wanted:
                return default, module
            # A module's default pipe may need X (tinydisplay's is TinyX): ask for its offscreen one by name.
            for i in range(selection.get_num_pipe_types()):
                pipe_type = selection.get_pipe_type(i)
                if pipe_type.name == wanted:
                    pipe = selection.make_pipe(pipe_type)
                    if pipe is not None and pipe.is_valid():
                        return pipe, module
            tried.append(module)
        raise OffscreenUnavailable(f"no offscreen display module worked (tried {', '.join(tried) or 'none'})")

    @property
    def renderer(self) -> str:
        gsg = self.buffer.get_gsg() if self.buffer is not None else None
        return f"{self.module}: {gsg.get_driver_renderer() if gsg else '?'}"

    @property
    def supports_shaders(self) -> bool:
        return bool(self.buffer and self.buffer.get_gsg().get_supports_basic_shaders())

    def _ensure_buffer(self, size: tuple[int, int]) -> None:
        """Make the buffer of `size` the one rendered into. Buffers are kept per size (the adaptive resolution
        steps between a few): making a new one for every step and removing the old grew the process by ~5 MB a
        step under EGL (3,000 windowed frames of the hall: +180 MB); kept, memory stays flat."""
        if self.buffer is not None and self.size == size:
            return
        gsg = None
        if self.buffer is not None:
            gsg = self.buffer.get_gsg()  # keep textures and shaders compiled on the old buffer
            self.buffer.set_active(False)
            self._outputs[self.size] = (self.buffer, self.texture, self.display_region, self.depth_texture)
        kept = self._outputs.pop(size, None)
        if kept is not None:
            self.buffer, self.texture, self.display_region, self.depth_texture = kept
            self.buffer.set_active(True)
            self.size = size
            self._drop_old_outputs()
            return
        self.depth_texture = None
        fb = FrameBufferProperties()
        fb.set_rgb_color(True)
        fb.set_color_bits(24)
        fb.set_alpha_bits(8)  # a BGRA read-back is Mesa's fast path; BGR is converted pixel by pixel
        fb.set_depth_bits(24)
        props = WindowProperties.size(*size)
        flags = GraphicsPipe.BF_refuse_window
        buffer = self.graphics_engine.make_output(self.pipe, "yuedu-offscreen", 0, fb, props, flags, gsg, None)
        if buffer is None:
            raise OffscreenUnavailable(f"{self.module} could not open a {size[0]}x{size[1]} buffer")
        self.texture = Texture("frame")
        self.texture.set_format(Texture.F_rgba8)
        buffer.add_render_texture(self.texture, GraphicsOutput.RTM_copy_ram)
        buffer.set_clear_color_active(True)
        buffer.set_clear_depth_active(True)
        self.display_region = buffer.make_display_region()
        self.display_region.set_camera(self.camera)
        self.buffer = buffer
        self.size = size
        self._drop_old_outputs()
        if gsg is None:
            self._settle_first_draw()

    def _drop_old_outputs(self) -> None:
        while len(self._outputs) > KEPT_BUFFERS:
            old = next(iter(self._outputs))  # the least recently used size
            self.graphics_engine.remove_window(self._outputs.pop(old)[0])

    def _settle_first_draw(self) -> None:
        """A new GSG draws its first geom without loading the model-view matrix when that geom's transform is
        the identity camera's (panda3d's cached initial transform): a panorama opening straight ahead showed
        the floor until the view moved. Drawing one hidden triangle elsewhere first settles it."""
        from experiences.exhibits import geometry

        primer = self.render.attach_new_node(geometry.geom_node("primer", *geometry.card(0.01, 0.01)))
        primer.set_pos(0, 1, 0)
        primer.set_attrib(ColorWriteAttrib.make(ColorWriteAttrib.C_off), 1001)
        primer.set_depth_write(False)
        self.graphics_engine.render_frame()
        primer.remove_node()

    def close(self) -> None:
        """Remove this engine's buffer (a second engine in one process, e.g. the fallback in tests)."""
        if self.stage is not None:
            self.stage.release()
        for kept in self._outputs.values():
            self.graphics_engine.remove_window(kept[0])
        self._outputs.clear()
        for sampler in self._multisamplers.values():
            if sampler is not None:
                sampler.close()
        self._multisamplers.clear()
        if self._multisample_host is not None:
            self.graphics_engine.remove_window(self._multisample_host)
            self._multisample_host = None
        if self.buffer is not None:
            self.graphics_engine.remove_window(self.buffer)
            self.buffer = None

    def enable_depth(self) -> Texture:
        """A depth texture copied to RAM only on request (`trigger_copy`), for occlusion tests."""
        if self.depth_texture is None:
            texture = Texture("depth")
            texture.set_format(Texture.F_depth_component32)
            self.buffer.add_render_texture(texture, GraphicsOutput.RTM_triggered_copy_ram, GraphicsOutput.RTP_depth)
            self.depth_texture = texture
        return self.depth_texture

    def acquire(self, size: tuple[int, int] = (1280, 720)) -> "Stage":
        """A clean stage for one experience run; any stage still held is released first."""
        if self.stage is not None:
            self.stage.release()
        self._ensure_buffer(tuple(size))
        self.buffer.set_active(True)
        self._reset()
        self.stage = Stage(self, tuple(size))
        return self.stage

    def _reset(self) -> None:
        self.render.get_children().detach()
        self.camera.reparent_to(self.render)
        self.render.clear_light()
        self.render.clear_shader()
        self.render.clear_attrib(AntialiasAttrib)
        self.camera.set_pos_hpr(0, 0, 0, 0, 0, 0)
        self.lens.set_near_far(0.05, 1000)
        if self.size:
            set_vertical_fov(self.lens, DEFAULT_VERTICAL_FOV, self.size)
        self.buffer.set_clear_color(LColor(0, 0, 0, 1))
        self.buffer.set_clear_depth_active(True)
        self.stage = None


_engine: OffscreenEngine | None = None
_engine_lock = threading.Lock()


def display_modules() -> tuple[str, ...]:
    """The display modules to try: DISPLAY_MODULES, or a developer's YUEDU_OFFSCREEN_MODULES (comma-separated,
    e.g. "p3tinydisplay" for the software rasteriser, or "none" to see how a kiosk without 3D behaves)."""
    override = os.environ.get("YUEDU_OFFSCREEN_MODULES", "").strip()
    if not override:
        return DISPLAY_MODULES
    return tuple(name.strip() for name in override.split(",") if name.strip() and name.strip() != "none")


def engine() -> OffscreenEngine:
    """The process-wide engine, created on first use (tried again at the next run if it could not start)."""
    global _engine
    with _engine_lock:
        if _engine is None:
            _engine = OffscreenEngine(display_modules())
            log.info("offscreen engine up: %s", _engine.module)
        return _engine


def acquire_stage(size: tuple[int, int] = (1280, 720)) -> Stage:
    return engine().acquire(size)
