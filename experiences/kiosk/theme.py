"""The kiosk shell's look: colours and sizes shared by the attract screen, the menu and the overlays.

Feedback never relies on colour alone: focus and presses also change borders and positions.
"""
from __future__ import annotations

from functools import lru_cache

import pygame

BACKGROUND_TOP = (36, 44, 58)
BACKGROUND_BOTTOM = (70, 52, 44)
PAPER = (250, 244, 230)
INK = (44, 38, 34)
INK_SOFT = (110, 98, 88)
ACCENT = (214, 140, 64)
CARD = (252, 248, 238)
SHADOW = (0, 0, 0, 70)

MIN_TOUCH = 120  # px: every touch target is at least this big on each side


@lru_cache(maxsize=8)
def vertical_gradient(size: tuple[int, int], top=BACKGROUND_TOP, bottom=BACKGROUND_BOTTOM) -> pygame.Surface:
    """A calm two-colour background, drawn once per size."""
    width, height = size
    surface = pygame.Surface(size)
    for y in range(height):
        f = y / max(1, height - 1)
        colour = tuple(round(a + (b - a) * f) for a, b in zip(top, bottom))
        pygame.draw.line(surface, colour, (0, y), (width, y))
    return surface


@lru_cache(maxsize=64)  # drawn every frame: build each panel once (callers must not mutate it)
def rounded_panel(size: tuple[int, int], colour, radius: int = 24, border: int = 0,
                  border_colour=INK) -> pygame.Surface:
    surface = pygame.Surface(size, pygame.SRCALPHA)
    rect = surface.get_rect()
    pygame.draw.rect(surface, colour, rect, border_radius=radius)
    if border:
        pygame.draw.rect(surface, border_colour, rect, width=border, border_radius=radius)
    return surface
