"""A read-only test hook: with `YUEDU_TEST_HOOK=/path/hook.json` in the environment the shell writes, whenever
it changes, what is on screen and where its touch targets are, so an acceptance test driving the real window
with real X input knows where to click. It never takes input; nothing is written when the variable is unset.

The file (written whole, then renamed into place, so a reader never sees half of it):
    {"seq": 12, "state": "running", "screen": "running", "package": "org.yuedu.idioms.children",
     "age_band": "6-8", "size": [1920, 1080], "targets": {"lantern:answer": [x, y, w, h], ...}}
Targets are window pixels. The shell names its own (age buttons, menu cards, what-next cards); a running
experience adds what its optional `test_targets() -> dict[str, pygame.Rect]` returns (docs/kiosk-shell.md).
"""
from __future__ import annotations

import json
import logging
import os
from pathlib import Path

ENV_VAR = "YUEDU_TEST_HOOK"

log = logging.getLogger(__name__)


class TestHook:
    """Publishes the shell's snapshot to one JSON file when it differs from the last one written."""

    __test__ = False  # not a pytest class

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.seq = 0
        self._last: str | None = None

    @classmethod
    def from_env(cls) -> "TestHook | None":
        path = os.environ.get(ENV_VAR, "")
        return cls(path) if path else None

    def publish(self, shell) -> None:
        snapshot = json.dumps(describe(shell), ensure_ascii=False, sort_keys=True)
        if snapshot == self._last:
            return
        self._last = snapshot
        self.seq += 1
        tmp = self.path.with_name(self.path.name + ".tmp")
        try:
            tmp.write_text(f'{{"seq": {self.seq}, {snapshot[1:]}', encoding="utf-8")
            os.replace(tmp, self.path)
        except OSError as exc:  # a test's folder went away: say so once per change, never stop the kiosk
            log.warning("test hook %s not written: %s", self.path, exc)


def _rect(rect) -> list[int]:
    return [int(rect[0]), int(rect[1]), int(rect[2]), int(rect[3])]


def describe(shell) -> dict:
    """What the visitor sees and where its targets are (only reads the shell)."""
    from experiences.kiosk.states import ASK_AGE, MENU, RUNNING

    machine, size = shell.machine, tuple(shell.size)
    host = shell.host
    targets: dict[str, list[int]] = {}
    out = {"state": machine.state, "screen": machine.screen, "package": host.package.id if host else None,
           "age_band": machine.age_band, "size": list(size), "targets": targets}
    screen = machine.screen
    if screen == ASK_AGE:
        for choice in shell.age_screen.choices(size):
            targets[f"age:{choice.band or 'skip'}"] = _rect(choice.rect)
    elif screen == MENU and getattr(shell, "goodbye", None) is not None:
        out["goodbye"] = True  # the short goodbye after the home button; a tap anywhere ends it
        targets["goodbye"] = [0, 0, *size]
    elif screen == MENU and shell.what_next is not None and getattr(shell.what_next.books, "open", None) is not None:
        targets["book:close"] = _rect(shell.what_next.books.close_rect(size))  # a book shown large with its QR
    elif screen == MENU and shell.what_next is not None:
        what_next = shell.what_next
        for card in what_next.cards(size):
            if card.kind == "back":
                name = "next:back"
            elif card.kind == "book":
                name = f"next:book:{what_next.books_shown[card.index].id}"
            else:
                name = f"next:{what_next.picks_shown[card.index].package}"
            targets[name] = _rect(card.rect)
    elif screen == MENU:
        menu = shell.menu
        menu.layout(size)
        out["menu_page"], out["menu_pages"] = menu.page, menu.pages
        for target in menu.targets():
            if not target.enabled:  # 上一页 on the first page, 下一页 on the last: nothing to press
                continue
            name = f"card:{menu.packages[target.index].id}" if target.kind == "card" else f"menu:{target.kind}"
            targets[name] = _rect(target.rect)
    elif screen == RUNNING and host is not None and host.experience is not None:
        home = getattr(shell, "back_button_rect", None)  # the shell's way back (返回), the left eye's in VR
        if home is not None:
            targets["home"] = _rect(home)
        own = getattr(host.experience, "test_targets", None)
        if own is not None:
            try:
                for name, rect in own().items():
                    targets[str(name)] = _rect(rect)
            except Exception as exc:  # a kind's hook must not touch the run; the test sees why
                out["targets_error"] = f"{type(exc).__name__}: {exc}"
    return out
