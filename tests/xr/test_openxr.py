"""VR corners against a real OpenXR runtime: Monado (null compositor, llvmpipe) with its remote driver, scripted
over TCP. Each scenario runs in a process of its own (tests/xr/xr_child.py); these tests judge its readings.
Skipped, with one line saying why, where no runtime was built (a clone without ../shared)."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from server.xapi.errors import XAPIError
from server.xapi.validate import StatementValidator
from tests.xrruntime import ROOT, need_runtime, port_was_taken, remote_environment, run_on_free_port

CHILD = Path(__file__).with_name("xr_child.py")


@pytest.fixture
def xr_env(tmp_path):
    return child_env(tmp_path)


def child_env(tmp_path: Path) -> dict:
    need_runtime()
    env, _ = remote_environment(tmp_path / "xdg")
    return {**os.environ, **env, "TMPDIR_XR": str(tmp_path), "PYTHONPATH": str(ROOT), "SDL_AUDIODRIVER": "dummy",
            "SDL_VIDEODRIVER": "dummy"}


def run_child(scenario: str, env: dict) -> dict:
    """The scenario's readings; started again on a fresh port if another process took the runtime's, or if the
    runtime closed a file of ours (tests/xrruntime.py)."""
    def run(env):
        result = subprocess.run([sys.executable, str(CHILD), scenario], cwd=ROOT, env=env, capture_output=True,
                                text=True, timeout=180)
        return result, result.stderr

    result = run_on_free_port(env, run)
    assert result.returncode == 0, (result.stdout[-2000:], result.stderr[-3000:])
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    return run_child("render", child_env(tmp_path_factory.mktemp("xr-render")))


def test_a_head_turn_moves_the_view_in_the_swapchain_images(rendered):
    readings = rendered
    assert "llvmpipe" in readings["renderer"]
    width = readings["eye_size"][0]
    (left_ahead, right_ahead), (left_turned, right_turned) = readings["centroids"]["0"], readings["centroids"]["25"]
    for count, x in (left_ahead, right_ahead):  # the red card straight ahead: in the middle of both eyes
        assert count > 500 and abs(x - width / 2) < width * 0.05
    assert left_ahead[1] > right_ahead[1]  # parallax: the left eye sees a near thing further right
    for (_, ahead), (count, turned) in ((left_ahead, left_turned), (right_ahead, right_turned)):
        assert count > 500 and turned < ahead - width * 0.15  # the head turned right: the card moved left
    assert readings["corner"] == [8, 10, 31]  # the scene's clear colour, copied byte for byte
    for (count, x), (_, ahead) in zip(readings["centroids"]["recentred"], (left_ahead, right_ahead)):
        assert count > 500 and abs(x - ahead) < width * 0.03  # recentred: the card is straight ahead again


def test_projection_layers_are_submitted_every_frame_on_llvmpipe(rendered):
    frames = rendered["frames"]
    assert frames["ended"] == 30 and frames["should_render"] == 30 and frames["layers"] == 30


@pytest.fixture(scope="module")
def xvfb():
    need_runtime()
    from tests.xvfb import Xvfb

    with Xvfb(size=(640, 480)) as server:
        yield server


def xlib_env(tmp_path, server) -> dict:
    env = child_env(tmp_path)
    env.update(DISPLAY=server.display, YUEDU_XR_GRAPHICS="xlib")
    return env


def test_the_xlib_binding_renders_through_panda3ds_glx_context_under_xvfb(tmp_path, xvfb):
    """SteamVR's and ALVR's path (XrGraphicsBindingOpenGLXlibKHR), against Monado, whose client takes it too."""
    env = xlib_env(tmp_path, xvfb)
    env.pop("SDL_VIDEODRIVER", None)
    readings = run_child("xlib", env)
    assert readings["graphics"] == "xlib" and readings["module"] == "pandagl"
    assert readings["binding"] == "GraphicsBindingOpenGLXlibKHR" and "llvmpipe" in readings["renderer"]
    width = readings["eye_size"][0]
    ahead, turned = readings["centroids"]["0"], readings["centroids"]["25"]
    for (count, x), (count_turned, x_turned) in zip(ahead, turned):
        assert count > 500 and abs(x - width / 2) < width * 0.05  # the card straight ahead in both eyes
        assert count_turned > 500 and x_turned < x - width * 0.15  # the head turned right: it moved left
    assert readings["corner"] == [8, 10, 31]
    assert readings["frames"]["ended"] == readings["frames"]["layers"] == 30


def test_aim_and_trigger_hit_the_right_lantern_and_say_so_in_the_statement(xr_env):
    readings = run_child("lanterns", xr_env)
    assert readings["view"] == "XrSceneView" and readings["inputs"] == ["controller"]
    assert readings["solved"] and readings["attempts"] == 1  # one shot, where the hand pointed
    assert readings["pulses"] == 1  # a haptic pulse on the hit
    assert readings["layers"] == readings["submitted"] > 5  # every frame drawn went to the headset
    assert min(readings["mirror_std"]) > 10  # the window mirrors the courtyard in both halves
    answered = [s for s in readings["statements"] if s["verb"]["display"]["en-US"] == "answered"]
    assert len(answered) == 1 and answered[0]["result"]["success"]
    validator = StatementValidator("1.0")
    for statement in readings["statements"]:
        try:
            validator.statement(statement)
        except XAPIError as error:
            pytest.fail(f"the LRS refuses {statement['verb']['display']['en-US']}: {error.reason}")
    context = answered[0]["context"]["extensions"]
    assert context["https://w3id.org/yuedu/xapi/extensions/aim-input"] == "controller"
    assert context["https://w3id.org/yuedu/xapi/extensions/vr-display"] == "openxr"


def test_an_exhibit_hotspot_opens_by_aim_and_trigger(xr_env):
    readings = run_child("exhibit", xr_env)
    assert not readings["opened_before"] and readings["opened"] == "red"
    assert readings["ray_pixel"] == pytest.approx(readings["marker"], abs=2)  # the ray met its marker
    assert readings["stage_renders_window"] and readings["layers"] == readings["submitted"] > 0
    experienced = [s for s in readings["statements"] if s["verb"]["display"]["en-US"] == "experienced"]
    assert experienced and experienced[-1]["object"]["id"].endswith("/hotspot/red")
    context = experienced[-1]["context"]["extensions"]
    assert context["https://w3id.org/yuedu/xapi/extensions/aim-input"] == "controller"
    assert context["https://w3id.org/yuedu/xapi/extensions/vr-display"] == "openxr"


def test_taking_the_headset_off_pauses_the_run_and_the_kiosk_goes_back_to_attract(xr_env):
    readings = run_child("pause", xr_env)
    assert readings["vr"] and readings["rig"] and readings["view"] == "XrExhibitView"
    assert readings["played"] == 10  # the run went on while the session was focused
    assert readings["states"][-3:] == ["STOPPING", "IDLE", "EXITING"]  # what the runtime said
    assert readings["paused_updates"] == 0 and readings["state_paused"] == readings["running"]  # paused, not ended
    assert readings["attract"] and readings["idle_seconds"] <= 6.5  # idle (5 s) + warning (1 s): attract
    assert "abandoned" in readings["verbs"]  # the run ended as the visitor left it


@pytest.mark.parametrize("graphics", ["egl", "xlib"])
def test_the_kiosks_own_screens_show_in_the_headset_and_the_controller_taps_them(tmp_path, graphics, request):
    env = xlib_env(tmp_path, request.getfixturevalue("xvfb")) if graphics == "xlib" else child_env(tmp_path)
    readings = run_child("screens", env)
    assert readings["graphics"] == graphics
    names = readings["names"]
    # attract -> (trigger) age question -> (aim at 9–12, trigger) menu -> (aim at the card, trigger) the run
    # -> (menu button) the menu again: each screen on the headset's panel, driven by the controller alone
    assert readings["states"] == [names["ATTRACT"], names["ASK_AGE"], names["MENU"], names["RUNNING"], names["MENU"]]
    assert readings["age_band"] == "9-12"
    for screen in ("attract_diff", "age_diff", "menu_diff"):
        assert readings[screen] == 0.0  # the panel's swapchain image is the window's picture, byte for byte
    assert readings["run"]["view"] == "XrExhibitView" and not readings["run"]["panel_active"]  # the run draws
    assert readings["after_run"]["panel_frames"] > 0 and readings["after_run"]["diff"] == 0.0
    assert readings["verbs"][:2] == ["launched", "initialized"]


def test_the_session_limit_fades_the_headset_to_dark_then_ends_the_run_saying_why(xr_env):
    readings = run_child("fade", xr_env)
    fade = [seen for darkness, seen in readings["fade"] if darkness < 1.0]
    assert len(fade) >= 15  # about 2 s of frames at 0.1 s each: a slow fade, not a cut
    assert all(later <= earlier + 0.05 for earlier, later in zip([readings["lit"]] + fade, fade))  # never brighter
    assert readings["lit"] > 20 and fade[-1] < 0.05 * readings["lit"]  # the swapchain images went dark
    darkness = [d for d, _ in readings["fade"]]
    assert max(b - a for a, b in zip(darkness, darkness[1:])) < 0.1  # at most a tenth darker in a 0.1 s frame
    assert readings["rest_state"] == "rest" and 0 < readings["rest"] < 5  # the message, light on the dark
    assert readings["finished"] and readings["layers"] == readings["submitted"]
    ended = readings["statements"][-1]
    assert ended["verb"]["display"]["en-US"] == "terminated"
    assert ended["result"]["extensions"]["https://w3id.org/yuedu/xapi/extensions/end"] == "vr-time-limit"
    assert ended["context"]["extensions"]["https://w3id.org/yuedu/xapi/extensions/vr-display"] == "openxr"
    StatementValidator("1.0").statement(ended)


def xr_check(env: dict) -> tuple[tuple[int, str], str]:
    """`launcher.py xr-check` for 2 s while the test's headset turns 30° right and 10° down: ((exit code, its
    output), the runtime's stderr)."""
    from experiences.xr.remote import RemoteHeadset, RemoteState

    with tempfile.TemporaryFile("w+") as errors:  # a file, not a pipe: nothing blocks while the headset connects
        process = subprocess.Popen([sys.executable, "launcher.py", "xr-check", "--seconds", "2"], cwd=ROOT, env=env,
                                   stdout=subprocess.PIPE, stderr=errors, text=True)
        try:
            try:
                headset = RemoteHeadset(int(env["YUEDU_XR_REMOTE_PORT"]), timeout=20)
            except OSError:  # nobody listens: the runtime failed, or could not bind its port (stderr says which)
                out, _ = process.communicate(timeout=60)
                out += "\nno remote driver to connect to"
            else:
                headset.send(RemoteState(yaw=30, pitch=-10))
                out, _ = process.communicate(timeout=60)
                headset.close()
        finally:
            process.kill()
        errors.seek(0)
        return (process.returncode, out), errors.read()


def test_xr_check_names_the_runtime_and_prints_the_scripted_poses(xr_env):
    returncode, out = run_on_free_port(xr_env, xr_check)
    assert returncode == 0, out
    assert "runtime: Monado" in out and "system: Monado: Remote HMD" in out
    assert "recommended view size per eye: 320x240, 320x240" in out
    assert "head: " in out and "yaw +30° pitch -10°" in out and "right: " in out


def test_a_port_taken_before_the_runtime_binds_it_is_run_again_on_a_fresh_one(tmp_path):
    """free_port() lets its port go so that Monado can bind it; another process may take it in between (here this
    test listens on it first). Monado then says so on stderr and runs on without its remote driver: the run starts
    again on a fresh port, and the scripted head reaches the runtime."""
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen(1)
        taken = squatter.getsockname()[1]
        env = {**child_env(tmp_path), **remote_environment(tmp_path / "xdg", taken)[0]}
        runs = []

        def recorded(env):
            outcome, errors = xr_check(env)
            runs.append((int(env["YUEDU_XR_REMOTE_PORT"]), port_was_taken(errors)))
            return outcome, errors

        returncode, out = run_on_free_port(env, recorded)
    assert runs[0] == (taken, True)  # the first run found its port taken...
    assert runs[-1][0] != taken and not runs[-1][1]  # ...the last ran on a fresh one
    assert returncode == 0 and "yaw +30° pitch -10°" in out, out


def test_a_run_whose_file_the_runtime_closed_is_run_again_and_a_failure_of_ours_is_not(tmp_path):
    """Monado's test build closes fd 0 (its images' zeroed buffer handles) in every run; when a file of ours had
    got fd 0 and a read of it failed, the run is the runtime's failure and starts again. Any other failure — with
    the same close lines, which every run logs — is the code under test's: it is returned as it is."""
    env = {**child_env(tmp_path), **remote_environment(tmp_path / "xdg")[0]}
    closes = "ERROR [u_graphics_buffer_unref] close failed: Bad file descriptor (fd: 0) [u_handles.c:146]\n"
    outcomes = iter([("closed under us", closes + "OSError: [Errno 9] Bad file descriptor\n"), ("ran", closes)])
    assert run_on_free_port(env, lambda env: next(outcomes)) == "ran"
    ours = iter([("our failure", closes + "AssertionError: the menu never showed\n"), ("not asked", closes)])
    assert run_on_free_port(env, lambda env: next(ours)) == "our failure"


def test_xr_check_says_plainly_when_no_runtime_is_installed(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "XR_RUNTIME_JSON"}
    env.update(HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "config"), XDG_CONFIG_DIRS=str(tmp_path / "etc"))
    result = subprocess.run([sys.executable, "launcher.py", "xr-check"], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=60)
    if Path("/etc/openxr/1/active_runtime.json").exists():
        pytest.skip("this machine has a system-wide OpenXR runtime in /etc/openxr")
    assert result.returncode == 1 and "No OpenXR runtime is installed" in result.stdout


def test_every_vr_run_ends_kindly_and_still_there_shows_in_the_headset(xr_env):
    """The kiosk's own session limit for an exhibit (not only 成语论箭), 还在吗 in front of a run, and the menu on
    the panel not uploaded again while it stays the same."""
    readings = run_child("comfort", xr_env)
    warning = readings["warning"]
    assert warning["state"] and warning["scene_frames"] >= 8  # the run kept drawing; the question over it
    assert warning["diff"] < 1.0 and warning["paper"] > 0.9  # the quad is 还在吗's picture (its paper card)
    assert warning["key"][0] == "still-there" and warning["uploads"] <= 4 < warning["shown"]  # once a second
    assert readings["answered"]  # the trigger answered it
    assert readings["soon"] == ["vr-soon"]  # the last minute's quiet notice went on the quad
    fade = [seen for darkness, seen in readings["fade"] if darkness < 1.0]
    assert len(fade) >= 15  # about 2 s at 0.1 s a frame
    assert all(later <= earlier + 0.05 for earlier, later in zip([readings["lit"]] + fade, fade))  # never brighter
    assert readings["lit"] > 20 and fade[-1] < 0.05 * readings["lit"]  # the exhibit went dark in the headset
    darkness = [d for d, _ in readings["fade"]]
    assert max(b - a for a, b in zip(darkness, darkness[1:])) < 0.1
    assert readings["rest"]["state"] == "rest" and readings["rest"]["panel"] and readings["rest"]["diff"] < 1.0
    assert readings["menu"]
    still = readings["still_menu"]
    assert still["shown"] == 10 and still["uploads"] == 0 and still["diff"] < 1.0
    ended = next(s for s in reversed(readings["statements"]) if s["verb"]["display"]["en-US"] == "terminated")
    assert ended["result"]["extensions"]["https://w3id.org/yuedu/xapi/extensions/end"] == "vr-time-limit"
    assert ended["context"]["extensions"]["https://w3id.org/yuedu/xapi/extensions/vr-display"] == "openxr"
    StatementValidator("1.0").statement(ended)
