"""Run by test_kiosk_window.py under Xvfb: the whole kiosk (menu of every installed package) in a real X11 window;
opens every card in turn, plays it for a while, leaves it with Esc, and prints one JSON line of what happened.

    python tests/experiences/kiosk_window_child.py FRAMES [vr] [only=PACKAGE_ID ...]
"""
from __future__ import annotations

import json
import sys

import numpy as np
import pygame

from experiences.config import KioskConfig
from experiences.engagement import ListSink
from experiences.kiosk.shell import KioskShell
from experiences.kiosk.states import ATTRACT, MENU, RUNNING
from experiences.kiosk.testing import click

FRAMES = int(sys.argv[1]) if len(sys.argv) > 1 else 60
DT = 1 / 60


def frames(shell, n: int) -> None:
    for _ in range(n):
        shell.frame(DT)


def key(shell, keycode) -> None:
    for kind in (pygame.KEYDOWN, pygame.KEYUP):
        pygame.event.post(pygame.event.Event(kind, key=keycode, mod=0, unicode="", scancode=0))
    frames(shell, 2)


def open_card(shell, index: int) -> None:
    """Click the card of package `index` in the menu, turning its pages with the pager buttons as a visitor does."""
    for _ in range(shell.menu.pages + 1):
        card = next((t for t in shell.menu.targets() if t.kind == "card" and t.index == index), None)
        if card is not None:
            click(*card.rect.center)
            frames(shell, 1)
            return
        click(*next(t for t in shell.menu.targets() if t.kind == "next").rect.center)
        frames(shell, 1)
    raise AssertionError(f"card {index} not found in the menu")


def main() -> None:
    config = KioskConfig()
    config.kiosk.ask_age_band = False
    config.kiosk.mode = "vr" if "vr" in sys.argv[2:] else "2d"
    shell = KioskShell(config, size=(960, 600), fullscreen=False, sink=ListSink())
    shell.open()
    report = {"driver": shell.video_driver, "runs": []}
    try:
        frames(shell, 5)
        click(5, 5)  # wake the attract screen
        frames(shell, 2)
        only = [arg.split("=", 1)[1] for arg in sys.argv[2:] if arg.startswith("only=")]
        for index, package in enumerate(list(shell.menu.packages)):
            if only and package.id not in only:
                continue
            assert shell.machine.state == MENU, shell.machine.state
            open_card(shell, index)
            run = {"id": package.id, "opened": shell.machine.state == RUNNING,
                   "kind": type(shell.host.experience).__name__ if shell.host and shell.host.experience else None}
            frames(shell, FRAMES)
            run["running"] = shell.machine.state == RUNNING
            pixels = pygame.surfarray.array3d(shell.surface)[::4, ::4].reshape(-1, 3)
            run["colours"] = len(np.unique(pixels, axis=0))
            for _ in range(6):  # Esc is "back": every kind offers one
                if shell.machine.state == MENU:
                    break
                key(shell, pygame.K_ESCAPE)
                frames(shell, 20)
            if shell.machine.state != MENU:  # a kind that asks "really leave?": the shell's own way back
                shell._end_host("quit")
                shell.machine.finish()
                run["needed_help_to_leave"] = True
            run["back_at_menu"] = shell.machine.state == MENU
            report["runs"].append(run)
        report["attract_ok"] = shell.machine.state in (MENU, ATTRACT)
    finally:
        shell.close()
    print(json.dumps(report, ensure_ascii=False))


if __name__ == "__main__":
    main()
