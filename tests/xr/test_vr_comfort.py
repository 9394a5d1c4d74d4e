"""The VR session limit for every VR run (experiences/xr/comfort.py, experiences/kiosk/shell_comfort.py), side by
side in a headless kiosk: no OpenXR runtime needed (the headset's path is in test_openxr.py)."""
from __future__ import annotations

import pygame
import pytest

from experiences import drawlog, screencheck
from experiences.config import KioskConfig
from experiences.kinds import default_registry
from experiences.kiosk.shell_comfort import REST_BACKGROUND
from experiences.kiosk.states import MENU
from experiences.kiosk.testing import click, headless_shell
from experiences.xr.comfort import FADE_SECONDS, REST_SECONDS, SessionLimit, fade_darkness, limit_minutes
from server.xapi.validate import StatementValidator
from tests.exhibits.helpers import write_package
from tests.exhibits.test_panorama import CONTENT, pattern_image

END = "https://w3id.org/yuedu/xapi/extensions/end"


def test_the_limit_goes_play_warn_fade_rest_done_and_the_fade_is_slow():
    limit = SessionLimit(2)
    assert limit.update(59) == "play" and limit.update(2) == "warn" and limit.darkness == 0
    assert limit.update(59) == "fade" and not limit.update(0) == "warn" and limit.ending
    steps = [fade_darkness(i / 60) for i in range(int(FADE_SECONDS * 60) + 1)]  # 60 frames a second
    assert steps[0] == 0 and steps[-1] == 1 and all(b >= a for a, b in zip(steps, steps[1:]))  # one way only
    assert max(b - a for a, b in zip(steps, steps[1:])) < 0.015  # no frame jumps: far from a flash
    assert limit.update(FADE_SECONDS) == "rest" and limit.darkness == 1
    assert limit.update(REST_SECONDS) == "done"


@pytest.mark.parametrize("content, default, minutes", [({"vr_minutes": 3}, 10, 3), ({}, 7, 7), ({}, 10, 10),
                                                       ({"vr_minutes": 0.2}, 10, 1), ({"vr_minutes": "x"}, 5, 5)])
def test_a_packages_vr_minutes_overrides_the_kiosks_session_minutes(content, default, minutes):
    assert limit_minutes(content, default) == minutes


def _corner(tmp_path, content_extra="", session_minutes=10.0):
    package = write_package(tmp_path / "pkg", "exhibit-panorama", CONTENT.replace(
        "[content]\n", "[content]\n" + content_extra), {"hall.png": pattern_image()})
    config = KioskConfig()
    config.kiosk.mode = "vr"
    config.kiosk.ask_age_band = False
    config.kiosk.idle_seconds = 1000.0
    config.vr.session_minutes = session_minutes
    shell, sink = headless_shell([package], tmp_path / "data", config=config, size=(1280, 720),
                                 registry=default_registry())
    click(5, 5)
    shell.frame(1 / 30)
    return shell, sink, package


def test_the_kiosks_session_minutes_apply_to_an_exhibit_in_vr(tmp_path):
    shell, _, package = _corner(tmp_path, session_minutes=3)
    try:
        assert shell.launch(package) and shell.host.stereo
        assert shell.vr_limit is not None and shell.vr_limit.limit == 180
    finally:
        shell.close()


def test_an_exhibit_side_by_side_fades_rests_and_ends_saying_why(tmp_path):
    shell, sink, package = _corner(tmp_path, "vr_minutes = 1\n", session_minutes=10)
    try:
        shell.machine.choose_age_band("6-8")  # a young band (staff let it into the headset): pinyin on the rest
        shell.config.vr.min_age_band = "3-5"
        assert shell.launch(package) and shell.host.stereo and shell.vr_limit.limit == 60
        for _ in range(59):  # a minute of play, a second a frame
            shell.frame(1.0)
        lit = pygame.transform.average_color(shell.surface)[:3]
        lit = sum(lit) / 3
        seen, darkness = [], []
        while shell.vr_limit is not None and shell.vr_limit.state in ("warn", "play", "fade"):
            shell.frame(0.1)
            if shell.vr_limit.state == "fade":
                seen.append(sum(pygame.transform.average_color(shell.surface)[:3]) / 3)
                darkness.append(shell.vr_limit.darkness)
        assert len(seen) >= 15  # about 2 s of frames: a slow fade, not a cut
        assert all(b <= a + 0.5 for a, b in zip(seen, seen[1:]))  # never brighter again
        assert max(b - a for a, b in zip(darkness, darkness[1:])) < 0.1  # at most a tenth darker a 0.1 s frame
        night = sum(REST_BACKGROUND) / 3  # the dark the fade ends in
        assert lit > 40 and seen[-1] < night + 2
        for _ in range(12):  # the rest message's words come up over a second
            shell.frame(0.1)
        assert shell.vr_limit.state == "rest"
        with drawlog.recording() as log:
            shell.frame(0.1)
        rest = [item for item in log.texts if item.text.startswith("玩了好一会儿啦")]
        assert len(rest) == 2 and all(item.ruby_size for item in rest)  # in both eyes, with pinyin
        assert not screencheck.check_sizes(log, shell.size, screencheck.scale_for(shell.size))
        assert not [s for s in sink.statements if s["verb"]["display"]["en-US"] == "terminated"]
        while shell.host is not None:
            shell.frame(0.5)
        verbs = [(s["verb"]["display"]["en-US"], s["object"]["id"][-30:]) for s in sink.statements]
        ended = next(s for s in reversed(sink.statements) if s["verb"]["display"]["en-US"] == "terminated")
        assert [verb for verb, _ in verbs][-3:] == ["initialized", "progressed", "terminated"], verbs
        assert ended["result"]["extensions"][END] == "vr-time-limit"
        assert ended["context"]["extensions"]["https://w3id.org/yuedu/xapi/extensions/vr-display"] == "side-by-side"
        StatementValidator("1.0").statement(ended)
        assert shell.machine.state == MENU
    finally:
        shell.close()


def test_the_screen_version_stays_while_the_menu_stays_and_moves_on_input(tmp_path):
    """What lets the headset's panel show its last image again instead of uploading the same pixels."""
    shell, _, _ = _corner(tmp_path)
    try:
        assert shell.machine.state == MENU
        shell.frame(1 / 30)
        version = shell.screen_version
        for _ in range(5):
            shell.frame(1 / 30)
        assert shell.screen_version == version  # the menu, untouched: the same picture
        click(5, 5)
        shell.frame(1 / 30)
        assert shell.screen_version == version + 1  # an input: maybe a new picture
        shell.machine.idle_seconds = 0.0
        for _ in range(3):  # 还在吗 counts down over the menu: a new picture each frame
            shell.frame(1 / 30)
        assert shell.screen_version >= version + 4
    finally:
        shell.close()
