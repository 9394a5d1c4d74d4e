"""The 2D layer drawn with pygame over a 3D frame: cached text, big touch buttons, hotspot markers, info panels,
a loading poster with a progress bar. Hotspot markers are 2D, so they always face the camera.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

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
MARKER_RADIUS = 26  # px: markers are touch targets for children, 52 px across
TOUCH_SLOP = 12  # px a pointer may move and still count as a tap

INK = (40, 32, 24)
PAPER = (250, 244, 230)
ACCENT = (196, 60, 40)  # cinnabar; never the only cue: markers also carry a number


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

    def wrap(self, text: str, size: int, width: int) -> list[str]:
        """Break text into lines no wider than `width` (character by character: Chinese has no spaces)."""
        lines, current = [], ""
        font = self.font(size)
        for ch in text:
            if ch == "\n":
                lines.append(current)
                current = ""
                continue
            if current and font.get_rect(current + ch).width > width:
                lines.append(current)
                current = ""
            current += ch
        if current:
            lines.append(current)
        return lines


@dataclass
class Button:
    """A labelled touch target; `hit` takes pointer coordinates."""

    key: str
    rect: pygame.Rect
    label: str

    def hit(self, x: float, y: float) -> bool:
        return self.rect.collidepoint(x, y)

    def draw(self, surface: pygame.Surface, text: TextCache, size: int = 26) -> None:
        pygame.draw.rect(surface, PAPER, self.rect, border_radius=14)
        pygame.draw.rect(surface, INK, self.rect, width=3, border_radius=14)
        label = text.render(self.label, size)
        surface.blit(label, label.get_rect(center=self.rect.center))


def draw_marker(surface: pygame.Surface, text: TextCache, x: float, y: float, number: int, title: str,
                active: bool = False) -> pygame.Rect:
    """A numbered round marker with its title beside it; returns the marker's rectangle."""
    center = (int(x), int(y))
    pygame.draw.circle(surface, PAPER, center, MARKER_RADIUS)
    pygame.draw.circle(surface, ACCENT, center, MARKER_RADIUS - 5)
    pygame.draw.circle(surface, INK if active else PAPER, center, MARKER_RADIUS, width=3)
    label = text.render(str(number), 24, PAPER)
    surface.blit(label, label.get_rect(center=center))
    caption = text.render(title, 22, INK)
    box = caption.get_rect(midleft=(center[0] + MARKER_RADIUS + 8, center[1])).inflate(16, 10)
    pygame.draw.rect(surface, PAPER, box, border_radius=8)
    surface.blit(caption, caption.get_rect(center=box.center))
    return pygame.Rect(center[0] - MARKER_RADIUS, center[1] - MARKER_RADIUS, 2 * MARKER_RADIUS, 2 * MARKER_RADIUS)


def draw_panel(surface: pygame.Surface, text: TextCache, title: str, body: str, image: pygame.Surface | None = None,
               width: int = 420) -> pygame.Rect:
    """An information card on the right side of the screen."""
    sw, sh = surface.get_size()
    lines = text.wrap(body, 24, width - 48) if body else []
    height = 90 + len(lines) * 34 + (image.get_height() + 16 if image else 0)
    rect = pygame.Rect(sw - width - 32, max(32, (sh - height) // 2), width, min(height, sh - 64))
    pygame.draw.rect(surface, PAPER, rect, border_radius=18)
    pygame.draw.rect(surface, INK, rect, width=3, border_radius=18)
    surface.blit(text.render(title, 32), (rect.x + 24, rect.y + 22))
    y = rect.y + 74
    if image is not None:
        surface.blit(image, (rect.x + 24, y))
        y += image.get_height() + 16
    for line in lines:
        if y > rect.bottom - 30:
            break
        surface.blit(text.render(line, 24), (rect.x + 24, y))
        y += 34
    return rect


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
    caption = text.render(f"{label} {int(progress * 100)}%", 26, PAPER)
    surface.blit(caption, caption.get_rect(midbottom=(sw // 2, bar.top - 10)))
