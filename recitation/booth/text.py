"""Text for the booth: the kiosk's shared renderer when the shell provides one (ctx.services["fonts"]) or the
engine has one (experiences.text), otherwise pygame.freetype with the Kai font (or Noto CJK SC) and a cache.
"""
from __future__ import annotations

from collections import OrderedDict
from pathlib import Path

import pygame
import pygame.freetype

REPO = Path(__file__).resolve().parents[2]
KAI_CANDIDATES = (
    REPO / "assets" / "fonts" / "StageKai-Regular-3500.subset.ttf",  # the engine's bundled Kai
    Path("/work/shared/data/fonts/StageKai-Regular-3500.subset.ttf"),
    Path("/usr/share/fonts/truetype/lxgw/LXGWWenKai-Regular.ttf"),
)
NOTO_CJK = (Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"), 2)  # face 2: Simplified Chinese


def _font_file() -> tuple[Path, int]:
    for path in KAI_CANDIDATES:
        if path.is_file():
            return path, 0
    if NOTO_CJK[0].is_file():
        return NOTO_CJK
    raise FileNotFoundError("no CJK font: install fonts-noto-cjk or add the Kai font to experiences/assets/fonts")


class BoothText:
    """draw(surface, text, pos, size, color, anchor) and size(text, size), like experiences.text.TextRenderer."""

    def __init__(self, cache_size: int = 600):
        if not pygame.freetype.get_init():
            pygame.freetype.init()
        self.path, self.index = _font_file()
        self._fonts: dict[int, pygame.freetype.Font] = {}
        self._cache: OrderedDict[tuple, pygame.Surface] = OrderedDict()
        self.cache_size = cache_size

    def font(self, size: int) -> pygame.freetype.Font:
        if size not in self._fonts:
            font = pygame.freetype.Font(str(self.path), size, font_index=self.index)
            font.pad = True
            self._fonts[size] = font
        return self._fonts[size]

    def render(self, text: str, size: int, color=(255, 255, 255)) -> pygame.Surface:
        key = (text, size, tuple(color))
        surface = self._cache.get(key)
        if surface is None:
            surface, _ = self.font(size).render(text, color)
            self._cache[key] = surface
            if len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)
        else:
            self._cache.move_to_end(key)
        return surface

    def size(self, text: str, size: int) -> tuple[int, int]:
        return self.render(text, size).get_size()

    def draw(self, surface: pygame.Surface, text: str, pos, size: int, color=(255, 255, 255),
             anchor: str = "topleft") -> pygame.Rect:
        rendered = self.render(text, size, color)
        rect = rendered.get_rect(**{anchor: (round(pos[0]), round(pos[1]))})
        surface.blit(rendered, rect)
        return rect


def booth_text(ctx) -> BoothText:
    """The shell's renderer if it gave one, else the engine's shared one (experiences.text), else our own."""
    fonts = ctx.services.get("fonts") if ctx is not None else None
    if fonts is not None and hasattr(fonts, "draw") and hasattr(fonts, "size"):
        return fonts
    try:
        from experiences.text import shared_text  # the engine's renderer, with a CJK fallback font
    except ImportError:
        return BoothText()
    return shared_text()
