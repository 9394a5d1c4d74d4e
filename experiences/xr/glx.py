"""The GLX context the 3D engine has under X11, for OpenXR's Xlib graphics binding (XrGraphicsBindingOpenGLXlibKHR:
what SteamVR, ALVR and most desktop runtimes take), read through ctypes.

With that binding panda3d's engine runs on its GLX pipe (`pandagl`: a pbuffer on the X display, llvmpipe under
Xvfb) instead of headless EGL: one GL context for the whole process, the runtime's swapchain textures made in
its share group, so the same GPU blits move each eye into them. `current_context()` reads the context panda3d
left current after a frame (display, drawable, context) and the FBConfig and visual it was made with.
"""
from __future__ import annotations

import ctypes
from dataclasses import dataclass

GLX_SCREEN = 0x800C
GLX_FBCONFIG_ID = 0x8013
GLX_VISUAL_ID = 0x800B
NONE = 0

_glx = None


def libglx():
    global _glx
    if _glx is None:
        lib = ctypes.CDLL("libGL.so.1")  # glvnd's libGL: GLX plus the GL entry points
        for name in ("glXGetCurrentContext", "glXGetCurrentDisplay", "glXGetProcAddressARB"):
            getattr(lib, name).restype = ctypes.c_void_p
        lib.glXGetCurrentDrawable.restype = ctypes.c_ulong
        lib.glXGetProcAddressARB.argtypes = [ctypes.c_char_p]
        lib.glXQueryContext.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int, ctypes.POINTER(ctypes.c_int)]
        lib.glXChooseFBConfig.restype = ctypes.POINTER(ctypes.c_void_p)
        lib.glXChooseFBConfig.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.POINTER(ctypes.c_int),
                                          ctypes.POINTER(ctypes.c_int)]
        lib.glXGetFBConfigAttrib.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int,
                                             ctypes.POINTER(ctypes.c_int)]
        _glx = lib
    return _glx


def get_proc_address(name: bytes) -> int:
    return libglx().glXGetProcAddressARB(name) or 0


@dataclass(frozen=True)
class GlxContext:
    display: int  # the X Display*
    drawable: int  # GLXDrawable (panda3d's pbuffer)
    context: int  # GLXContext
    fbconfig: int  # GLXFBConfig
    visual_id: int  # the FBConfig's X visual (0 when it has none)

    def is_current(self) -> bool:
        return libglx().glXGetCurrentContext() == self.context

    def make_current(self) -> None:
        """Make the engine's context current on its drawable for GL calls of ours between its frames."""
        if not self.is_current():
            glx = libglx()
            glx.glXMakeContextCurrent.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_void_p]
            if not glx.glXMakeContextCurrent(self.display, self.drawable, self.drawable, self.context):
                raise RuntimeError("glXMakeContextCurrent failed")


def current_context() -> GlxContext | None:
    """The GLX context current on this thread with its drawable, FBConfig and visual; None when there is none."""
    glx = libglx()
    context, display = glx.glXGetCurrentContext(), glx.glXGetCurrentDisplay()
    if not context or not display:
        return None
    screen, config_id = ctypes.c_int(), ctypes.c_int()
    if glx.glXQueryContext(display, context, GLX_SCREEN, ctypes.byref(screen)) != 0:
        return None
    if glx.glXQueryContext(display, context, GLX_FBCONFIG_ID, ctypes.byref(config_id)) != 0:
        return None
    attributes = (ctypes.c_int * 3)(GLX_FBCONFIG_ID, config_id.value, NONE)
    count = ctypes.c_int()
    configs = glx.glXChooseFBConfig(display, screen.value, attributes, ctypes.byref(count))
    if not configs or count.value < 1:
        return None
    fbconfig = configs[0]  # the list itself is never freed: one small allocation per session
    visual = ctypes.c_int()
    glx.glXGetFBConfigAttrib(display, fbconfig, GLX_VISUAL_ID, ctypes.byref(visual))
    return GlxContext(display, glx.glXGetCurrentDrawable(), context, fbconfig, visual.value)
