"""Pinyin over Han text sits in an even grid: every character of a line the same step from the last, each
syllable centred over its character and clear of its neighbours, as the draw log records it (issue: 成 语接龙)."""
from __future__ import annotations

import pygame
import pytest

from experiences import drawlog
from experiences.pinyin import ruby_cells
from experiences.text import TextRenderer

LINES = ["成语接龙", "现在还不能用手机读这本书。", "线装唐诗", "上一页", "你想玩什么？", "这儿有书", "第 1/8 题，加油"]


@pytest.fixture(scope="module")
def text():
    return TextRenderer()


def han_steps(cells):
    return [b[0] - a[0] for a, b in zip(cells, cells[1:])]


@pytest.mark.parametrize("size", [36, 64])
@pytest.mark.parametrize("line", LINES)
def test_every_pinyin_line_is_an_even_grid_with_syllables_apart(text, line, size):
    surface = pygame.Surface((1400, 300))
    with drawlog.recording() as log:
        box = text.draw(surface, line, (20, 20), size, pinyin=True)
        text.draw_paragraph(surface, line, pygame.Rect(20, 150, 1300, 140), size, pinyin=True)
    for drawn in log.texts:
        cells = drawn.cells
        assert len(cells) == sum(1 for c in line if "\u4e00" <= c <= "\u9fff"), drawn
        x, _, w, _ = drawn.box
        # each syllable inside the drawn box, and two neighbours never touching
        assert all(x <= cx - sw / 2 and cx + sw / 2 <= x + w for cx, sw in cells), drawn
        for (a, wa), (b, wb) in zip(cells, cells[1:]):
            if wa and wb:
                assert b - a >= (wa + wb) / 2 + 4, drawn
    plain = [c for c in log.texts[0].cells]
    # Han characters side by side (no digits or punctuation between them) are exactly one step apart
    runs, run = [], [plain[0]]
    han_at = [i for i, c in enumerate(line) if "\u4e00" <= c <= "\u9fff"]
    for (i, j), cell in zip(zip(han_at, han_at[1:]), plain[1:]):
        if j == i + 1:
            run.append(cell)
        else:
            runs.append(run)
            run = [cell]
    runs.append(run)
    steps = {s for r in runs for s in han_steps(r)}
    assert len(steps) <= 1, (line, plain)
    assert box.width == log.texts[0].box[2]


def test_the_drawn_centres_are_where_the_syllables_are(text):
    """The cells the draw log keeps are the pixels drawn: the ruby row's ink is centred on each cell."""
    surface = pygame.Surface((600, 200), pygame.SRCALPHA)
    with drawlog.recording() as log:
        text.draw(surface, "成语接龙", (10, 10), 48, (255, 255, 255), pinyin=True, ruby_size=24)
    row_height = text.pinyin_row_height(48, 24)
    ink = pygame.mask.from_surface(surface.subsurface((0, 10, 600, row_height)))
    columns = [x for x in range(600) if any(ink.get_at((x, y)) for y in range(row_height))]
    for cx, width in log.texts[0].cells:
        mine = [x for x in columns if abs(x - cx) <= width / 2 + 2]
        assert mine and abs((mine[0] + mine[-1]) / 2 - cx) <= 3


def test_ruby_cells_one_pitch_for_every_han_character():
    # 成 chéng (wide) beside 语 yǔ (narrow): one cell width for both, wide enough that chéng and yǔ stand apart
    widths = ruby_cells([40, 40, 40, 40], [60, 24, 30, 46], [True] * 4, 4, 8)
    assert len(set(widths)) == 1 and widths[0] >= (60 + 24) / 2 + 8 and widths[0] >= 44
    # a run that is not Han keeps its width and gives the syllables beside it room
    assert ruby_cells([40, 80, 40], [50, 0, 50], [True, False, True], 4, 8) == [44, 80, 44]
    # 这儿: zhèr over 这, nothing over 儿; its neighbour two cells on needs less
    assert ruby_cells([40, 40, 40], [70, 0, 40], [True, True, True], 4, 8) == [44, 44, 44]


def test_a_poems_lines_share_one_grid_so_its_characters_stand_in_columns(text):
    """An e-book page: 我住长江头 and 此水几时休 get the same cell, the widest line's (cháng jiāng)."""
    from experiences.ebook import view
    from experiences.ebook.book import Poem

    lines = ("我住长江头，君住长江尾。", "此水几时休，此恨何时已。")
    pinyin = tuple(tuple(s if "\u4e00" <= c <= "\u9fff" else "" for c, s in zip(line, syllables.split()))
                   for line, syllables in zip(lines, ["wǒ zhù cháng jiāng tóu ， jūn zhù cháng jiāng wěi 。",
                                                      "cǐ shuǐ jǐ shí xiū ， cǐ hèn hé shí yǐ 。"]))
    poem = Poem("sample", "卜算子", "李之仪", "宋", lines=lines, pinyin=pinyin)
    with drawlog.recording() as log:
        view.draw_poem(pygame.Surface((1920, 1080)), text, poem, pygame.Rect(40, 40, 1840, 1000), 1.0, True)
    rows = [d for d in log.texts if d.text in lines]
    assert len(rows) == 2
    steps = {b[0] - a[0] for d in rows for a, b in zip(d.cells[:4], d.cells[1:5])}  # 我住长江头 / 此水几时休
    assert len(steps) == 1
