"""A monkey at the kiosk: the whole shell with every bundled package, thousands of random taps, drags and keys
(the age question, menus, every experience, idle resets) — no experience may fail and every one gets played.
Headless (SDL dummy, posted events); its short pass in a real X11 window with real X input is
tests/acceptance/test_real_monkey.py."""
from __future__ import annotations

import logging
import random

import pygame

from experiences.catalog import Catalog
from experiences.config import KioskConfig
from experiences.engagement import ListSink
from experiences.kinds import default_registry
from experiences.kiosk.shell import KioskShell

SIZE = (1280, 720)


def _random_input(rng: random.Random) -> None:
    roll = rng.random()
    if roll < 0.12:  # a tap, sometimes with a drag
        x, y = rng.randrange(SIZE[0]), rng.randrange(SIZE[1])
        pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=(x, y), button=1, touch=False))
        if rng.random() < 0.3:
            to = (min(SIZE[0] - 1, max(0, x + rng.randrange(-200, 200))), y)
            pygame.event.post(pygame.event.Event(pygame.MOUSEMOTION, pos=to, rel=(to[0] - x, 0), buttons=(1, 0, 0),
                                                 touch=False))
        pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=(x, y), button=1, touch=False))
    elif roll < 0.16:  # a key of the keyboard or remote
        key = rng.choice((pygame.K_LEFT, pygame.K_RIGHT, pygame.K_UP, pygame.K_DOWN, pygame.K_RETURN,
                          pygame.K_ESCAPE, pygame.K_SPACE))
        for kind in (pygame.KEYDOWN, pygame.KEYUP):
            pygame.event.post(pygame.event.Event(kind, key=key, mod=0, unicode="", scancode=0))


def test_random_visitors_break_nothing_and_reach_every_experience(data_dir, monkeypatch, caplog):
    failures = []
    real_fail = KioskShell._fail

    def recording_fail(shell):
        failures.append((shell.frames_drawn, shell.host.package.id if shell.host else None))
        real_fail(shell)

    monkeypatch.setattr(KioskShell, "_fail", recording_fail)
    caplog.set_level(logging.WARNING)
    playable = {package.id for package in Catalog.scan().playable(default_registry())}
    shell = KioskShell(KioskConfig(), headless=True, size=SIZE, sink=ListSink())
    shell.open()
    rng = random.Random(2)
    launched = set()
    try:
        # At least 3,000 frames (idle resets happen), until every experience was played (seed 2: ~4,000).
        for frame in range(15000):
            _random_input(rng)
            shell.frame(1 / 30)
            if shell.host is not None:
                launched.add(shell.host.package.id)
            if frame >= 3000 and launched == playable:
                break
    finally:
        shell.close()
    tracebacks = [record.getMessage() for record in caplog.records if record.exc_info]
    assert not failures and not tracebacks, (failures, tracebacks[:3])
    assert launched == playable, sorted(playable - launched)
