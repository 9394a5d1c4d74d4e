"""The exhibits' HUD text: fonts with Chinese glyphs, rendered text cached by (text, size, colour), wrapping
without spaces, and pinyin over Han characters for young readers (see experiences/exhibits/hud.py).

Sizes are given at 1080p and scaled by the window's shorter side (`ui_scale`). Every text is noted in
experiences.drawlog as it is blitted, with its real size and box (its pinyin row's size too).
"""
from __future__ import annotations

import math
import os
from pathlib import Path
from typing import NamedTuple

from experiences import drawlog
from experiences.pinyin import has_han, is_han, pinyin_for, ruby_cells
from experiences import freetype_guard  # noqa: F401  (before pygame.freetype and panda3d)
import pygame
import pygame.freetype

# Simplified Chinese faces on a Debian kiosk, best first; (path, face index in a .ttc).
SYSTEM_FONTS = (
    ("/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf", 0),
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
    ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", 2),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
)
RUBY_PX = 24  # pinyin over HUD text at 1080p (the screen checks want >= 22 px)
INK = (40, 32, 24)

BREAK_AFTER = "，。、：；！？·"
NO_LINE_START = "，。、：；！？）」』”"


class RubyLine(NamedTuple):
    """A line laid out with pinyin: (characters, syllable, is Han, centre x, syllable width) per piece, the
    line's width, its Han cell (the grid's pitch) and how far its pieces start from its left edge (a wide first
    syllable reaches further left than its character)."""
    pieces: tuple[tuple[str, str, bool, int, int], ...]
    width: int
    pitch: int
    left: int = 0


def ui_scale(size: tuple[int, int]) -> float:
    """How much bigger or smaller than at 1080p the HUD is drawn in a window of `size` (its shorter side)."""
    return max(0.25, min(size) / 1080)


def px(size: tuple[int, int], value: float) -> int:
    """`value` pixels at 1080p, in a window of `size`."""
    return max(1, round(value * ui_scale(size)))


def _screen_box(surface: pygame.Surface, rect: pygame.Rect) -> tuple[int, int, int, int]:
    """`rect` on `surface` in the window's pixels (a subsurface's offset added)."""
    dx, dy = surface.get_abs_offset()
    return (rect.x + dx, rect.y + dy, rect.width, rect.height)


def find_font(preferred: str | Path | None = None) -> tuple[str | None, int]:
    """A font file that has Chinese glyphs: `preferred` if it exists, YUEDU_FONT, then the system fonts."""
    for candidate, index in ((preferred, 0), (os.environ.get("YUEDU_FONT"), 0), *SYSTEM_FONTS):
        if candidate and Path(candidate).is_file():
            return str(candidate), index
    return None, 0  # pygame's default font: Latin only, but the kiosk keeps running


class TextCache:
    """Rendered text surfaces by (text, size, colour): rendering CJK text each frame costs milliseconds."""

    def __init__(self, font_path: str | Path | None = None):
        if not pygame.freetype.get_init():
            pygame.freetype.init()
        self.path, self.index = find_font(font_path)
        self._fonts: dict[int, pygame.freetype.Font] = {}
        self._cache: dict[tuple, pygame.Surface] = {}
        self._layouts: dict[tuple, RubyLine] = {}  # ruby_layout's lines
        self.pinyin = False  # pinyin over Han text (young readers on a zh-CN kiosk; see the module's notes)
        self.window: tuple[int, int] = (1920, 1080)  # the window's size, for the pinyin row's size (ruby_px)

    def font(self, size: int) -> pygame.freetype.Font:
        if size not in self._fonts:
            self._fonts[size] = pygame.freetype.Font(self.path, size, font_index=self.index)
        return self._fonts[size]

    def render(self, text: str, size: int, color=INK) -> pygame.Surface:
        key = (text, size, tuple(color))
        if key not in self._cache:
            if len(self._cache) > 512:
                self._cache.clear()
            surface, _ = self.font(size).render(text, color)
            self._cache[key] = surface
        return self._cache[key]

    def ruby_px(self, size: int) -> int:
        """The pinyin row's size over text of `size` px: RUBY_PX at 1080p, never under 45% of the text."""
        return max(px(self.window, RUBY_PX), round(size * 0.45))

    def _ruby_for(self, text: str, pinyin: bool | None) -> bool:
        return (self.pinyin if pinyin is None else pinyin) and has_han(text)

    def advance(self, text: str, size: int) -> int:
        """How far the pen moves over `text` (full-width punctuation keeps its full width; `get_rect` is ink)."""
        return round(sum(m[4] for m in self.font(size).get_metrics(text) if m))

    def _pieces(self, text: str, size: int, syllables) -> list[tuple[str, str, bool]]:
        """(characters, syllable, is Han) along a line with pinyin: each Han character alone, with its syllable
        ("" for the 儿 of 这儿), and runs of everything else (digits, punctuation, Latin) together."""
        segments: list[tuple[str, str]] = []
        for char, syllable in zip(text, syllables):
            if syllable or is_han(char) or not segments or segments[-1][1] or is_han(segments[-1][0][-1]):
                segments.append((char, syllable))
            else:
                segments[-1] = (segments[-1][0] + char, "")
        return [(chars, syllable, is_han(chars)) for chars, syllable in segments]

    def ruby_layout(self, text: str, size: int, syllables=None, pitch: int = 0) -> RubyLine:
        """Where a line with pinyin puts its pieces: the even grid of experiences.pinyin.ruby_cells (every Han
        character the same cell, at least `pitch` wide, each syllable centred over its character and clear of its
        neighbours; other runs at their own advance), the same layout as the 2D screens' `TextRenderer`. A wide
        first or last syllable may reach past its character: the line is widened so it stays inside."""
        syllables = tuple(syllables) if syllables is not None else tuple(pinyin_for(text))
        key = (text, size, syllables, int(pitch), self.ruby_px(size))
        layout = self._layouts.get(key)
        if layout is None:
            ruby_px = self.ruby_px(size)
            pieces = self._pieces(text, size, syllables)
            bodies = [self.advance(chars, size) for chars, _, _ in pieces]
            rubies = [self.advance(syllable, ruby_px) if syllable else 0 for _, syllable, _ in pieces]
            widths = ruby_cells(bodies, rubies, [han for _, _, han in pieces], max(4, size // 8),
                                max(4, ruby_px // 3), pitch)
            starts = [sum(widths[:i]) for i in range(len(widths))]
            centres = [start + width // 2 for start, width in zip(starts, widths)]  # whole pixels: an even step
            total = sum(widths)
            left = math.ceil(max([0.0] + [r / 2 - c for r, c in zip(rubies, centres)]))
            right = math.ceil(max([0.0] + [c + r / 2 - total for r, c in zip(rubies, centres)]))
            placed = tuple((chars, syllable, han, left + centre, ruby_w)
                           for (chars, syllable, han), centre, ruby_w in zip(pieces, centres, rubies))
            grid = max((w for (_, _, han), w in zip(pieces, widths) if han), default=0)
            layout = RubyLine(placed, left + total + right, grid, left)
            if len(self._layouts) > 512:
                self._layouts.clear()
            self._layouts[key] = layout
        return layout

    def pitch(self, text: str, size: int, syllables=None) -> int:
        """The Han cell `text` gets on one line with pinyin (0 without Han characters): give it as `pitch` to the
        lines it is wrapped into, so their characters stand in columns, as in a children's book."""
        return self.ruby_layout(text, size, syllables).pitch if has_han(text) else 0

    def indents(self, lines, size: int, pitch: int = 0) -> list[int]:
        """How far to move each of `lines` ((line, syllables) of one wrapped text) right so that their first
        characters stand in one column, whatever their first syllables reach out to the left (0s without pinyin)."""
        lefts = [self.ruby_layout(line, size, syllables, pitch).left if syllables is not None else 0
                 for line, syllables in lines]
        return [max(lefts, default=0) - left for left in lefts]

    def _blit_on_baseline(self, line: pygame.Surface, text: str, size: int, color, centre_x: float,
                          baseline: float) -> None:
        font = self.font(size)
        glyphs, rect = font.render(text, color)
        left = centre_x - self.advance(text, size) / 2 + rect.x
        line.blit(glyphs, (round(left), round(baseline - rect.y)))

    def width(self, text: str, size: int, pinyin: bool | None = None, pitch: int = 0) -> int:
        """How wide `text` is drawn (with its pinyin grid when it gets pinyin)."""
        if self._ruby_for(text, pinyin):
            return self.ruby_layout(text, size, pitch=pitch).width
        return self.font(size).get_rect(text).width

    def line_height(self, size: int, pinyin: bool | None = None) -> int:
        """The height to allow for one line of `size` px: the size itself, or with pinyin (when the HUD shows it)
        the pinyin row and the line's full height."""
        if not (self.pinyin if pinyin is None else pinyin):
            return size  # what the plain layouts always allowed for a line's glyphs
        return self.font(self.ruby_px(size)).get_sized_height() + self.font(size).get_sized_height()

    def render_ruby(self, text: str, size: int, color=INK, syllables=None, pitch: int = 0) -> pygame.Surface:
        """One line with a pinyin row above its Han characters (syllables read in context when given), laid out
        by `ruby_layout`."""
        syllables = tuple(syllables) if syllables is not None else tuple(pinyin_for(text))
        key = ("ruby", text, size, tuple(color), syllables, self.ruby_px(size), int(pitch))
        if key not in self._cache:
            if len(self._cache) > 512:
                self._cache.clear()
            ruby_px = self.ruby_px(size)
            ruby_font = self.font(ruby_px)
            ruby_h = ruby_font.get_sized_height()
            layout = self.ruby_layout(text, size, syllables, pitch)
            line = pygame.Surface((max(1, layout.width), ruby_h + self.font(size).get_sized_height()), pygame.SRCALPHA)
            for chars, syllable, _, centre, _ in layout.pieces:
                if syllable:  # every syllable on one baseline, whatever its letters reach up or down to
                    self._blit_on_baseline(line, syllable, ruby_px, color, centre, ruby_font.get_sized_ascender())
                if chars.strip():
                    self._blit_on_baseline(line, chars, size, color, centre,
                                           ruby_h + self.font(size).get_sized_ascender())
            self._cache[key] = line
        return self._cache[key]

    def draw(self, surface: pygame.Surface, text: str, size: int, color=INK, role: str = "text",
             pinyin: bool | None = False, syllables=None, pitch: int = 0, **anchor) -> pygame.Rect:
        """Blit `text` placed by one pygame.Rect anchor (center=…, midleft=…, topleft=…) and note it in the
        draw log with its real size and box (with pinyin: each Han character's centre and syllable width);
        returns the drawn rectangle. `pinyin` None: as the HUD shows it (`self.pinyin`); `syllables`: the line's
        pinyin read in its paragraph's context; `pitch`: the least Han cell (lines of one text share one)."""
        ruby = self._ruby_for(text, pinyin) and role in ("text", "prompt")
        rendered = self.render_ruby(text, size, color, syllables, pitch) if ruby else self.render(text, size, color)
        rect = rendered.get_rect(**anchor)
        surface.blit(rendered, rect)
        parent = surface.get_abs_parent()
        dx, dy = surface.get_abs_offset()
        box = _screen_box(surface, rect)
        cells = tuple((box[0] + centre, ruby_w) for _, _, han, centre, ruby_w
                      in self.ruby_layout(text, size, syllables, pitch).pieces if han) if ruby else ()
        drawlog.note_text(text, size, box, role=role, ruby_size=self.ruby_px(size) if ruby else None,
                          clip=(dx, dy, surface.get_width(), surface.get_height()) if parent is not surface else None,
                          cells=cells)
        return rect

    def wrap_read(self, text: str, size: int, width: int, pinyin: bool | None = None,
                  pitch: int = 0) -> list[tuple[str, tuple]]:
        """`wrap`, each line with its syllables read over the whole text (None without pinyin)."""
        ruby = self._ruby_for(text, pinyin)
        lines = self.wrap(text, size, width, pinyin=ruby, pitch=pitch)
        if not ruby:
            return [(line, None) for line in lines]
        whole, at, read = pinyin_for(text), 0, []
        for line in lines:
            start = text.find(line, at)
            if start < 0:
                read.append((line, None))
                continue
            read.append((line, tuple(whole[start:start + len(line)])))
            at = start + len(line)
        return read

    def wrap(self, text: str, size: int, width: int, pinyin: bool = False, pitch: int = 0) -> list[str]:
        """Break text into lines no wider than `width` (character by character: Chinese has no spaces), measured
        with the pinyin grid (Han cells at least `pitch` wide) when `pinyin`."""
        lines, current = [], ""
        for ch in text:
            if ch == "\n":
                lines.append(current)
                current = ""
                continue
            if current and self.width(current + ch, size, pinyin, pitch) > width:
                # Break after the last punctuation mark near the end, so a phrase is not split (它的 / 故事); a
                # mark never starts a line: failing that, the character before it goes down with it.
                cut = max(current.rfind(mark) for mark in BREAK_AFTER)
                if cut >= 0 and len(current) - cut - 1 <= 6:
                    lines.append(current[:cut + 1])
                    current = current[cut + 1:]
                elif ch in NO_LINE_START and len(current) > 1:
                    lines.append(current[:-1])
                    current = current[-1]
                elif ch not in NO_LINE_START:
                    lines.append(current)
                    current = ""
            current += ch
        if current:
            lines.append(current)
        return lines
