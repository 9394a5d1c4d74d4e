"""The OpenXR edge: one instance and session per process, its frame loop, head and controller tracking.

`XrSession.open(...)` creates the instance (XR_KHR_opengl_enable with the 3D engine's own GL context: its EGL
context through XR_MNDX_egl_enable, or its GLX context through the Xlib binding; or XR_MND_headless for input only), the action set (both hands' aim pose, trigger, menu,
thumbstick, haptics; bindings for the simple, Index, Touch and Vive controllers) and the reference space
(seated: LOCAL, standing: STAGE). Per kiosk frame: `poll()` handles session state changes and, while the
session runs, waits for the runtime's frame (xrWaitFrame paces the loop), begins it and locates the views,
the head and the hands; `end_frame()` submits what `swapchains.XrEyes` was given (a projection layer) or no
layer. Nothing here draws; nothing here knows a kind.
"""
from __future__ import annotations

import ctypes
import logging
import time
from dataclasses import dataclass

import xr

from experiences.xr.inputs import Hand, Tracked
from experiences.xr.poses import Fov, Pose
from experiences.xr.runtime import RuntimeManifest

log = logging.getLogger("yuedu.xr")

HANDS = ("left", "right")
# Interaction profiles we suggest bindings for: (profile, trigger, menu, stick x or None)
PROFILES = (
    ("/interaction_profiles/khr/simple_controller", "select/click", "menu/click", None),
    ("/interaction_profiles/valve/index_controller", "trigger/value", "b/click", "thumbstick/x"),
    ("/interaction_profiles/oculus/touch_controller", "trigger/value", None, "thumbstick/x"),
    ("/interaction_profiles/htc/vive_controller", "trigger/value", "menu/click", "trackpad/x"),
)
RUNNING = (xr.SessionState.READY, xr.SessionState.SYNCHRONIZED, xr.SessionState.VISIBLE, xr.SessionState.FOCUSED)


class XrUnavailable(RuntimeError):
    """No OpenXR runtime, or it refused us; the message says why (zh-CN and en)."""


@dataclass(frozen=True)
class EyeView:
    pose: Pose  # scene axes, from the reference space's origin
    fov: Fov
    raw: object  # the runtime's xr.View, handed back in the projection layer


@dataclass(frozen=True)
class SystemInfo:
    runtime: str
    system: str
    view_sizes: tuple[tuple[int, int], ...]  # recommended per eye
    max_sizes: tuple[tuple[int, int], ...]


def _app_info() -> xr.ApplicationInfo:
    return xr.ApplicationInfo(application_name="Yuedu", application_version=1, engine_name="yuedu",
                              engine_version=1, api_version=xr.Version(1, 0, 0))


class XrSession:
    def __init__(self, instance, system_id, session, graphics: str, reference: str, info: SystemInfo,
                 timespec: bool):
        self.instance, self.system_id, self.session = instance, system_id, session
        self.graphics = graphics  # "egl" or "xlib" (we render) or "headless" (input only)
        self.info = info
        self.timespec = timespec
        self.state = xr.SessionState.UNKNOWN
        self.running = False  # between xrBeginSession and xrEndSession
        self.lost = False  # exiting or lost: make a new session to go on
        self.frame_state = None
        self.frame_time = 0
        self.frame_open = False
        self.views: list[EyeView] = []
        self.tracked = Tracked()
        self.layers_submitted = 0
        self.pulses = 0  # haptic pulses sent (tests)
        self.frames_ended = 0
        self.state_log: list[str] = []
        self.eyes = None  # swapchains.XrEyes once the renderer made them (egl sessions)
        self._pending_layers = []
        self._make_actions()
        self._make_spaces(reference)

    # --- creation ------------------------------------------------------------------------------------------
    @classmethod
    def open(cls, manifest: RuntimeManifest | None = None, *, graphics: str = "egl", egl=None, glx=None,
             reference: str = "seated") -> "XrSession":
        """A session on the active runtime. `graphics="egl"` needs `egl`, the 3D engine's current EglContext;
        `graphics="xlib"` needs `glx`, its current glx.GlxContext."""
        available = runtime_extensions(manifest)
        wanted = {"headless": ["XR_MND_headless"], "egl": ["XR_KHR_opengl_enable", "XR_MNDX_egl_enable"],
                  "xlib": ["XR_KHR_opengl_enable"]}[graphics]
        missing = [name for name in wanted if name not in available]
        if missing:
            raise XrUnavailable(f"OpenXR 运行时缺少 / the OpenXR runtime lacks {', '.join(missing)}")
        timespec = "XR_KHR_convert_timespec_time" in available
        extensions = wanted + (["XR_KHR_convert_timespec_time"] if timespec else [])
        instance = xr.create_instance(xr.InstanceCreateInfo(application_info=_app_info(),
                                                            enabled_extension_names=extensions))
        try:
            runtime = xr.get_instance_properties(instance).runtime_name.decode(errors="replace")
            try:
                system_id = xr.get_system(instance, xr.SystemGetInfo(form_factor=xr.FormFactor.HEAD_MOUNTED_DISPLAY))
            except xr.XrException as error:
                raise XrUnavailable(f"未找到头显 / no headset found: {error}") from None
            props = xr.get_system_properties(instance, system_id)
            configs = xr.enumerate_view_configuration_views(instance, system_id,
                                                            xr.ViewConfigurationType.PRIMARY_STEREO)
            info = SystemInfo(runtime, props.system_name.decode(errors="replace"),
                              tuple((v.recommended_image_rect_width, v.recommended_image_rect_height) for v in configs),
                              tuple((v.max_image_rect_width, v.max_image_rect_height) for v in configs))
            binding = None
            if graphics in ("egl", "xlib"):
                if (egl if graphics == "egl" else glx) is None:
                    raise XrUnavailable(f"OpenXR: the 3D engine has no current {graphics.upper()} context")
                xr.get_opengl_graphics_requirements_khr(instance, system_id)  # required before the session
                binding = _egl_binding(egl) if graphics == "egl" else _xlib_binding(glx)
            session = xr.create_session(instance, xr.SessionCreateInfo(
                system_id=system_id, next=ctypes.cast(ctypes.pointer(binding), ctypes.c_void_p) if binding else None))
            self = cls(instance, system_id, session, graphics, reference, info, timespec)
            self._binding = binding  # the runtime keeps pointers into it
            self.gl_context = egl if graphics == "egl" else glx  # the engine's context (None: headless)
            return self
        except BaseException:
            xr.destroy_instance(instance)
            raise

    def _make_actions(self) -> None:
        instance = self.instance
        self.hand_paths = [xr.string_to_path(instance, f"/user/hand/{side}") for side in HANDS]
        self.action_set = xr.create_action_set(instance, xr.ActionSetCreateInfo(
            action_set_name="yuedu", localized_action_set_name="Yuedu", priority=0))

        def action(name, kind, label):
            return xr.create_action(self.action_set, xr.ActionCreateInfo(
                action_type=kind, action_name=name, localized_action_name=label,
                count_subaction_paths=2, subaction_paths=(xr.Path * 2)(*self.hand_paths)))

        self.aim = action("aim", xr.ActionType.POSE_INPUT, "Aim")
        self.shoot = action("shoot", xr.ActionType.FLOAT_INPUT, "Shoot")
        self.menu = action("menu", xr.ActionType.BOOLEAN_INPUT, "Menu")
        self.stick = action("stick", xr.ActionType.FLOAT_INPUT, "Turn")
        self.buzz = action("buzz", xr.ActionType.VIBRATION_OUTPUT, "Buzz")
        for profile, trigger, menu, stick in PROFILES:
            pairs = []
            for side in HANDS:
                base = f"/user/hand/{side}/input/"
                pairs += [(self.aim, base + "aim/pose"), (self.shoot, base + trigger),
                          (self.buzz, f"/user/hand/{side}/output/haptic")]
                if menu and not (profile.endswith("touch_controller") and side == "right"):
                    pairs.append((self.menu, base + menu))
                if stick:
                    pairs.append((self.stick, base + stick))
            if profile.endswith("touch_controller"):
                pairs.append((self.menu, "/user/hand/left/input/menu/click"))
            bindings = [xr.ActionSuggestedBinding(a, xr.string_to_path(instance, p)) for a, p in pairs]
            try:
                xr.suggest_interaction_profile_bindings(instance, xr.InteractionProfileSuggestedBinding(
                    interaction_profile=xr.string_to_path(instance, profile),
                    count_suggested_bindings=len(bindings),
                    suggested_bindings=(xr.ActionSuggestedBinding * len(bindings))(*bindings)))
            except xr.XrException as error:  # a runtime that does not know a profile
                log.info("OpenXR: no bindings for %s (%s)", profile, error)
        xr.attach_session_action_sets(self.session, xr.SessionActionSetsAttachInfo(
            count_action_sets=1, action_sets=(xr.ActionSet * 1)(self.action_set)))

    def _make_spaces(self, reference: str) -> None:
        available = set(xr.enumerate_reference_spaces(self.session))
        kind = xr.ReferenceSpaceType.STAGE if reference == "standing" else xr.ReferenceSpaceType.LOCAL
        if kind not in available:
            log.warning("OpenXR: no %s reference space here; seated (LOCAL) instead", kind.name)
            kind = xr.ReferenceSpaceType.LOCAL
        self.floor_level = kind == xr.ReferenceSpaceType.STAGE
        identity = xr.Posef()
        self.space = xr.create_reference_space(self.session, xr.ReferenceSpaceCreateInfo(
            reference_space_type=kind, pose_in_reference_space=identity))
        self.reference_type = kind
        self.view_space = xr.create_reference_space(self.session, xr.ReferenceSpaceCreateInfo(
            reference_space_type=xr.ReferenceSpaceType.VIEW, pose_in_reference_space=identity))
        self.aim_spaces = [xr.create_action_space(self.session, xr.ActionSpaceCreateInfo(
            action=self.aim, subaction_path=path, pose_in_action_space=identity)) for path in self.hand_paths]

    # --- per frame -----------------------------------------------------------------------------------------
    @property
    def focused(self) -> bool:
        return self.state == xr.SessionState.FOCUSED

    @property
    def paused(self) -> bool:
        """The headset is off or the runtime took the visitor away: the kiosk pauses the run."""
        return self.lost or self.state not in (xr.SessionState.VISIBLE, xr.SessionState.FOCUSED)

    def poll(self) -> Tracked | None:
        """Handle the runtime's events; while the session runs, wait for and begin the next frame and return
        what is tracked in it (None: no frame this time, e.g. the headset is off)."""
        self._poll_events()
        if not self.running or self.lost:
            self.frame_open = False
            return None
        self.frame_state = xr.wait_frame(self.session)
        xr.begin_frame(self.session)
        self.frame_open = True
        self.frame_time = self.frame_state.predicted_display_time or self._now()
        self._pending_layers = []
        if self.focused:
            xr.sync_actions(self.session, xr.ActionsSyncInfo(
                count_active_action_sets=1, active_action_sets=(xr.ActiveActionSet * 1)(
                    xr.ActiveActionSet(self.action_set, xr.NULL_PATH))))
        self.views = self._locate_views()
        self.tracked = Tracked(head=self._locate(self.view_space), hands=self._hands())
        return self.tracked

    def end_frame(self) -> None:
        """End the frame begun by poll(): with the layers submitted (the eyes' projection layer; or the kiosk's
        panel over its backdrop), or none."""
        if not self.frame_open:
            return
        self.frame_open = False
        layers = [ctypes.byref(layer) for layer in self._pending_layers]
        xr.end_frame(self.session, xr.FrameEndInfo(
            display_time=self.frame_time, environment_blend_mode=xr.EnvironmentBlendMode.OPAQUE,
            layers=layers))
        self.frames_ended += 1
        if layers:
            self.layers_submitted += 1
        self._pending_layers = []

    def submit(self, layer) -> None:
        """A layer for this frame, back to front: the projection layer swapchains.XrEyes made after it copied
        both eyes, or the panel's backdrop and quad (experiences/xr/panel.py)."""
        self._pending_layers.append(layer)

    @property
    def layers_pending(self) -> int:
        return len(self._pending_layers)

    @property
    def should_render(self) -> bool:
        return self.frame_open and bool(self.frame_state.should_render)

    def pulse(self, side: str = "right", seconds: float = 0.08, amplitude: float = 0.6) -> None:
        """A short haptic buzz on one controller (where the runtime and controller support it)."""
        if not self.focused:
            return
        path = self.hand_paths[HANDS.index(side)]
        vibration = xr.HapticVibration(duration=int(seconds * 1e9), frequency=xr.FREQUENCY_UNSPECIFIED,
                                       amplitude=amplitude)
        xr.apply_haptic_feedback(self.session, xr.HapticActionInfo(action=self.buzz, subaction_path=path), vibration)
        self.pulses += 1

    def request_exit(self) -> None:
        if self.running:
            xr.request_exit_session(self.session)

    def recentre(self) -> None:
        """Staff's recentre: the reference space starts again where the headset looks now (yaw only)."""
        head = self._locate(self.view_space, raw=True)
        if head is None:
            return
        import math

        q = head.orientation
        yaw = math.atan2(2 * (q.w * q.y + q.x * q.z), 1 - 2 * (q.y * q.y + q.x * q.x))  # about +y
        pose = xr.Posef(orientation=xr.Quaternionf(0, math.sin(yaw / 2), 0, math.cos(yaw / 2)),
                        position=xr.Vector3f(head.position.x, 0 if self.floor_level else head.position.y,
                                             head.position.z))
        old = self.space
        self.space = xr.create_reference_space(self.session, xr.ReferenceSpaceCreateInfo(
            reference_space_type=self.reference_type, pose_in_reference_space=pose))
        xr.destroy_space(old)

    def close(self) -> None:
        if self.eyes is not None:
            self.eyes.close()
            self.eyes = None
        if self.instance is not None:
            xr.destroy_instance(self.instance)  # destroys the session, spaces, actions and swapchains with it
            self.instance = None
            self.running = False
            self.lost = True

    # --- helpers -------------------------------------------------------------------------------------------
    def _now(self) -> int:
        if not self.timespec:
            return 1
        spec = xr.timespec()
        now = time.clock_gettime_ns(time.CLOCK_MONOTONIC)
        spec.tv_sec, spec.tv_nsec = divmod(now, 1_000_000_000)
        return xr.convert_timespec_time_to_time_khr(self.instance, ctypes.pointer(spec))

    def _poll_events(self) -> None:
        while True:
            try:
                buffer = xr.poll_event(self.instance)
            except xr.EventUnavailable:
                return
            kind = xr.StructureType(buffer.type)
            if kind == xr.StructureType.EVENT_DATA_INSTANCE_LOSS_PENDING:
                self.lost = True
                self.state_log.append("INSTANCE_LOSS_PENDING")
            elif kind == xr.StructureType.EVENT_DATA_SESSION_STATE_CHANGED:
                event = ctypes.cast(ctypes.byref(buffer), ctypes.POINTER(xr.EventDataSessionStateChanged)).contents
                self.state = xr.SessionState(event.state)
                self.state_log.append(self.state.name)
                log.info("OpenXR session: %s", self.state.name)
                if self.state == xr.SessionState.READY:
                    xr.begin_session(self.session, xr.SessionBeginInfo(xr.ViewConfigurationType.PRIMARY_STEREO))
                    self.running = True
                elif self.state == xr.SessionState.STOPPING:
                    self.running = False
                    xr.end_session(self.session)
                elif self.state in (xr.SessionState.EXITING, xr.SessionState.LOSS_PENDING):
                    self.running = False
                    self.lost = True

    def _locate_views(self) -> list[EyeView]:
        state, views = xr.locate_views(self.session, xr.ViewLocateInfo(
            view_configuration_type=xr.ViewConfigurationType.PRIMARY_STEREO, display_time=self.frame_time,
            space=self.space))
        valid = xr.ViewStateFlags.ORIENTATION_VALID_BIT | xr.ViewStateFlags.POSITION_VALID_BIT
        if state.view_state_flags & valid != valid:
            return []
        return [EyeView(_pose(v.pose), Fov(v.fov.angle_left, v.fov.angle_right, v.fov.angle_up, v.fov.angle_down),
                        v) for v in views]

    def _locate(self, space, raw: bool = False):
        location = xr.locate_space(space, self.space, self.frame_time or self._now())
        valid = xr.SpaceLocationFlags.ORIENTATION_VALID_BIT | xr.SpaceLocationFlags.POSITION_VALID_BIT
        if location.location_flags & valid != valid:
            return None
        return location.pose if raw else _pose(location.pose)

    def _hands(self) -> dict[str, Hand]:
        hands = {}
        if not self.focused:
            return hands
        for side, path, space in zip(HANDS, self.hand_paths, self.aim_spaces):
            pose_state = xr.get_action_state_pose(self.session, xr.ActionStateGetInfo(self.aim, path))
            trigger = xr.get_action_state_float(self.session, xr.ActionStateGetInfo(self.shoot, path))
            menu = xr.get_action_state_boolean(self.session, xr.ActionStateGetInfo(self.menu, path))
            stick = xr.get_action_state_float(self.session, xr.ActionStateGetInfo(self.stick, path))
            aim = self._locate(space) if pose_state.is_active else None
            hands[side] = Hand(aim, trigger.current_state if trigger.is_active else 0.0,
                               bool(menu.current_state) if menu.is_active else False,
                               stick.current_state if stick.is_active else 0.0)
        return hands


def runtime_extensions(manifest: RuntimeManifest | None = None) -> set[str]:
    """The instance extensions the active runtime (or `manifest`'s) offers; loads it, creates nothing."""
    import os

    if manifest is not None:
        os.environ["XR_RUNTIME_JSON"] = str(manifest.path)
    try:
        return {e.extension_name.decode() for e in xr.enumerate_instance_extension_properties()}
    except xr.XrException as error:
        raise XrUnavailable(f"没有可用的 OpenXR 运行时 / no OpenXR runtime: {error}") from None


def _pose(pose) -> Pose:
    o, p = pose.orientation, pose.position
    return Pose.from_openxr((p.x, p.y, p.z), (o.x, o.y, o.z, o.w))


def _egl_binding(egl):
    from xr.platform.linux import EGLConfig, EGLContext, EGLDisplay

    from experiences.xr.egl import libegl

    binding = xr.GraphicsBindingEGLMNDX()
    binding.display = ctypes.cast(egl.display, EGLDisplay)
    binding.config = ctypes.cast(egl.config, EGLConfig)
    binding.context = ctypes.cast(egl.context, EGLContext)
    binding.get_proc_address = ctypes.cast(libegl().eglGetProcAddress, xr.PFN_xrEglGetProcAddressMNDX)
    return binding


def _xlib_binding(glx):
    """XrGraphicsBindingOpenGLXlibKHR from the engine's GLX context (SteamVR, ALVR, Monado and most desktop
    runtimes take it); the pointers are cast to the structure's own field types."""
    binding = xr.GraphicsBindingOpenGLXlibKHR()
    fields = dict(binding._fields_)
    binding.x_display = ctypes.cast(glx.display, fields["x_display"])
    binding.visualid = glx.visual_id
    binding.glx_fbconfig = ctypes.cast(glx.fbconfig, fields["glx_fbconfig"])
    binding.glx_drawable = glx.drawable
    binding.glx_context = ctypes.cast(glx.context, fields["glx_context"])
    return binding
