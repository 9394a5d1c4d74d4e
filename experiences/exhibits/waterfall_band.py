"""The waterfall's header band (experiences.exhibits.waterfall): a slim strip across the top in the wall's colour
with the exhibit's title, as much of its description as fits, and the hint; the covers slide out from under it.

A wide window has one row: the title, as many of the description's first whole sentences as fit on that line, and
the hint in a frame at the right end. A tall window puts the description in up to two lines under them. A hint
too wide to sit beside the title gets a row of its own (a line for each of its parts when it is wider than the
window: "点一本书打开它 · 点空白处看全部内容" in portrait), and the description then one line. Sizes are the HUD's
(hud.TITLE_PX, hud.TEXT_PX, with pinyin when the TextCache has it), so the screen checks' sizes hold.
"""
from __future__ import annotations

from dataclasses import dataclass

import pygame

from experiences.exhibits import hud


@dataclass(frozen=True)
class Band:
    bottom: int  # where the band ends: covers above it are not on the wall yet
    title: pygame.Rect
    hint: pygame.Rect | None
    hint_lines: tuple  # (line, its syllables or None): one, or more when the hint is wider than the window
    hint_pitch: int  # their Han cell with pinyin when there are several (0: each its own)
    lines: tuple  # (line, its syllables or None, pitch, the point its bottom-left corner goes to)
    title_px: int
    caption_px: int


def band_layout(text: hud.TextCache, size: tuple[int, int], title: str, caption: str, hint: str) -> Band:
    margin, pad, gap = hud.px(size, hud.MARGIN_PX), hud.px(size, 20), hud.px(size, 40)
    title_px, caption_px = hud.px(size, hud.TITLE_PX), hud.px(size, hud.TEXT_PX)
    title_h, caption_h = text.line_height(title_px), text.line_height(caption_px)
    right = size[0] - margin
    title_box = pygame.Rect(margin, pad, text.width(title, title_px), title_h)
    hint_lines = _hint_lines(text, hint, caption_px, right - margin - 2 * pad) if hint else []
    hint_line_h = caption_h + round(caption_px * 0.15)
    hint_pitch = max(text.pitch(line, caption_px, syllables) for line, syllables in hint_lines) \
        if text.pinyin and len(hint_lines) > 1 else 0  # the lines' characters in one grid
    hint_box = pygame.Rect(0, 0, 2 * pad + max([text.width(line, caption_px, pitch=hint_pitch) for line, _ in hint_lines],
                                               default=0),
                           pad + caption_h + (len(hint_lines) - 1) * hint_line_h if hint else 0)
    row_bottom = round(pad * 0.8) + max(title_h, hint_box.height if len(hint_lines) == 1 else 0)
    hint_box.bottomright = (right, row_bottom)
    rows_bottom = row_bottom
    if hint and (len(hint_lines) > 1 or hint_box.left < title_box.right + gap):  # a row of its own
        hint_box.topleft = (margin, row_bottom + pad // 2)
        rows_bottom = hint_box.bottom
    title_box.bottom = row_bottom
    lines = []
    if caption and size[0] >= size[1]:  # beside the title, up to the hint
        end = hint_box.left - gap if hint and hint_box.top < row_bottom else right
        lines = [(line, syllables, 0, (title_box.right + gap, row_bottom))
                 for line, syllables in _first_sentences(text, caption, caption_px, end - title_box.right - gap)]
    elif caption and rows_bottom > row_bottom:  # under a hint of its own: one line, the band stays slim
        lines = [(line, syllables, 0, (margin, rows_bottom + caption_h + round(caption_px * 0.25)))
                 for line, syllables in _first_sentences(text, caption, caption_px, right - margin)]
        rows_bottom += (caption_h + round(caption_px * 0.25)) * len(lines)
    elif caption:
        laid = hud.label_layout(text, size, "", caption, right - margin + 2 * hud.px(size, 22), 2)
        line_h = caption_h + round(caption_px * 0.25)
        for i, (line, syllables) in enumerate(laid.lines):
            lines.append((line, syllables, laid.pitch, (margin, rows_bottom + (i + 1) * line_h)))
        rows_bottom += len(laid.lines) * line_h
    return Band(rows_bottom + round(pad * 1.1), title_box, hint_box if hint else None, tuple(hint_lines), hint_pitch,
                tuple(lines), title_px, caption_px)


def _first_sentences(text: hud.TextCache, caption: str, size: int, width: int) -> list[tuple]:
    """The caption's first sentences, as many as fit on one line of `width` (never a later one alone: out of its
    context), as [(line, its syllables)], or []."""
    kept = ""
    for sentence in hud.sentences(caption):
        if text.width(kept + sentence, size) > width:
            break
        kept += sentence
    return text.wrap_read(kept, size, 10 ** 6) if kept else []


def _hint_lines(text: hud.TextCache, hint: str, size: int, width: int) -> list[tuple]:
    """The hint as [(line, its syllables)]: one line, or where it is too wide, a line for each of its parts
    ("点一本书打开它 · 点空白处看全部内容"), or failing that, wrapped."""
    if text.width(hint, size) <= width:
        return text.wrap_read(hint, size, 10 ** 6)
    parts = [part.strip() for part in hint.split("·") if part.strip()]
    if len(parts) > 1 and all(text.width(part, size) <= width for part in parts):
        return [line for part in parts for line in text.wrap_read(part, size, 10 ** 6)]
    return text.wrap_read(hint, size, width)


def draw_band(surface: pygame.Surface, text: hud.TextCache, band: Band, title: str, colour, show_hint: bool) -> pygame.Rect:
    """The band in `colour` with its red rule, the title (red underline), the description and (`show_hint`) the
    hint in a red frame; returns the label's box: the title and the description's lines beside or under it."""
    size = surface.get_size()
    scale = hud.ui_scale(size)
    rect = pygame.Rect(0, 0, size[0], band.bottom)
    surface.fill(colour, rect)
    pygame.draw.line(surface, hud.ACCENT, rect.bottomleft, rect.bottomright, max(2, round(3 * scale)))
    drawn = text.draw(surface, title, band.title_px, hud.PAPER, pinyin=None, bottomleft=band.title.bottomleft)
    rule_y = drawn.bottom + max(2, round(4 * scale))
    pygame.draw.line(surface, hud.ACCENT, (drawn.left, rule_y), (drawn.left + min(drawn.width, band.title_px * 2), rule_y),
                     max(2, round(4 * scale)))
    label = drawn.copy()
    for line, syllables, pitch, corner in band.lines:
        shown = text.draw(surface, line, band.caption_px, hud.PAPER, pinyin=None, syllables=syllables, pitch=pitch,
                          bottomleft=corner)
        if band.hint is None or not label.union(shown).colliderect(band.hint):
            label.union_ip(shown)
    hud.note_box(surface, "label", label, "panels")
    if band.hint is not None and show_hint:
        pygame.draw.rect(surface, hud.ACCENT, band.hint, width=max(2, round(3 * scale)),
                         border_radius=max(4, round(12 * scale)))
        hud.note_box(surface, "hint", band.hint, "panels")
        caption_h = text.line_height(band.caption_px)
        step = caption_h + round(band.caption_px * 0.15)  # as band_layout measured the box
        top = band.hint.top + (band.hint.height - caption_h - step * (len(band.hint_lines) - 1)) / 2
        for i, (line, syllables) in enumerate(band.hint_lines):
            text.draw(surface, line, band.caption_px, hud.PAPER, pinyin=None, syllables=syllables, pitch=band.hint_pitch,
                      midtop=(band.hint.centerx, round(top + i * step)))
    return label
