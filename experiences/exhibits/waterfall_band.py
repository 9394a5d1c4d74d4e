"""The waterfall's header band (experiences.exhibits.waterfall): a slim strip across the top in the wall's colour
with the exhibit's title, as much of its description as fits, and the hint; the covers slide out from under it.

A wide window has one row: the title, as many of the description's first whole sentences as fit on that line, and
the hint in a frame at the right end (on a row of its own when it does not fit there). A tall window puts the
description in up to two lines under them. Sizes are the HUD's (hud.TITLE_PX, hud.TEXT_PX, with pinyin when the
TextCache has it), so the screen checks' sizes hold.
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
    hint_text: str
    lines: tuple  # (line, its syllables or None, pitch, the point its bottom-left corner goes to)
    title_px: int
    caption_px: int


def band_layout(text: hud.TextCache, size: tuple[int, int], title: str, caption: str, hint: str) -> Band:
    margin, pad, gap = hud.px(size, hud.MARGIN_PX), hud.px(size, 20), hud.px(size, 40)
    title_px, caption_px = hud.px(size, hud.TITLE_PX), hud.px(size, hud.TEXT_PX)
    title_h, caption_h = text.line_height(title_px), text.line_height(caption_px)
    right = size[0] - margin
    title_box = pygame.Rect(margin, pad, text.width(title, title_px), title_h)
    hint_box = pygame.Rect(0, 0, text.width(hint, caption_px) + 2 * pad if hint else 0, caption_h + pad if hint else 0)
    row_bottom = round(pad * 0.8) + max(title_h, hint_box.height)
    hint_box.bottomright = (right, row_bottom)
    rows_bottom = row_bottom
    if hint and hint_box.left < title_box.right + gap:  # no room beside the title: a row of its own
        hint_box.topleft = (margin, row_bottom + pad // 2)
        rows_bottom = hint_box.bottom
    title_box.bottom = row_bottom
    lines = []
    if caption and size[0] >= size[1]:  # beside the title, up to the hint
        end = hint_box.left - gap if hint and hint_box.top < row_bottom else right
        kept = ""  # the first sentences, as many as fit (never a later one alone: out of its context)
        for sentence in hud.sentences(caption):
            if text.width(kept + sentence, caption_px) > end - title_box.right - gap:
                break
            kept += sentence
        if kept:
            (line, syllables), = text.wrap_read(kept, caption_px, size[0])
            lines = [(line, syllables, 0, (title_box.right + gap, row_bottom))]
    elif caption:
        laid = hud.label_layout(text, size, "", caption, right - margin + 2 * hud.px(size, 22), 2)
        line_h = caption_h + round(caption_px * 0.25)
        for i, (line, syllables) in enumerate(laid.lines):
            lines.append((line, syllables, laid.pitch, (margin, rows_bottom + (i + 1) * line_h)))
        rows_bottom += len(laid.lines) * line_h
    return Band(rows_bottom + round(pad * 1.1), title_box, hint_box if hint else None, hint, tuple(lines),
                title_px, caption_px)


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
        text.draw(surface, band.hint_text, band.caption_px, hud.PAPER, pinyin=None, center=band.hint.center)
    return label
