"""Every 3D kind in a real X11 window (Xvfb, SDL's x11 driver), 2D and VR, through `launcher.py play` as a
visitor's kiosk runs it; and panda3d beside the moderngl glow in one window. See docs/kiosk-shell.md, "One window,
no GL of its own": before it, these ended in `eglMakeCurrent: EGL_BAD_ACCESS` and exit 139.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.xvfb import Xvfb, distinct_colours

REPO = Path(__file__).resolve().parents[2]

# (package, VR corner): the exhibits in both modes, and the lanterns' 3D courtyard (its VR mode)
CASES = [(package, vr) for package in ("org.yuedu.exhibits.ding", "org.yuedu.exhibits.hall",
                                       "org.yuedu.exhibits.tangshi-book", "org.yuedu.exhibits.waterfall")
         for vr in (False, True)] + [("org.yuedu.idioms.children", True)]


@pytest.fixture(scope="module")
def xvfb():
    with Xvfb() as server:
        yield server


@pytest.mark.parametrize("package_id, vr", CASES, ids=[f"{p.rsplit('.', 1)[-1]}-{'vr' if v else '2d'}" for p, v in CASES])
def test_a_3d_kind_runs_in_a_real_window(xvfb, tmp_path, package_id, vr):
    shot = tmp_path / "shot.png"
    command = [sys.executable, str(REPO / "launcher.py"), "play", package_id, "--frames", "45", "--size", "640x360",
               "--screenshot", str(shot)] + (["--vr"] if vr else [])
    result = subprocess.run(command, cwd=REPO, env=xvfb.env(), capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stdout[-1500:] + result.stderr[-3000:]
    assert "EGL_BAD_ACCESS" not in result.stderr
    assert ("VR" if vr else "2D") + "，x11" in result.stdout or ("VR" if vr else "2D") + ", x11" in result.stdout, \
        result.stdout  # the frame-time line names the mode and SDL's driver: a real window, not dummy
    assert distinct_colours(shot) >= 16  # a picture, not a blank or one-colour frame


def test_moderngl_draws_into_its_own_context_after_panda3d_in_the_same_frame(xvfb):
    result = subprocess.run([sys.executable, str(Path(__file__).with_name("gl_sharing_child.py")), "20"], cwd=REPO,
                            env=xvfb.env(PYTHONPATH=str(REPO)), capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    readings = json.loads(result.stdout.strip().splitlines()[-1])
    assert readings["driver"] == "x11"
    for frame in readings["frames"]:
        # panda3d's frame is right every time, also after the glow used its own context the frame before
        assert all(abs(a - b) <= 2 for a, b in zip(frame["background"], (26, 51, 77))), frame
        assert frame["middle"][1] > 200 and frame["middle"][0] < 40, frame  # the green card
        # the glow brightened below the lantern and left the far corner alone: it drew into its own context
        assert frame["glow_gain"] > 10 and abs(frame["far_gain"]) <= 2, frame
    assert all(abs(a - b) <= 2 for a, b in zip(readings["after_glow_released"], (128, 51, 77)))
    assert readings["window"][1] > 200  # and the window shows it...
    middle, corner, far_corner = readings["screen"]  # ...on the X server too, the whole frame (not a quarter)
    assert middle[1] > 200 and middle[0] < 40, readings["screen"]
    assert all(abs(a - b) <= 2 for a, b in zip(corner, (26, 51, 77))), readings["screen"]
    assert all(abs(a - b) <= 2 for a, b in zip(far_corner, (26, 51, 77))), readings["screen"]
