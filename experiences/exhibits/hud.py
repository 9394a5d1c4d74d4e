"""The 2D layer drawn with pygame over a 3D frame: cached text, big touch buttons, hotspot markers, info panels,
the exhibit's label (展签: title and a short caption), a loading poster with a progress bar. Hotspot markers are
2D, so they always face the camera.

Sizes are given at 1080p and scaled by the window's shorter side (`ui_scale`), the rule experiences.screencheck
applies: Han text a child reads >= 32 px at 1080p. Every text is noted in experiences.drawlog as it is blitted
(with its real size and box), and buttons, markers, panels and the label as boxes.

Young readers (the 3-5 and 6-8 bands on a zh-CN kiosk) get pinyin over every Han character the HUD draws — the
label, marker titles, cards, hints and buttons — when `TextCache.pinyin` is set (Exhibit3D sets it from the run's
age band); layouts measure the taller, wider lines with `line_height` and `width`. Syllables come from
experiences.pinyin, read over the whole text before it is wrapped (its reviewed phrase table).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

from experiences import drawlog
from experiences import freetype_guard  # noqa: F401  (before pygame.freetype and panda3d)
import pygame

# The text layer (fonts, the cache, pinyin) lives in hud_text.py; its names stay importable from here.
from experiences.exhibits.hud_text import (  # noqa: F401
    BREAK_AFTER, INK, NO_LINE_START, RUBY_PX, SYSTEM_FONTS, TextCache, _screen_box, find_font, px, ui_scale,
)

MARKER_RADIUS = 34  # px at 1080p: markers are touch targets for children, 68 px across (see marker_radius)
TOUCH_SLOP = 12  # px a pointer may move and still count as a tap
# Text sizes at 1080p (scaled by ui_scale): the screen checks want Han text >= 32 px, prompts >= 48 px.
TEXT_PX = 36  # captions, button labels, hints, panel text
TITLE_PX = 54  # the exhibit's title on its label, a panel's title
MARGIN_PX = 32

PAPER = (250, 244, 230)
ACCENT = (196, 60, 40)  # cinnabar; never the only cue: markers also carry a number


def marker_radius(size: tuple[int, int]) -> int:
    return max(20, px(size, MARKER_RADIUS))  # a finger's width even in a small preview window


def note_box(surface: pygame.Surface, label: str, rect: pygame.Rect, group: str = "") -> None:
    drawlog.note_box(label, _screen_box(surface, rect), group)


@dataclass
class Button:
    """A labelled touch target; `hit` takes pointer coordinates."""

    key: str
    rect: pygame.Rect
    label: str

    def hit(self, x: float, y: float) -> bool:
        return self.rect.collidepoint(x, y)

    def draw(self, surface: pygame.Surface, text: TextCache, size: int | None = None) -> None:
        scale = ui_scale(surface.get_size())
        size = size or px(surface.get_size(), TEXT_PX)
        radius = max(6, round(16 * scale))
        pygame.draw.rect(surface, PAPER, self.rect, border_radius=radius)
        pygame.draw.rect(surface, INK, self.rect, width=max(2, round(3 * scale)), border_radius=radius)
        note_box(surface, f"button:{self.key}", self.rect, "buttons")
        if text.pinyin and text.width(self.label, size, True) > self.rect.width - 8:
            size = max(px(surface.get_size(), 32), round(size * (self.rect.width - 8) / text.width(self.label, size, True)))
        text.draw(surface, self.label, size, INK, pinyin=None, center=self.rect.center)


def draw_marker(surface: pygame.Surface, text: TextCache, x: float, y: float, number: int, title: str,
                active: bool = False, avoid: list[pygame.Rect] | tuple = ()) -> pygame.Rect | None:
    """A numbered round marker with its title beside it (on the side with room); returns the marker's rectangle.
    The marker and its title are noted as one box of the group "markers"."""
    size = surface.get_size()
    radius = marker_radius(size)
    scale = ui_scale(size)
    center = (int(x), int(y))
    marker = pygame.Rect(center[0] - radius, center[1] - radius, 2 * radius, 2 * radius)
    font_px = px(size, TEXT_PX)
    width = text.width(title, font_px)
    pad_x, pad_y, gap = px(size, 14), px(size, 8), px(size, 8)
    box = pygame.Rect(0, 0, width + 2 * pad_x, text.line_height(font_px) + 2 * pad_y)
    box.midleft = (center[0] + radius + gap, center[1])
    if box.right > size[0] - px(size, MARGIN_PX):  # no room on the right: the title goes on the left
        box.midright = (center[0] - radius - gap, center[1])
    whole = marker.union(box)
    if any(whole.colliderect(rect) for rect in avoid) or not surface.get_rect().contains(whole):
        return None  # under the label, a panel or a button, or partly off screen: not drawn, not tappable
    pygame.draw.circle(surface, PAPER, center, radius)
    pygame.draw.circle(surface, ACCENT, center, radius - max(3, round(5 * scale)))
    pygame.draw.circle(surface, INK if active else PAPER, center, radius, width=max(2, round(4 * scale)))
    pygame.draw.rect(surface, PAPER, box, border_radius=max(4, round(10 * scale)))
    note_box(surface, f"marker:{number}", whole, "markers")
    text.draw(surface, str(number), px(size, 34), PAPER, role="deco", center=center)
    text.draw(surface, title, font_px, INK, pinyin=None, center=box.center)
    return marker


def panel_width(size: tuple[int, int]) -> int:
    """The information card's width: 560 px at 1080p and at most 45% of a landscape window, on the right so the
    object in the middle stays in view; in portrait 90% of the width, in the band below the middle."""
    if size[0] < size[1]:  # portrait: across the lower band, under the object
        return min(px(size, 900), round(size[0] * 0.9))
    return min(px(size, 560), round(size[0] * 0.45))


def free_spans(left: int, width: int, height: int, margin: int, avoid) -> list[tuple[int, int]]:
    """The vertical spans (top, bottom) of the column [left, left + width) free of every `avoid` rectangle
    (kept `margin` away from them and from the window's top and bottom)."""
    blocked = sorted((r.top - margin, r.bottom + margin) for r in avoid
                     if r.right > left - margin and r.left < left + width + margin)
    spans, y = [], margin
    for top, bottom in blocked:
        if top > y:
            spans.append((y, top))
        y = max(y, bottom)
    if height - margin > y:
        spans.append((y, height - margin))
    return spans


def _panel_layout(surface, text, title, body, image, width, avoid, reserve=0):
    size = surface.get_size()
    sw, sh = size
    width = width or panel_width(size)
    pad, title_px, margin = px(size, 28), px(size, 48), px(size, MARGIN_PX)
    while title_px > px(size, TEXT_PX) and text.width(title, title_px) > width - 2 * pad:
        title_px -= 2  # a long title (English) steps down to the body size rather than leaving the card
    x = sw - width - margin
    spans = free_spans(x, width, sh, margin, [pygame.Rect(r) for r in avoid]) or [(margin, sh - margin)]
    for body_px in (px(size, TEXT_PX), px(size, 32)):  # a long card steps down to the least a child reads
        line_h = round(body_px * 1.45) if not text.pinyin else text.line_height(body_px) + round(body_px * 0.15)
        pitch = text.pitch(body, body_px) if text.pinyin else 0  # its lines' characters stand in columns
        lines = text.wrap_read(body, body_px, width - 2 * pad, pitch=pitch) if body else []
        height = 2 * pad + _title_step(text, title_px, 1.4) + len(lines) * line_h \
            + (image.get_height() + pad // 2 if image else 0)
        fitting = [span for span in spans if span[1] - span[0] >= height + reserve]
        if fitting:
            break
    # Landscape: beside the object, level with the middle; portrait: in the band below the object.
    wanted = (sh - height) // 2 if sw >= sh else round(sh * 0.68)
    if fitting:
        span = min(fitting, key=lambda sp: abs(min(max(wanted, sp[0]), sp[1] - height - reserve) - wanted))
        rect = pygame.Rect(x, min(max(wanted, span[0]), span[1] - height - reserve), width, height)
    else:  # nowhere tall enough (a tiny window): the tallest free span, the lines that fit
        span = max(spans, key=lambda sp: sp[1] - sp[0])
        rect = pygame.Rect(x, span[0], width, min(height, span[1] - span[0] - reserve))
    return rect, pad, body_px, title_px, line_h, lines, pitch


def _title_step(text: TextCache, title_px: int, share: float) -> int:
    """How far below a title's top the next line starts (`share` of its size; its pinyin row added)."""
    return text.line_height(title_px) + round(title_px * (share - 1))


def panel_rect(surface: pygame.Surface, text: TextCache, title: str, body: str, image: pygame.Surface | None = None,
               width: int | None = None, avoid=(), reserve: int = 0) -> pygame.Rect:
    """Where `draw_panel` puts the card (nothing drawn)."""
    return _panel_layout(surface, text, title, body, image, width, avoid, reserve)[0]


def draw_panel(surface: pygame.Surface, text: TextCache, title: str, body: str, image: pygame.Surface | None = None,
               width: int | None = None, avoid=(), reserve: int = 0) -> pygame.Rect:
    """An information card on the right side of the screen, in the free span of its column nearest the middle
    (clear of the `avoid` rectangles: the label, buttons; `reserve` px kept free below it); returns its rectangle."""
    size = surface.get_size()
    rect, pad, body_px, title_px, line_h, lines, pitch = _panel_layout(surface, text, title, body, image, width, avoid,
                                                                       reserve)
    radius = max(6, round(18 * ui_scale(size)))
    pygame.draw.rect(surface, PAPER, rect, border_radius=radius)
    pygame.draw.rect(surface, INK, rect, width=max(2, round(3 * ui_scale(size))), border_radius=radius)
    note_box(surface, "panel", rect, "panels")
    text.draw(surface, title, title_px, ACCENT, pinyin=None, topleft=(rect.x + pad, rect.y + pad))
    y = rect.y + pad + _title_step(text, title_px, 1.4)
    if image is not None:
        surface.blit(image, (rect.x + pad, y))
        y += image.get_height() + pad // 2
    for (line, syllables), indent in zip(lines, text.indents(lines, body_px, pitch)):
        if y + text.line_height(body_px) > rect.bottom - pad // 2:
            break
        text.draw(surface, line, body_px, INK, pinyin=None, syllables=syllables, pitch=pitch,
                  topleft=(rect.x + pad + indent, y))
        y += line_h
    return rect


def sentences(text: str) -> list[str]:
    """`text` cut after each 。！？ (the marks stay with their sentence)."""
    return [part for part in re.split(r"(?<=[。！？!?])", text) if part.strip()]


class LabelLines(NamedTuple):
    title_px: int
    caption_px: int
    lines: list  # (line, its syllables read over the whole caption)
    pitch: int  # the caption's Han cell with pinyin, shared by its lines (0: none)


def label_layout(text: TextCache, size: tuple[int, int], title: str, caption: str, width: int,
                 max_lines: int = 3) -> LabelLines:
    """The label's lines fitted into `width` pixels and `max_lines` lines. A caption too long keeps whole
    sentences, in order, that fit (never a sentence cut off in the middle); pinyin makes lines hold fewer
    characters, and its lines share one grid (their characters stand in columns)."""
    title_px, caption_px = px(size, TITLE_PX), px(size, TEXT_PX)
    pad = px(size, 22)
    pitch = text.pitch(caption, caption_px) if text.pinyin else 0
    lines = text.wrap_read(caption, caption_px, width - 2 * pad, pitch=pitch) if caption else []
    if len(lines) > max_lines:
        kept = ""
        for sentence in sentences(caption):
            if len(text.wrap(kept + sentence, caption_px, width - 2 * pad, pinyin=text._ruby_for(caption, None),
                             pitch=pitch)) <= max_lines:
                kept += sentence
        lines = text.wrap_read(kept, caption_px, width - 2 * pad, pitch=pitch) if kept else []
    return LabelLines(title_px, caption_px, lines, pitch)


def label_height(text: TextCache, size: tuple[int, int], title: str, caption: str, width: int,
                 max_lines: int = 3) -> int:
    """How tall `draw_label` draws the label (its plate)."""
    title_px, caption_px, lines, _ = label_layout(text, size, title, caption, width, max_lines)
    line_h = round(caption_px * 1.4) if not text.pinyin else text.line_height(caption_px) + round(caption_px * 0.1)
    return 2 * px(size, 22) + _title_step(text, title_px, 1.25) + len(lines) * line_h


def label_width(size: tuple[int, int]) -> int:
    return min(round(size[0] * (0.42 if size[0] >= size[1] else 0.9)), px(size, 900))


def draw_label(surface: pygame.Surface, text: TextCache, title: str, caption: str,
               width: int | None = None, centred: bool = False, max_lines: int = 3) -> pygame.Rect:
    """The exhibit's label (展签) in the top left corner: its title, big, and a short caption under it, on a
    dark plate so it reads over any scene. Kept to the top band: the object stands in the middle. `centred`
    (a VR eye): in the middle of the top band, away from the lens's blurred rim."""
    size = surface.get_size()
    margin, pad = px(size, MARGIN_PX), px(size, 22)
    width = width or (round(size[0] * 0.7) if centred else label_width(size))
    title_px, caption_px, lines, pitch = label_layout(text, size, title, caption, width, max_lines)
    line_h = round(caption_px * 1.4) if not text.pinyin else text.line_height(caption_px) + round(caption_px * 0.1)
    title_w = text.width(title, title_px)
    indents = text.indents(lines, caption_px, pitch)
    caption_w = max((text.width(line, caption_px, pitch=pitch) + indent for (line, _), indent in zip(lines, indents)),
                    default=0)
    inner_w = min(max(width - 2 * pad, title_w), size[0] - 2 * margin - 2 * pad, max(title_w, caption_w))  # a long
    # title widens the plate rather than running past it
    height = label_height(text, size, title, caption, width, max_lines)
    underline = pad + _title_step(text, title_px, 1.12)
    rect = pygame.Rect(margin, margin, inner_w + 2 * pad, height)
    if centred:
        rect.midtop = (size[0] // 2, round(size[1] * 0.12))
    plate = pygame.Surface(rect.size, pygame.SRCALPHA)
    radius = max(6, round(16 * ui_scale(size)))
    pygame.draw.rect(plate, (*INK, 215), plate.get_rect(), border_radius=radius)
    surface.blit(plate, rect)
    pygame.draw.line(surface, ACCENT, (rect.x + pad, rect.y + underline),
                     (rect.x + pad + min(inner_w, round(title_px * 2)), rect.y + underline),
                     max(2, round(4 * ui_scale(size))))
    note_box(surface, "label", rect, "panels")
    text.draw(surface, title, title_px, PAPER, pinyin=None, topleft=(rect.x + pad, rect.y + pad))
    y = rect.y + pad + _title_step(text, title_px, 1.25)
    for (line, syllables), indent in zip(lines, indents):
        text.draw(surface, line, caption_px, PAPER, pinyin=None, syllables=syllables, pitch=pitch,
                  topleft=(rect.x + pad + indent, y))
        y += line_h
    return rect


def caption_rect(size: tuple[int, int], text: TextCache, caption: str, bottom: int | None = None,
                 avoid: list[pygame.Rect] | tuple = ()) -> pygame.Rect:
    """Where `draw_caption` puts its plate (nothing drawn)."""
    font_px = px(size, TEXT_PX)
    bottom = bottom if bottom is not None else size[1] - px(size, 24)
    box = pygame.Rect(0, 0, text.width(caption, font_px) + px(size, 36), round(font_px * 0.5) + text.line_height(font_px))
    box.midbottom = (size[0] // 2, bottom)
    for rect in sorted(avoid, key=lambda r: -r.top):
        if box.colliderect(rect):
            box.bottom = min(box.bottom, rect.top - px(size, 12))
    return box


def draw_caption(surface: pygame.Surface, text: TextCache, caption: str, bottom: int | None = None,
                 color=PAPER, plate=INK, avoid: list[pygame.Rect] | tuple = ()) -> pygame.Rect:
    """One line centred at the bottom of the screen (a hint, the page number) on a plate, raised above any of
    the `avoid` rectangles (buttons, the home button) it would cover."""
    size = surface.get_size()
    font_px = px(size, TEXT_PX)
    box = caption_rect(size, text, caption, bottom, avoid)
    if plate is not None:
        pygame.draw.rect(surface, plate, box, border_radius=max(4, round(12 * ui_scale(size))))
    text.draw(surface, caption, font_px, color, pinyin=None, center=box.center)
    return box


def draw_loading(surface: pygame.Surface, text: TextCache, progress: float, label: str,
                 poster: pygame.Surface | None = None) -> None:
    """Poster (if any) fitted to the screen, and a progress bar with a percentage (not colour alone)."""
    sw, sh = surface.get_size()
    surface.fill((24, 22, 20))
    if poster is not None:
        scale = min(sw / poster.get_width(), sh / poster.get_height())
        fitted = pygame.transform.smoothscale(poster, (int(poster.get_width() * scale), int(poster.get_height() * scale)))
        surface.blit(fitted, fitted.get_rect(center=(sw // 2, sh // 2)))
    bar = pygame.Rect(sw // 4, sh - 90, sw // 2, 28)
    pygame.draw.rect(surface, PAPER, bar, border_radius=14)
    filled = bar.copy()
    filled.width = max(28, int(bar.width * max(0.0, min(1.0, progress))))
    pygame.draw.rect(surface, ACCENT, filled, border_radius=14)
    pygame.draw.rect(surface, INK, bar, width=3, border_radius=14)
    text.draw(surface, f"{label} {int(progress * 100)}%", px((sw, sh), TEXT_PX), PAPER,
              midbottom=(sw // 2, bar.top - 10))
