"""Drawing the e-book's kiosk screens (pygame): the cover with what the book is, a poem page with pinyin over
every character, and the big QR code that takes the book to a phone. The waterfall draws the same QR panel.

Sizes are at 1080p and scale with the window's shorter side (experiences.kiosk.theme), so the screen checks'
minimums hold at every size: prompts 64 px, Han text >= 36, pinyin rows >= 24 (checks: 48/32/22).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import pygame

from experiences import drawlog
from experiences.kiosk import theme
from experiences.runtime import home_button_area

PROMPT_PX, TITLE_PX, TEXT_PX, RUBY_PX = 64, 48, 36, 24
POEM_MAX_PX, POEM_MIN_PX = 96, 36
WHITE = (255, 255, 255)


@dataclass
class Button:
    key: str
    label: str
    rect: pygame.Rect


def note_box(surface: pygame.Surface, label: str, rect: pygame.Rect, group: str = "") -> None:
    dx, dy = surface.get_abs_offset()
    drawlog.note_box(label, (rect.x + dx, rect.y + dy, rect.w, rect.h), group)


def ruby_px(size: int, s: float) -> int:
    return max(theme.px(RUBY_PX, s), round(size * 0.5))


def draw_button(surface, text, button: Button, s: float, focused: bool, pinyin: bool, primary: bool = False) -> None:
    fill = theme.ACCENT if primary else theme.CARD
    panel = theme.rounded_panel(button.rect.size, fill, theme.px(24, s), theme.px(5 if focused else 3, s),
                                theme.INK if focused else theme.INK_SOFT)
    surface.blit(panel, button.rect)
    note_box(surface, button.key, button.rect, "buttons")
    size = theme.px(TEXT_PX, s)
    while size > theme.px(TEXT_PX, s) * 0.8 and _width(text, button.label, size, s, pinyin) > button.rect.w - 16:
        size -= 1
    text.draw(surface, button.label, button.rect.center, size, theme.INK, "center", pinyin=pinyin,
              ruby_size=ruby_px(size, s))


def label_width(text, label: str, s: float, pinyin: bool) -> int:
    """How wide a button must be for `label` at its full size (draw_button), with its margins."""
    size = theme.px(TEXT_PX, s)
    return _width(text, label, size, s, pinyin) + 16 + 2 * theme.px(16, s)


def _width(text, words: str, size: int, s: float, pinyin: bool, pitch: int = 0) -> int:
    return (text.size_with_pinyin(words, size, ruby_px(size, s), pitch=pitch) if pinyin else text.size(words, size))[0]


def draw_lines(surface, text, words: str, rect: pygame.Rect, size: int, s: float, colour, pinyin: bool = False,
               role: str = "text", align: str = "left", readings=None) -> int:
    """`words` wrapped into `rect`'s width, from its top; returns the bottom of the last line."""
    y = rect.top
    ruby = ruby_px(size, s)
    if _width(text, words, size, s, pinyin) > rect.width:  # too long for one line: break after a comma first
        words = "\n".join(part for part in re.split(r"(?<=[，。；：！？])", words) if part)
    for line in text.wrap(words, size, rect.width, pinyin, readings):
        anchor = {"left": "topleft", "center": "midtop", "right": "topright"}[align]
        x = {"left": rect.left, "center": rect.centerx, "right": rect.right}[align]
        box = text.draw(surface, line, (x, y), size, colour, anchor, pinyin=pinyin, ruby_size=ruby, role=role,
                        readings=readings)
        y = box.bottom + theme.px(6, s)
    return y


def lines_height(text, words: str, width: int, size: int, s: float, pinyin: bool = False) -> int:
    ruby = ruby_px(size, s)
    total = 0
    if _width(text, words, size, s, pinyin) > width:
        words = "\n".join(part for part in re.split(r"(?<=[，。；：！？])", words) if part)
    for line in text.wrap(words, size, width, pinyin):
        total += (text.size_with_pinyin(line, size, ruby) if pinyin else text.size(line, size))[1] + theme.px(6, s)
    return total


def safe_bottom(size: tuple[int, int]) -> tuple[int, int]:
    """(x right of the shell's home button, y above it): keep touch targets out of that corner."""
    x, y, w, h = home_button_area(size)[0]
    return x + w, y


def cover_image(cover: pygame.Surface | None, box: pygame.Rect) -> pygame.Rect:
    """Where the cover goes inside `box`, its aspect kept (3:4 when there is none)."""
    aspect = cover.get_width() / cover.get_height() if cover is not None else 0.75
    height = min(box.height, round(box.width / aspect))
    rect = pygame.Rect(0, 0, round(height * aspect), height)
    rect.center = box.center
    return rect


_scaled: dict[tuple[int, tuple[int, int]], pygame.Surface] = {}


def scaled_cover(cover: pygame.Surface, size: tuple[int, int]) -> pygame.Surface:
    """The cover smoothly scaled to `size`, made once per cover and size (drawn every frame)."""
    key = (id(cover), size)
    if key not in _scaled:
        if len(_scaled) > 16:
            _scaled.clear()
        source = cover.convert(24) if cover.get_bitsize() < 24 else cover  # palette PNGs: smoothscale needs 24 bits
        _scaled[key] = pygame.transform.smoothscale(source, size)
    return _scaled[key]


def draw_cover_picture(surface, cover: pygame.Surface | None, rect: pygame.Rect, s: float) -> None:
    shadow = rect.move(theme.px(10, s), theme.px(10, s))
    pygame.draw.rect(surface, (20, 16, 14), shadow, border_radius=theme.px(8, s))
    if cover is not None:
        surface.blit(scaled_cover(cover, rect.size), rect)
    else:
        pygame.draw.rect(surface, (44, 58, 92), rect)
    note_box(surface, "cover", rect, "media")


# ---- the poem page ---------------------------------------------------------------------------------------
def poem_rows(lines, pinyin, text, size: int, s: float, width: int, with_pinyin: bool = True, pitch: int = 0
              ) -> list[tuple[str, tuple[str, ...]]]:
    """The poem's lines as rows that fit `width` at `size`: a line too wide is split after its first comma."""
    rows = []
    if all(_width(text, line, size, s, with_pinyin, pitch) <= width for line in lines):
        return [(line, tuple(syllables)) for line, syllables in zip(lines, pinyin)]
    for line, syllables in zip(lines, pinyin):  # one line too wide: split them all, so the poem reads evenly
        cut = next((i + 1 for i, c in enumerate(line) if c in "，、；：,"), len(line) // 2)
        rows += [(line[:cut], tuple(syllables[:cut])), (line[cut:], tuple(syllables[cut:]))]
    return rows


_fits: dict[tuple, tuple[int, list]] = {}


def fit_poem(poem, text, s: float, box: pygame.Rect, pinyin: bool):
    """The biggest poem size whose title, byline and rows fit `box`: (size, rows, pitch). Worked out once per poem, box
    and pinyin (drawn every frame: measuring a dozen sizes each frame would take the kiosk's whole frame)."""
    key = (id(text), poem.id, poem.lines, tuple(box.size), s, pinyin)
    if key not in _fits:
        if len(_fits) > 64:
            _fits.clear()
        _fits[key] = _fit_poem(poem, text, s, box, pinyin)
    return _fits[key]


def poem_pitch(text, poem, size: int, s: float, pinyin: bool) -> int:
    """The cell every character of the poem gets at `size` under its pinyin: the widest line's, so the lines'
    characters stand in columns (0 without pinyin)."""
    if not pinyin:
        return 0
    return max((text.pinyin_pitch(line, size, ruby_px(size, s), {line: tuple(syllables)})
                for line, syllables in zip(poem.lines, poem.pinyin)), default=0)


def _fit_poem(poem, text, s: float, box: pygame.Rect, pinyin: bool):
    def layout(size: int):
        pitch = poem_pitch(text, poem, size, s, pinyin)
        rows = poem_rows(poem.lines, poem.pinyin, text, size, s, box.width, pinyin, pitch)
        fits = poem_height(text, poem, size, s, pinyin, len(rows)) <= box.height and \
            all(_width(text, row, size, s, pinyin, pitch) <= box.width for row, _ in rows)
        return fits, rows, pitch

    low, high = theme.px(POEM_MIN_PX, s), theme.px(POEM_MAX_PX, s)
    best = (low, *layout(low)[1:])
    while low <= high:  # a binary search over 2 px steps: five or six layouts, not twenty
        size = (low + high) // 2
        fits, rows, pitch = layout(size)
        if fits:
            best, low = (size, rows, pitch), size + 2
        else:
            high = size - 2
    return best


def _heights(text, poem, size: int, s: float, pinyin: bool) -> tuple[int, int, int]:
    """(title block, byline, one row) heights at poem size `size`."""
    title_px = _title_px(size, s)
    ruby = ruby_px(title_px, s)
    title_h = (text.size_with_pinyin(poem.title, title_px, ruby) if pinyin else text.size(poem.title, title_px))[1]
    byline_px = theme.px(TEXT_PX, s)
    byline_h = (text.size_with_pinyin(poem.byline, byline_px, ruby_px(byline_px, s)) if pinyin
                else text.size(poem.byline, byline_px))[1]
    row_h = (text.size_with_pinyin("国", size, ruby_px(size, s)) if pinyin else text.size("国", size))[1]
    return title_h, byline_h, row_h


def poem_height(text, poem, size: int, s: float, pinyin: bool, rows: int) -> int:
    title_h, byline_h, row_h = _heights(text, poem, size, s, pinyin)
    return title_h + theme.px(4, s) + byline_h + theme.px(28, s) + rows * (row_h + theme.px(8, s))


def _title_px(size: int, s: float) -> int:
    return max(theme.px(TITLE_PX, s), min(theme.px(TITLE_PX + 16, s), size - theme.px(12, s)))


def draw_poem(surface, text, poem, box: pygame.Rect, s: float, pinyin: bool) -> None:
    """Title, byline and the lines with their reviewed pinyin, as big as fits, centred in `box`."""
    size, rows, pitch = fit_poem(poem, text, s, box, pinyin)
    title_px = _title_px(size, s)
    y = box.top + max(0, (box.height - poem_height(text, poem, size, s, pinyin, len(rows))) // 2)
    title = text.draw(surface, poem.title, (box.centerx, y), title_px, theme.INK, "midtop", pinyin=pinyin,
                      ruby_size=ruby_px(title_px, s), readings={poem.title: poem.title_pinyin} if pinyin else None)
    y = title.bottom + theme.px(4, s)
    byline_px = theme.px(TEXT_PX, s)
    byline = text.draw(surface, poem.byline, (box.centerx, y), byline_px, theme.INK_SOFT, "midtop", pinyin=pinyin,
                       ruby_size=ruby_px(byline_px, s), readings={poem.author: poem.author_pinyin} if pinyin else None)
    y = byline.bottom + theme.px(24, s)
    for line, syllables in rows:
        drawn = text.draw(surface, line, (box.centerx, y), size, theme.INK, "midtop", pinyin=pinyin,
                          ruby_size=ruby_px(size, s), ruby_color=theme.INK_SOFT,
                          readings={line: syllables} if pinyin else None, pitch=pitch)
        y = drawn.bottom + theme.px(8, s)


@lru_cache(maxsize=16)
def qr_png(url: str) -> bytes:
    """The share flow's QR PNG for `url`, made once (segno's encoding is too slow for every frame)."""
    from experiences.share import qr_png as make

    return make(url)


# ---- the QR panel (the e-book's 用手机读 and the waterfall's tap on an e-book) --------------------------------
def draw_qr_panel(surface, text, rect: pygame.Rect, s: float, url: str | None, title: str, prompt: str,
                  more: str, no_link: str, staff_hint: str, pinyin: bool) -> None:
    """A paper panel filling `rect`: the QR code large on white, the book's title, 用手机扫一扫，在手机上读 and
    what the phone gets; without a public address, a plain message for the child and one for the parent to pass on
    to the staff (the setting's name is in the log and `launcher.py config`, never on the screen)."""
    from experiences.qrcode import qr_surface

    panel = theme.rounded_panel(rect.size, theme.PAPER, theme.px(28, s), theme.px(4, s), theme.INK)
    surface.blit(panel, rect)
    note_box(surface, "qr-panel", rect, "panels")
    pad = theme.px(40, s)
    inner = rect.inflate(-2 * pad, -2 * pad)
    portrait = rect.height > rect.width * 1.1
    if url is None:  # in the visitor's words; the setting's name goes to the log and `launcher.py config`
        parent_px = theme.px(32, s)  # for the parent: smaller, Han text's least
        block = (lines_height(text, title, inner.width, theme.px(TITLE_PX, s), s, pinyin) + pad
                 + lines_height(text, no_link, inner.width, theme.px(TEXT_PX, s), s, pinyin) + pad // 2
                 + lines_height(text, staff_hint, inner.width, parent_px, s))
        top = inner.top + max(0, (inner.height - block) // 3)  # a little above the middle
        y = draw_lines(surface, text, title, pygame.Rect(inner.left, top, inner.width, 0), theme.px(TITLE_PX, s), s,
                       theme.INK, pinyin, align="center")
        y = draw_lines(surface, text, no_link, pygame.Rect(inner.left, y + pad, inner.width, 0), theme.px(TEXT_PX, s),
                       s, theme.INK, pinyin, align="center")
        draw_lines(surface, text, staff_hint, pygame.Rect(inner.left, y + pad // 2, inner.width, 0),
                   parent_px, s, theme.INK_SOFT, align="center")
        return
    if portrait:
        side = min(inner.width, round(inner.height * 0.55))
        card = pygame.Rect(0, 0, side, side)
        card.midtop = (inner.centerx, inner.top + lines_height(text, title, inner.width, theme.px(TITLE_PX, s), s,
                                                                pinyin) + theme.px(16, s))
        words = pygame.Rect(inner.left, card.bottom + theme.px(24, s), inner.width, inner.bottom - card.bottom)
        draw_lines(surface, text, title, inner, theme.px(TITLE_PX, s), s, theme.INK, pinyin, align="center")
        align = "center"
    else:
        side = min(inner.height, round(inner.width * 0.48))
        card = pygame.Rect(inner.left, 0, side, side)
        card.centery = inner.centery
        words = pygame.Rect(card.right + pad, inner.top, inner.right - card.right - pad, inner.height)
        align = "left"
    pygame.draw.rect(surface, WHITE, card, border_radius=theme.px(16, s))
    qr = qr_surface(qr_png(url), card.width - theme.px(24, s))
    surface.blit(qr, qr.get_rect(center=card.center))
    note_box(surface, "qr", card, "media")
    y = words.top
    if not portrait:
        y = draw_lines(surface, text, title, words, theme.px(TITLE_PX, s), s, theme.INK, pinyin, align=align)
        y += theme.px(20, s)
    y = draw_lines(surface, text, prompt, pygame.Rect(words.left, y, words.width, 0), theme.px(PROMPT_PX, s), s,
                   theme.INK, pinyin, role="prompt", align=align)
    if more:
        draw_lines(surface, text, more, pygame.Rect(words.left, y + theme.px(16, s), words.width, 0),
                   theme.px(TEXT_PX, s), s, theme.INK_SOFT, False, align=align)


_counts: dict[tuple[str, str, str], int] = {}


def poem_count(package) -> int:
    """How many poems an e-book package has (0 when its book cannot be read), read once per package version."""
    from experiences.ebook.book import load_from_package

    key = (package.id, package.version, str(package.path))
    if key not in _counts:
        try:
            _counts[key] = len(load_from_package(package).poems)
        except ValueError:
            _counts[key] = 0
    return _counts[key]
