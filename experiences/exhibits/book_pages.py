"""Pages of a thread-bound book (线装书) drawn with pygame: vertical Kai text in ruled columns (乌丝栏) inside a
frame (版框) on aged paper, and the book's indigo cover with its title slip (题签) and binding thread.

For young readers each character's cell has its pinyin above it, level, in a sans font that has the tone marks
(the Kai fonts of the packages have none): the columns are wider for the syllables and hold fewer characters.
"""
from __future__ import annotations

from experiences import freetype_guard  # noqa: F401  (before pygame.freetype and panda3d)
import numpy as np
import pygame
import pygame.freetype

from experiences.exhibits.book_text import PUNCTUATION, Column
from experiences.exhibits.paper import aged_paper

PAGE_SIZE = (600, 900)  # px, 2:3 like a 线装 leaf
INK = (38, 30, 26)
RULE = (150, 52, 40)  # cinnabar rules of a 朱丝栏 page
SEAL = (178, 40, 32)


class PageRenderer:
    """Draws pages of `columns_per_page` columns × `cells` characters; glyphs are cached per size."""

    def __init__(self, font_path: str | None, font_index: int = 0, columns_per_page: int = 8, cells: int = 16,
                 size: tuple[int, int] = PAGE_SIZE, seed: int = 11, pinyin_font: tuple[str | None, int] | None = None):
        """`pinyin_font` (path, face index): set pinyin over the characters, in that font."""
        if not pygame.freetype.get_init():
            pygame.freetype.init()
        self.font_path, self.font_index = font_path, font_index
        self.pinyin_font = pinyin_font
        self.columns_per_page, self.cells, self.size = columns_per_page, cells, size
        self._fonts: dict[tuple, pygame.freetype.Font] = {}
        self._glyphs: dict[tuple, pygame.Surface] = {}
        width, height = size
        self.frame = pygame.Rect(int(width * 0.09), int(height * 0.08), int(width * 0.82), int(height * 0.84))
        self.column_width = self.frame.width / columns_per_page
        if pinyin_font is None:
            self.cell = min(self.frame.height / cells, self.column_width * 0.95)
            self.han, self.ruby, self.ruby_row = int(self.cell * 0.78), 0, 0.0
        else:  # a cell: a gap, its pinyin row, then the character (a syllable nearer its own character than the
            # one above, so a column reads as pairs)
            self.cell = self.frame.height / cells
            self.ruby = round(self.cell * 0.32)
            self.ruby_row = self.ruby * 1.12
            self.han = min(round(self.cell * 0.49), int(self.column_width * 0.78))
        self.gap = (self.cell - self.ruby_row - self.han) * 0.7 if self.ruby else 0.0  # above the pinyin row
        # The title plate and its seal keep the proportions of an eight-column page whatever the text's columns.
        self.plate_column = self.frame.width / 8
        self.paper = [aged_paper(width, height, seed=seed + i) for i in range(3)]

    def font(self, size: int, pinyin: bool = False) -> pygame.freetype.Font:
        key = (size, pinyin)
        if key not in self._fonts:
            path, index = self.pinyin_font if pinyin else (self.font_path, self.font_index)
            self._fonts[key] = pygame.freetype.Font(path, size, font_index=index)
        return self._fonts[key]

    def glyph(self, ch: str, size: int, color=INK, pinyin: bool = False) -> pygame.Surface:
        key = (ch, size, color, pinyin)
        if key not in self._glyphs:
            self._glyphs[key], _ = self.font(size, pinyin).render(ch, color)
        return self._glyphs[key]

    def role_size(self, role: str) -> int:
        """A column's character size: a title a little bigger, an author smaller (with pinyin the same: young
        readers' characters are all at least the text's size)."""
        if role == "title":
            return int(self.han * 1.05)
        if role == "author" and not self.pinyin_font:
            return int(self.han * 0.9)
        return self.han

    def cells_in(self, column: Column) -> int:
        """How many of the column's characters the frame holds (all, as book_text lays them out)."""
        return min(len(column.text), int((self.frame.bottom + 1 - self.frame.top) // self.cell) - column.indent)

    def blank(self, number: int) -> pygame.Surface:
        return pygame.surfarray.make_surface(self.paper[number % len(self.paper)].transpose(1, 0, 2))

    def page(self, columns: list[Column], number: int) -> pygame.Surface:
        """One page; columns fill from the right edge of the frame leftwards, as a Chinese book reads."""
        surface = self.blank(number)
        frame = self.frame
        pygame.draw.rect(surface, RULE, frame.inflate(10, 10), width=4)  # double frame line: 文武边
        pygame.draw.rect(surface, RULE, frame, width=1)
        for i in range(1, self.columns_per_page):
            x = int(frame.right - i * self.column_width)
            pygame.draw.line(surface, RULE, (x, frame.top), (x, frame.bottom), 1)
        for i, column in enumerate(columns):
            center_x = frame.right - (i + 0.5) * self.column_width
            role_size = self.role_size(column.role)
            for j, ch in enumerate(column.text[:self.cells_in(column)]):
                cell_top = frame.top + (column.indent + j) * self.cell
                if ch in PUNCTUATION:
                    # Vertical setting: marks sit small in the upper right of their cell, right under the character
                    # above (with pinyin too: the cell's gap and pinyin row come first, and a mark has no syllable).
                    glyph = self.glyph(ch, int(role_size * 0.8))
                    surface.blit(glyph, (center_x + self.han * 0.155, cell_top + self.cell * 0.02))
                    continue
                syllable = column.pinyin[j] if j < len(column.pinyin) else ""
                row_top = cell_top + self.gap
                if syllable:
                    ruby = self.glyph(syllable, self.ruby, INK, pinyin=True)
                    surface.blit(ruby, ruby.get_rect(midbottom=(center_x, row_top + self.ruby_row * 0.9)))
                glyph = self.glyph(ch, role_size)
                middle = row_top + self.ruby_row + (self.cell - self.gap - self.ruby_row) / 2
                surface.blit(glyph, glyph.get_rect(center=(center_x, middle)))
        folio = self.glyph_text(_chinese_number(number + 1), int(self.han * 0.55))
        surface.blit(folio, folio.get_rect(midtop=(surface.get_width() // 2, frame.bottom + 14)))
        return surface

    def column_boxes(self, columns: list[Column]) -> list[tuple[str, int, tuple[float, float, float, float], int]]:
        """What `page` draws, for the draw log: (column text, glyph size, box (x, y, w, h) in page pixels, pinyin
        size or 0); with pinyin the box is as wide as the column's widest syllable and starts at its row."""
        frame = self.frame
        out = []
        for i, column in enumerate(columns):
            if not column.text.strip():
                continue
            role_size = self.role_size(column.role)
            cells = self.cells_in(column)
            center_x = frame.right - (i + 0.5) * self.column_width
            top = frame.top + column.indent * self.cell + self.gap
            syllables = [x for x in column.pinyin[:cells] if x]
            margin = (self.cell - self.gap - self.ruby_row - role_size) / 2  # above and below a character
            if syllables and self.ruby:
                width = max([role_size] + [self.font(self.ruby, True).get_rect(x).width for x in syllables])
                height = cells * self.cell - self.gap - margin
                out.append((column.text[:cells], role_size, (center_x - width / 2, top, width, height), self.ruby))
                continue
            top += self.ruby_row + margin
            out.append((column.text[:cells], role_size,
                        (center_x - role_size / 2, top, role_size, cells * self.cell - (self.cell - role_size)), 0))
        return out

    def cover_boxes(self, title: str) -> list[tuple[str, int, tuple[float, float, float, float], int]]:
        """The title on the cover's slip, as `column_boxes` gives a page's columns."""
        width, height = self.size
        slip = pygame.Rect(int(width * 0.1), int(height * 0.07), int(width * 0.17), int(height * 0.55))
        size = int(slip.width * 0.62)
        shown = title[: int((slip.height - size) // (size * 1.05))]
        if not shown:
            return []
        top = slip.top + size * 0.45
        return [(shown, size, (slip.centerx - size / 2, top, size, size * 1.05 * len(shown)), 0)]

    def plate_page(self, text: str, number: int, seal: str = "") -> pygame.Surface:
        """A title page (扉页) or a closing page: `text` in one big column in the middle of a plain frame, with
        a red seal below it."""
        surface = self.blank(number)
        frame = self.frame
        pygame.draw.rect(surface, RULE, frame.inflate(10, 10), width=4)
        pygame.draw.rect(surface, RULE, frame, width=1)
        for text_, size, (x, y, w, h), _ in self.plate_boxes(text):
            for j, ch in enumerate(text_):
                glyph = self.glyph(ch, size)
                surface.blit(glyph, glyph.get_rect(center=(x + w / 2, y + size * 0.6 + j * size * 1.2)))
        if seal:
            side = int(self.plate_column * 1.1)
            box = pygame.Rect(0, 0, side, side)
            box.midtop = (frame.centerx, int(frame.bottom - side * 1.6))
            pygame.draw.rect(surface, SEAL, box)
            size = side // 2 - 2
            for k, ch in enumerate(seal[:2]):  # two characters read top to bottom
                glyph = self.glyph(ch, size, (250, 240, 225))
                surface.blit(glyph, glyph.get_rect(center=(box.centerx, box.top + side * (0.27 + 0.46 * k))))
        return surface

    def plate_boxes(self, text: str) -> list[tuple[str, int, tuple[float, float, float, float], int]]:
        """Where `plate_page` draws its text, as `column_boxes` gives a page's columns."""
        frame = self.frame
        size = int(min(self.plate_column * 1.5, frame.height * 0.6 / max(1, len(text)) / 1.2))
        height = size * 1.2 * len(text)
        top = frame.top + frame.height * 0.12
        return [(text, size, (frame.centerx - size / 2, top, size, height), 0)] if text else []

    def glyph_text(self, text: str, size: int) -> pygame.Surface:
        surface, _ = self.font(size).render(text, INK)
        return surface

    def cover(self, title: str, seed: int = 3) -> pygame.Surface:
        """An indigo paper cover with a white title slip at the upper left and stitching along the spine.

        The spine is on the right: a 线装书 opens right to left."""
        width, height = self.size
        tone = np.array([52, 64, 92], dtype=np.float32)  # 磁青 indigo paper
        surface = pygame.surfarray.make_surface(aged_paper(width, height, seed=seed, age=0.6, tone=tone).transpose(1, 0, 2))
        slip = pygame.Rect(int(width * 0.1), int(height * 0.07), int(width * 0.17), int(height * 0.55))
        surface.blit(pygame.surfarray.make_surface(aged_paper(slip.width, slip.height, seed=seed + 1, age=0.4).transpose(1, 0, 2)), slip)
        pygame.draw.rect(surface, INK, slip.inflate(-8, -8), width=1)
        size = int(slip.width * 0.62)
        y = slip.top + size * 0.45
        for ch in title[: int((slip.height - size) // (size * 1.05))]:
            glyph = self.glyph(ch, size)
            surface.blit(glyph, glyph.get_rect(center=(slip.centerx, y + size / 2)))
            y += size * 1.05
        # Four-hole binding (四眼订法): thread wraps around the spine edge at each hole.
        spine_x = int(width * 0.9)
        holes = [int(height * f) for f in (0.1, 0.37, 0.63, 0.9)]
        thread = (236, 228, 210)
        for hy in holes:
            pygame.draw.line(surface, thread, (spine_x, hy), (width, hy), 5)
        pygame.draw.line(surface, thread, (spine_x, holes[0]), (spine_x, holes[-1]), 5)
        for hy in holes:
            pygame.draw.circle(surface, (20, 20, 24), (spine_x, hy), 5)
        return surface


def _chinese_number(n: int) -> str:
    digits = "〇一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n % 10] if n % 10 else "")
    if n < 100:
        return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")
    return "".join(digits[int(d)] for d in str(n))


def surface_pixels(surface: pygame.Surface) -> np.ndarray:
    return pygame.surfarray.array3d(surface).transpose(1, 0, 2).copy()
