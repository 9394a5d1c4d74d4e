"""The exhibits' HUD pinyin stands on the 2D screens' even grid (experiences.pinyin.ruby_cells): every Han
character of a line one step from the last, each syllable centred over its character, inside the drawn box and
clear of its neighbours; the lines of one label or card share one grid, so their characters stand in columns.
Checked on the HUD text layer alone and, as the draw log records it, on every bundled exhibit's screens."""
import os
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")

import pygame
import pytest

from experiences import drawlog
from experiences.catalog import Catalog
from experiences.exhibits import hud
from experiences.exhibits.hud_text import TextCache
from experiences.kiosk.shots import package_shots
from experiences.pinyin import is_han, pinyin_for, ruby_cells

CONTENT = Path(__file__).resolve().parents[2] / "content"
EXHIBITS = ["org.yuedu.exhibits.ding", "org.yuedu.exhibits.hall", "org.yuedu.exhibits.tangshi-book",
            "org.yuedu.exhibits.waterfall"]
LINES = ["青铜鼎", "转一转、放大看：三足两耳的青铜鼎，", "第 1/29 页", "拖动旋转 · 双指捏合或点 +/- 缩放", "这儿有书"]


@pytest.fixture(scope="module")
def text():
    pygame.init()
    cache = TextCache()
    cache.pinyin, cache.window = True, (1280, 720)
    return cache


def neighbour_steps(drawn) -> set[int]:
    """The distances between the centres of Han characters side by side (nothing else between them)."""
    han = [i for i, c in enumerate(drawn.text) if is_han(c)]
    return {b[0] - a[0] for (a, b), (i, j) in zip(zip(drawn.cells, drawn.cells[1:]), zip(han, han[1:])) if j == i + 1}


def grid_problems(drawn) -> list[str]:
    """What is wrong with one recorded line's pinyin grid (nothing: [])."""
    han = [i for i, c in enumerate(drawn.text) if is_han(c)]
    cells = drawn.cells
    if len(cells) != len(han):
        return [f"{drawn.text!r}: {len(cells)} cells for {len(han)} Han characters"]
    problems = []
    x, _, w, _ = drawn.box
    for (cx, sw), i in zip(cells, han):
        if not x - 1 <= cx - sw / 2 and cx + sw / 2 <= x + w + 1:
            problems.append(f"{drawn.text!r}: the syllable over {drawn.text[i]} leaves the box {drawn.box}")
    steps = neighbour_steps(drawn)
    if len(steps) > 1:
        problems.append(f"{drawn.text!r}: uneven steps {sorted(steps)} between neighbouring characters")
    for (a, wa), (b, wb) in zip(cells, cells[1:]):
        if wa and wb and b - a < (wa + wb) / 2 + 3:
            problems.append(f"{drawn.text!r}: syllables at {a} and {b} touch")
    return problems


@pytest.mark.parametrize("line", LINES)
def test_a_hud_line_is_laid_out_on_the_2d_screens_grid(text, line):
    size = 24
    layout = text.ruby_layout(line, size)
    syllables = pinyin_for(line)
    pieces = [p for p in layout.pieces]
    # the cells are experiences.pinyin.ruby_cells of what was measured: one pitch for every Han character
    han_widths = {b[3] - a[3] for a, b in zip(pieces, pieces[1:]) if a[2] and b[2]}
    assert len(han_widths) <= 1 and all(w == layout.pitch for w in han_widths), (line, han_widths)
    bodies = [text.advance(chars, size) for chars, _, _, _, _ in pieces]
    expected = ruby_cells(bodies, [r for *_, r in pieces], [h for _, _, h, _, _ in pieces], max(4, size // 8),
                          max(4, text.ruby_px(size) // 3))
    assert layout.pitch == max(w for w, (_, _, h, _, _) in zip(expected, pieces) if h)
    assert "".join(chars for chars, *_ in pieces) == line
    assert [s for _, s, *_ in pieces if s] == [s for s in syllables if s]
    surface = pygame.Surface((1280, 200), pygame.SRCALPHA)
    with drawlog.recording() as log:
        rect = text.draw(surface, line, size, pinyin=True, topleft=(10, 10))
    assert rect.width == layout.width == text.width(line, size)
    assert grid_problems(log.texts[0]) == []


def test_a_wider_pitch_widens_every_cell_alike(text):
    plain = text.ruby_layout("三足两耳", 24)
    wide = text.ruby_layout("三足两耳", 24, pitch=plain.pitch + 10)
    assert wide.pitch == plain.pitch + 10
    assert [b[3] - a[3] for a, b in zip(wide.pieces, wide.pieces[1:])] == [plain.pitch + 10] * 3


def test_the_lines_of_a_card_and_a_label_stand_in_columns(text):
    surface = pygame.Surface((1280, 720))
    body = "腹部一圈方折回旋的花纹叫云雷纹，是商周青铜器上常见的装饰。"
    with drawlog.recording() as log:
        label = hud.draw_label(surface, text, "青铜鼎", "转一转、放大看：三足两耳的青铜鼎，点红点听它的故事。")
        panel = hud.draw_panel(surface, text, "云雷纹", body, avoid=[label])
    for plate, title in ((label, "青铜鼎"), (panel, "云雷纹")):
        lines = [d for d in log.texts if d.ruby_size and d.text != title and pygame.Rect(plate).contains(d.box)]
        assert len(lines) >= 2, [d.text for d in lines]
        assert "".join(d.text for d in lines) in (body, "转一转、放大看：三足两耳的青铜鼎，点红点听它的故事。")
        for drawn in lines:
            assert grid_problems(drawn) == []
        firsts = {d.cells[0][0] for d in lines if is_han(d.text[0])}
        assert len(firsts) == 1, f"the lines' first characters are not in one column: {firsts}"
        steps = {step for d in lines for step in neighbour_steps(d)}
        assert len(steps) == 1, f"neighbouring characters are {sorted(steps)} apart on different lines"


@pytest.mark.parametrize("package_id", EXHIBITS)
def test_every_exhibits_hud_pinyin_is_on_the_grid(package_id, tmp_path):
    catalog = Catalog.scan([CONTENT])
    package = catalog.get(package_id)
    seen = 0
    for size in ((1280, 720), (1080, 1920)):
        for shot in package_shots(package, size, age_band="6-8", data_dir=tmp_path, catalog=catalog):
            # (a young reader's book pages note their vertical columns with the pinyin's size and no horizontal grid)
            ruby = [t for t in shot.log.texts if t.ruby_size and not (t.box[3] > t.box[2] and not t.cells)]
            problems = [p for t in ruby for p in grid_problems(t)]
            assert problems == [], f"{shot.name}:\n" + "\n".join(problems)
            seen += len(ruby)
    assert seen
