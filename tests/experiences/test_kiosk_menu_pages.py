"""The menu with many packages: pages of at most six big cards, 上一页 / 下一页 with arrows and (young bands)
pinyin, a swipe, the arrow keys across pages, the age band's order kept, and every page passing the screen checks."""
from __future__ import annotations

import pygame
import pytest

from experiences import drawlog
from experiences.kiosk import testing
from experiences.kiosk.covers import CoverCache
from experiences.kiosk.menu import MenuScreen
from experiences.package import open_package
from experiences.runtime import InputEvent
from experiences.screencheck import check_screen
from experiences.text import TextRenderer

SIZES = [(1920, 1080), (1024, 768), (1080, 1920), (800, 600)]


@pytest.fixture(scope="module")
def text():
    return TextRenderer()


@pytest.fixture(scope="module")
def ten(tmp_path_factory):
    """Ten packages like the sample kiosk: every other one for the young bands only."""
    root = tmp_path_factory.mktemp("ten")
    return [open_package(testing.write_test_package(root / f"p{n}", f"org.yuedu.test.m{n:02d}", title=f"体验{n}",
                                                    age_bands=["3-5", "6-8"] if n % 2 else ["9-12", "13+"]))
            for n in range(10)]


def menu_at(ten, text, size, band=None):
    menu = MenuScreen(ten, text, CoverCache(text))
    menu.set_band(band)
    surface = pygame.Surface(size)
    with drawlog.recording() as log:
        menu.draw(surface)
    return menu, surface, log


def tap(menu, rect):
    menu.handle(InputEvent("pointer_down", *rect.center, source="touch"))
    return menu.handle(InputEvent("pointer_up", *rect.center, source="touch"))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_ten_packages_make_pages_of_at_most_six_big_cards(ten, text, size):
    menu, _, log = menu_at(ten, text, size, "6-8")
    cards = [t for t in menu.targets() if t.kind == "card"]
    assert 4 <= len(cards) <= 6 and menu.pages == -(-10 // len(cards))
    shorter = min(size)
    assert all(c.rect.height >= 0.2 * shorter and c.rect.width >= 120 for c in cards)  # a fifth of the screen at least
    assert check_screen(log, size, "zh-CN") == []
    buttons = {t.kind: t.rect for t in menu.targets() if t.kind != "card"}
    assert set(buttons) == {"prev", "next"}
    assert all(r.width >= 120 and r.height >= 120 for r in buttons.values())
    assert buttons["prev"].centerx < size[0] / 2 < buttons["next"].centerx


def test_the_pager_speaks_pinyin_to_young_bands_only(ten, text):
    _, _, young = menu_at(ten, text, (1280, 720), "6-8")
    _, _, older = menu_at(ten, text, (1280, 720), "9-12")
    words = {item.text: item.ruby_size for item in young.texts}
    assert words["下一页"] and words["上一页"]  # drawn with a pinyin row
    assert {item.text: item.ruby_size for item in older.texts}["下一页"] is None


def test_next_page_holds_the_rest_in_the_bands_order(ten, text):
    menu, _, _ = menu_at(ten, text, (1920, 1080), "6-8")
    first = [menu.packages[t.index].id for t in menu.targets() if t.kind == "card"]
    assert tap(menu, next(t.rect for t in menu.targets() if t.kind == "next")) is None
    second = [menu.packages[t.index].id for t in menu.targets() if t.kind == "card"]
    assert menu.page == 1 and len(first) + len(second) == 10 and not set(first) & set(second)
    young = [p.id for p in ten if "6-8" in p.manifest.age_bands]
    assert first[:len(young)] == young  # the visitor's band first (nothing hidden: the rest follow)
    card = next(t for t in menu.targets() if t.kind == "card")
    assert tap(menu, card.rect).id == second[0]
    tap(menu, next(t.rect for t in menu.targets() if t.kind == "prev"))
    assert menu.page == 0


def test_a_swipe_turns_the_page_and_a_short_drag_is_still_a_tap(ten, text):
    menu, _, _ = menu_at(ten, text, (1280, 720))
    card = next(t for t in menu.targets() if t.kind == "card")
    x, y = card.rect.center
    menu.handle(InputEvent("pointer_down", x + 400, y, source="touch"))
    menu.handle(InputEvent("pointer_move", x + 200, y + 10, source="touch"))
    assert menu.handle(InputEvent("pointer_up", x, y + 20, source="touch")) is None  # leftwards: the next page
    assert menu.page == 1
    menu.handle(InputEvent("pointer_down", 100, 300, source="mouse"))
    menu.handle(InputEvent("pointer_up", 700, 330, source="mouse"))  # rightwards: back
    assert menu.page == 0
    menu.handle(InputEvent("pointer_down", x, y, source="touch"))
    assert menu.handle(InputEvent("pointer_up", x + 20, y + 5, source="touch")) is menu.packages[card.index]
    menu.handle(InputEvent("pointer_down", x, y - 100, source="touch"))  # mostly downwards: no page turn
    menu.handle(InputEvent("pointer_up", x + 160, y + 300, source="touch"))
    assert menu.page == 0


def test_a_body_swipe_turns_the_whole_page(ten, text):
    menu, _, _ = menu_at(ten, text, (1920, 1080))
    menu.handle(InputEvent("action", action="right", source="motion"))  # the 体感 corner's sweep, like a book's
    assert menu.page == 1 and menu.focus == menu.per_page
    menu.handle(InputEvent("action", action="right", source="motion"))  # the last page: the book ends here
    assert menu.page == 1 and menu.focus == menu.per_page
    menu.handle(InputEvent("action", action="right", source="keyboard"))  # keys still walk card by card
    assert menu.page == 1 and menu.focus == menu.per_page + 1
    menu.handle(InputEvent("action", action="left", source="motion"))
    assert menu.page == 0 and menu.focus == 0


def test_arrow_keys_walk_onto_the_next_page_and_select_there(ten, text):
    menu, _, _ = menu_at(ten, text, (1920, 1080))
    for _ in range(menu.per_page):
        menu.handle(InputEvent("action", action="right", source="keyboard"))
    assert menu.page == 1 and menu.focus == menu.per_page
    assert menu.handle(InputEvent("action", action="select", source="gamepad")) is menu.packages[menu.per_page]


def test_few_packages_fill_one_page_without_a_pager(ten, text):
    menu = MenuScreen(ten[:4], text, CoverCache(text))
    menu.draw(pygame.Surface((1920, 1080)))
    assert menu.pages == 1 and [t.kind for t in menu.targets()] == ["card"] * 4


def accent_pixels(surface, rect):
    """How many pixels in `rect` are the pager's arrow colour (theme.ACCENT)."""
    from experiences.kiosk import theme
    area = surface.subsurface(rect.clip(surface.get_rect()))
    return sum(1 for x in range(0, area.get_width(), 2) for y in range(0, area.get_height(), 2)
               if tuple(area.get_at((x, y)))[:3] == theme.ACCENT)


@pytest.mark.parametrize("size", [(1280, 720), (1080, 1920)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_pager_stops_at_both_ends_and_shows_it(ten, text, size):
    """上一页 on the first page and 下一页 on the last do nothing, so they look it: no card, no arrow, faded words in
    the same place; a tap, a key, a swipe or a body sweep past the end changes nothing, and the test hook does not
    offer them as targets."""
    from experiences.kiosk import theme
    menu, surface, log = menu_at(ten, text, size, "6-8")
    buttons = {t.kind: t for t in menu.targets() if t.kind != "card"}
    assert not buttons["prev"].enabled and buttons["next"].enabled
    assert accent_pixels(surface, buttons["prev"].rect) == 0 < accent_pixels(surface, buttons["next"].rect)
    # no card behind the words: the button's middle row is the background, not the card's paper
    prev = buttons["prev"].rect
    assert tuple(surface.get_at((prev.left + 12, prev.centery)))[:3] != theme.CARD
    assert tuple(surface.get_at((buttons["next"].rect.left + 12, buttons["next"].rect.centery)))[:3] == theme.CARD
    words = {item.text: item.box for item in log.texts if item.text in ("上一页", "下一页")}
    assert prev.contains(pygame.Rect(words["上一页"])) and len(words) == 2  # still there, saying what it is
    assert check_screen(log, size, "zh-CN") == []
    # nothing happens on the first page's 上一页: no press (it does not sink), no turn
    menu.handle(InputEvent("pointer_down", *prev.center, source="touch"))
    assert menu.pressed is None
    assert menu.handle(InputEvent("pointer_up", *prev.center, source="touch")) is None and menu.page == 0
    menu.handle(InputEvent("action", action="left", source="motion"))
    menu.handle(InputEvent("action", action="left", source="keyboard"))
    menu.handle(InputEvent("pointer_down", 100, size[1] // 3, source="touch"))  # a rightwards swipe: back
    menu.handle(InputEvent("pointer_up", size[0] - 100, size[1] // 3, source="touch"))
    assert menu.page == 0 and menu.focus == 0
    # the last page: 下一页 is the one that goes no further
    tap(menu, buttons["next"].rect)
    assert menu.page == menu.pages - 1 == 1
    again = pygame.Surface(size)
    menu.draw(again)
    buttons = {t.kind: t for t in menu.targets() if t.kind != "card"}
    assert buttons["prev"].enabled and not buttons["next"].enabled
    assert accent_pixels(again, buttons["next"].rect) == 0 < accent_pixels(again, buttons["prev"].rect)
    assert tap(menu, buttons["next"].rect) is None and menu.page == 1
    menu.handle(InputEvent("action", action="right", source="motion"))
    assert menu.page == 1
    tap(menu, buttons["prev"].rect)
    assert menu.page == 0
