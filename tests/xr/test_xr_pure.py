"""The OpenXR edge's pure parts: finding the runtime, poses between OpenXR and our scenes, controllers as
InputEvents, who may play in a headset, the remote driver's wire format. No runtime needed."""
from __future__ import annotations

import json
import math
import struct

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from experiences.config import KioskConfig, ConfigError, parse_config
from experiences.xr.inputs import Hand, Tracked, XrInputs
from experiences.xr.panel_inputs import DWELL_SECONDS, PanelGeometry, PanelInputs
from experiences.xr.policy import choose_binding, headset_allowed, vr_path
from experiences.xr.poses import Fov, Pose, forward, yaw_pitch
from experiences.xr.remote import FORMAT, HEADER, RemoteState, yaw_pitch_quat
from experiences.xr.runtime import find_runtime
from games.lanterns.vr.courtyard import aim_direction


def write_manifest(path, name="Monado", library="./libopenxr_monado.so"):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"file_format_version": "1.0.0", "runtime": {"name": name, "library_path": library}}))
    return path


def test_the_runtime_is_found_where_the_loader_looks(tmp_path):
    env = {"HOME": str(tmp_path / "home"), "XDG_CONFIG_DIRS": str(tmp_path / "etc")}
    assert find_runtime(env) is None or str(find_runtime(env).path).startswith("/etc/")
    system = write_manifest(tmp_path / "etc" / "openxr" / "1" / "active_runtime.json", "SteamVR")
    assert find_runtime(env).name == "SteamVR"
    user = write_manifest(tmp_path / "home" / ".config" / "openxr" / "1" / "active_runtime.json", "WiVRn")
    assert find_runtime(env).path == user  # the user's choice before the system's
    chosen = write_manifest(tmp_path / "x" / "openxr_monado.json")
    found = find_runtime({**env, "XR_RUNTIME_JSON": str(chosen)})
    assert found.name == "Monado" and found.library == chosen.parent.resolve() / "libopenxr_monado.so"
    (tmp_path / "broken.json").write_text("{")
    assert find_runtime({**env, "XR_RUNTIME_JSON": str(tmp_path / "broken.json")}).path == user
    assert system.exists()


def test_config_names_the_vr_path(tmp_path):
    config = KioskConfig()
    assert "no OpenXR runtime" in vr_path(config, None)
    manifest = find_runtime({"XR_RUNTIME_JSON": str(write_manifest(tmp_path / "m.json", "Monado"))})
    assert vr_path(config, manifest).startswith("OpenXR: Monado")
    assert "XR_MNDX_egl_enable, else Xlib/GLX" in vr_path(config, manifest)  # [vr] graphics = "auto"
    config.vr.openxr = False
    assert "openxr = false" in vr_path(config, manifest)
    assert parse_config('[vr]\nreference = "standing"\nmin_age_band = "13+"\n').vr.reference == "standing"
    with pytest.raises(ConfigError, match="reference"):
        parse_config('[vr]\nreference = "lying"\n')


def test_headset_makers_minimum_age_keeps_younger_visitors_on_the_screen():
    assert not headset_allowed("6-8", "9-12") and not headset_allowed("3-5", "9-12")
    assert headset_allowed("9-12", "9-12") and headset_allowed("13+", "9-12")
    assert headset_allowed(None, "9-12")  # skipped: the question decides, staff watch
    assert headset_allowed("6-8", "6-8")


@settings(max_examples=80, deadline=None)
@given(yaw=st.floats(-170, 170), pitch=st.floats(-80, 80))
def test_an_openxr_orientation_points_where_our_scenes_aim(yaw, pitch):
    """The remote driver's quaternion for (yaw, pitch), read back through our axes, is the same aim direction
    the lanterns use: OpenXR (-z forward, y up) and panda3d (y forward, z up) agree."""
    pose = Pose.from_openxr((0.0, 0.0, 0.0), yaw_pitch_quat(yaw, pitch))
    back = pose.yaw_pitch
    assert back[0] == pytest.approx(yaw, abs=1e-6) and back[1] == pytest.approx(pitch, abs=1e-6)
    assert pose.direction == pytest.approx(aim_direction(yaw, pitch), abs=1e-9)
    assert forward(yaw_pitch_quat(yaw, pitch)) == pytest.approx(aim_direction(yaw, pitch), abs=1e-9)


def test_positions_change_axes_and_a_field_of_view_projects():
    assert Pose.from_openxr((0.1, 1.6, -2.0), (0, 0, 0, 1)).position == (0.1, 2.0, 1.6)
    fov = Fov(-0.8, 0.7, 0.6, -0.9)
    assert fov.project((0.0, 1.0, 0.0)) == pytest.approx((math.tan(0.8) / (math.tan(0.8) + math.tan(0.7)),
                                                          math.tan(0.6) / (math.tan(0.6) + math.tan(0.9))))
    assert fov.project((0.0, -1.0, 0.0)) is None
    assert yaw_pitch((1.0, 1.0, 0.0)) == pytest.approx((45.0, 0.0))


def aim(yaw, pitch=0.0, at=(0.2, 0.3, -0.3)):
    return Pose.from_openxr(at, yaw_pitch_quat(yaw, pitch))


def test_controllers_become_aim_and_select_events_and_the_head_only_without_them():
    inputs = XrInputs()
    head = aim(5.0, at=(0, 0, 0))
    events = inputs.events(Tracked(head=head, hands={"left": Hand(aim(-30)), "right": Hand(aim(20, 10))}))
    assert [(e.type, e.source) for e in events] == [("aim", "controller")]
    assert events[0].yaw == pytest.approx(20) and events[0].pitch == pytest.approx(10)
    assert events[0].origin == pytest.approx((0.2, 0.3, 0.3))  # the hand, in scene axes
    # the left trigger: the left hand aims from now on, and that press is one select, not one per frame
    pulled = Tracked(head=head, hands={"left": Hand(aim(-30), trigger=0.9), "right": Hand(aim(20))})
    events = inputs.events(pulled)
    assert [(e.type, e.action) for e in events] == [("aim", ""), ("action", "select")]
    assert events[0].yaw == pytest.approx(-30)
    trembling = Tracked(head=head, hands={"left": Hand(aim(-30), trigger=0.5), "right": Hand(aim(20))})
    assert [e.type for e in inputs.events(trembling)] == ["aim"]  # above the release threshold: still held
    assert [e.type for e in inputs.events(pulled)] == ["aim"]
    inputs.events(Tracked(head=head, hands={"left": Hand(aim(-30), trigger=0.0), "right": Hand(aim(20))}))
    assert [e.action for e in inputs.events(pulled)] == ["", "select"]  # released, pulled again: a second shot
    # menu: back; the stick pushed right: one "right" until it comes back
    menu = inputs.events(Tracked(hands={"right": Hand(aim(0), menu=True, stick_x=0.9)}))
    assert [(e.type, e.action) for e in menu if e.type == "action"] == [("action", "back"), ("action", "right")]
    assert not [e for e in inputs.events(Tracked(hands={"right": Hand(aim(0), menu=True, stick_x=0.8)}))
                if e.type == "action"]
    # no controller tracked: the head aims (gaze and dwell)
    gaze = inputs.events(Tracked(head=head, hands={"left": Hand(None), "right": Hand(None)}))
    assert [(e.type, e.source) for e in gaze] == [("aim", "head")] and gaze[0].yaw == pytest.approx(5)


def test_the_remote_driver_struct_is_376_bytes_with_its_header():
    packed = RemoteState(yaw=30).pack()
    assert len(packed) == 376 == struct.calcsize(FORMAT) and packed[:8] == HEADER



MONADO = {"XR_KHR_opengl_enable", "XR_MNDX_egl_enable", "XR_MND_headless", "XR_KHR_convert_timespec_time"}
STEAMVR = {"XR_KHR_opengl_enable", "XR_KHR_vulkan_enable", "XR_KHR_vulkan_enable2", "XR_EXT_hand_tracking"}


@pytest.mark.parametrize("extensions, wanted, module, x11, binding", [
    (MONADO, "auto", None, False, "egl"),  # Monado, WiVRn: the headless EGL path, display or not
    (MONADO, "auto", None, True, "egl"),
    (MONADO, "xlib", None, True, "xlib"),  # staff (and the tests) can ask for GLX
    (STEAMVR, "auto", None, True, "xlib"),  # SteamVR, ALVR: no XR_MNDX_egl_enable, so GLX on the X display
    (STEAMVR, "auto", "pandagl", True, "xlib"),
    (STEAMVR, "auto", None, False, None),  # ...which a kiosk without X11 does not have
    (STEAMVR, "auto", "p3headlessgl", True, None),  # an engine already on EGL cannot move to GLX
    (STEAMVR, "egl", None, True, None),
    (MONADO, "auto", "pandagl", False, None),
    ({"XR_KHR_vulkan_enable2"}, "auto", None, True, None),  # a Vulkan-only runtime
])
def test_the_graphics_binding_follows_the_runtimes_extensions_and_the_engines_context(extensions, wanted, module,
                                                                                      x11, binding):
    chosen, why = choose_binding(extensions, wanted, module, x11)
    assert chosen == binding and why


def test_the_fallback_says_why_in_words_staff_can_act_on():
    assert "XR_MNDX_egl_enable" in choose_binding(STEAMVR, "auto", None, False)[1]
    assert "DISPLAY" in choose_binding(STEAMVR, "auto", None, False)[1]
    assert "XR_KHR_opengl_enable" in choose_binding({"XR_KHR_vulkan_enable2"})[1]


def test_vr_graphics_is_checked_in_the_config():
    assert parse_config('[vr]\ngraphics = "xlib"\n').vr.graphics == "xlib"
    with pytest.raises(ConfigError, match="graphics"):
        parse_config('[vr]\ngraphics = "vulkan"\n')


def aim_at(geometry, x, y, origin=(0.2, -0.3, -0.3)):
    (cx, cy, cz), (w, h) = geometry.centre, geometry.size_m
    target = (cx + (x / geometry.pixels[0] - 0.5) * w, cy, cz + (0.5 - y / geometry.pixels[1]) * h)
    yaw, pitch = yaw_pitch(tuple(target[i] - origin[i] for i in range(3)))
    return yaw, pitch


def hand_pose(yaw, pitch, origin=(0.2, -0.3, -0.3)):
    from experiences.xr.remote import yaw_pitch_quat

    x, y, z, w = yaw_pitch_quat(yaw, pitch)  # OpenXR axes
    return Pose.from_openxr((origin[0], origin[2], -origin[1]), (x, y, z, w))


@given(st.floats(0.5, 1279.5), st.floats(0.5, 719.5))
@settings(max_examples=60, deadline=None)
def test_a_ray_aimed_at_a_pixel_of_the_panel_meets_that_pixel(x, y):
    geometry = PanelGeometry.for_screen((1280, 720))
    point = geometry.pixel_of_ray((0.2, -0.3, -0.3), *aim_at(geometry, x, y))
    assert point == pytest.approx((x, y), abs=0.01)


def test_the_panel_fits_a_portrait_screen_and_hangs_at_a_childs_eyes_when_standing():
    wide, tall = PanelGeometry.for_screen((1920, 1080)), PanelGeometry.for_screen((1080, 1920), floor_level=True)
    assert wide.size_m[0] == pytest.approx(2 * 2.0 * math.tan(math.radians(30)))
    assert tall.size_m[1] == pytest.approx(2 * 2.0 * math.tan(math.radians(22.5)))
    assert tall.size_m[0] / tall.size_m[1] == pytest.approx(1080 / 1920)
    assert wide.centre[2] == 0.0 and tall.centre[2] == 1.2
    assert wide.pixel_of_ray((0, 0, 0), 0, 80) is None and wide.pixel_of_ray((0, 0, 0), 180, 0) is None


def test_a_trigger_pull_on_the_panel_is_a_tap_where_the_ray_meets_it():
    geometry = PanelGeometry.for_screen((1280, 720))
    inputs = PanelInputs(geometry)
    aim = hand_pose(*aim_at(geometry, 300, 200))
    assert inputs.events(Tracked(hands={"right": Hand(aim, 0.0)})) == []  # pointing is not a tap (nor activity)
    assert inputs.pointer == pytest.approx((300, 200), abs=0.5)
    down = inputs.events(Tracked(hands={"right": Hand(aim, 0.9)}))
    assert [(e.type, round(e.x), round(e.y), e.source) for e in down] == [("pointer_down", 300, 200, "controller")]
    moved = hand_pose(*aim_at(geometry, 320, 210))
    assert [e.type for e in inputs.events(Tracked(hands={"right": Hand(moved, 0.5)}))] == ["pointer_move"]
    up = inputs.events(Tracked(hands={"right": Hand(moved, 0.1)}))
    assert [(e.type, round(e.x), round(e.y)) for e in up] == [("pointer_up", 320, 210)]
    back = inputs.events(Tracked(hands={"right": Hand(moved, 0.0, menu=True)}))
    assert [(e.type, e.action) for e in back] == [("action", "back")]


def test_a_gaze_resting_on_the_panel_taps_once_where_it_rests():
    geometry = PanelGeometry.for_screen((1280, 720))
    inputs = PanelInputs(geometry)
    head = hand_pose(*aim_at(geometry, 640, 500, (0, 0, 0)), origin=(0, 0, 0))
    taps = []
    for _ in range(int(DWELL_SECONDS * 30) + 30):  # 2.5 s at 30 frames a second
        taps += inputs.events(Tracked(head=head), 1 / 30)
    assert [(e.type, round(e.x), round(e.y), e.source) for e in taps] == [
        ("pointer_down", 640, 500, "head"), ("pointer_up", 640, 500, "head")]
    assert inputs.dwell_progress == 1.0
