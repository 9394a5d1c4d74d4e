"""A real headless kiosk session that plays 成语论箭 and 成语接龙 by clicks, for checking statements end to end.

The kiosk is the real one (KioskShell with its services: the outbox in the data directory and the sender to
kiosk.toml's [server] url, or the embedded service when none is set). A visitor wakes it, answers the age question,
opens the lanterns from the menu, misses once and then hits every round, then plays the chain to its end. After it,
`launcher.py outbox` shows what the LRS took and refused:

    export YUEDU_DATA_DIR=/tmp/yuedu-check
    .venv/bin/python scripts/play_idioms_session.py && .venv/bin/python launcher.py outbox
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SIZE = (1280, 720)
DT = 1 / 30


def main() -> int:
    from experiences.config import load_config
    from experiences.kiosk.shell import KioskShell
    from experiences.kiosk.states import ASK_AGE, MENU
    from experiences.kiosk.testing import click

    shell = KioskShell(load_config(), headless=True, size=SIZE)
    shell.open()

    def frames(n: int = 1) -> None:
        for _ in range(n):
            shell.frame(DT)

    def open_from_menu(package_id: str) -> None:
        assert shell.machine.state == MENU, shell.machine.state
        while True:
            target = next((t for t in shell.menu.targets() if t.kind == "card"
                           and shell.menu.packages[t.index].id == package_id), None)
            if target is not None:
                break
            pager = next(t for t in shell.menu.targets() if t.kind == "next")
            click(*pager.rect.center)
            frames()
        click(*target.rect.center)
        frames(3)
        assert shell.host is not None and shell.host.package.id == package_id, package_id

    def back_to_menu() -> None:
        for _ in range(10):
            frames()
            if shell.what_next is not None:  # the what-next cards: their last card goes back to the menu
                click(*shell.what_next.cards(SIZE)[-1].rect.center)
            if shell.machine.state == MENU and shell.what_next is None:
                return

    try:
        frames(2)
        click(5, 5)  # wake the kiosk
        frames()
        if shell.machine.state == ASK_AGE:
            choice = next(c for c in shell.age_screen.choices(SIZE) if c.band == "9-12")
            click(*choice.rect.center)
            frames()

        open_from_menu("org.yuedu.idioms.children")
        game = shell.host.experience
        missed = False
        while game.state != "summary":
            if game.state == "aim":
                char = game.round.answer if missed else next(c for c in game.round.chars() if c != game.round.answer)
                missed = True
                lantern = game.field.find(game.t, char)
                click(lantern.x, lantern.y)
                frames(45)
            elif game.state == "story":
                click(*game.next_button.rect.center)
                frames()
            else:
                frames()
        print(f"成语论箭: {len(game.lines)} rounds played, score {game.summary.score}")
        click(*next(b for b in game.buttons if b.key == "done").rect.center)
        back_to_menu()

        open_from_menu("org.yuedu.idioms.chain")
        chain = shell.host.experience
        for _ in range(200):
            if chain.state == "end":
                break
            if chain.state == "child":
                card = next(c for c in chain.cards if chain.game.is_valid(c.word))
                click(*card.rect.center)
            frames(30)
        print(f"成语接龙: {len(chain.game.chain)} idioms in the chain, ended by {chain.game.end_reason}")
        click(*next(b for b in chain.buttons if b.key == "done").rect.center)
        back_to_menu()
    finally:
        shell.close()  # the sender makes its last delivery before the outbox closes
    return 0


if __name__ == "__main__":
    sys.exit(main())
