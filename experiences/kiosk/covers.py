"""Package covers for the attract screen and the menu: decoded once, scaled per size, placeholder if missing."""
from __future__ import annotations

import hashlib
import io
import logging

import pygame

from experiences.package import Package
from experiences.text import TextRenderer

log = logging.getLogger(__name__)

# Calm placeholder tones; the title is always written on it, so colour never carries meaning alone.
PLACEHOLDER_TONES = [(58, 96, 120), (120, 82, 62), (74, 110, 78), (104, 78, 118), (126, 104, 52)]


class CoverCache:
    def __init__(self, text: TextRenderer):
        self.text = text
        self._originals: dict[str, pygame.Surface | None] = {}
        self._scaled: dict[tuple[str, int, int], pygame.Surface] = {}

    def original(self, package: Package) -> pygame.Surface | None:
        if package.id not in self._originals:
            self._originals[package.id] = self._load(package)
        return self._originals[package.id]

    def _load(self, package: Package) -> pygame.Surface | None:
        name = package.manifest.cover
        if not name:
            return None
        try:
            data = package.source.read_bytes(name)
            image = pygame.image.load(io.BytesIO(data), name)
            if not pygame.display.get_surface():
                return image
            transparent = image.get_flags() & pygame.SRCALPHA or image.get_colorkey() is not None
            return image.convert_alpha() if transparent else image.convert()  # keep a cut-out cover's edges
        except (OSError, pygame.error, FileNotFoundError, ValueError) as exc:
            log.warning("cover %s of %s could not be read: %s", name, package.id, exc)
            return None

    def get(self, package: Package, size: tuple[int, int], lang: str = "zh-CN") -> pygame.Surface:
        """The cover scaled to cover `size` (cropped to fill), or a placeholder with the title's first letter."""
        key = (package.id, size[0], size[1])
        scaled = self._scaled.get(key)
        if scaled is None:
            image = self.original(package)
            scaled = _fill(image, size) if image is not None else self._placeholder(package, size, lang)
            self._scaled[key] = scaled
        return scaled

    def _placeholder(self, package: Package, size: tuple[int, int], lang: str) -> pygame.Surface:
        digest = hashlib.sha1(package.id.encode()).digest()[0]
        surface = pygame.Surface(size)
        surface.fill(PLACEHOLDER_TONES[digest % len(PLACEHOLDER_TONES)])
        first = package.manifest.title(lang)[:1] or "?"
        self.text.draw(surface, first, (size[0] / 2, size[1] / 2), max(24, int(min(size) * 0.55)),
                       (250, 246, 236), anchor="center")
        return surface

    def clear(self) -> None:
        self._originals.clear()
        self._scaled.clear()


def _fill(image: pygame.Surface, size: tuple[int, int]) -> pygame.Surface:
    """Scale to cover the box and crop the middle, keeping the aspect ratio."""
    if image.get_bitsize() < 24:  # smoothscale needs 24/32-bit pixels (palette PNGs are 8-bit)
        deep = pygame.Surface(image.get_size(), pygame.SRCALPHA, 32)
        deep.blit(image, (0, 0))
        image = deep
    w, h = image.get_size()
    scale = max(size[0] / w, size[1] / h)
    scaled = pygame.transform.smoothscale(image,
                                          (max(1, round(w * scale)), max(1, round(h * scale))))
    rect = pygame.Rect(0, 0, *size)
    rect.center = scaled.get_rect().center
    return scaled.subsurface(rect).copy()
