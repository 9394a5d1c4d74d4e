"""A kiosk whose 3D cannot start (no offscreen engine on this machine): the visitor sees the exhibit's poster with
暂时打不开 and is back at the menu within 2 s of the kiosk's clock; the kiosk lives on, and once 3D works the
same card opens the real scene."""
from __future__ import annotations

import numpy as np
import pygame
import pytest

from experiences.config import KioskConfig
from experiences.engagement import VERBS
from experiences.exhibits import offscreen
from experiences.kinds import default_registry
from experiences.kiosk import theme
from experiences.kiosk.states import ATTRACT, ERROR, MENU, RUNNING
from experiences.kiosk.overlays import POSTER_DIM
from experiences.kiosk.testing import click, headless_shell
from experiences.package import open_package

SIZE = (960, 600)
DT = 1 / 60


@pytest.fixture
def no_3d(monkeypatch):
    """The process's engine forgotten and no display module to open: as on a machine without EGL or tinydisplay."""
    real = offscreen._engine
    offscreen._engine = None
    monkeypatch.setenv("YUEDU_OFFSCREEN_MODULES", "none")
    yield
    monkeypatch.delenv("YUEDU_OFFSCREEN_MODULES", raising=False)
    if offscreen._engine is None:
        offscreen._engine = real  # never a second panda3d pipe in one process


@pytest.fixture
def kiosk(repo_root, data_dir):
    shells = []

    def make(lang: str = "zh-CN"):
        config = KioskConfig()
        config.kiosk.ask_age_band = False
        config.kiosk.language = lang
        package = open_package(repo_root / "content" / "exhibit-treasure")
        shell, sink = headless_shell([package], data_dir, config=config, registry=default_registry(), size=SIZE)
        shells.append(shell)
        return shell, sink, package

    yield make
    for shell in shells:
        shell.close()


def open_card(shell) -> None:
    if shell.machine.state == ATTRACT:
        click(5, 5)
        shell.frame(DT)
    assert shell.machine.state == MENU
    click(*next(t for t in shell.menu.targets() if t.kind == "card").rect.center)
    shell.frame(DT)


def verbs(sink) -> list[str]:
    reverse = {iri: name for name, (iri, _) in VERBS.items()}
    return [reverse[s["verb"]["id"]] for s in sink.statements]


def test_no_3d_shows_the_poster_with_zanshi_dabukai_and_the_menu_within_two_seconds(kiosk, no_3d):
    shell, sink, package = kiosk()
    open_card(shell)
    assert shell.machine.state == ERROR and shell.unavailable is package
    frame = shell.surface.copy()
    # the poster fills the window, calmly dimmed (the corner is away from the words' band)
    poster = shell.covers.get(package, SIZE)
    veil = POSTER_DIM / 255
    expected = np.array(poster.get_at((30, 30))[:3]) * (1 - veil) + np.array((16, 18, 24)) * veil
    assert np.abs(np.array(frame.get_at((30, 30))[:3]) - expected).max() <= 3
    # ...and a paper band with dark writing in the middle: 暂时打不开
    middle = pygame.surfarray.array3d(frame.subsurface(pygame.Rect(SIZE[0] // 2 - 200, SIZE[1] // 2 - 40, 400, 80)))
    assert (np.abs(middle - np.array(theme.PAPER)).max(axis=2) <= 4).mean() > 0.4
    assert (middle.sum(axis=2) < 250).mean() > 0.03
    started = shell.clock.now()
    while shell.machine.state == ERROR:
        shell.frame(DT)
        assert shell.clock.now() - started <= 2.0, "the menu must be back within 2 s"
    assert shell.machine.state == MENU
    assert verbs(sink) == ["launched", "abandoned"]  # nothing seen, so no time-spent statement
    open_card(shell)  # the kiosk lives on: the card opens (and falls back) again
    assert shell.machine.state == ERROR


def test_english_kiosk_adds_pinyin_and_an_english_line(kiosk, no_3d):
    shots = {}
    for lang in ("zh-CN", "en"):
        shell, _, _ = kiosk(lang)
        open_card(shell)
        shots[lang] = shell.surface.copy()
        shell.close()
    x = SIZE[0] // 2 - 180  # inside the paper band, clear of its words
    band_rows = [y for y in range(SIZE[1]) if shots["en"].get_at((x, y))[:3] == theme.PAPER]
    zh_rows = [y for y in range(SIZE[1]) if shots["zh-CN"].get_at((x, y))[:3] == theme.PAPER]
    assert zh_rows and len(band_rows) > len(zh_rows) + 15  # both carry pinyin; English adds a line


def test_with_3d_back_the_same_card_opens_the_real_scene(kiosk, no_3d, monkeypatch):
    shell, _, package = kiosk()
    open_card(shell)
    assert shell.machine.state == ERROR
    monkeypatch.delenv("YUEDU_OFFSCREEN_MODULES")  # the machine got its 3D back (the engine is tried again)
    while shell.machine.state == ERROR:
        shell.frame(DT)
    open_card(shell)
    assert shell.machine.state == RUNNING and shell.unavailable is None
    for _ in range(30):
        shell.frame(DT)
    assert shell.machine.state == RUNNING
    assert shell.host.experience.stage is not None  # a real stage from the offscreen engine, not the poster
