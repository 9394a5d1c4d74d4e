"""A pick's title on the 「what next?」 card: one line down to the smallest Han size, else two lines broken at a
sensible point (experiences/kiosk/title_lines.py) inside the card, never spilling onto the next card; … only when
even two lines at the smallest size cannot hold it, with the whole title kept in the card's box label."""
from __future__ import annotations

import pygame
import pytest

from experiences import drawlog
from experiences.kiosk import testing, theme
from experiences.kiosk.covers import CoverCache
from experiences.kiosk.whatnext import Pick
from experiences.kiosk.whatnext_screen import WhatNextScreen
from experiences.package import open_package
from experiences.screencheck import check_screen
from experiences.text import TextRenderer

SIZES = [(1280, 720), (1920, 1080)]
# Too long for one line at 32 px (scaled) on any of these cards: for readers, and for young readers with pinyin
LONG = {"9-12": "小蝌蚪找妈妈和好饿的毛毛虫一起去森林里看星星的故事", "6-8": "唐诗三百首里的四季与节日朗诵会"}


@pytest.fixture(scope="module")
def text():
    return TextRenderer()


def screen_for(tmp_path, text, title, band, size):
    titles = [title, "春晓诗会", "成语接龙"]
    packages = [open_package(testing.write_test_package(tmp_path / f"p{n}", f"org.yuedu.test.t{n}", title=name,
                                                        age_bands=["6-8"])) for n, name in enumerate(titles)]
    picks = [Pick(p.id, text={"zh-CN": "喜欢《春晓》的小朋友也玩了这个"}) for p in packages]
    screen = WhatNextScreen(picks, {p.id: p for p in packages}, text, CoverCache(text), "zh-CN", band)
    surface = pygame.Surface(size)
    with drawlog.recording() as log:
        screen.draw(surface)
    return screen, log


def title_items(log, card_box, title):
    """The drawn lines of `title` inside the card (in drawing order)."""
    inside = [item for item in log.texts if pygame.Rect(card_box).contains(pygame.Rect(item.box))]
    out, joined = [], ""
    for item in inside:
        if title.startswith(joined + item.text.rstrip("…")):
            out.append(item)
            joined += item.text
    return out


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("band", sorted(LONG))
def test_a_long_title_takes_two_lines_inside_its_card(tmp_path, text, band, size):
    title = LONG[band]
    screen, log = screen_for(tmp_path, text, title, band, size)
    assert check_screen(log, size, "zh-CN") == []  # nothing cut, nothing overlapping, nothing too small
    s = theme.scale(size)
    card = next(c for c in screen.cards(size) if c.kind == "pick" and c.index == 0)
    inner = card.rect.width - 2 * theme.px(16, s)
    young = band == "6-8"
    ruby = theme.px(theme.PINYIN_PX, s)
    smallest = theme.px(32, s)
    one_line = (text.size_with_pinyin(title, smallest, ruby) if young else text.size(title, smallest))[0]
    assert one_line > inner  # it would not fit one line even at the smallest size
    box = next(b.box for b in log.boxes if b.label == f"pick:{title}")
    lines = title_items(log, box, title)
    assert len(lines) == 2 and "".join(line.text for line in lines) == title
    assert all(line.size >= smallest and (line.ruby_size is not None) == young for line in lines)
    assert lines[0].box[1] < lines[1].box[1]  # one under the other
    # the other cards' covers and texts line up with this one's: their titles' room is the same
    reasons = sorted(item.box[1] for item in log.texts if item.text.startswith("喜欢"))
    assert len(reasons) == 3 and reasons[0] == reasons[-1]


def test_only_a_title_too_long_for_two_lines_is_shortened(tmp_path, text):
    title = "小蝌蚪找妈妈和好饿的毛毛虫一起去森林里看星星的故事"  # with pinyin: more than two lines' worth
    size = (1280, 720)
    screen, log = screen_for(tmp_path, text, title, "6-8", size)
    box = next(b.box for b in log.boxes if b.label == f"pick:{title}")  # the whole title is still there
    lines = title_items(log, box, title)
    assert len(lines) == 2 and lines[1].text.endswith("…") and not lines[0].text.endswith("…")
    assert title.startswith("".join(line.text for line in lines).rstrip("…"))
    findings = check_screen(log, size, "zh-CN")
    assert [f.rule for f in findings] == ["cut"] and findings[0].what == repr(lines[1].text)  # only the ellipsis
