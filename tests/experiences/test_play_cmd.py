"""`launcher.py play` and the kiosk command, run through launcher.main as a user would (headless)."""
from __future__ import annotations

import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import types

import pygame
import pytest

import launcher
from experiences import datadir, kinds
from experiences.kiosk import testing


@pytest.fixture(autouse=True)
def test_kind_installed(monkeypatch):
    monkeypatch.setattr(kinds, "_default", testing.registry_with_test_kind(kinds.KindRegistry()))


@pytest.fixture
def no_display(monkeypatch):
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setenv("SDL_VIDEODRIVER", "dummy")


def test_play_a_folder_headless_with_a_screenshot(tmp_path, capsys):
    folder = testing.write_test_package(tmp_path / "pkg", "org.yuedu.test.folder")
    shot = tmp_path / "out" / "shot.png"
    code = launcher.main(["play", str(folder), "--headless", "--frames", "10", "--screenshot", str(shot),
                          "--size", "640x400"])
    assert code == 0
    image = pygame.image.load(str(shot))
    assert image.get_size() == (640, 400)
    assert image.get_at((5, 5))[:3] == (30, 60, 90)  # the experience's own background, not the shell's
    assert "10" in capsys.readouterr().out


def test_play_an_installed_id_until_it_finishes(capsys):
    testing.write_test_package(datadir.installed_packages_dir() / "finisher", "org.yuedu.test.finisher",
                               finish_after_frames=7)
    assert launcher.main(["play", "org.yuedu.test.finisher", "--headless"]) == 0
    out = capsys.readouterr().out
    assert "7" in out


def test_play_a_zip(tmp_path):
    folder = testing.write_test_package(tmp_path / "pkg", "org.yuedu.test.zipped", finish_after_frames=3)
    archive = shutil.make_archive(str(tmp_path / "zipped"), "zip", folder)
    assert launcher.main(["play", archive, "--headless", "--frames", "50"]) == 0


def test_play_a_raising_experience_exits_1(tmp_path, capsys):
    folder = testing.write_test_package(tmp_path / "pkg", "org.yuedu.test.raiser", raise_at_frame=4)
    assert launcher.main(["play", str(folder), "--headless", "--frames", "50"]) == 1
    assert "出错" in capsys.readouterr().out


def test_play_unknown_id_says_so(capsys):
    assert launcher.main(["play", "org.nowhere.nothing", "--headless"]) == 1
    err = capsys.readouterr().err
    assert "org.nowhere.nothing" in err and "launcher.py list" in err


def test_play_refuses_a_kind_that_is_not_installed(tmp_path, monkeypatch, capsys):
    folder = testing.write_test_package(tmp_path / "pkg", "org.yuedu.test.orphan")
    monkeypatch.setattr(kinds, "_default", kinds.KindRegistry())
    assert launcher.main(["play", str(folder), "--headless"]) == 1
    assert "kiosk-test" in capsys.readouterr().err


def test_play_reports_validation_problems_first(tmp_path, monkeypatch, capsys):
    folder = testing.write_test_package(tmp_path / "pkg", "org.yuedu.test.invalid")
    fake = types.ModuleType("experiences.validation")
    report = types.SimpleNamespace(ok=False, render=lambda lang=None: "experience.toml › cover: file missing")
    fake.validate_package = lambda path: report  # the shape of experiences.validation.Report
    monkeypatch.setitem(sys.modules, "experiences.validation", fake)
    assert launcher.main(["play", str(folder), "--headless"]) == 1
    assert "cover: file missing" in capsys.readouterr().err


def test_bad_size_is_a_usage_error(tmp_path):
    with pytest.raises(SystemExit) as exit_info:
        launcher.main(["play", "x", "--headless", "--size", "big"])
    assert exit_info.value.code == 2


def test_no_display_is_one_clear_line_and_exit_2(no_display, capsys):
    assert launcher.main([]) == 2
    assert launcher.main(["play", "org.yuedu.test.any"]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 2 and all("Xvfb" in line and "--headless" in line for line in lines)


def test_kiosk_command_headless_runs_frames():
    testing.write_test_package(datadir.installed_packages_dir() / "a", "org.yuedu.test.kiosk")
    root = logging.getLogger()
    handlers_before = list(root.handlers)
    try:
        shot = datadir.data_dir() / "attract.png"
        assert launcher.main(["kiosk", "--headless", "--frames", "5", "--screenshot", str(shot)]) == 0
        assert pygame.image.load(str(shot)).get_size() == (1280, 720)
        log_text = (datadir.logs_dir() / "kiosk.log").read_text(encoding="utf-8")
    finally:
        for handler in set(root.handlers) - set(handlers_before):
            root.removeHandler(handler)
            handler.close()
    assert log_text.count("kiosk ready: 1 experiences") == 1


def test_kiosk_process_signals_ready_and_stops_cleanly_on_sigterm(tmp_path):
    """The real process: READY=1 over $NOTIFY_SOCKET once attract is up, exit 0 on SIGTERM (systemd stop)."""
    address = str(tmp_path / "notify.sock")
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    listener.bind(address)
    listener.settimeout(60)
    env = dict(os.environ, NOTIFY_SOCKET=address, WATCHDOG_USEC="200000")
    child = subprocess.Popen([sys.executable, launcher.__file__, "kiosk", "--headless"], env=env,
                             stderr=subprocess.PIPE)
    try:
        messages = [listener.recv(256).decode() for _ in range(3)]
        assert messages[0].startswith("READY=1")
        assert messages[1:] == ["WATCHDOG=1", "WATCHDOG=1"]  # the loop keeps pinging
        child.send_signal(signal.SIGTERM)
        assert child.wait(30) == 0
    finally:
        if child.poll() is None:
            child.kill()
        listener.close()
    assert child.stderr.read().decode().count("Traceback") == 0


def test_supervised_real_kiosk_runs_with_the_heartbeat_in_its_environment(tmp_path, monkeypatch):
    from experiences.config import KioskConfig
    from experiences.kiosk.shell import KioskShell
    from experiences.kiosk.supervisor import Supervisor

    beat = tmp_path / "hb"
    command = [sys.executable, launcher.__file__, "kiosk", "--headless", "--frames", "30"]
    supervisor = Supervisor(command, beat, hang_seconds=30, startup_grace=60, poll_seconds=0.05, max_restarts=0)
    assert supervisor.run() == 0
    assert supervisor.history == ["exit 0"]
    monkeypatch.setenv("YUEDU_HEARTBEAT", str(beat))  # what the supervisor gives its child
    assert KioskShell(KioskConfig(), headless=True).heartbeat.path == beat


def test_kiosk_options_work_before_and_after_the_command_name():
    parser = launcher.build_parser()
    for argv in (["--headless", "--frames", "4", "kiosk"], ["kiosk", "--headless", "--frames", "4"],
                 ["--headless", "kiosk", "--frames", "4"]):
        args = parser.parse_args(argv)
        assert (args.headless, args.frames, args.supervise) == (True, 4, False), argv
