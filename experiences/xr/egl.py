"""The EGL context the 3D engine already has, and the few GL calls the OpenXR edge makes in it (ctypes).

panda3d's offscreen engine (p3headlessgl) renders in its own EGL context and leaves it current on the main
thread after a frame; OpenXR's XR_MNDX_egl_enable takes that context (display, config, context) so the runtime's
swapchain textures live in the same share group and a GPU blit moves each rendered eye into them.
"""
from __future__ import annotations

import ctypes
from dataclasses import dataclass

EGL_CONFIG_ID = 0x3028
EGL_NONE = 0x3038
GL_TEXTURE_2D = 0x0DE1
GL_RGBA = 0x1908
GL_UNSIGNED_BYTE = 0x1401
GL_PACK_ALIGNMENT = 0x0D05
GL_RGBA8 = 0x8058
GL_READ_FRAMEBUFFER, GL_DRAW_FRAMEBUFFER = 0x8CA8, 0x8CA9
GL_READ_FRAMEBUFFER_BINDING, GL_DRAW_FRAMEBUFFER_BINDING = 0x8CAA, 0x8CA6
GL_COLOR_ATTACHMENT0 = 0x8CE0
GL_COLOR_BUFFER_BIT = 0x4000
GL_NEAREST = 0x2600
GL_LINEAR = 0x2601
GL_RENDERBUFFER = 0x8D41
GL_BGRA = 0x80E1
GL_COLOR_CLEAR_VALUE = 0x0C22
GL_SCISSOR_TEST = 0x0C11
GL_FRAMEBUFFER_SRGB = 0x8DB9
GL_SRGB8_ALPHA8 = 0x8C43
GL_UNPACK_ALIGNMENT = 0x0CF5
GL_COLOR_WRITEMASK = 0x0C23
GL_UNPACK_ROW_LENGTH = 0x0CF2
GL_TEXTURE_MIN_FILTER, GL_TEXTURE_MAG_FILTER = 0x2801, 0x2800

_egl = None


def libegl():
    global _egl
    if _egl is None:
        lib = ctypes.CDLL("libEGL.so.1")
        for name in ("eglGetCurrentContext", "eglGetCurrentDisplay", "eglGetProcAddress"):
            getattr(lib, name).restype = ctypes.c_void_p
        lib.eglGetProcAddress.argtypes = [ctypes.c_char_p]
        lib.eglQueryContext.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int, ctypes.POINTER(ctypes.c_int)]
        lib.eglChooseConfig.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int,
                                        ctypes.POINTER(ctypes.c_int)]
        _egl = lib
    return _egl


@dataclass(frozen=True)
class EglContext:
    display: int
    config: int
    context: int

    def is_current(self) -> bool:
        return libegl().eglGetCurrentContext() == self.context

    def make_current(self) -> None:
        """Make the engine's context current (surfaceless) for GL calls of ours between its frames; panda3d
        makes its own current again when it renders."""
        if not self.is_current():
            egl = libegl()
            if not egl.eglMakeCurrent(ctypes.c_void_p(self.display), None, None, ctypes.c_void_p(self.context)):
                raise RuntimeError(f"eglMakeCurrent failed (0x{egl.eglGetError():04x})")


def current_context() -> EglContext | None:
    """The EGL context current on this thread (display, its config, context), or None."""
    egl = libegl()
    context, display = egl.eglGetCurrentContext(), egl.eglGetCurrentDisplay()
    if not context or not display:
        return None
    config_id = ctypes.c_int()
    if not egl.eglQueryContext(display, context, EGL_CONFIG_ID, ctypes.byref(config_id)):
        return None
    configs, count = (ctypes.c_void_p * 1)(), ctypes.c_int()
    attributes = (ctypes.c_int * 3)(EGL_CONFIG_ID, config_id.value, EGL_NONE)
    if not egl.eglChooseConfig(display, attributes, configs, 1, ctypes.byref(count)) or count.value != 1:
        return None
    return EglContext(display, configs[0], context)


class GL:
    """The GL entry points the edge needs, resolved once through eglGetProcAddress, or `get_proc` (GLX's
    glXGetProcAddressARB for the Xlib binding); call them with the engine's context current."""

    _SIGNATURES = {
        "glGetError": (ctypes.c_uint, []),
        "glFlush": (None, []),
        "glGenFramebuffers": (None, [ctypes.c_int, ctypes.POINTER(ctypes.c_uint)]),
        "glGenRenderbuffers": (None, [ctypes.c_int, ctypes.POINTER(ctypes.c_uint)]),
        "glDeleteRenderbuffers": (None, [ctypes.c_int, ctypes.POINTER(ctypes.c_uint)]),
        "glBindRenderbuffer": (None, [ctypes.c_uint, ctypes.c_uint]),
        "glRenderbufferStorage": (None, [ctypes.c_uint, ctypes.c_uint, ctypes.c_int, ctypes.c_int]),
        "glFramebufferRenderbuffer": (None, [ctypes.c_uint, ctypes.c_uint, ctypes.c_uint, ctypes.c_uint]),
        "glClearColor": (None, [ctypes.c_float] * 4),
        "glClear": (None, [ctypes.c_uint]),
        "glReadPixels": (None, [ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_uint, ctypes.c_uint,
                                ctypes.c_void_p]),
        "glDeleteFramebuffers": (None, [ctypes.c_int, ctypes.POINTER(ctypes.c_uint)]),
        "glBindFramebuffer": (None, [ctypes.c_uint, ctypes.c_uint]),
        "glFramebufferTexture2D": (None, [ctypes.c_uint, ctypes.c_uint, ctypes.c_uint, ctypes.c_uint, ctypes.c_int]),
        "glBlitFramebuffer": (None, [ctypes.c_int] * 8 + [ctypes.c_uint, ctypes.c_uint]),
        "glIsEnabled": (ctypes.c_ubyte, [ctypes.c_uint]),
        "glEnable": (None, [ctypes.c_uint]),
        "glDisable": (None, [ctypes.c_uint]),
        "glFinish": (None, []),
        "glBindTexture": (None, [ctypes.c_uint, ctypes.c_uint]),
        "glGetIntegerv": (None, [ctypes.c_uint, ctypes.POINTER(ctypes.c_int)]),
        "glGetFloatv": (None, [ctypes.c_uint, ctypes.POINTER(ctypes.c_float)]),
        "glPixelStorei": (None, [ctypes.c_uint, ctypes.c_int]),
        "glGetTexImage": (None, [ctypes.c_uint, ctypes.c_int, ctypes.c_uint, ctypes.c_uint, ctypes.c_void_p]),
        "glTexSubImage2D": (None, [ctypes.c_uint, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_int,
                                   ctypes.c_int, ctypes.c_uint, ctypes.c_uint, ctypes.c_void_p]),
        "glGenTextures": (None, [ctypes.c_int, ctypes.POINTER(ctypes.c_uint)]),
        "glDeleteTextures": (None, [ctypes.c_int, ctypes.POINTER(ctypes.c_uint)]),
        "glTexImage2D": (None, [ctypes.c_uint, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_int,
                                ctypes.c_uint, ctypes.c_uint, ctypes.c_void_p]),
        "glTexParameteri": (None, [ctypes.c_uint, ctypes.c_uint, ctypes.c_int]),
        "glColorMask": (None, [ctypes.c_ubyte] * 4),
        "glGetBooleanv": (None, [ctypes.c_uint, ctypes.POINTER(ctypes.c_ubyte)]),
    }

    def __init__(self, get_proc=None):
        get_proc = get_proc or libegl().eglGetProcAddress
        for name, (restype, argtypes) in self._SIGNATURES.items():
            address = get_proc(name.encode())
            if not address:
                raise RuntimeError(f"OpenGL has no {name}")
            function = ctypes.CFUNCTYPE(restype, *argtypes)(address)
            setattr(self, name, function)
        self._fbos = None
        self._staging = None  # (texture, size) that upload_flipped fills
        self._mirror = None  # (fbo, renderbuffer, size) of the window-sized mirror target

    def copy_region(self, source: int, x: int, y: int, target: int, width: int, height: int) -> None:
        """Copy a width×height block at (x, y) of 2D texture `source` into 2D texture `target` at (0, 0), on the
        GPU: a framebuffer blit (no pixel passes through Python). Not glCopyImageSubData: panda3d's render
        textures have an unsized internal format, which it refuses beside a runtime's sRGB swapchain images.
        Bytes are copied as they are (GL_FRAMEBUFFER_SRGB off); the engine's bindings are restored after."""
        saved = self._save_state()
        try:
            self.glBindFramebuffer(GL_READ_FRAMEBUFFER, self._fbos_for_read())
            self.glFramebufferTexture2D(GL_READ_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, source, 0)
            self.glBindFramebuffer(GL_DRAW_FRAMEBUFFER, self._fbos[1])
            self.glFramebufferTexture2D(GL_DRAW_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, target, 0)
            self.glBlitFramebuffer(x, y, x + width, y + height, 0, 0, width, height, GL_COLOR_BUFFER_BIT, GL_NEAREST)
        finally:
            self._restore_state(saved)

    def mirror_into(self, source: int, regions, size: tuple[int, int], background, address: int) -> None:
        """The kiosk's mirror: blit (scale, linear) each (source rect, target rect) of 2D texture `source` into a
        window-sized target on the GPU, upside down so its rows come out top first, and read that once as
        B, G, R, A bytes into memory at `address` (a 32-bit window surface's pixels, tightly packed rows).
        Rects are (x0, y0, x1, y1) in GL's bottom-up pixels of the source and top-down pixels of the window."""
        width, height = size
        if self._mirror is None or self._mirror[2] != size:
            if self._mirror is not None:
                self.glDeleteFramebuffers(1, ctypes.byref(ctypes.c_uint(self._mirror[0])))
                self.glDeleteRenderbuffers(1, ctypes.byref(ctypes.c_uint(self._mirror[1])))
            fbo, renderbuffer = ctypes.c_uint(), ctypes.c_uint()
            self.glGenFramebuffers(1, ctypes.byref(fbo))
            self.glGenRenderbuffers(1, ctypes.byref(renderbuffer))
            self.glBindRenderbuffer(GL_RENDERBUFFER, renderbuffer.value)
            self.glRenderbufferStorage(GL_RENDERBUFFER, GL_RGBA8, width, height)
            self._mirror = (fbo.value, renderbuffer.value, size)
            fresh = True
        else:
            fresh = False
        saved = self._save_state()
        try:
            self.glBindFramebuffer(GL_DRAW_FRAMEBUFFER, self._mirror[0])
            if fresh:
                self.glFramebufferRenderbuffer(GL_DRAW_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_RENDERBUFFER,
                                               self._mirror[1])
            self.glClearColor(*(c / 255 for c in background), 1.0)
            self.glClear(GL_COLOR_BUFFER_BIT)
            self.glBindFramebuffer(GL_READ_FRAMEBUFFER, self._fbos_for_read())
            self.glFramebufferTexture2D(GL_READ_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, source, 0)
            for (sx0, sy0, sx1, sy1), (dx0, dy0, dx1, dy1) in regions:
                # window row y (top down) is target row y (bottom up) of an upside-down picture
                self.glBlitFramebuffer(sx0, sy0, sx1, sy1, dx0, dy1, dx1, dy0, GL_COLOR_BUFFER_BIT, GL_LINEAR)
            self.glBindFramebuffer(GL_READ_FRAMEBUFFER, self._mirror[0])
            self.glPixelStorei(GL_PACK_ALIGNMENT, 4)
            self.glReadPixels(0, 0, width, height, GL_BGRA, GL_UNSIGNED_BYTE, address)
        finally:
            self._restore_state(saved)

    def upload_flipped(self, address: int, size: tuple[int, int], row_pixels: int, pixel_format: int,
                       target: int) -> None:
        """A picture in memory (rows top first, 4 bytes a pixel, `row_pixels` a row, `pixel_format` GL_BGRA or
        GL_RGBA) into 2D texture `target` the right way up for GL (rows bottom first): one glTexSubImage2D
        into a staging texture, then a flipping framebuffer blit on the GPU. No pixel passes through Python;
        the engine's texture binding, unpack state and framebuffers are restored."""
        width, height = size
        bound, alignment, row_length = ctypes.c_int(), ctypes.c_int(), ctypes.c_int()
        self.glGetIntegerv(0x8069, ctypes.byref(bound))  # GL_TEXTURE_BINDING_2D
        self.glGetIntegerv(GL_UNPACK_ALIGNMENT, ctypes.byref(alignment))
        self.glGetIntegerv(GL_UNPACK_ROW_LENGTH, ctypes.byref(row_length))
        if self._staging is None or self._staging[1] != size:
            if self._staging is not None:
                self.glDeleteTextures(1, ctypes.byref(ctypes.c_uint(self._staging[0])))
            texture = ctypes.c_uint()
            self.glGenTextures(1, ctypes.byref(texture))
            self.glBindTexture(GL_TEXTURE_2D, texture.value)
            self.glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, width, height, 0, GL_BGRA, GL_UNSIGNED_BYTE, None)
            self.glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST)
            self.glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST)
            self._staging = (texture.value, size)
        try:
            self.glBindTexture(GL_TEXTURE_2D, self._staging[0])
            self.glPixelStorei(GL_UNPACK_ALIGNMENT, 4)
            self.glPixelStorei(GL_UNPACK_ROW_LENGTH, row_pixels)
            self.glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, width, height, pixel_format, GL_UNSIGNED_BYTE, address)
        finally:
            self.glPixelStorei(GL_UNPACK_ROW_LENGTH, row_length.value)
            self.glPixelStorei(GL_UNPACK_ALIGNMENT, alignment.value)
            self.glBindTexture(GL_TEXTURE_2D, bound.value)
        saved = self._save_state()
        try:
            self.glBindFramebuffer(GL_READ_FRAMEBUFFER, self._fbos_for_read())
            self.glFramebufferTexture2D(GL_READ_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, self._staging[0], 0)
            self.glBindFramebuffer(GL_DRAW_FRAMEBUFFER, self._fbos[1])
            self.glFramebufferTexture2D(GL_DRAW_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, target, 0)
            self.glBlitFramebuffer(0, 0, width, height, 0, height, width, 0, GL_COLOR_BUFFER_BIT, GL_NEAREST)
            # a window's fourth byte is padding: make the picture opaque (alpha 1) for any compositor
            mask = (ctypes.c_ubyte * 4)()
            self.glGetBooleanv(GL_COLOR_WRITEMASK, mask)
            self.glColorMask(0, 0, 0, 1)
            self.glClearColor(0.0, 0.0, 0.0, 1.0)
            self.glClear(GL_COLOR_BUFFER_BIT)
            self.glColorMask(*mask)
        finally:
            self._restore_state(saved)

    def clear_texture(self, target: int, colour) -> None:
        """Fill 2D texture `target` with one colour (r, g, b in 0..1) on the GPU."""
        saved = self._save_state()
        try:
            self._fbos_for_read()
            self.glBindFramebuffer(GL_DRAW_FRAMEBUFFER, self._fbos[1])
            self.glFramebufferTexture2D(GL_DRAW_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, target, 0)
            self.glClearColor(*colour, 1.0)
            self.glClear(GL_COLOR_BUFFER_BIT)
        finally:
            self._restore_state(saved)

    def _fbos_for_read(self) -> int:
        if self._fbos is None:
            fbos = (ctypes.c_uint * 2)()
            self.glGenFramebuffers(2, fbos)
            self._fbos = (fbos[0], fbos[1])
        return self._fbos[0]

    def _save_state(self):
        read_bound, draw_bound, alignment = ctypes.c_int(), ctypes.c_int(), ctypes.c_int()
        self.glGetIntegerv(GL_READ_FRAMEBUFFER_BINDING, ctypes.byref(read_bound))
        self.glGetIntegerv(GL_DRAW_FRAMEBUFFER_BINDING, ctypes.byref(draw_bound))
        self.glGetIntegerv(GL_PACK_ALIGNMENT, ctypes.byref(alignment))
        clear = (ctypes.c_float * 4)()
        self.glGetFloatv(GL_COLOR_CLEAR_VALUE, clear)
        scissor, srgb = self.glIsEnabled(GL_SCISSOR_TEST), self.glIsEnabled(GL_FRAMEBUFFER_SRGB)
        self.glDisable(GL_SCISSOR_TEST)
        self.glDisable(GL_FRAMEBUFFER_SRGB)
        return read_bound.value, draw_bound.value, alignment.value, tuple(clear), scissor, srgb

    def _restore_state(self, saved) -> None:
        read_bound, draw_bound, alignment, clear, scissor, srgb = saved
        self.glBindFramebuffer(GL_READ_FRAMEBUFFER, read_bound)
        self.glBindFramebuffer(GL_DRAW_FRAMEBUFFER, draw_bound)
        self.glPixelStorei(GL_PACK_ALIGNMENT, alignment)
        self.glClearColor(*clear)
        if scissor:
            self.glEnable(GL_SCISSOR_TEST)
        if srgb:
            self.glEnable(GL_FRAMEBUFFER_SRGB)

    def read_texture(self, texture: int, width: int, height: int) -> bytes:
        """A 2D RGBA8 texture's pixels (rows bottom-up), for tests and checks; restores the bound texture."""
        bound = ctypes.c_int()
        self.glGetIntegerv(0x8069, ctypes.byref(bound))  # GL_TEXTURE_BINDING_2D
        buffer = ctypes.create_string_buffer(width * height * 4)
        alignment = ctypes.c_int()
        self.glGetIntegerv(GL_PACK_ALIGNMENT, ctypes.byref(alignment))
        self.glPixelStorei(GL_PACK_ALIGNMENT, 1)
        self.glBindTexture(GL_TEXTURE_2D, texture)
        self.glGetTexImage(GL_TEXTURE_2D, 0, GL_RGBA, GL_UNSIGNED_BYTE, buffer)
        self.glBindTexture(GL_TEXTURE_2D, bound.value)
        self.glPixelStorei(GL_PACK_ALIGNMENT, alignment.value)
        return buffer.raw

    def check(self, what: str) -> None:
        error = self.glGetError()
        if error:
            raise RuntimeError(f"OpenGL error 0x{error:04x} in {what}")
