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
MAT = (46, 40, 36)  # behind a cover shown whole in a box of another shape
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

    def get_whole(self, package: Package, size: tuple[int, int], lang: str = "zh-CN") -> pygame.Surface:
        """The cover scaled to fit inside `size` whole (never cropped: its title and frame stay on it); the
        placeholder fills `size`."""
        key = (package.id, size[0], size[1], "whole")
        scaled = self._scaled.get(key)
        if scaled is None:
            image = self.original(package)
            scaled = _fit_inside(image, size) if image is not None else self._placeholder(package, size, lang)
            self._scaled[key] = scaled
        return scaled

    def blit_whole(self, surface: pygame.Surface, package: Package, box: pygame.Rect, lang: str = "zh-CN") -> pygame.Rect:
        """Draw the whole cover centred in `box` on a dark mat (the bands a different shape leaves); returns
        where the cover went."""
        cover = self.get_whole(package, box.size, lang)
        if cover.get_size() != tuple(box.size):
            pygame.draw.rect(surface, MAT, box, border_radius=max(2, min(box.size) // 40))
        return surface.blit(cover, cover.get_rect(center=box.center))

    def _placeholder(self, package: Package, size: tuple[int, int], lang: str) -> pygame.Surface:
        """A calm tone with the package's title and a short tagline (its description's first phrase), in the
        kiosk's language. Artwork, cached: its words are repeated as text under every cover (role "deco")."""
        digest = hashlib.sha1(package.id.encode()).digest()[0]
        surface = pygame.Surface(size)
        surface.fill(PLACEHOLDER_TONES[digest % len(PLACEHOLDER_TONES)])
        width, height = size
        title = package.manifest.title(lang) or "?"
        title_size = max(12, min(int(height * 0.36), int(width * 0.8 / max(1, len(title)))))
        tagline = _tagline(package.manifest.description(lang)) if height >= 60 else ""
        tag_size = max(10, title_size * 2 // 5)
        while tagline and self.text.size(tagline, tag_size)[0] > width * 0.9:
            tagline = tagline[:-1]
        centre_y = height / 2 - (tag_size * 0.7 if tagline else 0)
        rect = self.text.draw(surface, title, (width / 2, centre_y), title_size, (250, 246, 236), anchor="center",
                              _note=False)
        if tagline:
            self.text.draw(surface, tagline, (width / 2, rect.bottom + tag_size * 0.2), tag_size, (236, 226, 206),
                           anchor="midtop", _note=False)
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


def _fit_inside(image: pygame.Surface, size: tuple[int, int]) -> pygame.Surface:
    """Scale to fit inside the box whole, keeping the aspect ratio."""
    if image.get_bitsize() < 24:
        deep = pygame.Surface(image.get_size(), pygame.SRCALPHA, 32)
        deep.blit(image, (0, 0))
        image = deep
    w, h = image.get_size()
    scale = min(size[0] / w, size[1] / h)
    return pygame.transform.smoothscale(image, (max(1, round(w * scale)), max(1, round(h * scale))))


def _tagline(description: str) -> str:
    """The first phrase of a description (up to its first comma or full stop): 看成语，射灯笼 → 看成语."""
    for i, char in enumerate(description):
        if char in "，。：；！？,.:;!?":
            return description[:i].strip()
    return description.strip()
