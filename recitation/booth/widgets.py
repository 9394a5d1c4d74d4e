"""Big touch buttons and the booth's colours: every state is shown by shape or text as well as colour."""
from __future__ import annotations

from dataclasses import dataclass

import pygame

INK = (46, 38, 30)
PAPER = (246, 238, 222)
PAPER_DARK = (232, 220, 196)
ACCENT = (176, 58, 46)  # 朱红 vermilion
ACCENT_SOFT = (222, 160, 120)
JADE = (58, 120, 96)
AMBER = (196, 126, 20)  # "said unclearly" marks (always with a triangle, never colour alone)
GREY = (150, 140, 128)
WHITE = (255, 255, 255)
MIN_TARGET = 72  # px: children's fingers


@dataclass
class Button:
    key: str  # what it does: the experience maps it to a flow move
    label: str
    rect: pygame.Rect
    primary: bool = False
    on: bool | None = None  # a toggle's state (None: not a toggle)
    enabled: bool = True
    ruby: str = ""  # pinyin shown above the label (children read the nickname buttons by it)
    label_size: int = 30

    def hit(self, x: float, y: float) -> bool:
        return self.enabled and self.rect.collidepoint(x, y)

    def draw(self, surface: pygame.Surface, text, focused: bool = False) -> None:
        fill = ACCENT if self.primary else (PAPER_DARK if self.on is not True else ACCENT_SOFT)
        if not self.enabled:
            fill = (225, 218, 205)
        pygame.draw.rect(surface, fill, self.rect, border_radius=18)
        border = INK if focused else (GREY if not self.primary else ACCENT)
        pygame.draw.rect(surface, border, self.rect, width=4 if focused else 2, border_radius=18)
        label = self.label
        if self.on is not None:
            label = ("• " if self.on else "") + label  # a dot as well as the colour
        colour = WHITE if self.primary else (INK if self.enabled else GREY)
        if self.ruby:
            text.draw(surface, self.ruby, (self.rect.centerx, self.rect.centery - 6), 22, colour, anchor="midbottom")
            text.draw(surface, label, (self.rect.centerx, self.rect.centery - 2), self.label_size, colour,
                      anchor="midtop")
        else:
            text.draw(surface, label, self.rect.center, self.label_size, colour, anchor="center")


def row_of_buttons(specs: list[tuple[str, str]], area: pygame.Rect, height: int = 80, gap: int = 18,
                   primary: str = "") -> list[Button]:
    """Buttons of equal width across `area` (specs: (key, label)), the primary one highlighted."""
    if not specs:
        return []
    width = (area.width - gap * (len(specs) - 1)) // len(specs)
    out = []
    for i, (key, label) in enumerate(specs):
        rect = pygame.Rect(area.left + i * (width + gap), area.top, width, max(height, MIN_TARGET))
        out.append(Button(key, label, rect, primary=(key == primary)))
    return out
