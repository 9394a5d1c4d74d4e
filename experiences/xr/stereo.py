"""panda3d into the headset: both eyes rendered side by side into one GPU texture on the offscreen engine's own
GL context (experiences/exhibits/offscreen.py), each eye's camera placed by the runtime's view pose and shaped
by its field of view, then blitted into the eyes' swapchains on the GPU (swapchains.XrEyes). The kiosk's mirror
window gets the same texture, scaled on the GPU and read back once a frame: what the child sees.
"""
from __future__ import annotations

from panda3d.core import (Camera, FrameBufferProperties, GraphicsOutput, GraphicsPipe, NodePath, PerspectiveLens,
                          Quat, Texture, WindowProperties)

from experiences.xr.egl import current_context


ENGINE_MODULES = {"egl": "p3headlessgl", "xlib": "pandagl"}  # the panda3d display module each binding needs


def use_engine(graphics: str):
    """The process's offscreen engine on the display module the OpenXR binding needs: headless EGL for "egl",
    GLX (panda3d's `pandagl`, an X display) for "xlib". Made so when it does not exist yet; an engine already
    running on the other module cannot change (one GL context per process)."""
    from experiences.exhibits import offscreen

    wanted = ENGINE_MODULES[graphics]
    with offscreen._engine_lock:
        if offscreen._engine is None and graphics == "xlib":
            offscreen._engine = offscreen.OffscreenEngine((wanted,))
            import atexit

            # panda3d's GLX pipe aborts the interpreter's exit (a mutex assertion, exit 134) while its buffers
            # are open: close them first
            atexit.register(offscreen._engine.graphics_engine.remove_all_windows)
    shared = offscreen.engine()
    if shared.module != wanted:
        raise RuntimeError(f"OpenXR's {graphics} binding needs the {wanted} engine; this one is {shared.module}")
    return shared


def _shared_gsg():
    from experiences.exhibits.offscreen import engine

    shared = engine()
    if shared.module not in ENGINE_MODULES.values():
        raise RuntimeError(f"OpenXR needs an OpenGL engine (p3headlessgl or pandagl); this one is {shared.module}")
    if shared.buffer is None:
        shared._ensure_buffer((64, 64))
        shared.buffer.set_active(False)
    return shared, shared.buffer.get_gsg()


def _current(module: str):
    """The GL context current now: an EglContext (p3headlessgl) or a glx.GlxContext (pandagl), or None."""
    if module == "pandagl":
        from experiences.xr import glx

        return glx.current_context()
    return current_context()


def _any_current(module: str) -> bool:
    if module == "pandagl":
        from experiences.xr.glx import libglx

        return bool(libglx().glXGetCurrentContext())
    from experiences.xr.egl import libegl

    return bool(libegl().eglGetCurrentContext())


def _framebuffer(shared, depth: bool) -> FrameBufferProperties:
    """Our buffers' framebuffer properties. Under GLX a pbuffer must match the context's FBConfig (else
    glXMakeContextCurrent fails with BadMatch), so they copy the engine's own buffer's."""
    if shared.module == "pandagl" and shared.buffer is not None:
        return FrameBufferProperties(shared.buffer.get_fb_properties())
    fb = FrameBufferProperties()
    fb.set_rgba_bits(8, 8, 8, 8)
    if depth:
        fb.set_depth_bits(24)
    return fb


_glx_anchor = None  # pandagl: the small pbuffer whose GLX drawable the runtime makes current with the context


def engine_context():
    """The GL context of the offscreen engine's GSG (the one every XR buffer renders with), made current by
    rendering one tiny frame with it: an EglContext on headless EGL, a glx.GlxContext on GLX. Under GLX the
    runtime makes the context current on the drawable it was given, so that pbuffer stays for the process."""
    global _glx_anchor
    shared, gsg = _shared_gsg()
    fb = _framebuffer(shared, depth=False)
    keep = shared.module == "pandagl"
    probe = _glx_anchor if keep else None
    if probe is None:
        probe = shared.graphics_engine.make_output(shared.pipe, "yuedu-xr-probe", -10, fb,
                                                   WindowProperties.size(16, 16), GraphicsPipe.BF_refuse_window,
                                                   gsg, None)
        probe.make_display_region().set_camera(NodePath(Camera("probe")))
    try:
        probe.set_active(True)
        shared.graphics_engine.render_frame()
        context = _current(shared.module)
    finally:
        if keep:
            _glx_anchor = probe
            probe.set_active(False)
        else:
            shared.graphics_engine.remove_window(probe)
    if context is None:
        raise RuntimeError(f"panda3d left no GL context current ({shared.module})")
    return context


class XrStereoRenderer:
    """Renders `root` for the headset of `session` (an egl XrSession). `anchor` is where the reference space's
    origin sits in the scene (move it to put the child's eyes at the scene's eye point)."""

    def __init__(self, session, root: NodePath, near: float = 0.05, far: float = 100.0,
                 background=(0.03, 0.04, 0.12), eye_size: tuple[int, int] | None = None):
        from experiences.xr.swapchains import XrEyes

        self.session = session
        self.shared, self.gsg = _shared_gsg()
        self.graphics_engine = self.shared.graphics_engine
        self.eye_size = tuple(eye_size or session.info.view_sizes[0])  # the runtime's recommended size
        width, height = self.eye_size
        fb = _framebuffer(self.shared, depth=True)
        self.buffer = self.graphics_engine.make_output(
            self.shared.pipe, "yuedu-xr", -5, fb, WindowProperties.size(2 * width, height),
            GraphicsPipe.BF_refuse_window, self.gsg, None)
        if self.buffer is None:
            raise RuntimeError(f"panda3d could not open a {2 * width}x{height} buffer for the headset")
        self.texture = Texture("xr-eyes")
        self.texture.set_format(Texture.F_rgba8)
        self.buffer.add_render_texture(self.texture, GraphicsOutput.RTM_bind_or_copy)
        self.root = root
        self.anchor = root.attach_new_node("xr-reference")
        self.cameras = []
        for eye in range(2):
            lens = PerspectiveLens()
            lens.set_near_far(near, far)
            camera = self.anchor.attach_new_node(Camera(f"xr-eye-{eye}", lens))
            region = self.buffer.make_display_region(eye * 0.5, (eye + 1) * 0.5, 0.0, 1.0)
            region.set_camera(camera)
            region.set_clear_color_active(True)
            region.set_clear_color((*background, 1.0))
            region.set_clear_depth_active(True)
            self.cameras.append(camera)
        self.buffer.set_active(False)  # only while a frame is submitted
        self.background = tuple(background)
        self.eyes = None
        self.frames = 0
        self.texture_id = None  # the eyes' GL texture, once rendered
        self.faded = False  # set_fade darkened the root (cleared again on release: an exhibit's root is shared)

    def set_background(self, colour) -> None:
        """The eyes' clear colour (r, g, b in 0..1): a fade darkens it with the scene."""
        for region in (self.buffer.get_display_region(i) for i in range(self.buffer.get_num_display_regions())):
            if region.get_camera() in self.cameras:
                region.set_clear_color((*colour, 1.0))

    def set_fade(self, darkness: float) -> None:
        """The kiosk's closing fade (experiences/xr/comfort.py) over everything this renderer draws, its words'
        card included: a colour scale on the root and a darker clear colour, on the GPU (0: as lit, 1: black)."""
        light = 1.0 - min(1.0, max(0.0, darkness))
        if light >= 1.0:
            self.root.clear_color_scale()
        else:
            self.root.set_color_scale(light, light, light, 1.0)
        self.set_background(tuple(c * light for c in self.background))
        self.faded = light < 1.0

    def _place(self, views) -> None:
        for camera, view in zip(self.cameras, views):
            camera.set_pos(*view.pose.position)
            x, y, z, w = view.pose.orientation
            camera.set_quat(Quat(w, x, y, z))
            left, right, bottom, top = view.fov.film()
            lens = camera.node().get_lens()
            lens.set_film_size(right - left, top - bottom)
            lens.set_focal_length(1.0)
            lens.set_film_offset((right + left) / 2, (top + bottom) / 2)

    def render(self) -> bool:
        """Render this frame's two eyes and submit them; False when the runtime wants no frame now."""
        session = self.session
        if not session.should_render or len(session.views) != 2:
            return False
        if self.eyes is None:
            from experiences.xr.swapchains import XrEyes

            self.eyes = session.eyes = XrEyes(session, self.eye_size)
        self._place(session.views)
        self.buffer.set_active(True)
        self.graphics_engine.render_frame()
        self.buffer.set_active(False)
        context = self.texture.prepare_now(0, self.gsg.get_prepared_objects(), self.gsg)
        if not _any_current(self.shared.module):
            raise RuntimeError("panda3d left no GL context current after the headset's frame")
        self.texture_id = context.get_native_id()
        self.eyes.submit(self.texture_id, session.views)
        self.frames += 1
        return True

    def mirror_into(self, surface, background) -> None:
        """The last submitted frame into the kiosk's window: each eye scaled to fit its half, centred, on the
        GPU; one window-sized read back (BGRA) straight into the surface's pixels (what the child sees)."""
        if self.texture_id is None:
            surface.fill(background)
            return
        import numpy as np

        width, height = surface.get_size()
        eye_w, eye_h = self.eye_size
        half = width // 2
        scale = min(half / eye_w, height / eye_h)
        shown_w, shown_h = round(eye_w * scale), round(eye_h * scale)
        regions = []
        for eye in range(2):
            x0, y0 = eye * half + (half - shown_w) // 2, (height - shown_h) // 2
            regions.append(((eye * eye_w, 0, (eye + 1) * eye_w, eye_h), (x0, y0, x0 + shown_w, y0 + shown_h)))
        packed = (surface.get_bytesize() == 4 and surface.get_pitch() == width * 4
                  and tuple(surface.get_masks()[:3]) == (0xFF0000, 0xFF00, 0xFF))
        if packed:
            pixels = np.frombuffer(surface.get_buffer(), np.uint8)  # locks the surface while it lives
        else:
            pixels = np.empty(width * height * 4, np.uint8)
        self.eyes.gl.mirror_into(self.texture_id, regions, (width, height), background, pixels.ctypes.data)
        if not packed:
            import pygame

            surface.blit(pygame.image.frombuffer(pixels.tobytes(), (width, height), "BGRA"), (0, 0))
        del pixels

    def release(self) -> None:
        if self.faded:
            self.root.clear_color_scale()
            self.faded = False
        if self.eyes is not None:
            self.eyes.close()
            self.eyes = self.session.eyes = None
        if self.buffer is not None:
            self.graphics_engine.remove_window(self.buffer)
            self.buffer = None
        self.anchor.remove_node()


class HudCard:
    """A kind's 2D overlay (banner, messages, cards: a pygame surface with alpha) shown in the headset on a
    world-fixed card in front of the child, where the screen shows it over the picture. Its bytes go to the
    GPU only when they changed, as they are (a 32-bit surface is B, G, R, A in memory: panda3d's own order;
    the card's texture coordinates run top-down like the surface's rows)."""

    def __init__(self, parent: NodePath, size: tuple[int, int], centre, width_m: float):
        from panda3d.core import CardMaker, LTexCoord, TransparencyAttrib

        self.size = size
        self.texture = Texture("xr-hud")
        self.texture.setup_2d_texture(size[0], size[1], Texture.T_unsigned_byte, Texture.F_rgba8)
        height_m = width_m * size[1] / size[0]
        maker = CardMaker("xr-hud")
        maker.set_frame(-width_m / 2, width_m / 2, -height_m / 2, height_m / 2)
        maker.set_uv_range(LTexCoord(0, 1), LTexCoord(1, 0))
        self.node = parent.attach_new_node(maker.generate())
        self.node.set_pos(*centre)
        self.node.set_texture(self.texture)
        self.node.set_transparency(TransparencyAttrib.M_alpha)
        self.node.set_light_off(1)
        self.node.set_depth_write(False)
        self.node.set_depth_test(False)
        self.node.set_bin("fixed", 50)
        self._last = None

    def show(self, surface) -> None:
        """Show `surface` (SRCALPHA, `size`)."""
        import pygame

        if surface.get_masks() == (0xFF0000, 0xFF00, 0xFF, 0xFF000000) and surface.get_pitch() == self.size[0] * 4:
            data = surface.get_buffer().raw  # B, G, R, A rows, top first
        else:
            data = pygame.image.tobytes(surface, "BGRA")
        if data != self._last:
            self._last = data
            self.texture.set_ram_image(data)

    def remove(self) -> None:
        self.node.remove_node()
