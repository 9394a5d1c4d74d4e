"""Text for the games: the kiosk's shared renderer (experiences.text) when present, else a small Kai renderer.

Both offer render/draw/size/wrap/draw_paragraph/draw_ruby with the same arguments, so the games switch freely.
"""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

import pygame
import pygame.freetype

_REPO = Path(__file__).resolve().parents[2]
FONT_CANDIDATES = (
    _REPO / "experiences" / "assets" / "fonts" / "StageKai-Regular-3500.subset.ttf",  # the kiosk's copy
    Path("/work/shared/data/fonts/StageKai-Regular-3500.subset.ttf"),
    Path("/usr/share/fonts/truetype/lxgw/LXGWWenKai-Regular.ttf"),
)
NOTO = (Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"), 2)  # face 2: Simplified Chinese


def kai_font_path() -> Path | None:
    return next((p for p in FONT_CANDIDATES if p.is_file()), None)


class SmallText:
    """Kai font by size with a render cache; pinyin ruby. Stand-in until experiences.text is merged."""

    def __init__(self):
        if not pygame.freetype.get_init():
            pygame.freetype.init()
        path = kai_font_path()
        self._source = (str(path), 0) if path else (str(NOTO[0]), NOTO[1])
        self._fonts: dict[int, pygame.freetype.Font] = {}
        self._cache: dict[tuple, pygame.Surface] = {}

    def font(self, size: int) -> pygame.freetype.Font:
        if size not in self._fonts:
            font = pygame.freetype.Font(self._source[0], size, font_index=self._source[1])
            font.pad = True
            self._fonts[size] = font
        return self._fonts[size]

    def render(self, text: str, size: int, color=(255, 255, 255)) -> pygame.Surface:
        key = (text, int(size), tuple(color))
        if key not in self._cache:
            if len(self._cache) > 1024:
                self._cache.clear()
            surface = self.font(int(size)).render(text or " ", color)[0]
            # freetype renders ABGR; in the display's format a blit is ~20× cheaper (0.17 → 0.008 ms)
            self._cache[key] = surface.convert_alpha() if pygame.display.get_surface() else surface
        return self._cache[key]

    def size(self, text: str, size: int) -> tuple[int, int]:
        return self.render(text, size).get_size()

    def draw(self, surface, text, pos, size, color=(255, 255, 255), anchor="topleft") -> pygame.Rect:
        rendered = self.render(text, size, color)
        rect = rendered.get_rect(**{anchor: (round(pos[0]), round(pos[1]))})
        surface.blit(rendered, rect)
        return rect

    def wrap(self, text: str, size: int, width: int) -> list[str]:
        lines = []
        for paragraph in text.split("\n"):
            line = ""
            for char in paragraph:
                if line and self.size(line + char, size)[0] > width:
                    lines.append(line)
                    line = char
                else:
                    line += char
            lines.append(line)
        return lines

    def draw_paragraph(self, surface, text, rect, size, color=(255, 255, 255), align="center", line_gap=0.35) -> int:
        y = rect.top
        for line in self.wrap(text, size, rect.width):
            anchor, x = {"center": ("midtop", rect.centerx), "right": ("topright", rect.right)}.get(
                align, ("topleft", rect.left))
            y = self.draw(surface, line, (x, y), size, color, anchor).bottom + int(size * line_gap)
        return y - rect.top

    def draw_ruby(self, surface, chars: Sequence[str], pinyin: Sequence[str], pos, size, color=(255, 255, 255),
                  ruby_color=None, ruby_size=None, anchor="topleft") -> pygame.Rect:
        ruby_size = ruby_size or max(10, round(size * 0.42))
        widths = [max(self.size(c, size)[0], self.size(p, ruby_size)[0] if p else 0) + size // 12
                  for c, p in zip(chars, list(pinyin) + [""] * len(chars))]
        ruby_h = self.font(ruby_size).get_sized_height()
        box = pygame.Rect(0, 0, sum(widths), ruby_h + self.font(size).get_sized_height())
        setattr(box, anchor, (round(pos[0]), round(pos[1])))
        x = box.left
        for i, (char, width) in enumerate(zip(chars, widths)):
            if i < len(pinyin) and pinyin[i]:
                self.draw(surface, pinyin[i], (x + width / 2, box.top), ruby_size, ruby_color or color, "midtop")
            self.draw(surface, char, (x + width / 2, box.top + ruby_h), size, color, "midtop")
            x += width
        return box


_shared = None


def text_renderer():
    """The process-wide renderer: the kiosk's when experiences.text exists, else SmallText."""
    global _shared
    if _shared is None:
        try:
            from experiences.text import shared_text
            _shared = shared_text()
        except ImportError:
            _shared = SmallText()
    return _shared


def use_renderer(renderer) -> None:
    """Draw with the kiosk's renderer (RunContext.services["fonts"]), so shell and games share one cache."""
    global _shared
    if renderer is not None:
        _shared = renderer
