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


def scale(size: tuple[int, int]) -> float:
    """How big the shell draws on a window of `size`: 1.0 when its shorter side is 1080 px (the screen checks'
    reference, experiences.screencheck), so a layout designed at 1080p keeps its proportions on any screen."""
    return min(size) / 1080


def px(value: float, factor: float, smallest: int = 1) -> int:
    """`value` (pixels at 1080p) at scale `factor`, never below `smallest`."""
    return max(smallest, round(value * factor))


def draw_prompt(surface: pygame.Surface, text, words: str, factor: float) -> None:
    """A kiosk screen's question or heading (你想玩什么？), centred at the top in paper white with its pinyin, as a
    prompt for the screen checks."""
    text.draw(surface, words, (surface.get_width() // 2, px(16, factor)), px(PROMPT_PX, factor), PAPER, "midtop",
              pinyin=True, ruby_color=PAPER, ruby_size=px(PROMPT_PINYIN_PX, factor), role="prompt")


# Text sizes at 1080p (experiences.screencheck: prompts >= 48, Han text >= 32, pinyin rows >= 22).
PROMPT_PX = 64  # what a screen asks of the visitor (你想玩什么？)
TITLE_PX = 44  # a card's title
TEXT_PX = 36  # everything else a child or parent reads
PINYIN_PX = 24  # a pinyin row over TITLE_PX / TEXT_PX lines
PROMPT_PINYIN_PX = 28
