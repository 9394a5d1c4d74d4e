"""The kiosk's own screens for the contact sheet and the screen tests: attract, the age question, the menu (and
its second page, with more than six packages), 还在吗, the goodbye, 去书架找一找, what next (two books beside
the picks; one tapped), the error screen and 暂时打不开 — each reached the way a visitor reaches it
(a touch wakes the kiosk, an answer, time passing), drawn by a headless kiosk shell and checked
(experiences.screencheck).

`shell_shots((1920, 1080))` yields a `Shot` per screen, like `experiences.kiosk.shots.package_shots` does for
a package's states.
"""
from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Iterator

from experiences import drawlog
from experiences.kiosk.shots import Shot, blank_findings, kiosk_config
from experiences.screencheck import check_screen

SHELL_ID = "kiosk"
STATES = ("attract", "age", "menu", "menu-page-2", "still-there", "goodbye", "goodbye-thanks", "shelf", "shelf-map",
          "what-next", "what-next-book", "error", "unavailable")
# What a visitor did, for the goodbye's shot (a kind's visit_summary() says it in a real run).
SAMPLE_SUMMARY = {"zh-CN": "你答对了 3 个成语", "en": "You got 3 idioms right"}


def shell_shots(size: tuple[int, int], *, catalog=None, age_band: str | None = "6-8", language: str = "zh-CN",
                registry=None, data_dir: Path | None = None,
                rules: tuple[str, ...] = ("size", "latin", "cut", "overlap")) -> Iterator[Shot]:
    """Each of the kiosk's own screens at `size` (the packages of `catalog`, default the installed ones, fill
    the menu, the covers and the picks). `age_band`: the visitor's answer to the age question."""
    from experiences.engagement import ListSink
    from experiences.kiosk.goodbye import Goodbye
    from experiences.kiosk.shell import KioskShell
    from experiences.kiosk.whatnext import complete
    from experiences.kiosk.whatnext_screen import WhatNextScreen

    own_dir = None
    if data_dir is None:
        own_dir = tempfile.TemporaryDirectory(prefix="yuedu-shots-")
        data_dir = Path(own_dir.name)
    config = kiosk_config(language)
    config.kiosk.attract_package = ""  # the kiosk's own attract screen (a hosted one is a package's shot)
    shell = KioskShell(config, catalog=catalog, registry=registry, headless=True, size=size, fullscreen=False,
                       data_dir=data_dir, sink=ListSink())
    dt = 1.0 / max(1, config.kiosk.fps)

    def shot(state: str) -> Shot:
        with drawlog.recording() as log:
            shell.frame(dt)
        actual = tuple(shell.surface.get_size())
        surface = shell.surface.copy()
        return Shot(SHELL_ID, state, actual, surface, log,
                    check_screen(log, actual, language, rules) + blank_findings(surface))

    try:
        shell.open()
        packages = shell.menu.packages
        shell.frame(dt)
        yield shot("attract")
        shell.on_input([])  # a touch wakes the kiosk: the age question (or the menu when it is not asked)
        if shell.machine.state == "ask_age":
            yield shot("age")
            _tap(shell, next(c.rect for c in shell.age_screen.choices(shell.size) if c.band == age_band))
        yield shot("menu")
        if shell.menu.pages > 1:  # more than six packages: the next page, reached with 下一页
            _tap(shell, next(t.rect for t in shell.menu.targets() if t.kind == "next"))
            yield shot("menu-page-2")
            _tap(shell, next(t.rect for t in shell.menu.targets() if t.kind == "prev"))
        # nobody touched the screen for idle_seconds: 还在吗 over the menu
        shell.clock.advance(shell.machine.idle_seconds)
        shell.frame(dt)
        yield shot("still-there")
        shell.on_input([])  # "I am here": the touch that cancels the warning goes no further
        now = shell.clock.now()
        shell.goodbye = Goodbye(SAMPLE_SUMMARY.get(language, SAMPLE_SUMMARY["en"]), shell.text, shell.lang, now,
                                shell.machine.age_band)
        yield shot("goodbye")
        shell.goodbye = Goodbye(None, shell.text, shell.lang, shell.clock.now(), shell.machine.age_band)
        yield shot("goodbye-thanks")
        shell.goodbye = None
        from experiences.kiosk.shelf_screen import ShelfScreen

        shell.shelf = ShelfScreen(sample_shelf_cards(), shell.text, shell.lang, shell.machine.age_band)
        yield shot("shelf")  # 去书架找一找 after an experience (books from the library's catalogue)
        shell.shelf = ShelfScreen(sample_shelf_cards(plan_dir=data_dir), shell.text, shell.lang,
                                  shell.machine.age_band)
        yield shot("shelf-map")  # the same with a floor plan marked in the portal: the shelf lit, 在这里
        shell.shelf = None
        if packages:
            ids = [p.id for p in packages]
            titles = {p.id: dict(p.manifest.titles) for p in packages}
            finished = ids[0]
            picks = complete(_sample_picks(packages), ids, finished, lambda i: titles.get(i, {}))
            shell.what_next = WhatNextScreen(picks, {p.id: p for p in packages}, shell.text, shell.covers, shell.lang,
                                             shell.machine.age_band, books=sample_shelf_cards(plan_dir=data_dir), after=finished)
            yield shot("what-next")  # the picks with two 去书架找一找 books beside them
            shell.what_next.books.open = shell.what_next.books_shown[-1]
            yield shot("what-next-book")  # a book tapped: large, with its QR code
            shell.what_next = None
        shell.machine.fail()  # an experience raised: the calm error screen
        yield shot("error")
        if packages:
            shell.machine.fail()
            shell.unavailable = packages[-1]  # could not start (no 3D here): its poster with 暂时打不开
            yield shot("unavailable")
    finally:
        shell.close()
        if own_dir is not None:
            own_dir.cleanup()


def sample_shelf_cards(plan_dir: Path | None = None) -> list:
    """Three books as a library's catalogue sends them (sample data: one out on loan, one with an ISBN, one with a
    long title), for the 去书架找一找 shot; with `plan_dir`, each with the map of its shelf on a sample floor plan
    (drawn there, as the kiosk keeps the plan its server sent)."""
    from experiences.kiosk.shelf import ShelfCard

    cards = [
        ShelfCard("SAMPLE-0003", "静夜思 李白诗歌绘本", "李白", "I222.742/L33", "少儿阅览室", False, "",
                  "https://lrs.library.example/c/SAMPLE-0003"),
        ShelfCard("SAMPLE-0002", "唐诗三百首", "蘅塘退士", "I222.742/H45:2", "三楼文学区", True, "9787020002207",
                  "https://lrs.library.example/c/SAMPLE-0002"),
        ShelfCard("SAMPLE-0007", "中华古典诗词鉴赏大辞典（少儿版）", "萧涤非", "I207.22/X11", "三楼文学区", True, "",
                  "https://lrs.library.example/c/SAMPLE-0007"),
    ]
    if plan_dir is not None:
        plan = sample_floor_plan(Path(plan_dir) / "sample-floor-plan.png")
        for card, shelf in zip(cards, ([0.23, 0.14, 0.075, 0.3], [0.68, 0.59, 0.075, 0.27], [0.38, 0.14, 0.075, 0.3])):
            card.map = {"plan": "/catalogue/images/plans/0000sample.png", "width": 800, "height": 560,
                        "shelf": shelf, "label": ""}
            card.map_file = str(plan)
    return cards


def sample_floor_plan(path: Path) -> Path:
    """A floor plan as a curator might upload one (sample): walls, two rows of shelves, a door."""
    import pygame

    plan = pygame.Surface((800, 560))
    plan.fill((236, 232, 222))
    pygame.draw.rect(plan, (90, 90, 90), (8, 8, 784, 544), width=6)
    for i in range(6):
        x = int(800 * (0.08 + i * 0.15))
        pygame.draw.rect(plan, (170, 140, 100), (x, int(560 * 0.14), 60, int(560 * 0.3)))
        pygame.draw.rect(plan, (170, 140, 100), (x, int(560 * 0.59), 60, int(560 * 0.27)))
    pygame.draw.rect(plan, (255, 255, 255), (330, 540, 140, 14))
    path.parent.mkdir(parents=True, exist_ok=True)
    pygame.image.save(plan, str(path))
    return path


def _tap(shell, rect) -> None:
    """A visitor's tap in the middle of `rect` (pressed and released there), as the shell's input path takes it."""
    from experiences.runtime import InputEvent

    x, y = rect.center
    for kind in ("pointer_down", "pointer_up"):
        shell.on_input([InputEvent(kind, x, y, source="touch")])


def _sample_picks(packages) -> list:
    """What the server suggests (server/wall: poem_picks, recommend_routes), with its longest reasons: another
    poem of the booth and another game, each with why; the catalog fills the rest of the cards."""
    from experiences.kiosk.whatnext import Pick

    picks = []
    booth = next((p for p in packages if p.kind == "recitation"), None)
    if booth is not None:
        picks.append(Pick(booth.id, {"zh-CN": "静夜思", "en": "Quiet Night Thoughts"},
                          {"zh-CN": "读了《春晓》的小朋友也读了《静夜思》",
                           "en": "Children who read Spring Dawn also read Quiet Night Thoughts"}, "poem", "jing-ye-si"))
    games = [p for p in packages if p.kind.startswith("idiom-") and p.manifest.title("zh-CN")]
    if len(games) >= 2:
        first, second = games[0].manifest.titles, games[1].manifest.titles
        picks.append(Pick(games[1].id, dict(second), {
            "zh-CN": f"喜欢《{first.get('zh-CN', '')}》的小朋友也玩了《{second.get('zh-CN', '')}》",
            "en": f"Children who enjoyed {first.get('en', '')} also played {second.get('en', '')}"}))
    return picks
