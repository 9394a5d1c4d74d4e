"""Big touch buttons with an icon shape and a label (feedback never by colour alone), and feedback marks."""
from __future__ import annotations

from dataclasses import dataclass

import pygame

from experiences.pinyin import has_han
from games.ui.text import pinyin_shown, text_renderer

MIN_TARGET = 72  # px: big enough for small fingers at 1280×720

INK = (40, 24, 16)
PAPER = (250, 240, 215)
GOLD = (240, 196, 90)
RUBY = (150, 50, 30)  # pinyin on paper: a second ink, the syllables' position says what they are


@dataclass
class Button:
    key: str
    label: str
    rect: pygame.Rect
    icon: str = ""  # "next", "again", "done", "hint", "" (drawn as shapes, not colour)
    ruby: tuple[str, ...] = ()  # pinyin per character of the label, drawn above it (for young readers)

    def hit(self, x: float, y: float) -> bool:
        return self.rect.collidepoint(x, y)

    def draw(self, surface: pygame.Surface, focused: bool = False) -> None:
        pygame.draw.rect(surface, PAPER, self.rect, border_radius=18)
        pygame.draw.rect(surface, GOLD if not focused else INK, self.rect, width=6 if focused else 4, border_radius=18)
        size = max(24, self.rect.height // 2 - 4)
        x = self.rect.left + 20
        if self.icon:
            draw_icon(surface, self.icon, (x + size // 2, self.rect.centery), size)
            x += size + 14
        if self.ruby:
            text_renderer().draw_ruby(surface, list(self.label), list(self.ruby), (x, self.rect.centery),
                                      int(size * 0.8), INK, ruby_color=RUBY, ruby_size=max(16, size // 2),
                                      anchor="midleft")
        elif pinyin_shown() and has_han(self.label):
            text_size = _fit_with_pinyin(self.label, size - 4, self.rect.right - 12 - x, self.rect.height - 10)
            text_renderer().draw(surface, self.label, (x, self.rect.centery), text_size, INK, anchor="midleft",
                                 pinyin=True, ruby_color=RUBY, ruby_size=button_ruby_size(text_size))
        else:
            text_renderer().draw(surface, self.label, (x, self.rect.centery), size, INK, anchor="midleft")


def button_ruby_size(text_size: int) -> int:
    """Pinyin on buttons as large as the nickname buttons' (16 px and up): a child reads it from arm's length."""
    return max(16, text_size // 2)


def _fit_with_pinyin(label: str, size: int, width: int, height: int) -> int:
    """The largest text size (down to 16) at which the label and its pinyin row fit the button's inside."""
    text = text_renderer()
    while size > 16:
        w, h = text.size_with_pinyin(label, size, button_ruby_size(size))
        if w <= width and h <= height:
            break
        size -= 2
    return size


def button_rect(center: tuple[float, float], label: str, size: int = 36, icon: bool = True) -> pygame.Rect:
    text = text_renderer()
    label_width = text.size(label, size)[0]
    if pinyin_shown() and has_han(label):  # pinyin cells are wider than the characters under them
        label_width = max(label_width, text.size_with_pinyin(label, size - 8, button_ruby_size(size - 8))[0] + 8)
    width = label_width + 40 + (size + 14 if icon else 0)
    rect = pygame.Rect(0, 0, max(width, MIN_TARGET * 2), max(MIN_TARGET, size * 2))
    rect.center = (round(center[0]), round(center[1]))
    return rect


def draw_icon(surface: pygame.Surface, icon: str, center: tuple[float, float], size: int,
              color=INK) -> None:
    x, y, h = center[0], center[1], size / 2
    if icon in ("next", "again"):
        pygame.draw.polygon(surface, color, [(x - h * 0.6, y - h), (x + h, y), (x - h * 0.6, y + h)])
        if icon == "again":
            pygame.draw.circle(surface, color, (x, y), h, width=3)
    elif icon == "done":
        pygame.draw.rect(surface, color, (x - h * 0.8, y - h * 0.8, h * 1.6, h * 1.6), width=4)
    elif icon == "hint":
        pygame.draw.circle(surface, color, (x, y - h * 0.25), h * 0.6, width=4)
        pygame.draw.rect(surface, color, (x - h * 0.25, y + h * 0.4, h * 0.5, h * 0.5))
    elif icon == "tick":
        draw_tick(surface, center, size, color)
    elif icon == "cross":
        draw_cross(surface, center, size, color)


def draw_tick(surface, center, size, color=INK, width=8) -> None:
    """✓ for right: a shape, so it reads without colour."""
    x, y, h = center[0], center[1], size / 2
    pygame.draw.lines(surface, color, False, [(x - h, y), (x - h * 0.3, y + h * 0.7), (x + h, y - h * 0.8)], width)


def draw_cross(surface, center, size, color=INK, width=8) -> None:
    """✗ for not this one."""
    x, y, h = center[0], center[1], size / 2 * 0.8
    pygame.draw.line(surface, color, (x - h, y - h), (x + h, y + h), width)
    pygame.draw.line(surface, color, (x - h, y + h), (x + h, y - h), width)
