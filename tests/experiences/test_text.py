"""Shared text rendering: the Kai font, the Noto CJK fallback for missing glyphs, caching, wrapping, pinyin ruby."""
from __future__ import annotations

import numpy as np
import pygame
import pytest

from experiences.text import KAI_FONT, NOTO_CJK, TextRenderer


@pytest.fixture(scope="module")
def text():
    return TextRenderer()


def ink_columns(surface: pygame.Surface) -> np.ndarray:
    """Indices of columns holding any visible pixel."""
    alpha = pygame.surfarray.pixels_alpha(surface)
    return np.nonzero(alpha.max(axis=1) > 0)[0]


def test_bundled_font_and_licence_ship_together():
    assert KAI_FONT.is_file()
    licence = KAI_FONT.with_name("OFL-StageKai.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE" in licence


def test_missing_glyphs_fall_back_to_noto(text):
    assert NOTO_CJK.is_file(), "fonts-noto-cjk is a system package in scripts/setup.sh"
    assert text.has_glyph("还") and not text.has_glyph("骉")
    assert text.runs("还骉在") == [("还", False), ("骉", True), ("在", False)]
    drawn = text.render("骉", 48)
    assert len(ink_columns(drawn)) > 20  # a real glyph, not an empty box-less gap
    no_fallback = TextRenderer(fallback=None)
    assert no_fallback.runs("还骉") == [("还骉", False)]


def test_render_is_cached_per_text_size_and_colour(text):
    first = text.render("成语", 40, (10, 20, 30))
    assert text.render("成语", 40, (10, 20, 30)) is first
    assert text.render("成语", 41, (10, 20, 30)) is not first
    small = TextRenderer(cache_size=2)
    a = small.render("一", 20)
    small.render("二", 20)
    small.render("三", 20)
    assert small.render("一", 20) is not a  # evicted: the cache stays bounded on a 24-hour kiosk


def test_wrap_keeps_latin_words_whole_and_breaks_between_characters(text):
    lines = text.wrap("Still there? Touch to keep going", 32, 220)
    assert len(lines) > 1 and " ".join(lines) == "Still there? Touch to keep going"
    assert all(text.size(line, 32)[0] <= 220 for line in lines)
    cjk = text.wrap("轻触屏幕继续十秒后回到首页", 32, 130)
    assert "".join(cjk) == "轻触屏幕继续十秒后回到首页" and len(cjk) >= 3


def test_ruby_puts_each_syllable_over_its_character(text):
    surface = pygame.Surface((600, 200), pygame.SRCALPHA)
    chars, pinyin = "床前明月光，", ["chuáng", "qián", "míng", "yuè", "guāng", ""]
    box = text.draw_ruby(surface, chars, pinyin, (20, 20), 48, (0, 0, 0))
    cells = text.ruby_layout(chars, pinyin, 48)
    assert len(cells) == 6
    for (x, width), syllable in zip(cells, pinyin):
        assert width >= text.size(syllable, round(48 * 0.42))[0] if syllable else width > 0
    assert box.width == cells[-1][0] + cells[-1][1]
    ruby_row = surface.subsurface((0, box.top, 600, text.font(20).get_sized_height()))
    char_row = surface.subsurface((0, box.top + text.font(20).get_sized_height(), 600, 48))
    # pinyin above the first five characters, none above the comma
    comma_x, comma_w = cells[5]
    ruby_ink = ink_columns(ruby_row.copy()) - box.left
    assert len(ruby_ink) > 0 and ruby_ink.max() < comma_x
    assert len(ink_columns(char_row.copy())) > 0


def test_draw_anchors(text):
    surface = pygame.Surface((400, 200))
    rect = text.draw(surface, "还在吗？", (200, 100), 40, anchor="center")
    assert rect.center == (200, 100)
    with pytest.raises(ValueError):
        text.draw(surface, "x", (0, 0), 20, anchor="middle")


def test_faded_draw_leaves_the_shared_render_intact(text):
    target = pygame.Surface((300, 100))
    target.fill((0, 0, 0))
    text.draw(target, "还在吗", (10, 10), 40, (255, 255, 255), alpha=100)
    faded_peak = max(target.get_at((x, y))[0] for x in range(10, 140) for y in range(10, 60))
    assert 60 < faded_peak < 140  # about 100/255 of white
    rendered = text.render("还在吗", 40, (255, 255, 255))
    white = pygame.Surface(rendered.get_size())
    white.fill((255, 255, 255))
    white.blit(rendered, (0, 0))
    assert rendered.get_alpha() == 255 and white.get_at((0, 0))[:3] == (255, 255, 255)
