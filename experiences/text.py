"""Text on screen for every kind: the Kai font with a CJK fallback, fonts by size, a render cache, pinyin ruby.

`TextRenderer().draw(surface, "成语", (x, y), 48)`; glyphs missing from the bundled Kai subset are drawn
with Noto Sans CJK SC instead, run by run, so a rare character never shows as a box.
"""
from __future__ import annotations

import logging
import math
import os
from collections import OrderedDict
from pathlib import Path
from typing import Mapping, Sequence

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
from experiences import freetype_guard  # noqa: E402,F401  (pygame's FreeType must not bind to panda3d's copy)
import pygame  # noqa: E402
import pygame.freetype  # noqa: E402

from experiences import drawlog  # noqa: E402
from experiences.pinyin import has_han, is_han, pinyin_for, ruby_cells  # noqa: E402

log = logging.getLogger(__name__)

KAI_FONT = Path(__file__).resolve().parent.parent / "assets" / "fonts" / "StageKai-Regular-3500.subset.ttf"
NOTO_CJK = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
NOTO_CJK_SC_INDEX = 2  # face 0 of the .ttc is Japanese; face 2 is Simplified Chinese

Color = tuple[int, int, int] | tuple[int, int, int, int]

_ANCHORS = ("topleft", "midtop", "topright", "midleft", "center", "midright", "bottomleft", "midbottom",
            "bottomright")


class TextRenderer:
    """Fonts by pixel size and a bounded cache of rendered lines; one per window is enough."""

    def __init__(self, primary: str | Path = KAI_FONT, fallback: str | Path | None = NOTO_CJK,
                 fallback_index: int = NOTO_CJK_SC_INDEX, cache_size: int = 512):
        if not pygame.freetype.get_init():
            pygame.freetype.init()
        self.primary_path = Path(primary)
        self.fallback_path = Path(fallback) if fallback and os.path.exists(fallback) else None
        if fallback and self.fallback_path is None:
            log.warning("fallback CJK font %s not found; rare characters may show as boxes", fallback)
        self.fallback_index = fallback_index
        self.cache_size = cache_size
        self._fonts: dict[tuple[str, int], pygame.freetype.Font] = {}
        self._cache: OrderedDict[tuple, pygame.Surface] = OrderedDict()
        self._has_glyph: dict[str, bool] = {}
        self._cells: dict[tuple, tuple[int, tuple]] = {}  # render_with_pinyin's (pitch, Han cells), by line

    # --- fonts --------------------------------------------------------------------------------------------
    def font(self, size: int, fallback: bool = False) -> pygame.freetype.Font:
        key = ("fallback" if fallback else "primary", int(size))
        font = self._fonts.get(key)
        if font is None:
            if fallback:
                font = pygame.freetype.Font(str(self.fallback_path), int(size), font_index=self.fallback_index)
            else:
                font = pygame.freetype.Font(str(self.primary_path), int(size))
            font.pad = True  # line boxes of equal height, so runs from two fonts share a baseline
            self._fonts[key] = font
        return font

    def has_glyph(self, char: str) -> bool:
        """Whether the primary (Kai) font draws `char`; whitespace always counts as drawable."""
        known = self._has_glyph.get(char)
        if known is None:
            known = char.isspace() or self.font(24).get_metrics(char)[0] is not None
            self._has_glyph[char] = known
        return known

    def runs(self, text: str) -> list[tuple[str, bool]]:
        """Split text into (run, use_fallback) pieces."""
        out: list[tuple[str, bool]] = []
        for char in text:
            fallback = self.fallback_path is not None and not self.has_glyph(char)
            if out and out[-1][1] == fallback:
                out[-1] = (out[-1][0] + char, fallback)
            else:
                out.append((char, fallback))
        return out

    # --- rendering ----------------------------------------------------------------------------------------
    def render(self, text: str, size: int, color: Color = (255, 255, 255)) -> pygame.Surface:
        """One line of text on a transparent surface, cached by (text, size, colour)."""
        key = (text, int(size), tuple(color))
        surface = self._cache.get(key)
        if surface is not None:
            self._cache.move_to_end(key)
            return surface
        surface = self._render_runs(text, int(size), color)
        self._cache[key] = surface
        if len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)
        return surface

    def _render_runs(self, text: str, size: int, color: Color) -> pygame.Surface:
        runs = self.runs(text) or [("", False)]
        if len(runs) == 1 and not runs[0][1]:
            surf, _ = self.font(size).render(runs[0][0], color)
            return surf.convert_alpha() if pygame.display.get_surface() else surf
        # Every line keeps the Kai font's box and baseline, so fallback glyphs sit on the same line as
        # their neighbours and a line's height never depends on which font drew it.
        primary = self.font(size)
        ascent = primary.get_sized_ascender()
        pieces = []
        for run, fallback in runs:
            font = self.font(size, fallback)
            surf, _ = font.render(run, color)
            pieces.append((surf, font.get_sized_ascender()))
        line = pygame.Surface((sum(s.get_width() for s, _ in pieces), primary.get_sized_height()), pygame.SRCALPHA)
        x = 0
        for surf, run_ascent in pieces:
            line.blit(surf, (x, ascent - run_ascent))
            x += surf.get_width()
        return line

    def size(self, text: str, size: int) -> tuple[int, int]:
        return self.render(text, size).get_size()

    def draw(self, surface: pygame.Surface, text: str, pos: tuple[float, float], size: int,
             color: Color = (255, 255, 255), anchor: str = "topleft", alpha: int | None = None,
             pinyin: bool = False, ruby_color: Color | None = None, ruby_size: int | None = None,
             readings: Mapping[str, Sequence[str]] | None = None, role: str = "text",
             pitch: int = 0, _note: bool = True) -> pygame.Rect:
        """Blit one line with `pos` at the given anchor of its box (e.g. "center", "midtop"), optionally
        faded (`alpha` 0..255). Rendered surfaces are shared: fade through here, never by mutating them.

        `pinyin=True` puts each Han character's pinyin above it (the box grows by the pinyin row; the anchor
        is of the whole box); a line without Han characters is drawn exactly as without it. `readings` fixes
        the syllable of given characters (see experiences.pinyin.pinyin_for). `role` says what the text is
        for the screen checks (experiences.drawlog: "prompt", "text", "pinyin", "code", "staff", "deco"). `pitch`:
        the least cell width of the Han characters under a pinyin row (lines sharing one stand in columns)."""
        if anchor not in _ANCHORS:
            raise ValueError(f"anchor must be one of {_ANCHORS}")
        ruby = None
        if pinyin and has_han(text):
            rendered = self.render_with_pinyin(text, size, color, ruby_color, ruby_size, readings, pitch)
            ruby = int(ruby_size or self.ruby_size(size))
        else:
            rendered = self.render(text, size, color)
        rect = rendered.get_rect(**{anchor: (round(pos[0]), round(pos[1]))})
        if _note:
            cells = (self.pinyin_cells(text, size, color, ruby_color, ruby_size, readings, pitch) if ruby is not None
                     and drawlog.active() is not None else ())
            note_drawn(surface, text, size, rect, role, ruby, tuple((rect.x + x, w) for x, w in cells))
        if alpha is None or alpha >= 255:
            surface.blit(rendered, rect)
        else:
            rendered.set_alpha(max(0, int(alpha)))
            surface.blit(rendered, rect)
            rendered.set_alpha(255)  # 255, not None: None switches off per-pixel blending for every user
        return rect

    def draw_with_pinyin(self, surface: pygame.Surface, text: str, pos: tuple[float, float], size: int,
                         color: Color = (255, 255, 255), anchor: str = "topleft", alpha: int | None = None,
                         ruby_color: Color | None = None, ruby_size: int | None = None) -> pygame.Rect:
        """`draw` with pinyin above every Han character and plain runs for everything else."""
        return self.draw(surface, text, pos, size, color, anchor, alpha, True, ruby_color, ruby_size)

    def ruby_size(self, size: int) -> int:
        return max(12, round(size * 0.42))  # 12 px: the smallest pinyin still legible on a kiosk screen

    def pinyin_row_height(self, size: int, ruby_size: int | None = None) -> int:
        """How much taller a line of `size` gets with its pinyin row (for stacking lines below it)."""
        return self.render("āǎ", ruby_size or self.ruby_size(size)).get_height()  # rendered rows are padded to the font's box

    def size_with_pinyin(self, text: str, size: int, ruby_size: int | None = None,
                         readings: Mapping[str, Sequence[str]] | None = None, pitch: int = 0) -> tuple[int, int]:
        return (self.render_with_pinyin(text, size, ruby_size=ruby_size, readings=readings, pitch=pitch)
                if has_han(text) else self.render(text, size)).get_size()

    def _pinyin_key(self, text, size, color, ruby_color, ruby_size, readings, pitch=0) -> tuple:
        fixed = tuple(sorted((k, tuple(v)) for k, v in readings.items())) if readings else ()
        return ("pinyin", text, int(size), tuple(color), tuple(ruby_color or color),
                int(ruby_size or self.ruby_size(size)), fixed, int(pitch))

    def render_with_pinyin(self, text: str, size: int, color: Color = (255, 255, 255),
                           ruby_color: Color | None = None, ruby_size: int | None = None,
                           readings: Mapping[str, Sequence[str]] | None = None, pitch: int = 0) -> pygame.Surface:
        """One line with a pinyin row above its Han characters; Latin, digits and punctuation stay in runs, so
        "第 1/8 题" keeps its spacing. Every Han character gets the same cell, at least `pitch` wide
        (experiences.pinyin.ruby_cells). Cached like `render`."""
        key = self._pinyin_key(text, size, color, ruby_color, ruby_size, readings, pitch)
        ruby_color, ruby_size = key[4], key[5]
        surface = self._cache.get(key)
        if surface is not None:
            self._cache.move_to_end(key)
            return surface
        segments: list[tuple[str, str]] = []  # (characters, syllable): one Han character, or a run of others
        for char, syllable in zip(text, pinyin_for(text, readings)):
            if syllable or is_han(char) or not segments or segments[-1][1] or is_han(segments[-1][0][-1]):
                segments.append((char, syllable))
            else:
                segments[-1] = (segments[-1][0] + char, "")
        pieces = []
        for chars, syllable in segments:
            body = self.render(chars, size, color)
            # A Han character may have no syllable of its own: the 儿 of 这儿 (zhèr sits over 这).
            pieces.append((body, self.render(syllable, ruby_size, ruby_color) if syllable else None, is_han(chars)))
        widths = ruby_cells([b.get_width() for b, _, _ in pieces], [r.get_width() if r else 0 for _, r, _ in pieces],
                            [han for _, _, han in pieces], max(4, size // 8), max(4, ruby_size // 3), pitch)
        ruby_height = self.pinyin_row_height(size, ruby_size)
        overhang = [max(0, ((r.get_width() if r else 0) - w) / 2) for (_, r, _), w in zip(pieces, widths)]
        left, right = math.ceil(overhang[0]), math.ceil(overhang[-1])  # a wide first / last syllable stays inside
        line = pygame.Surface((left + sum(widths) + right, ruby_height + max(b.get_height() for b, _, _ in pieces)),
                              pygame.SRCALPHA)
        x, cells = left, []
        for (body, ruby, han), width in zip(pieces, widths):
            centre = x + width // 2  # whole pixels: every cell's centre the same step from the last
            if ruby is not None:
                line.blit(ruby, ruby.get_rect(midtop=(centre, 0)))
            line.blit(body, body.get_rect(midtop=(centre, ruby_height)))
            if han:
                cells.append((centre, ruby.get_width() if ruby else 0))
            x += width
        self._cache[key] = line
        self._cells[key[1:]] = (max((w for (_, _, h), w in zip(pieces, widths) if h), default=0), tuple(cells))
        if len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)
        if len(self._cells) > self.cache_size:
            self._cells.pop(next(iter(self._cells)))
        return line

    def pinyin_cells(self, text: str, size: int, color: Color = (255, 255, 255), ruby_color: Color | None = None,
                     ruby_size: int | None = None, readings: Mapping[str, Sequence[str]] | None = None,
                     pitch: int = 0) -> tuple[tuple[int, int], ...]:
        """Where `render_with_pinyin` put each Han character: (x of its centre in the line, its syllable's
        width), for the draw log and the tests of even spacing."""
        return self._laid_out(text, size, color, ruby_color, ruby_size, readings, pitch)[1]

    def pinyin_pitch(self, text: str, size: int, ruby_size: int | None = None,
                     readings: Mapping[str, Sequence[str]] | None = None) -> int:
        """The cell width `render_with_pinyin` gives the Han characters of `text` on its own (0: none), so
        several lines can be drawn with the widest one's (`pitch=`)."""
        if not has_han(text):
            return 0
        return self._laid_out(text, size, (255, 255, 255), None, ruby_size, readings)[0]

    def _laid_out(self, text, size, color, ruby_color, ruby_size, readings, pitch=0) -> tuple[int, tuple]:
        """`render_with_pinyin`'s (pitch, Han cells) for this line, laid out again if they were dropped from
        their cache while the picture was still in its own."""
        key = self._pinyin_key(text, size, color, ruby_color, ruby_size, readings, pitch)
        if key[1:] not in self._cells:
            self._cache.pop(key, None)
            self.render_with_pinyin(text, size, color, ruby_color, ruby_size, readings, pitch)
        return self._cells[key[1:]]

    def wrap(self, text: str, size: int, width: int, pinyin: bool = False,
             readings: Mapping[str, Sequence[str]] | None = None) -> list[str]:
        """Break text into lines no wider than `width`: between any CJK characters, at spaces otherwise
        (measured with the pinyin row's wider cells when `pinyin`)."""
        def measure(line: str, size: int) -> tuple[int, int]:
            return self.size_with_pinyin(line, size, readings=readings) if pinyin else self.size(line, size)

        lines: list[str] = []
        for paragraph in text.split("\n"):
            line = ""
            for token in _tokens(paragraph):
                candidate = line + token
                if line and measure(candidate.rstrip(), size)[0] > width:
                    lines.append(line.rstrip())
                    line = token.lstrip()
                else:
                    line = candidate
            lines.append(line.rstrip())
        return lines

    def draw_paragraph(self, surface: pygame.Surface, text: str, rect: pygame.Rect, size: int,
                       color: Color = (255, 255, 255), align: str = "center", line_gap: float = 0.35,
                       pinyin: bool = False, ruby_color: Color | None = None,
                       readings: Mapping[str, Sequence[str]] | None = None, role: str = "text") -> int:
        """Wrapped text inside `rect` (top-aligned), with pinyin rows when `pinyin`; returns the height used."""
        y = rect.top
        whole = pinyin_for(text, readings) if pinyin else []  # read in context, then cut into lines
        at = 0
        for line in self.wrap(text, size, rect.width, pinyin, readings):
            if pinyin and has_han(line):
                at = max(0, text.find(line, at))
                in_context = {line: tuple(whole[at:at + len(line)])} if text[at:at + len(line)] == line else readings
                at += len(line)
                rendered = self.render_with_pinyin(line, size, color, ruby_color, readings=in_context)
            else:
                rendered = self.render(line, size, color)
            if align == "center":
                x = rect.centerx - rendered.get_width() // 2
            elif align == "right":
                x = rect.right - rendered.get_width()
            else:
                x = rect.left
            surface.blit(rendered, (x, y))
            ruby = pinyin and has_han(line)
            cells = (self.pinyin_cells(line, size, color, ruby_color, readings=in_context) if ruby
                     and drawlog.active() is not None else ())
            note_drawn(surface, line, size, pygame.Rect((x, y), rendered.get_size()), role,
                       self.ruby_size(size) if ruby else None, tuple((x + cx, w) for cx, w in cells))
            y += int(rendered.get_height() + size * line_gap)
        return y - rect.top

    # --- pinyin ruby --------------------------------------------------------------------------------------
    def ruby_layout(self, chars: Sequence[str], pinyin: Sequence[str], size: int,
                    ruby_size: int | None = None, uniform: bool = True) -> list[tuple[int, int]]:
        """x offset and cell width for each character, wide enough for the character and its pinyin.

        `uniform` (the default) gives every cell the width of the widest one: the even grid of children's
        books; otherwise each cell is as wide as its own character or syllable.
        """
        ruby_size = ruby_size or self.ruby_size(size)
        gap = max(2, size // 12)
        widths = []
        for i, char in enumerate(chars):
            syllable = pinyin[i] if i < len(pinyin) else ""
            widths.append(max(self.size(char, size)[0], self.size(syllable, ruby_size)[0] if syllable else 0) + gap)
        if uniform and widths:
            widths = [max(widths)] * len(widths)
        cells, x = [], 0
        for width in widths:
            cells.append((x, width))
            x += width
        return cells

    def draw_ruby(self, surface: pygame.Surface, chars: Sequence[str], pinyin: Sequence[str],
                  pos: tuple[float, float], size: int, color: Color = (255, 255, 255),
                  ruby_color: Color | None = None, ruby_size: int | None = None,
                  anchor: str = "topleft", uniform: bool = True, role: str = "text") -> pygame.Rect:
        """Characters with their pinyin centred above each one.

        `chars` is a string or a list of characters; `pinyin` has one syllable per character ("" under
        punctuation, as in the poem data). Returns the box drawn (pinyin row included).
        """
        ruby_size = ruby_size or max(10, round(size * 0.42))
        ruby_color = ruby_color or color
        cells = self.ruby_layout(chars, pinyin, size, ruby_size, uniform)
        total_width = cells[-1][0] + cells[-1][1] if cells else 0
        ruby_height = self.font(ruby_size).get_sized_height()
        total_height = ruby_height + self.font(size).get_sized_height()
        box = pygame.Rect(0, 0, total_width, total_height)
        setattr(box, anchor, (round(pos[0]), round(pos[1])))
        drawn = []
        for i, (char, (x, width)) in enumerate(zip(chars, cells)):
            centre = box.left + x + width / 2
            syllable = pinyin[i] if i < len(pinyin) else ""
            if syllable:
                self.draw(surface, syllable, (centre, box.top), ruby_size, ruby_color, anchor="midtop", _note=False)
            self.draw(surface, char, (centre, box.top + ruby_height), size, color, anchor="midtop", _note=False)
            drawn.append((round(centre), self.size(syllable, ruby_size)[0] if syllable else 0))
        note_drawn(surface, "".join(chars), size, box, role, ruby_size if any(pinyin) else None,
                   tuple(drawn) if any(pinyin) else ())
        return box

    def clear_cache(self) -> None:
        self._cache.clear()
        self._cells.clear()


def note_drawn(surface: pygame.Surface, text: str, size: int, rect: pygame.Rect, role: str = "text",
               ruby_size: int | None = None, cells: tuple[tuple[int, int], ...] = ()) -> None:
    """Tell experiences.drawlog what was drawn where, in the top-level surface's pixels (a subsurface's offset
    added; its extent is the clip the text must stay inside). Costs one global read when nothing records."""
    if drawlog.active() is None:
        return
    dx, dy = surface.get_abs_offset()
    clip = surface.get_clip()
    drawlog.note_text(text, size, (rect.x + dx, rect.y + dy, rect.w, rect.h), role, ruby_size,
                      (clip.x + dx, clip.y + dy, clip.w, clip.h), tuple((x + dx, w) for x, w in cells))


def _tokens(text: str) -> list[str]:
    """Latin words stay whole (with their trailing space); every other character is its own token."""
    tokens: list[str] = []
    word = ""
    for char in text:
        if char.isascii() and not char.isspace():
            word += char
            continue
        if word:
            tokens.append(word)
            word = ""
        if char.isspace() and tokens:
            tokens[-1] += char
        else:
            tokens.append(char)
    if word:
        tokens.append(word)
    return tokens


_shared: TextRenderer | None = None


def shared_text() -> TextRenderer:
    """One renderer per process (fonts are large; the cache is worth sharing between shell and kinds)."""
    global _shared
    if _shared is None:
        _shared = TextRenderer()
    return _shared
