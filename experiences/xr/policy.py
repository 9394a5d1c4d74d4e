"""Who plays in a headset, which VR path a VR corner takes and which OpenXR graphics binding it renders through.
Pure: no OpenXR, no pygame."""
from __future__ import annotations

from experiences.kiosk.ageband import BANDS


def headset_allowed(age_band: str | None, min_age_band: str) -> bool:
    """Headset makers set minimum ages: a visitor who answered a band below `[vr] min_age_band` plays on the
    screen instead. A skipped question (None) does not keep anyone out: the question decides, staff watch."""
    if age_band is None or age_band not in BANDS:
        return True
    return BANDS.index(age_band) >= BANDS.index(min_age_band)


def vr_path(config, manifest) -> str:
    """One line for staff: how a VR corner draws (OpenXR with the runtime's name, or side-by-side stereo)."""
    if not config.vr.openxr:
        return "side-by-side stereo ([vr] openxr = false) / 左右分屏立体（已关闭 OpenXR）"
    if manifest is None:
        return "side-by-side stereo (no OpenXR runtime installed) / 左右分屏立体（未安装 OpenXR 运行时）"
    binding = {"auto": "EGL where the runtime offers XR_MNDX_egl_enable, else Xlib/GLX on the X display",
               "egl": "EGL (XR_MNDX_egl_enable)", "xlib": "Xlib/GLX on the X display"}.get(config.vr.graphics, "?")
    return f"OpenXR: {manifest.name} ({manifest.path}); binding [vr] graphics = {config.vr.graphics}: {binding}"


def choose_binding(extensions: set[str], wanted: str = "auto", engine_module: str | None = None,
                   x11: bool = False) -> tuple[str | None, str]:
    """The OpenXR graphics binding for a runtime offering `extensions`: ("egl" | "xlib", why) or (None, why not).

    - "egl": XR_KHR_opengl_enable + XR_MNDX_egl_enable (Monado, WiVRn): the engine's headless EGL context.
    - "xlib": XR_KHR_opengl_enable alone (SteamVR, ALVR, most desktop runtimes): XrGraphicsBindingOpenGLXlibKHR
      with the engine's GLX context, which needs an X display (`x11`).
    `wanted` is `[vr] graphics` ("auto" prefers EGL where offered); `engine_module` is the panda3d display module
    the process's 3D engine already runs on (None: not started yet, either can be had)."""
    if "XR_KHR_opengl_enable" not in extensions:
        return None, "the OpenXR runtime offers no OpenGL binding (XR_KHR_opengl_enable)"
    egl_ok = "XR_MNDX_egl_enable" in extensions and engine_module in (None, "p3headlessgl")
    xlib_ok = x11 and engine_module in (None, "pandagl")
    if wanted == "egl" or (wanted == "auto" and egl_ok):
        if egl_ok:
            return "egl", "XR_MNDX_egl_enable: the 3D engine's EGL context"
        if "XR_MNDX_egl_enable" not in extensions:
            return None, "the OpenXR runtime lacks XR_MNDX_egl_enable ([vr] graphics = \"egl\")"
        return None, f"the 3D engine already runs on {engine_module}, not EGL"
    if xlib_ok:
        return "xlib", "XR_KHR_opengl_enable with Xlib: the 3D engine's GLX context on the X display"
    if not x11:
        return None, ("the OpenXR runtime lacks XR_MNDX_egl_enable and its Xlib binding needs an X display "
                      "(DISPLAY is not set)")
    return None, f"the 3D engine already runs on {engine_module}, not GLX"
