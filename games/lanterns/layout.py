"""Where the lantern game's parts sit on a screen of any size: pure geometry, no pygame.

Every size is designed at 1080 px on the shorter side and scaled by `unit(size)` = min(w, h) / 1080, so a
960×540 window, a 1024×768 kiosk and a 1080×1920 portrait screen show the same layout, just smaller or taller.
Text sizes meet the issue #13 rules for a child two metres away (prompt >= 48 px, Han >= 32 px, pinyin >= 22 px
at 1080p). Lanterns sit in a grid whose cells are wide enough for a lantern's body plus its sway to both sides,
so two lanterns never overlap at any time.
"""
from __future__ import annotations

import math
from contextlib import contextmanager
from dataclasses import dataclass

# Text sizes at 1080p (scaled by unit())
STATUS_PX, STATUS_RUBY_PX = 40, 24
BANNER_PX, BANNER_RUBY_PX, BANNER_CELL = 80, 30, 118
PROMPT_PX, PROMPT_RUBY_PX = 56, 26
CHEER_PX = 120
CARD_TITLE_PX, CARD_TITLE_RUBY_PX = 64, 28
CARD_PX, CARD_RUBY_PX = 40, 24  # young readers: meaning with pinyin
CARD_PLAIN_PX = 36  # 9+: no pinyin rows, a little smaller
BUTTON_H = 112

# A lantern's footprint in radii: the paper body is 2r wide and 1.8r tall; the caps add 0.28r at each end; a tilt
# of up to 8 degrees widens the box a little. GAP: air between two lanterns at their closest.
BODY_W, BODY_H, GAP = 2.3, 2.45, 0.25
SWAY = 0.55  # radii of sideways sway per unit of speed (speed capped at 1.5, as games.lanterns.field sways)
BOB = 0.2


def note_box(surface, label: str, box, group: str) -> None:
    """experiences.drawlog.note_box in the window's pixels: a sub-surface's offset (a VR eye) added."""
    from experiences import drawlog

    if drawlog.active() is None:
        return
    dx, dy = surface.get_abs_offset()
    x, y, w, h = box
    drawlog.note_box(label, (x + dx, y + dy, w, h), group)


_unit_override: float | None = None


@contextmanager
def scaled(value: float):
    """Draw with this unit instead of the surface's own: a VR eye (960×1080 of a 1920×1080 frame) is scaled by
    the frame's shorter side, as the screen checks judge it, not by the eye's narrow width."""
    global _unit_override
    before, _unit_override = _unit_override, value
    try:
        yield
    finally:
        _unit_override = before


def unit(size: tuple[int, int]) -> float:
    return _unit_override if _unit_override is not None else min(size) / 1080


def px(value: float, size: tuple[int, int], least: int = 1) -> int:
    """A 1080p design size in this window's pixels (never below `least`)."""
    return max(least, round(value * unit(size)))


def portrait(size: tuple[int, int]) -> bool:
    return size[0] / size[1] < 1.2


@dataclass(frozen=True)
class Screen:
    """The regions of the aiming screen, in pixels: (x, y, w, h) tuples."""

    size: tuple[int, int]
    status_y: int       # top of the status line (round, score)
    banner: tuple[int, int, int, int]
    pips: tuple[int, int, int, int]
    timer: tuple[int, int, int, int]  # the time bar's row under the pips (no height when the level has no clock)
    field: tuple[int, int, int, int]  # where lanterns hang
    bow: tuple[int, int]
    message_y: int      # bottom of the feedback / prompt line (above the bow)


def banner_width(size: tuple[int, int]) -> int:
    return px(BANNER_CELL * 4 + 60, size)


def banner_height(size: tuple[int, int]) -> int:
    return px(BANNER_RUBY_PX * 1.35 + BANNER_PX * 1.3 + 30, size)


def screen(size: tuple[int, int], status_h: int, timed: bool = False) -> Screen:
    """`status_h`: the drawn height of the status line (its pinyin row included), measured by the caller;
    `timed`: the level has a clock (a time bar row under the progress pips)."""
    width, height = size
    margin = px(20, size)
    bw, bh = banner_width(size), banner_height(size)
    if portrait(size):  # status on its own row, the banner below it
        status_y = margin
        banner_top = status_y + status_h + margin
    else:
        status_y = margin
        banner_top = px(14, size)
    banner = (round(width / 2 - bw / 2), banner_top, bw, bh)
    pip_h = px(54, size)
    pips_w = px(8 * 62, size)
    pips = (round(width / 2 - pips_w / 2), banner_top + bh + px(12, size), pips_w, pip_h)
    bow = (round(width / 2), height - px(44, size))
    message_y = height - px(150, size)
    timer = (margin, pips[1] + pip_h + px(8, size), width - 2 * margin, px(STATUS_PX * 1.4, size) if timed else 0)
    top = timer[1] + timer[3] + px(16, size)
    bottom = message_y - px(PROMPT_PX * 1.3 + PROMPT_RUBY_PX * 1.3 + 10, size)
    field = (margin, top, width - 2 * margin, max(1, bottom - top))
    return Screen(size, status_y, banner, pips, timer, field, bow, message_y)


@dataclass(frozen=True)
class Grid:
    rows: int
    cols: int
    radius: float
    centres: tuple[tuple[float, float], ...]


def lantern_grid(n: int, field: tuple[int, int, int, int], speed: float, max_radius: float) -> Grid:
    """Cells for n lanterns in `field`: the row count that gives the largest lanterns, each cell wide enough
    for the body, its sway to both sides and a gap, and tall enough for the body, its bob and a gap."""
    x0, y0, w, h = field
    sway = SWAY * min(max(speed, 0.0), 1.5)
    best = None
    for rows in range(1, 6):
        cols = math.ceil(n / rows)
        if (rows - 1) * cols >= n:  # an empty last row: fewer rows do the same
            continue
        r = min(w / cols / (BODY_W + 2 * sway + GAP), h / rows / (BODY_H + 2 * BOB + GAP), max_radius)
        if best is None or r > best[0] + 0.5:
            best = (r, rows, cols)
    r, rows, cols = best
    centres = []
    for i in range(n):
        row, col = divmod(i, cols)
        in_row = min(cols, n - row * cols)
        cell_w = w / cols
        row_left = x0 + (w - in_row * cell_w) / 2  # a short last row is centred
        centres.append((row_left + cell_w * (col + 0.5), y0 + h * (row + 0.5) / rows))
    return Grid(rows, cols, r, tuple(centres))


def lantern_box(x: float, y: float, r: float) -> tuple[int, int, int, int]:
    """The lantern's drawn body (caps included, tilt allowed for) around its centre: what must never overlap."""
    w, h = BODY_W * r, BODY_H * r
    return (round(x - w / 2), round(y - h / 2), round(w), round(h))
