"""A VR corner without a headset runtime, and the headset makers' minimum age: no OpenXR runtime needed."""
from __future__ import annotations

import logging

import pytest

from experiences.config import KioskConfig
from experiences.exhibits.panorama import PanoramaExhibit
from experiences.exhibits.vr import VRExhibit
from experiences.kinds import default_registry
from experiences.kiosk.testing import click, headless_shell
from experiences.xr import rig as rig_module
from tests.exhibits.helpers import write_package
from tests.exhibits.test_panorama import CONTENT, pattern_image


@pytest.fixture
def corner(tmp_path):
    package = write_package(tmp_path / "pkg", "exhibit-panorama", CONTENT, {"hall.png": pattern_image()})
    config = KioskConfig()
    config.kiosk.mode = "vr"
    config.kiosk.ask_age_band = False
    shell, sink = headless_shell([package], tmp_path / "data", config=config, size=(1280, 720),
                                 registry=default_registry())
    click(5, 5)
    shell.frame(1 / 30)
    yield shell, package
    shell.close()


@pytest.mark.parametrize("band, headset", [("6-8", False), ("3-5", False), ("9-12", True), ("13+", True),
                                           (None, True)])
def test_younger_visitors_than_the_minimum_age_play_on_the_screen(corner, band, headset):
    shell, package = corner
    assert shell.vr and shell.config.vr.min_age_band == "9-12"
    shell.machine.choose_age_band(band)
    assert shell.launch(package)
    experience = shell.host.experience
    assert isinstance(experience, VRExhibit) is headset
    assert isinstance(experience, PanoramaExhibit) is not headset
    shell.frame(1 / 30)


def test_without_a_runtime_vr_mode_falls_back_to_side_by_side_and_says_so_once(tmp_path, monkeypatch, caplog):
    monkeypatch.delenv("XR_RUNTIME_JSON", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_CONFIG_DIRS", str(tmp_path / "etc"))
    monkeypatch.setattr(rig_module, "_fallback_said", False)
    from experiences.xr.runtime import find_runtime

    if find_runtime() is not None:
        pytest.skip("this machine has a system-wide OpenXR runtime in /etc/openxr")
    with caplog.at_level(logging.INFO, logger="yuedu.xr"):
        assert rig_module.start_rig(KioskConfig()) is None
        assert rig_module.start_rig(KioskConfig()) is None
    said = [r.getMessage() for r in caplog.records if "side-by-side" in r.getMessage()]
    assert said == ["VR mode: side-by-side stereo (no OpenXR runtime is installed) / VR 模式：左右分屏立体"]
