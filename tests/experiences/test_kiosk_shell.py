"""The kiosk shell headless: real pygame events in, real frames out, a scripted test kind as the experience."""
from __future__ import annotations

import random
import socket

import numpy as np
import pygame
import pytest

from experiences.catalog import Catalog
from experiences.config import KioskConfig
from experiences.engagement import VERBS, ListSink
from experiences.kiosk import testing
from experiences.kiosk.shell import KioskShell
from experiences.kiosk.states import ATTRACT, ERROR, IDLE_WARNING, MENU, RUNNING
from experiences.kiosk.testing import click
from experiences.kiosk.watchdog import Heartbeat, SystemdNotifier
from experiences.package import open_package

SIZE = (960, 600)
DT = 1 / 60


def verbs(sink):
    reverse = {iri: name for name, (iri, _) in VERBS.items()}
    return [reverse[s["verb"]["id"]] for s in sink.statements]


@pytest.fixture
def make_shell(tmp_path):
    shells = []

    def make(*package_contents, **shell_options):
        packages = []
        for n, content in enumerate(package_contents or [{}]):
            folder = testing.write_test_package(tmp_path / f"pkg{n}", f"org.yuedu.test.p{n:02d}",
                                                title=f"测试体验{n}", **content)
            packages.append(open_package(folder))
        config = KioskConfig()
        config.kiosk.ask_age_band = False  # straight to the menu (the age question: test_kiosk_ageband.py)
        shell, sink = testing.headless_shell(packages, tmp_path / "data", config=config, size=SIZE, **shell_options)
        shells.append(shell)
        return shell, sink

    yield make
    for shell in shells:
        shell.close()


def run_frames(shell, n):
    for _ in range(n):
        shell.frame(DT)


def open_card(shell, index: int = 0):
    if shell.machine.state == ATTRACT:
        click(5, 5)  # a corner: away from any card
        run_frames(shell, 1)
    assert shell.machine.state == MENU
    card = [t for t in shell.menu.targets() if t.kind == "card"][index]
    click(*card.rect.center)
    run_frames(shell, 1)


def assert_not_blank(path):
    image = pygame.image.load(str(path))
    assert image.get_size() == SIZE
    pixels = pygame.surfarray.array3d(pygame.transform.scale(image, (SIZE[0] // 4, SIZE[1] // 4)))
    colours = np.unique(pixels.reshape(-1, 3), axis=0)
    assert len(colours) > 40, f"{path} looks blank ({len(colours)} colours)"
    assert pixels.std() > 10


# Frame 1 is the frame that opened the card: the shell runs the new experience's first update and draw in it.
RAISE_AT_FRAMES = [1, 2, *sorted(random.Random(20261207).sample(range(3, 91), 2))]


@pytest.mark.parametrize("raise_at", RAISE_AT_FRAMES)
@pytest.mark.parametrize("where", ["update", "draw", "handle"])
def test_experience_raising_at_a_frame_returns_to_the_menu(make_shell, tmp_path, where, raise_at, caplog):
    shell, sink = make_shell({"raise_at_frame": raise_at, "raise_in": where}, {})
    open_card(shell)  # shell frame 1 of the experience: its update 1 and draw 1 run in it
    frames = 1
    while shell.machine.state == RUNNING:
        if where == "handle":
            click(10, 10)
        run_frames(shell, 1)
        frames += 1
        assert frames <= raise_at + 2, f"raise_at={raise_at}: the failure was not caught"
    # update and draw fail in the frame that runs the experience's frame raise_at; a click is handled before that
    # frame's update, so it meets the experience one frame later (no click reaches it in the opening frame)
    assert frames == raise_at + (where == "handle")
    assert shell.machine.state == ERROR
    assert "ScriptedFailure" in caplog.text  # the traceback is logged
    assert testing.STOPPED[-1] == ("org.yuedu.test.p00", "error")
    error_frames = 0
    while shell.machine.state != MENU:
        run_frames(shell, 1)
        error_frames += 1
        assert error_frames * DT <= 2.0, "the menu must be back within 2 s"
    assert verbs(sink) == ["launched", "initialized", "abandoned"]
    open_card(shell, 1)  # the kiosk still works: the other experience runs
    assert shell.machine.state == RUNNING and shell.host.package.id == "org.yuedu.test.p01"
    run_frames(shell, raise_at + 2)
    assert shell.machine.state == RUNNING


def test_experience_raising_in_start_is_abandoned(make_shell):
    shell, sink = make_shell({"raise_in": "start"})
    open_card(shell)
    assert shell.machine.state == ERROR
    assert verbs(sink) == ["launched", "abandoned"]


def test_finished_experience_is_terminated_and_the_menu_returns(make_shell):
    shell, sink = make_shell({"finish_after_frames": 5})
    open_card(shell)
    run_frames(shell, 5)
    assert shell.machine.state == MENU
    assert verbs(sink) == ["launched", "initialized", "completed", "terminated"]
    assert testing.STOPPED[-1] == ("org.yuedu.test.p00", "completed")


def test_idle_warning_then_reset_stops_the_experience(make_shell, tmp_path):
    shell, sink = make_shell({})
    open_card(shell)
    session = shell.machine.session.session_id
    shell.clock.advance(89.9)
    run_frames(shell, 6)
    assert shell.machine.state == IDLE_WARNING
    shell.clock.advance(9.9)
    run_frames(shell, 6)
    assert shell.machine.state == ATTRACT
    assert testing.STOPPED[-1] == ("org.yuedu.test.p00", "idle")
    assert verbs(sink) == ["launched", "initialized", "abandoned"]
    assert {s["actor"]["account"]["name"] for s in sink.statements} == {session}
    open_card(shell)
    assert shell.machine.session.session_id != session


def test_touch_cancels_the_warning_without_reaching_the_experience(make_shell):
    shell, _ = make_shell({"busy": False})
    open_card(shell)
    experience = shell.host.experience
    shell.clock.advance(95)
    run_frames(shell, 1)
    assert shell.machine.state == IDLE_WARNING
    pygame.event.post(pygame.event.Event(pygame.FINGERDOWN, touch_id=1, finger_id=3, x=0.5, y=0.5, dx=0.0,
                                         dy=0.0, pressure=1.0))
    run_frames(shell, 1)
    assert shell.machine.state == RUNNING
    assert experience.inputs == []
    pygame.event.post(pygame.event.Event(pygame.FINGERDOWN, touch_id=1, finger_id=3, x=0.25, y=0.5, dx=0.0,
                                         dy=0.0, pressure=1.0))
    run_frames(shell, 1)
    event = experience.inputs[-1]
    assert (event.type, event.source, event.pointer_id, event.x, event.y) == ("pointer_down", "touch", 3, 240, 300)


def test_busy_experience_is_not_reset(make_shell):
    shell, _ = make_shell({"busy": True})
    open_card(shell)
    for _ in range(5):
        shell.clock.advance(60)
        run_frames(shell, 1)
    assert shell.machine.state == RUNNING


def test_voice_activity_through_the_context(make_shell):
    shell, _ = make_shell({})
    open_card(shell)
    for _ in range(5):
        shell.clock.advance(60)
        shell.host.ctx.mark_activity()  # what a booth does when it hears a voice
        run_frames(shell, 1)
    assert shell.machine.state == RUNNING


def test_keyboard_and_gamepad_drive_the_menu(make_shell):
    shell, _ = make_shell({}, {}, {})
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_SPACE, mod=0, unicode=" ", scancode=44))
    run_frames(shell, 1)
    assert shell.machine.state == MENU
    pygame.event.post(pygame.event.Event(pygame.JOYHATMOTION, instance_id=0, joy=0, hat=0, value=(1, 0)))
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_RIGHT, mod=0, unicode="", scancode=79))
    pygame.event.post(pygame.event.Event(pygame.JOYBUTTONDOWN, instance_id=0, joy=0, button=0))
    run_frames(shell, 1)
    assert shell.machine.state == RUNNING
    assert shell.host.package.id == "org.yuedu.test.p02"


def test_menu_pages_with_big_targets(make_shell):
    shell, _ = make_shell(*[{} for _ in range(14)])
    click(5, 5)
    run_frames(shell, 1)
    menu = shell.menu
    assert menu.pages >= 2
    targets = menu.targets()
    assert all(t.rect.width >= 120 and t.rect.height >= 120 for t in targets)
    next_button = next(t for t in targets if t.kind == "next")
    click(*next_button.rect.center)
    run_frames(shell, 1)
    assert menu.page == 1
    first_on_page = next(t for t in menu.targets() if t.kind == "card")
    assert first_on_page.index == menu.per_page
    click(*first_on_page.rect.center)
    run_frames(shell, 1)
    assert shell.host.package.id == f"org.yuedu.test.p{menu.per_page:02d}"


def test_screenshots_of_every_screen_are_not_blank(make_shell, tmp_path):
    shell, _ = make_shell({"raise_at_frame": 3}, {}, {})
    run_frames(shell, 30)
    assert_not_blank(shell.save_screenshot(tmp_path / "attract.png"))
    click(5, 5)
    run_frames(shell, 1)
    assert_not_blank(shell.save_screenshot(tmp_path / "menu.png"))
    shell.clock.advance(92)
    run_frames(shell, 1)
    assert shell.machine.state == IDLE_WARNING
    assert_not_blank(shell.save_screenshot(tmp_path / "warning.png"))
    click(5, 5)
    card = next(t for t in shell.menu.targets() if t.kind == "card")
    click(*card.rect.center)
    run_frames(shell, 5)
    assert shell.machine.state == ERROR
    assert_not_blank(shell.save_screenshot(tmp_path / "error.png"))


def test_heartbeat_and_systemd_ready(make_shell, tmp_path):
    address = str(tmp_path / "notify.sock")
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    listener.bind(address)
    listener.settimeout(5)
    beat = tmp_path / "hb"
    shell, _ = make_shell({}, notifier=SystemdNotifier(address, "4000000"), heartbeat=Heartbeat(beat))
    run_frames(shell, 1)
    assert beat.exists()
    messages = {listener.recv(256).decode() for _ in range(2)}
    assert "WATCHDOG=1" in messages
    assert any(m.startswith("READY=1") for m in messages)
    listener.close()


def test_run_with_a_frame_budget_writes_a_screenshot(tmp_path):
    folder = testing.write_test_package(tmp_path / "pkg", "org.yuedu.test.run")
    shell = KioskShell(KioskConfig(), catalog=Catalog([open_package(folder)]),
                       registry=testing.registry_with_test_kind(), headless=True, size=(640, 400),
                       sink=ListSink(), data_dir=tmp_path / "data")
    assert shell.run(frames=12, screenshot=tmp_path / "shot.png") == 0
    assert shell.frames_drawn == 12
    assert pygame.image.load(str(tmp_path / "shot.png")).get_size() == (640, 400)


def test_input_mapping_and_what_counts_as_activity():
    from experiences.kiosk.inputmap import InputMapper

    mapper = InputMapper((800, 600))
    resting = pygame.event.Event(pygame.MOUSEMOTION, pos=(5, 5), rel=(0, 0), buttons=(0, 0, 0), touch=False)
    dragging = pygame.event.Event(pygame.MOUSEMOTION, pos=(5, 5), rel=(1, 0), buttons=(1, 0, 0), touch=False)
    assert not mapper.is_input(resting) and mapper.is_input(dragging)
    assert not mapper.is_input(pygame.event.Event(pygame.WINDOWSIZECHANGED, x=800, y=600))
    synthetic = pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=(5, 5), button=1, touch=True)
    assert mapper.map(synthetic) == []  # the FINGERDOWN of the same touch is the one that counts
    stick = [mapper.map(pygame.event.Event(pygame.JOYAXISMOTION, instance_id=0, axis=0, value=v))
             for v in (0.3, 0.8, 0.9, 0.1, -0.7)]
    assert [[e.action for e in events] for events in stick] == [[], ["right"], [], [], ["left"]]
    key = mapper.map(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_ESCAPE, mod=0, unicode="", scancode=41))
    assert key[0].action == "back" and key[0].source == "keyboard"


def test_experience_raising_in_stop_is_logged_and_the_run_still_terminates(make_shell, caplog):
    shell, sink = make_shell({"finish_after_frames": 2, "raise_in": "stop"})
    open_card(shell)
    run_frames(shell, 2)
    assert shell.machine.state == MENU
    assert "raised in stop('completed')" in caplog.text
    assert verbs(sink) == ["launched", "initialized", "completed", "terminated"]
