"""去书架找一找 on 「接下来玩什么？」: after an experience the what-next screen shows one or two of the shelf's book
cards (the same cards, from a live catalogue server or, offline, from the kiosk's cache) beside the picks; a tap
shows the book large with its QR code (naming the experience, so the scan counts for it); the screen checks find
nothing at the five shot sizes, open or not."""
from __future__ import annotations

import pygame
import pytest

from experiences import drawlog
from experiences.config import KioskConfig
from experiences.engagement import VERBS
from experiences.kiosk import testing
from experiences.kiosk.covers import CoverCache
from experiences.kiosk.shell_shots import sample_shelf_cards
from experiences.kiosk.shelf import ShelfSource
from experiences.kiosk.shots import SIZES
from experiences.kiosk.states import MENU, RUNNING
from experiences.kiosk.testhook import describe
from experiences.kiosk.testing import click
from experiences.kiosk.whatnext import Pick, PickSource
from experiences.kiosk.whatnext_screen import WhatNextScreen
from experiences.package import open_package
from experiences.runtime import InputEvent
from experiences.screencheck import check_screen
from experiences.text import TextRenderer
from tests.experiences.test_kiosk_shelf import live_catalogue  # noqa: F401  (a fixture: the sample catalogue served)

SIZE = (1280, 720)
BOOKS = sample_shelf_cards()


@pytest.fixture(scope="module")
def text():
    pygame.init()
    return TextRenderer()


@pytest.fixture(scope="module")
def packages(tmp_path_factory):
    root = tmp_path_factory.mktemp("packages")
    return [open_package(testing.write_test_package(root / f"p{n}", f"org.yuedu.test.p{n:02d}", title=f"测试体验{n}",
                                                    age_bands=("all",))) for n in range(4)]


def screen_with(packages, text, books, lang="zh-CN", band=None) -> WhatNextScreen:
    picks = [Pick(p.id, text={"zh-CN": "喜欢《测试体验0》的小朋友也玩了这个", "en": "Children who enjoyed Test 0 also "
                              "played this"}) for p in packages[1:]]
    return WhatNextScreen(picks, {p.id: p for p in packages}, text, CoverCache(text), lang, band, books=books,
                          after=packages[0].id)


def tap(screen, rect, size):
    for kind in ("pointer_down", "pointer_up"):
        answer = screen.handle(InputEvent(kind, x=rect.centerx, y=rect.centery), size)
    return answer


@pytest.mark.parametrize("lang, band", [("zh-CN", "3-5"), ("zh-CN", "13+"), ("en", "6-8")])
@pytest.mark.parametrize("count", [1, 2])
def test_books_beside_the_picks_pass_the_checks_at_every_size(packages, text, lang, band, count):
    for size in SIZES:
        screen = screen_with(packages, text, BOOKS[:count], lang, band)
        surface = pygame.Surface(size)
        with drawlog.recording() as log:
            screen.draw(surface)
        assert check_screen(log, size, lang) == [], size
        cards = screen.cards(size)
        books = [c for c in cards if c.kind == "book"]
        assert 1 <= len(books) <= count and sum(c.kind == "pick" for c in cards) >= 2, size
        drawn = [d.text for d in log.texts]
        assert "I222.742/L33" in drawn and any(d.startswith("《静夜思") for d in drawn), size
        assert all(min(c.rect.size) >= 120 for c in cards)  # big targets
        # A tap on a book: that book alone, large, with its QR code; 看好了 closes it.
        assert tap(screen, books[-1].rect, size) is None
        opened = screen.books.open
        assert opened is not None and opened.id == BOOKS[len(books) - 1].id
        with drawlog.recording() as log:
            screen.draw(surface)
        assert check_screen(log, size, lang) == [], f"open at {size}"
        drawn = [d.text for d in log.texts]
        assert opened.call_number in drawn and ("扫一扫" in drawn or "Scan" in " ".join(drawn))
        assert not any("测试体验" in d for d in drawn)  # the picks stepped back
        assert tap(screen, screen.books.close_rect(size), size) is None and screen.books.open is None


def test_keys_reach_the_books_and_the_qr_names_the_experience(packages, text):
    screen = screen_with(packages, text, BOOKS[:2])
    picks = len(screen.picks_shown)
    for _ in range(picks):
        screen.handle(InputEvent("action", action="right"), SIZE)
    assert screen.handle(InputEvent("action", action="select"), SIZE) is None
    assert screen.books.open == BOOKS[0]
    assert screen.books.shelf.qr_url(BOOKS[0]) == "https://lrs.library.example/c/SAMPLE-0003?from=org.yuedu.test.p00"
    screen.handle(InputEvent("action", action="back"), SIZE)
    assert screen.books.open is None
    screen.handle(InputEvent("action", action="left"), SIZE)
    assert screen.handle(InputEvent("action", action="select"), SIZE)[0] == "open"  # a pick still opens
    no_books = screen_with(packages, text, [])
    assert not no_books.books_shown and len(no_books.picks_shown) == 3
    assert all(c.kind != "book" for c in no_books.cards(SIZE))


def test_offline_the_what_next_books_are_the_last_known_cards(tmp_path, live_catalogue, packages, text):
    online = ShelfSource(lambda: live_catalogue, tmp_path)
    pending = online.request("poem", "静夜思", "6-8")
    assert pending.done.wait(10) and pending.fresh
    offline = ShelfSource(lambda: ("http://127.0.0.1:9/xapi", "k", "s"), tmp_path, timeout=0.5)
    later = offline.request("poem", "静夜思", "6-8")
    screen = screen_with(packages, text, later)
    assert screen.books_shown == pending.fresh[:2]  # at once, from the cache, before the (failing) ask ends
    assert later.done.wait(5)
    assert screen.update() is False and screen.books_shown == pending.fresh[:2]


def test_shell_offers_the_shelf_books_again_on_what_next(tmp_path, live_catalogue):
    pkgs = [open_package(testing.write_test_package(tmp_path / f"pkg{n}", f"org.yuedu.test.p{n:02d}",
                                                    title=f"测试体验{n}", finish_after_frames=5)) for n in range(3)]
    config = KioskConfig()
    config.kiosk.ask_age_band = False
    shell, sink = testing.headless_shell(pkgs, tmp_path / "data", config=config, size=SIZE,
                                         picks_source=PickSource(lambda: None, tmp_path / "data"),
                                         shelf_source=ShelfSource(lambda: live_catalogue, tmp_path / "data"))
    try:
        click(5, 5)
        shell.frame(1 / 60)
        testing.play_first_card(shell, frames=6)
        assert shell.machine.state == MENU and shell.shelf is not None and shell.what_next is not None
        assert shell.shelf.pending is None or shell.shelf.pending.done.wait(10)
        shell.frame(1 / 60)
        assert [c.id for c in shell.shelf.cards_shown] == ["SAMPLE-0002"]  # the librarian's pick for 测试体验0
        click(*shell.shelf.button_rect(SIZE).center)  # 接着玩
        shell.frame(1 / 60)
        assert shell.shelf is None and [c.id for c in shell.what_next.books_shown] == ["SAMPLE-0002"]
        with drawlog.recording() as log:
            shell.draw()
        assert check_screen(log, SIZE) == [] and "I222.742/H45" in [d.text for d in log.texts]
        book = next(c for c in shell.what_next.cards(SIZE) if c.kind == "book")
        targets = describe(shell)["targets"]  # the acceptance tests' hook names the book card
        assert targets["next:book:SAMPLE-0002"] == list(book.rect) and "next:back" in targets
        click(*book.rect.center)
        shell.frame(1 / 60)
        assert shell.what_next.books.open.id == "SAMPLE-0002" and shell.machine.state == MENU
        assert shell.what_next.books.shelf.qr_url(shell.what_next.books.open).endswith("?from=org.yuedu.test.p00")
        with drawlog.recording() as log:
            shell.draw()
        assert check_screen(log, SIZE) == []
        assert list(describe(shell)["targets"]) == ["book:close"]
        click(*shell.what_next.books.close_rect(SIZE).center)
        shell.frame(1 / 60)
        assert shell.what_next.books.open is None
        pick = next(c for c in shell.what_next.cards(SIZE) if c.kind == "pick")
        click(*pick.rect.center)
        shell.frame(1 / 60)
        assert shell.machine.state == RUNNING
        recommended = [s for s in sink.statements if s["verb"]["id"] == VERBS["recommended"][0]]
        assert [s["object"]["id"] for s in recommended] == ["urn:isbn:9787020002207"]  # once, though shown twice
    finally:
        shell.close()


TITLES = ["静夜思", "唐诗三百首", "宋词三百首", "十万个为什么", "我的第一本科学漫画书", "中华古典诗词鉴赏大辞典（少儿版）",
          "好饿的毛毛虫"]


@pytest.mark.parametrize("band", ["6-8", "13+"])
@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)], ids=["1280x720", "1920x1080"])
def test_a_book_cards_title_is_never_broken_inside_a_word(packages, text, size, band, tmp_path):
    """《唐诗三百首》 at 1280×720 read 《唐诗三百 / 首》: one character left alone. A title fits one line (a little
    smaller) or breaks at a sensible point: never one Han character alone on a line, 《 and 》 with their text."""
    from experiences.kiosk.shelf import ShelfCard
    from experiences.pinyin import is_han

    for n in range(0, len(TITLES), 2):
        books = [ShelfCard(f"T{n + i}", title, "某某", "I287/X1", "", True, "", f"https://lrs.example/c/T{n + i}")
                 for i, title in enumerate(TITLES[n:n + 2])]
        screen = screen_with(packages, text, books, band=band)
        surface = pygame.Surface(size)
        with drawlog.recording() as log:
            screen.draw(surface)
        assert check_screen(log, size) == [], size
        pygame.image.save(surface, str(tmp_path / f"books-{n}.png"))
        for card, book in zip([c for c in screen.cards(size) if c.kind == "book"], screen.books_shown):
            inside = sorted((d for d in log.texts if pygame.Rect(card.rect).contains(d.box) and d.role != "deco"),
                            key=lambda d: d.box[1])  # (the drawn cover's characters are decoration)
            lines = [d.text for d in inside if d.text.startswith("《") or lines_of(d.text, book.title)]
            whole = "".join(lines)
            assert whole == f"《{book.title}》", (book.title, [d.text for d in inside])
            assert all(sum(map(is_han, line)) >= 2 for line in lines), (book.title, lines)
            assert not any(line.endswith("《") or line.startswith("》") for line in lines), lines
            if book.title == "唐诗三百首" and len(lines) == 2:
                assert lines == ["《唐诗", "三百首》"]
            sizes = {d.size for d in inside if d.text in lines}
            assert len(sizes) == 1 and sizes.pop() >= round(34 * min(size) / 1080), (book.title, lines)


def lines_of(text: str, title: str) -> bool:
    """Whether `text` is a piece of the title's lines after the first (《title》 cut somewhere)."""
    return bool(text) and text in f"《{title}》" and not f"《{title}》".startswith(text)
