"""Pinyin for any text (experiences.pinyin) and lines drawn with a pinyin row (TextRenderer pinyin=True)."""
from __future__ import annotations

import numpy as np
import pygame
import pytest

from experiences.pinyin import has_han, is_han, pinyin_for
from experiences.text import TextRenderer


@pytest.fixture(scope="module")
def text():
    return TextRenderer()


def ink_rows(surface: pygame.Surface, rect: pygame.Rect | None = None) -> np.ndarray:
    """Indices of rows (within `rect`) holding any visible pixel."""
    alpha = pygame.surfarray.array_alpha(surface.subsurface(rect) if rect else surface)
    return np.nonzero(alpha.max(axis=0) > 0)[0]


def test_one_syllable_per_character_with_tone_marks_and_blanks_for_the_rest():
    assert pinyin_for("第 1/8 题") == ["dì", "", "", "", "", "", "tí"]
    assert pinyin_for("还在吗？") == ["hái", "zài", "ma", ""]
    assert pinyin_for("Hi") == ["", ""]
    assert pinyin_for("") == []


def test_polyphones_are_read_in_context():
    assert pinyin_for("银行")[1] == "háng"
    assert pinyin_for("行走")[0] == "xíng"
    assert pinyin_for("慢慢想，不着急") == ["màn", "màn", "xiǎng", "", "bù", "zháo", "jí"]


def test_yi_and_bu_keep_their_citation_tones():
    # pypinyin's phrase table writes the sandhi tone in these words (一样 yí yàng, 不要 bú yào)
    assert pinyin_for("一样")[0] == "yī"
    assert pinyin_for("一起来")[0] == "yī"
    assert pinyin_for("不要")[0] == "bù"
    assert pinyin_for("对不对")[1] == "bù"


def test_result_is_a_fresh_list_each_call():
    first = pinyin_for("成语")
    first.append("x")
    assert pinyin_for("成语") == ["chéng", "yǔ"]


def test_han_detection():
    assert is_han("成") and is_han("𫛸") and not is_han("A") and not is_han("，")
    assert has_han("第1题") and not has_han("Round 1/8")


def test_pinyin_row_sits_above_the_characters(text):
    surface = pygame.Surface((500, 200), pygame.SRCALPHA)
    box = text.draw(surface, "还在吗？", (250, 100), 40, (255, 255, 255), anchor="center", pinyin=True)
    plain = text.size("还在吗？", 40)
    ruby = text.pinyin_row_height(40)
    assert box.height == plain[1] + ruby
    assert box.center == (250, 100)  # the anchor is of the whole box, pinyin row included
    rows = ink_rows(surface, box)
    top_band = rows[rows < ruby]
    assert len(top_band) > 5, "syllables drawn in the pinyin row"
    # the characters sit below the row: nothing of them reaches into it
    body_only = pygame.Surface((500, 200), pygame.SRCALPHA)
    text.draw(body_only, "还在吗？", box.topleft, 40, (255, 255, 255), pinyin=False)
    assert ink_rows(body_only)[0] < ruby + box.top  # plain text starts higher than the pinyin line's text


def test_each_syllable_is_centred_over_its_character(text):
    surface = pygame.Surface((600, 200), pygame.SRCALPHA)
    box = text.draw(surface, "我们", (10, 10), 48, (255, 255, 255), pinyin=True)
    ruby = text.pinyin_row_height(48)
    alpha = pygame.surfarray.array_alpha(surface)
    half = box.left + box.width // 2
    for left, right in ((box.left, half), (half, box.right)):
        syllable_cols = np.nonzero(alpha[left:right, box.top:box.top + ruby].max(axis=1) > 0)[0]
        char_cols = np.nonzero(alpha[left:right, box.top + ruby:box.bottom].max(axis=1) > 0)[0]
        assert len(syllable_cols) and len(char_cols)
        assert abs(syllable_cols.mean() - char_cols.mean()) < 6


def test_a_line_without_han_is_drawn_exactly_as_plain_text(text):
    a = pygame.Surface((300, 80), pygame.SRCALPHA)
    b = pygame.Surface((300, 80), pygame.SRCALPHA)
    ra = text.draw(a, "Round 1/8", (150, 40), 30, anchor="center", pinyin=True)
    rb = text.draw(b, "Round 1/8", (150, 40), 30, anchor="center")
    assert ra == rb
    assert np.array_equal(pygame.surfarray.array_alpha(a), pygame.surfarray.array_alpha(b))


def test_mixed_line_keeps_latin_runs_and_fades(text):
    surface = pygame.Surface((400, 120), pygame.SRCALPHA)
    width, height = text.size_with_pinyin("第 1/8 题", 28)
    assert height == text.size("第 1/8 题", 28)[1] + text.pinyin_row_height(28)
    assert width >= text.size(" 1/8 ", 28)[0] + 2 * text.size("第", 28)[0]
    box = text.draw(surface, "第 1/8 题", (0, 0), 28, alpha=100, pinyin=True)
    assert (box.width, box.height) == (width, height)
    assert 0 < pygame.surfarray.array_alpha(surface).max() <= 100
    # shared surfaces are not left faded
    assert text.render_with_pinyin("第 1/8 题", 28).get_alpha() in (None, 255)


def test_paragraph_with_pinyin_wraps_to_the_wider_cells_and_stays_in_its_rect(text):
    surface = pygame.Surface((400, 400), pygame.SRCALPHA)
    rect = pygame.Rect(20, 20, 220, 360)
    message = "找一个以「心」开头的成语，慢慢想，不着急。"
    used = text.draw_paragraph(surface, message, rect, 30, pinyin=True)
    plain = text.draw_paragraph(pygame.Surface((400, 400), pygame.SRCALPHA), message, rect, 30)
    assert used > plain
    for line in text.wrap(message, 30, rect.width, pinyin=True):
        assert text.size_with_pinyin(line, 30)[0] <= rect.width
    alpha = pygame.surfarray.array_alpha(surface)
    outside = alpha.copy()
    outside[rect.left:rect.right, rect.top:rect.top + used] = 0
    assert outside.max() == 0


# --- the kiosk: young readers' card titles and the idle question ---------------------------------------------

def _menu_with(tmp_path, text, bands_per_package):
    from experiences.kiosk import testing
    from experiences.kiosk.covers import CoverCache
    from experiences.kiosk.menu import MenuScreen
    from experiences.package import open_package

    packages = [open_package(testing.write_test_package(tmp_path / f"p{n}", f"org.yuedu.test.py{n}",
                                                        title="成语灯谜", cover=False, age_bands=bands))
                for n, bands in enumerate(bands_per_package)]
    return MenuScreen(packages, text, CoverCache(text))


def test_menu_titles_of_young_packages_carry_pinyin(tmp_path, text, monkeypatch):
    from experiences import drawlog
    from experiences.kiosk import menu as menu_module

    menu = _menu_with(tmp_path, text, [["3-5"], ["6-8", "9-12"], ["9-12"], ["13+", "all"]])
    assert [menu_module.title_has_pinyin(p) for p in menu.packages] == [True, True, False, False]
    with_pinyin = pygame.Surface((1280, 720))
    with drawlog.recording() as log:
        menu.draw(with_pinyin)
    monkeypatch.setattr(menu_module, "title_has_pinyin", lambda package, band=None: False)
    plain = pygame.Surface((1280, 720))
    menu._size = (0, 0)  # lay out again
    menu.draw(plain)
    cards = [target.rect for target in menu.targets() if target.kind == "card"]
    titles = [t for t in log.texts if t.text == "成语灯谜"]
    assert len(titles) == len(cards)
    for card, young in zip(cards, (True, True, False, False)):
        a, b = (pygame.image.tobytes(s.subsurface(card), "RGB") for s in (with_pinyin, plain))
        assert (a != b) is young
        title = next(t for t in titles if card.contains(pygame.Rect(t.box)))  # the title with its pinyin row stays on its card
        assert (title.ruby_size is not None) is young
        if young:
            # the syllables sit in a band at the top of the title's box, above the characters
            band = pygame.Rect(title.box[0], title.box[1], title.box[2], text.pinyin_row_height(title.size, title.ruby_size) - 2)
            ink = (pygame.surfarray.array3d(with_pinyin.subsurface(band)).astype(int).sum(axis=2) < 450).sum()
            assert ink > 20
            assert title.ruby_size >= 22 * 720 / 1080 - 0.5


def test_idle_question_has_pinyin_and_stays_on_its_panel(text):
    from experiences import drawlog
    from experiences.kiosk import theme
    from experiences.kiosk.overlays import draw_idle_warning

    surface = pygame.Surface((1280, 720))
    with drawlog.recording() as log:
        draw_idle_warning(surface, text, 9, "zh-CN")
    question = next(t for t in log.texts if t.text == "还在吗？")
    assert question.role == "prompt" and question.ruby_size >= 22 * 720 / 1080
    # the syllables hái zài ma sit above 还在吗: ink in the band at the top of its box
    band = pygame.Rect(question.box[0], question.box[1], question.box[2],
                       text.pinyin_row_height(question.size, question.ruby_size) - 4)
    ink = (pygame.surfarray.array3d(surface.subsurface(band)).astype(int).sum(axis=2) < 500).sum()
    assert ink > 30
    # every line (the countdown's hint is the lowest) stays on the paper panel
    panel = pygame.mask.from_threshold(surface, theme.PAPER, (2, 2, 2, 255)).get_bounding_rects()
    panel = max(panel, key=lambda r: r.width * r.height)
    assert all(panel.inflate(4, 4).contains(pygame.Rect(t.box)) for t in log.texts), (panel, log.texts)


def test_known_readings_fix_quoted_characters_only():
    text = "轮到你了：选一个以“了”开头的成语"
    plain = pinyin_for(text)
    fixed = pinyin_for(text, {"“了”": ("", "liǎo", "")})
    assert plain[3] == fixed[3] == "le"  # the particle
    quoted = text.index("“了”") + 1
    assert fixed[quoted] == "liǎo"
    assert [a for i, a in enumerate(fixed) if i != quoted] == [a for i, a in enumerate(plain) if i != quoted]
    # A lone quoted character already takes its citation reading (着 zhāo); the caller's reading wins (着手 zhuó).
    text = "轮到你了：选一个以“着”开头的成语"
    plain = pinyin_for(text)
    fixed = pinyin_for(text, {"“着”": ("", "zhuó", "")})
    quoted = text.index("“着”") + 1
    assert plain[quoted] == "zhāo" and fixed[quoted] == "zhuó"
    assert [a for i, a in enumerate(fixed) if i != quoted] == [a for i, a in enumerate(plain) if i != quoted]
    whole = pinyin_for("“为所欲为”不是", {"为所欲为": ("wéi", "suǒ", "yù", "wéi")})
    assert whole[1:5] == ["wéi", "suǒ", "yù", "wéi"] and whole[0] == "" and whole[-1] == "shì"


def test_readings_change_the_drawn_line_and_its_cache_entry(text):
    line = "以“着”开头"
    plain = text.render_with_pinyin(line, 30)
    fixed = text.render_with_pinyin(line, 30, readings={"“着”": ("", "zhuó", "")})
    assert fixed is not plain and fixed.get_width() >= plain.get_width()
    assert text.render_with_pinyin(line, 30, readings={"“着”": ("", "zhuó", "")}) is fixed


def test_a_wrapped_paragraph_is_read_in_context_not_line_by_line(text):
    """A 了 that starts a wrapped line is still the particle le of its sentence (not a lone liǎo)."""
    from experiences import drawlog
    message = "我们一起接了 2 个"
    width = text.size_with_pinyin("我们一起接", 40)[0] + 4  # the line breaks before 了
    surface = pygame.Surface((400, 300), pygame.SRCALPHA)
    with drawlog.recording() as log:
        text.draw_paragraph(surface, message, pygame.Rect(0, 0, width, 300), 40, pinyin=True, align="left")
    lines = [t for t in log.texts]
    assert [t.text for t in lines] == ["我们一起接", "了 2 个"]
    second = pygame.Rect(lines[1].box)
    drawn = pygame.image.tobytes(surface.subsurface(second), "RGBA")
    particle = text.render_with_pinyin("了 2 个", 40, readings={"了 2 个": ("le",)})
    citation = text.render_with_pinyin("了 2 个", 40, readings={"了 2 个": ("liǎo",)})
    assert particle.get_size() == second.size
    assert drawn == pygame.image.tobytes(particle, "RGBA") != pygame.image.tobytes(citation, "RGBA")
