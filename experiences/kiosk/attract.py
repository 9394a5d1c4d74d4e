"""Attract mode: a slow, looping showcase of the installed experiences (cover, title) and "touch to start".

Animation is gentle: a 1.2 s cross-fade every 6 s, a slow drift and a soft pulse (0.5 Hz), far below
3 flashes per second.
"""
from __future__ import annotations

import math

import pygame

from experiences.i18n import t
from experiences.kiosk import theme
from experiences.kiosk.covers import CoverCache
from experiences.package import Package
from experiences.text import TextRenderer

SHOW_SECONDS = 6.0
FADE_SECONDS = 1.2
PULSE_HZ = 0.5  # the "touch to start" line breathes once every 2 s
_KEY = (255, 0, 255)  # colour key for the rounded corners of composed showcases


class AttractScreen:
    def __init__(self, packages: list[Package], text: TextRenderer, covers: CoverCache, lang: str = "zh-CN"):
        self.packages = packages
        self.text = text
        self.covers = covers
        self.lang = lang
        self.elapsed = 0.0
        self._composed: dict[tuple[str, tuple[int, int]], pygame.Surface] = {}

    def reset(self) -> None:
        self.elapsed = 0.0

    def update(self, dt: float) -> None:
        self.elapsed += dt

    def showing(self) -> tuple[int, float]:
        """Index of the package on show and how far the fade to the next one has gone (0..1)."""
        if not self.packages:
            return 0, 0.0
        slot, into = divmod(self.elapsed, SHOW_SECONDS)
        index = int(slot) % len(self.packages)
        fade = max(0.0, (into - (SHOW_SECONDS - FADE_SECONDS)) / FADE_SECONDS)
        return index, fade if len(self.packages) > 1 else 0.0

    def draw(self, surface: pygame.Surface) -> None:
        width, height = surface.get_size()
        surface.blit(theme.vertical_gradient((width, height)), (0, 0))
        if not self.packages:
            box = pygame.Rect(width * 0.1, height * 0.35, width * 0.8, height * 0.3)
            self.text.draw_paragraph(surface, t("kiosk.no_experiences", self.lang), box,
                                     theme.px(theme.TEXT_PX, theme.scale((width, height))), theme.PAPER)
            return
        index, fade = self.showing()
        self._draw_showcase(surface, self.packages[index], 1.0 - fade)
        if fade > 0:
            self._draw_showcase(surface, self.packages[(index + 1) % len(self.packages)], fade)
        self._draw_call_to_action(surface)

    def _showcase(self, package: Package, size: tuple[int, int]) -> pygame.Surface:
        """The framed cover composed once into one opaque surface (corners keyed out): blitting it, faded or
        not, costs a fraction of blending per-pixel-alpha pieces every frame. (The title stays separate:
        its antialiased edges would take on the key colour.)"""
        key = (package.id, size)
        composed = self._composed.get(key)
        if composed is not None:
            return composed
        width, height = size
        original = self.covers.original(package)
        aspect = original.get_width() / original.get_height() if original is not None else 4 / 3
        cover_h = int(height * (0.5 if width >= height else 0.42))
        cover_w = int(cover_h * aspect)
        if cover_w > width * 0.8:  # a very wide cover: keep it whole, not cropped
            cover_w = int(width * 0.8)
            cover_h = int(cover_w / aspect)
        composed = pygame.Surface((cover_w + 24, cover_h + 24))
        composed.fill(_KEY)
        composed.blit(theme.rounded_panel(composed.get_size(), theme.PAPER, radius=18), (0, 0))
        composed.blit(self.covers.get(package, (cover_w, cover_h), self.lang), (12, 12))
        composed.set_colorkey(_KEY, pygame.RLEACCEL)
        if pygame.display.get_surface():
            composed = composed.convert()
        if len(self._composed) > 2 * max(1, len(self.packages)):  # only after a resize
            self._composed.clear()
        self._composed[key] = composed
        return composed

    def _draw_showcase(self, surface: pygame.Surface, package: Package, opacity: float) -> None:
        width, height = surface.get_size()
        composed = self._showcase(package, (width, height))
        drift = math.sin(self.elapsed * 2 * math.pi / 12.0) * height * 0.008  # one slow sway per 12 s
        alpha = round(255 * opacity) if opacity < 1.0 else None
        composed.set_alpha(alpha)
        rect = surface.blit(composed, composed.get_rect(midtop=(width // 2, int(height * 0.1 - 12 + drift))))
        s = theme.scale((width, height))
        self.text.draw(surface, package.manifest.title(self.lang), (width // 2, rect.bottom + int(height * 0.03)),
                       theme.px(72, s), theme.PAPER, "midtop", alpha, pinyin=True, ruby_color=theme.PAPER,
                       ruby_size=theme.px(30, s))

    def _draw_call_to_action(self, surface: pygame.Surface) -> None:
        width, height = surface.get_size()
        pulse = 0.5 + 0.5 * math.sin(self.elapsed * 2 * math.pi * PULSE_HZ)
        # breathes between 60% and 100%, never blinks off
        s = theme.scale((width, height))
        self.text.draw(surface, t("kiosk.touch_to_start", self.lang), (width // 2, int(height * 0.95)),
                       theme.px(theme.PROMPT_PX, s), theme.ACCENT, "midbottom", round(150 + 105 * pulse), pinyin=True,
                       ruby_color=theme.ACCENT, ruby_size=theme.px(theme.PROMPT_PINYIN_PX, s), role="prompt")

