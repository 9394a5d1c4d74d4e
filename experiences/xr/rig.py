"""A VR corner's headset as the kiosk sees it: started once when the kiosk is in VR mode, polled every frame.

`start_rig(config)` opens an OpenXR session on the 3D engine's GL context, or returns None and says once in
the log that VR mode falls back to side-by-side stereo. Every kiosk frame: `begin_frame()` gives the frame's
InputEvents (controllers, or the head for gaze), `paused` says whether the visitor is in the headset now, and
`end_frame(surface)` submits whatever a kind rendered into it (`renderer(root)`), or, when nothing was, the
kiosk's own screen on a panel in front of the child (experiences/xr/panel.py): menu, age question, goodbye,
去书架找一找, what next. While the panel shows, the controllers point at it and their triggers tap
(experiences/xr/panel_inputs.py). Kinds get the rig as `ctx.services["xr"]`; a kind without a VR mode never
looks at it.
"""
from __future__ import annotations

import dataclasses
import logging
import os
import time
import weakref

from experiences.runtime import InputEvent
from experiences.xr.inputs import XrInputs
from experiences.xr.policy import choose_binding

log = logging.getLogger("yuedu.xr")
_fallback_said = False


class XrRig:
    def __init__(self, session, reopen=None):
        self.session = session
        self._reopen = reopen  # makes a new session when the runtime ended this one (between runs)
        self.inputs = XrInputs()
        self.tracked = None
        self.recentre_requested = False
        self.eye_size = None  # render each eye at this size instead of the runtime's recommended one (benches)
        self.panel = None  # experiences.xr.panel.XrPanel, made the first time the kiosk's screen is shown
        self.panel_inputs = None  # PanelInputs for it
        self.panel_active = False  # the last frame showed the kiosk's screen on the panel (not a run's scene)
        self.notice_panel = None  # an XrPanel for a notice in front of a run (还在吗), made when first needed
        self._last_poll = None
        self._renderers = weakref.WeakSet()  # the runs' renderers, for the kiosk's closing fade
        self.darkness = 0.0

    @property
    def runtime(self) -> str:
        return self.session.info.runtime

    @property
    def paused(self) -> bool:
        return self.session.paused

    @property
    def paces(self) -> bool:
        """The runtime paces the kiosk's frames now (xrWaitFrame); when its session is stopped, the window does."""
        return self.session.running and not self.session.lost

    @property
    def floor_level(self) -> bool:
        return self.session.floor_level

    def begin_frame(self) -> list[InputEvent]:
        """Wait for the headset's next frame (the runtime paces the kiosk) and return its inputs."""
        self.tracked = self.session.poll()
        now = time.monotonic()
        dt, self._last_poll = (now - self._last_poll if self._last_poll else 0.0), now
        if self.recentre_requested and self.session.frame_open:
            self.recentre_requested = False
            self.session.recentre()  # from the next frame on
        if self.tracked is None or not self.session.focused:
            return []
        if self.panel_active and self.panel_inputs is not None:
            return self.panel_inputs.events(self.tracked, dt)  # pointing at the kiosk's screen
        return self.inputs.events(self.tracked)

    def end_frame(self, surface=None, version=None, notice=None) -> None:
        """End the headset's frame. When no run drew into it, `surface` (the kiosk's window) goes on the panel,
        with a ring where the controller (or the gaze) points; `version` is the shell's token for what the window
        shows (unchanged: the panel shows its last image again, no upload). When a run drew into it, `notice`
        ((key, surface) or None: 还在吗) goes on a quad in front of the run."""
        session = self.session
        if session.frame_open and session.graphics != "headless":
            if session.layers_pending == 0 and surface is not None and session.should_render:
                self._show_panel(surface, version)
            elif session.layers_pending:
                self.panel_active = False
                if notice is not None:
                    self._show_notice(*notice)
        session.end_frame()

    def _show_notice(self, key, surface) -> None:
        from experiences.xr.panel import XrPanel
        from experiences.xr.panel_inputs import PanelGeometry

        try:
            if self.notice_panel is None:
                self.notice_panel = XrPanel(self.session)
            geometry = PanelGeometry.for_screen(surface.get_size(), self.session.floor_level)
            if key and key[0] == "vr-soon":  # a strip below the eyes' line: the scene stays free ahead
                x, y, z = geometry.centre
                geometry = dataclasses.replace(geometry, centre=(x, y, z - 0.6))
            self.notice_panel.show(surface, version=key, backdrop=False, geometry=geometry)
        except Exception:  # a courtesy, as the panel
            log.exception("OpenXR: a notice could not go to the headset")

    def _show_panel(self, surface, version=None) -> None:
        from experiences.xr.panel import XrPanel, draw_pointer
        from experiences.xr.panel_inputs import PanelInputs

        try:
            if self.panel is None:
                self.panel = XrPanel(self.session)
            geometry = self.panel.geometry_for(surface.get_size())
            if self.panel_inputs is None or self.panel_inputs.geometry != geometry:
                self.panel_inputs = PanelInputs(geometry)
            pointer = None
            if self.panel_inputs.pointer is not None and self.session.focused and self.panel_active:
                draw_pointer(surface, self.panel_inputs.pointer, self.panel_inputs.dwell_progress)
                pointer = (round(self.panel_inputs.pointer[0]), round(self.panel_inputs.pointer[1]),
                           round(self.panel_inputs.dwell_progress * 100))
            # the ring is drawn on the window: a new place of it is a new picture
            self.panel_active = self.panel.show(surface, None if version is None else (version, pointer))
        except Exception:  # the headset's panel is a courtesy: never end the kiosk over it
            log.exception("OpenXR: the kiosk's screen could not go to the headset")
            self.panel_active = False

    def renderer(self, root, **options):
        """An XrStereoRenderer drawing `root` into this headset (release it when the run ends)."""
        from experiences.xr.stereo import XrStereoRenderer

        renderer = XrStereoRenderer(self.session, root, **{"eye_size": self.eye_size, **options})
        self._renderers.add(renderer)
        if self.darkness:
            renderer.set_fade(self.darkness)
        return renderer

    def set_fade(self, darkness: float) -> None:
        """The kiosk's closing fade (experiences/xr/comfort.py) on whatever a run draws into the headset: each
        live renderer's scene and sky dim on the GPU (0: as lit, 1: black)."""
        self.darkness = darkness
        for renderer in list(self._renderers):
            if renderer.buffer is not None:
                renderer.set_fade(darkness)

    def pulse(self, seconds: float = 0.08, amplitude: float = 0.6) -> None:
        """A short buzz in the hand that aims (a hit)."""
        try:
            self.session.pulse(self.inputs.aiming, seconds, amplitude)
        except Exception as error:  # haptics are a nicety: never end a run over them
            log.info("OpenXR haptics: %s", error)

    def recentre(self) -> None:
        """Staff's recentre: applied in the next frame the runtime gives."""
        self.recentre_requested = True

    def reopen_if_lost(self) -> None:
        """Between runs: a session the runtime ended (it quit, or lost the headset) is made anew."""
        if not self.session.lost or self._reopen is None:
            return
        self._close_panel()
        self.session.close()
        try:
            self.session = self._reopen()
            self.inputs = XrInputs()
            log.info("OpenXR session made anew")
        except Exception as error:
            log.warning("OpenXR session could not be made anew: %s", error)

    def _close_panel(self) -> None:
        for panel in (self.panel, self.notice_panel):
            if panel is not None:
                panel.close()
        self.panel = self.panel_inputs = self.notice_panel = None
        self.panel_active = False

    def close(self) -> None:
        self._close_panel()
        self.session.close()


def start_rig(config) -> XrRig | None:
    """The headset of a VR corner, or None (side-by-side stereo, said once in the log)."""
    from experiences.xr.runtime import find_runtime

    if not config.vr.openxr:
        return _fallback("[vr] openxr = false")
    manifest = find_runtime()
    if manifest is None:
        return _fallback("no OpenXR runtime is installed")
    from experiences.xr.session import XrSession, runtime_extensions
    from experiences.xr.stereo import engine_context, use_engine

    try:
        extensions = runtime_extensions(manifest)
    except Exception as error:
        return _fallback(f"the OpenXR runtime {manifest.name} could not start: {error}")
    graphics, why = choose_binding(extensions, config.vr.graphics, engine_module(), bool(os.environ.get("DISPLAY")))
    if graphics is None:
        return _fallback(f"{manifest.name}: {why}")

    def open_session():
        context = engine_context()
        return XrSession.open(manifest, graphics=graphics, reference=config.vr.reference,
                              **{"egl" if graphics == "egl" else "glx": context})

    try:
        use_engine(graphics)
        session = open_session()
    except Exception as error:
        return _fallback(f"the OpenXR runtime {manifest.name} could not start: {error}")
    log.info("VR mode: OpenXR, %s, %s, %s per eye, %s binding (%s)", session.info.runtime, session.info.system,
             "x".join(map(str, session.info.view_sizes[0])), graphics, why)
    return XrRig(session, open_session)


def engine_module() -> str | None:
    """The panda3d display module the process's 3D engine runs on; None while it has not started."""
    from experiences.exhibits import offscreen

    return offscreen._engine.module if offscreen._engine is not None else None


def _fallback(why: str) -> None:
    global _fallback_said
    if not _fallback_said:
        _fallback_said = True
        log.warning("VR mode: side-by-side stereo (%s) / VR 模式：左右分屏立体", why)
    return None
