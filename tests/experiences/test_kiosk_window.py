"""The whole kiosk as a VR corner (`[kiosk] mode = "vr"`) in a real X11 window under Xvfb: every menu card opens
(its VR mode where the kind has one), draws a picture, and Esc brings the menu back; the process lives on."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.xvfb import Xvfb

REPO = Path(__file__).resolve().parents[2]
VR_KINDS = {"exhibit-treasure": "VRExhibit", "exhibit-panorama": "VRExhibit", "exhibit-book": "VRExhibit",
            "exhibit-waterfall": "VRExhibit", "idiom-lanterns": "LanternsVRExperience"}


def test_a_vr_corner_kiosk_survives_opening_every_card_in_a_window(tmp_path):
    with Xvfb() as xvfb:
        result = subprocess.run([sys.executable, str(Path(__file__).with_name("kiosk_window_child.py")), "30", "vr"],
                                cwd=REPO, env=xvfb.env(PYTHONPATH=str(REPO)), capture_output=True, text=True,
                                timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["driver"] == "x11"
    listed = json.loads(subprocess.run([sys.executable, str(REPO / "launcher.py"), "list", "--json"], cwd=REPO,
                                       capture_output=True, text=True, timeout=60).stdout)
    playable = {p["id"]: p["kind"] for p in listed if p["playable"]}
    assert sorted(run["id"] for run in report["runs"]) == sorted(playable)
    for run in report["runs"]:
        assert run["opened"] and run["running"] and run["back_at_menu"], run
        assert run["colours"] >= 16, run
        if playable[run["id"]] in VR_KINDS:
            assert run["kind"] == VR_KINDS[playable[run["id"]]], run
