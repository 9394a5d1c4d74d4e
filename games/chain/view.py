"""Drawing the chain game: the chain so far, the idiom to follow with its link character boxed, the cards."""
from __future__ import annotations

from dataclasses import dataclass

import pygame

from games.ui.text import pinyin_shown, text_renderer
from games.ui.widgets import GOLD, INK, PAPER, Button, draw_cross, draw_tick

BACKGROUND_TOP, BACKGROUND_BOTTOM = (30, 70, 60), (12, 36, 40)
LINK = (170, 50, 35)


@dataclass
class Card:
    word: str
    pinyin: tuple[str, ...]
    rect: pygame.Rect
    state: str = ""  # "", "wrong" (✗, stays visible so the child sees why), "right" (✓), "hinted"


def background(size: tuple[int, int]) -> pygame.Surface:
    surf = pygame.Surface(size)
    width, height = size
    for y in range(height):
        k = y / max(1, height - 1)
        surf.fill(tuple(round(a + (b - a) * k) for a, b in zip(BACKGROUND_TOP, BACKGROUND_BOTTOM)), (0, y, width, 1))
    for i in range(0, width, 64):  # a faint paper-lattice pattern
        pygame.draw.line(surf, (40, 84, 72), (i, 0), (i, height), 1)
    return surf.convert() if pygame.display.get_surface() else surf


def card_layout(count: int, size: tuple[int, int]) -> list[pygame.Rect]:
    width, height = size
    cols = count if count <= 4 else 3
    rows = (count + cols - 1) // cols
    card_w, card_h = (270, 170) if rows == 1 else (340, 128)
    gap = 24
    rects = []
    for i in range(count):
        row, col = divmod(i, cols)
        in_row = min(cols, count - row * cols)
        left = width / 2 - (in_row * card_w + (in_row - 1) * gap) / 2
        rect = pygame.Rect(0, 0, card_w, card_h)
        rect.topleft = (round(left + col * (card_w + gap)), round(height * 0.5 + row * (card_h + gap)))
        rects.append(rect)
    return rects


def draw_chain_strip(surface: pygame.Surface, chain: list[str], movers: list[str]) -> None:
    """The last idioms of the chain along the top, linked by arrows; the child's own ones underlined."""
    text = text_renderer()
    shown = chain[-5:-1]
    x = 24
    for word, mover in zip(shown, movers[-5:-1]):
        rect = text.draw(surface, word, (x, 24), 30, PAPER, pinyin=pinyin_shown())
        if mover == "child":
            pygame.draw.line(surface, GOLD, (rect.left, rect.bottom + 2), (rect.right, rect.bottom + 2), 3)
        x = text.draw(surface, " → ", (rect.right, rect.bottom), 30, PAPER, anchor="bottomleft").right


def draw_current(surface: pygame.Surface, word: str, pinyin: tuple[str, ...], center_y: float) -> pygame.Rect:
    """The idiom to follow, big, with pinyin; its last character is boxed: that is where the next one starts."""
    text = text_renderer()
    box = text.draw_ruby(surface, list(word), list(pinyin), (surface.get_width() / 2, center_y), 76, PAPER,
                         ruby_color=(230, 220, 190), anchor="center")
    cell = box.width / 4
    link = pygame.Rect(box.left + cell * 3, box.top + box.height * 0.28, cell, box.height * 0.74)
    pygame.draw.rect(surface, GOLD, link.inflate(8, 4), width=5, border_radius=10)
    return box


def draw_card(surface: pygame.Surface, card: Card, focused: bool) -> None:
    text = text_renderer()
    pygame.draw.rect(surface, PAPER, card.rect, border_radius=18)
    border = INK if focused else GOLD
    pygame.draw.rect(surface, border, card.rect, width=7 if focused else 4, border_radius=18)
    size = 52 if card.rect.height > 150 else 46
    text.draw_ruby(surface, list(card.word), list(card.pinyin), card.rect.center, size, INK, ruby_color=LINK,
                   anchor="center")
    corner = (card.rect.right - 30, card.rect.top + 30)
    if card.state == "wrong":  # shape and a hatch, not only colour
        shade = pygame.Surface(card.rect.size, pygame.SRCALPHA)
        shade.fill((60, 60, 60, 110))
        surface.blit(shade, card.rect)
        draw_cross(surface, corner, 36, (110, 40, 30), 6)
    elif card.state == "right":
        draw_tick(surface, corner, 40, (30, 120, 60), 7)
    elif card.state == "hinted":
        pygame.draw.circle(surface, LINK, corner, 18, 5)


def draw_message(surface: pygame.Surface, message: str, y: float, size: int = 34,
                 readings: dict[str, tuple[str, ...]] | None = None) -> None:
    """Turn prompts, hints and the ending; with pinyin a little smaller, so two lines still end above the cards."""
    py = pinyin_shown()
    size = size - 4 if py else size
    text_renderer().draw_paragraph(surface, message, pygame.Rect(60, y, surface.get_width() - 120, size * 3), size,
                                   PAPER, pinyin=py, ruby_color=(230, 220, 190), readings=readings)


def draw_buttons(surface: pygame.Surface, buttons: list[Button], focus: int | None) -> None:
    for i, button in enumerate(buttons):
        button.draw(surface, focused=i == focus)
