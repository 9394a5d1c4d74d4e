"""`[kiosk] attract_package`: an experience (the e-book waterfall) as the attract loop, headless through the shell;
and the `open_package` service every experience gets."""
from __future__ import annotations

import numpy as np
import pygame
import pytest

from experiences.config import KioskConfig, parse_config
from experiences.engagement import VERBS
from experiences.kinds import default_registry
from experiences.kiosk import testing
from experiences.kiosk.attract import AttractScreen
from experiences.kiosk.attract_host import HostedAttract
from experiences.kiosk.states import ATTRACT, MENU, RUNNING
from experiences.kiosk.testing import click
from experiences.package import open_package

from tests.exhibits.helpers import write_package

SIZE = (960, 540)
DT = 1 / 30
WALL_ID = "org.test.wall"


def verbs(sink):
    reverse = {iri: name for name, (iri, _) in VERBS.items()}
    return [reverse[s["verb"]["id"]] for s in sink.statements]


@pytest.fixture
def make_shell(tmp_path):
    shells = []

    def make(attract_package=WALL_ID, wall_content="[content]\ncolumns = 3\n"):
        packages = [open_package(testing.write_test_package(tmp_path / f"pkg{n}", f"org.yuedu.test.p{n:02d}",
                                                            title=f"测试体验{n}")) for n in range(3)]
        packages.append(write_package(tmp_path / "wall", "exhibit-waterfall", wall_content, {}, package_id=WALL_ID))
        config = KioskConfig()
        config.kiosk.attract_package = attract_package
        config.kiosk.ask_age_band = False  # straight to the menu (the age question: test_kiosk_ageband.py)
        shell, sink = testing.headless_shell(packages, tmp_path / "data", config=config, size=SIZE,
                                             registry=testing.registry_with_test_kind(default_registry()))
        shells.append(shell)
        return shell, sink

    yield make
    for shell in shells:
        shell.close()


def run_frames(shell, n):
    for _ in range(n):
        shell.frame(DT)


def a_cover_on_screen(wall):
    for placement in wall.placements:
        quad = wall.screen_quad(placement)
        x, y = sum(q[0] for q in quad) / 4, sum(q[1] for q in quad) / 4
        if 40 < x < SIZE[0] - 40 and 40 < y < SIZE[1] - 80:
            return placement, (x, y)
    raise AssertionError("no cover on screen")


def test_config_names_the_attract_package():
    assert KioskConfig().kiosk.attract_package == ""  # the usual attract screen by default
    config = parse_config('[kiosk]\nattract_package = "org.yuedu.exhibits.waterfall"\n')
    assert config.kiosk.attract_package == "org.yuedu.exhibits.waterfall"


def test_the_waterfall_runs_as_attract_and_a_tapped_cover_opens_that_package(make_shell):
    shell, sink = make_shell()
    assert isinstance(shell.attract, HostedAttract)
    run_frames(shell, 20)
    assert shell.machine.state == ATTRACT
    wall = shell.attract.host.experience
    assert {p.id for p in wall.packages} == {"org.yuedu.test.p00", "org.yuedu.test.p01", "org.yuedu.test.p02"}
    pixels = pygame.surfarray.array3d(shell.surface)
    assert pixels.std() > 20  # covers on screen
    placement, (x, y) = a_cover_on_screen(wall)
    chosen = wall.package_of(placement).id
    click(x, y)
    run_frames(shell, 1)
    assert shell.machine.state == RUNNING and shell.host.package.id == chosen
    assert shell.attract.host is None  # the wall let go of the 3D stage
    # Nobody was there while the wall ran: the first statements are the visitor's own launch.
    assert verbs(sink)[:2] == ["launched", "initialized"]
    assert sink.statements[0]["object"]["id"].endswith(chosen)


def test_a_tap_beside_the_covers_goes_to_the_menu_and_the_wall_comes_back_after_an_idle_reset(make_shell):
    shell, sink = make_shell()
    run_frames(shell, 5)
    wall = shell.attract.host.experience
    gap_x = next(x for x in range(0, SIZE[0], 4) if wall.card_at(x, SIZE[1] / 2) is None)
    click(gap_x, SIZE[1] / 2)
    run_frames(shell, 1)
    assert shell.machine.state == MENU and sink.statements == []
    shell.clock.advance(shell.config.kiosk.idle_seconds + 1)
    run_frames(shell, 1)  # "Still there?"
    shell.clock.advance(shell.config.kiosk.warning_seconds + 1)
    run_frames(shell, 3)
    assert shell.machine.state == ATTRACT and shell.attract.host is not None
    assert shell.attract.host.experience.flow_time < 0.2  # a fresh start


def test_unknown_attract_package_keeps_the_usual_attract_screen(make_shell):
    shell, _ = make_shell(attract_package="org.not.installed")
    assert isinstance(shell.attract, AttractScreen)
    run_frames(shell, 2)
    click(5, 5)
    run_frames(shell, 1)
    assert shell.machine.state == MENU


def test_a_broken_attract_experience_falls_back_to_the_usual_screen(make_shell):
    shell, _ = make_shell()
    shell.attract.package.manifest.content["columns"] = "many"  # int("many") raises in the wall's start()
    run_frames(shell, 2)
    assert shell.attract.failed
    pixels = pygame.surfarray.array3d(shell.surface)
    assert len(np.unique(pixels.reshape(-1, 3), axis=0)) > 20  # the cover showcase, not a dark screen
    click(5, 5)
    run_frames(shell, 1)
    assert shell.machine.state == MENU


def test_open_package_from_a_running_experience_launches_that_package_next(make_shell):
    shell, sink = make_shell(attract_package="")
    run_frames(shell, 1)
    click(5, 5)
    run_frames(shell, 1)
    wall_package = next(p for p in shell.menu.packages if p.id == WALL_ID)
    shell.launch(wall_package)
    run_frames(shell, 3)
    wall = shell.host.experience
    placement, (x, y) = a_cover_on_screen(wall)
    chosen = wall.package_of(placement).id
    click(x, y)
    run_frames(shell, 1)
    assert shell.machine.state == RUNNING and shell.host.package.id == chosen
    names = verbs(sink)
    # The wall's run: launched, initialized, the cover experienced, time spent, ended; then the chosen one.
    assert names[:6] == ["launched", "initialized", "experienced", "progressed", "terminated", "launched"]
    assert sink.statements[5]["object"]["id"].endswith(chosen)
    assert len({s["actor"]["account"]["name"] for s in sink.statements}) == 1  # one visitor session
