"""Multisample anti-aliasing for the offscreen stage: a multisampled framebuffer object beside the engine's plain
buffer, sharing its GL context, rendering the same camera. Edges of a model or a book come out smooth instead
of in stair steps.

Its cost on a software rasteriser is high (bench/exhibit.py --antialias: llvmpipe renders the treasure ~6×
slower with 4 samples), so a stage uses it where it is cheap: for a still view (rendered once, then reused) and,
when a measured multisampled frame fits the frame budget (a GPU), for every frame; and for every frame recorded
as a shot (`launcher.py shots`, the screen tests: experiences.drawlog is recording), which is judged for looks.
p3tinydisplay has no multisampling: there the stage renders as before.
"""
from __future__ import annotations

import logging
import time

from panda3d.core import (
    FrameBufferProperties,
    GraphicsOutput,
    GraphicsPipe,
    LColor,
    Texture,
    WindowProperties,
)

log = logging.getLogger(__name__)

SAMPLES = 4
_failed_logged = False


class Multisampler:
    """A multisampled buffer of one size, drawing the engine's camera; inactive except while `render` runs."""

    def __init__(self, engine, host, size: tuple[int, int], samples: int = SAMPLES):
        # Fresh properties: a copy of the pbuffer's (with its back buffer) makes EGL hand out another pbuffer
        # that reports the samples but does not multisample; these get a framebuffer object on the host.
        fb = FrameBufferProperties()
        fb.set_rgb_color(True)
        fb.set_color_bits(24)
        fb.set_alpha_bits(8)
        fb.set_depth_bits(24)
        fb.set_multisamples(samples)
        buffer = engine.graphics_engine.make_output(
            engine.pipe, "yuedu-multisample", -1, fb, WindowProperties.size(*size),
            GraphicsPipe.BF_refuse_window, host.get_gsg(), host)
        if buffer is None:
            raise RuntimeError(f"no {samples}× multisampled {size[0]}×{size[1]} buffer on {engine.module}")
        self.engine, self.size, self.buffer = engine, size, buffer
        self.texture = Texture("frame-multisampled")
        self.texture.set_format(Texture.F_rgba8)
        buffer.add_render_texture(self.texture, GraphicsOutput.RTM_copy_ram)
        buffer.set_clear_color_active(True)
        buffer.set_clear_depth_active(True)
        region = buffer.make_display_region()
        region.set_camera(engine.camera)
        buffer.set_active(False)
        self.samples = buffer.get_fb_properties().get_multisamples()
        self.seconds = None  # the last render's time

    def render(self, clear_color: LColor, keep_plain: bool = False) -> Texture:
        """Render one frame into the multisampled buffer (the plain one too if `keep_plain`, e.g. for a depth
        copy it was asked for) and return its resolved texture, copied to RAM."""
        plain = self.engine.buffer
        self.buffer.set_clear_color(clear_color)
        plain.set_active(keep_plain)
        self.buffer.set_active(True)
        started = time.perf_counter()
        try:
            self.engine.graphics_engine.render_frame()
        finally:
            self.seconds = time.perf_counter() - started
            self.buffer.set_active(False)
            plain.set_active(True)
        return self.texture

    def close(self) -> None:
        self.engine.graphics_engine.remove_window(self.buffer)


def make_host(engine):
    """A tiny buffer, never drawn into, that hosts the multisampled framebuffer objects: they need a host that
    lives as long as they do, and the engine drops its own sized buffers as the resolution steps."""
    fb = FrameBufferProperties(engine.buffer.get_fb_properties())
    host = engine.graphics_engine.make_output(engine.pipe, "yuedu-multisample-host", -2, fb,
                                              WindowProperties.size(16, 16), GraphicsPipe.BF_refuse_window,
                                              engine.buffer.get_gsg(), None)
    if host is not None:
        host.set_clear_color_active(False)
        host.set_clear_depth_active(False)
    return host


def make(engine, host, size: tuple[int, int], samples: int = SAMPLES) -> Multisampler | None:
    """A multisampler of `size` on `host` (see make_host), or None where the pipe cannot (logged once)."""
    global _failed_logged
    if engine.module != "p3headlessgl" or engine.buffer is None or host is None:
        return None
    try:
        sampler = Multisampler(engine, host, size, samples)
        engine.graphics_engine.open_windows()
        if not sampler.buffer.is_valid() or sampler.samples < 2 or sampler.buffer.get_type().name != "GLGraphicsBuffer":
            sampler.close()
            raise RuntimeError(f"got {sampler.samples} samples")
        return sampler
    except RuntimeError as exc:
        if not _failed_logged:
            _failed_logged = True
            log.warning("exhibits render without anti-aliasing: %s", exc)
        return None
