"""Big touch buttons and the booth's colours: every state is shown by shape or text as well as colour.

Button styles (`style`):
  "plain"   a step (上一步, 清除, 下一页): paper with a border
  "action"  something that happens now (跟读, 听范读, 再来一次): jade with a ▶ drawn in front of the label
  "primary" the screen's main step (同意, 下一首): vermilion
  "toggle"  a setting (拼音, 两人轮读, 打分): the label and a switch whose knob and 开/关 say the state
  "chip"    one of a group (年级): the chosen one filled, with a ✓ drawn in front
  "record"  the one big red round button (录音 / 停止): a circle, not a rounded box
  "key"     a pinyin letter key (role "pinyin" for the screen checks)
"""
from __future__ import annotations

from dataclasses import dataclass

import pygame

from experiences import drawlog

INK = (46, 38, 30)
PAPER = (246, 238, 222)
PAPER_DARK = (232, 220, 196)
ACCENT = (176, 58, 46)  # 朱红 vermilion
ACCENT_SOFT = (222, 160, 120)
RECORD_RED = (214, 48, 40)  # the record button: one red thing on the screen
JADE = (58, 120, 96)
AMBER = (196, 126, 20)  # "said unclearly" marks (always with a triangle, never colour alone)
GREY = (150, 140, 128)
WHITE = (255, 255, 255)
MIN_TARGET = 72  # px: children's fingers (design px; 108 px at 1080p)
LABEL_SIZE = 28
SWITCH_W, SWITCH_H = 76, 38


@dataclass
class Button:
    key: str  # what it does: the experience maps it to a flow move
    label: str
    rect: pygame.Rect
    primary: bool = False
    on: bool | None = None  # a toggle's or chip's state (None: not a toggle)
    enabled: bool = True
    ruby: str = ""  # pinyin shown above the label (children read the nickname buttons by it)
    label_size: int = LABEL_SIZE
    style: str = "plain"
    state_labels: tuple[str, str] = ("开", "关")  # a toggle's words for on and off

    def __post_init__(self):
        if self.primary and self.style == "plain":
            self.style = "primary"

    def hit(self, x: float, y: float) -> bool:
        if not self.enabled:
            return False
        if self.style == "record":
            return (x - self.rect.centerx) ** 2 + (y - self.rect.centery) ** 2 <= (self.rect.w / 2) ** 2
        return self.rect.collidepoint(x, y)

    def draw(self, surface: pygame.Surface, text, focused: bool = False) -> None:
        drawlog.note_box(f"button:{self.key}", tuple(self.rect), "buttons")
        if self.style == "record":
            self._draw_record(surface, text, focused)
            return
        fill, border, colour = PAPER_DARK, GREY, INK
        if self.style in ("primary",) or (self.style == "chip" and self.on):
            fill, border, colour = ACCENT, ACCENT, WHITE
        elif self.style == "action":
            fill, border, colour = JADE, JADE, WHITE
        elif self.style == "toggle":
            fill, border = (WHITE, JADE) if self.on else (PAPER_DARK, GREY)
        if not self.enabled:
            fill, colour = (225, 218, 205), GREY
        pygame.draw.rect(surface, fill, self.rect, border_radius=18)
        pygame.draw.rect(surface, INK if focused else border, self.rect, width=5 if focused else 3, border_radius=18)
        role = "pinyin" if self.style == "key" else "text"
        if self.style == "toggle":
            self._draw_toggle(surface, text, colour)
        elif self.ruby:
            ruby = 22
            while ruby > 16 and text.size(self.ruby, ruby)[0] > self.rect.width - 12:
                ruby -= 1
            text.draw(surface, self.ruby, (self.rect.centerx, self.rect.centery - 4), ruby, colour, anchor="midbottom",
                      role="pinyin")
            text.draw(surface, self.label, (self.rect.centerx, self.rect.centery), self.label_size, colour,
                      anchor="midtop")
        else:
            icon = 30 if self.style == "action" or (self.style == "chip" and self.on) else 0
            size = self.label_size
            while size > 22 and text.size(self.label, size)[0] > self.rect.width - icon - 16:
                size -= 1  # a long label (English, a nickname) shrinks to its button rather than spill out
            width = text.size(self.label, size)[0]
            left = self.rect.centerx - (width + icon) // 2
            if self.style == "action":
                draw_play(surface, (left + 11, self.rect.centery), 11, colour)
            elif icon:
                draw_check(surface, (left + 11, self.rect.centery), 11, colour)
            text.draw(surface, self.label, (left + icon, self.rect.centery), size, colour, anchor="midleft",
                      role=role)

    def _draw_toggle(self, surface, text, colour) -> None:
        """The label, then a switch: knob right and 「开」 on jade, or knob left and 「关」 on grey."""
        pad = 14
        text.draw(surface, self.label, (self.rect.left + pad, self.rect.centery), self.label_size, colour,
                  anchor="midleft")
        track = pygame.Rect(0, 0, SWITCH_W, SWITCH_H)
        track.midright = (self.rect.right - pad, self.rect.centery)
        on = bool(self.on)
        pygame.draw.rect(surface, JADE if on else GREY, track, border_radius=SWITCH_H // 2)
        knob_x = track.right - SWITCH_H // 2 if on else track.left + SWITCH_H // 2
        pygame.draw.circle(surface, WHITE, (knob_x, track.centery), SWITCH_H // 2 - 4)
        word = self.state_labels[0 if on else 1]
        word_x = track.left + (SWITCH_W - SWITCH_H) // 2 + 2 if on else track.right - (SWITCH_W - SWITCH_H) // 2 - 2
        text.draw(surface, word, (word_x, track.centery), 24, WHITE, anchor="center")

    def _draw_record(self, surface, text, focused: bool) -> None:
        """A big red disc: a white dot (录音) or a white square (停止) above the word, like a recorder's button."""
        centre, radius = self.rect.center, self.rect.w // 2
        pygame.draw.circle(surface, (150, 40, 34), (centre[0], centre[1] + 5), radius)  # its shadow: it sits up
        pygame.draw.circle(surface, RECORD_RED if self.enabled else GREY, centre, radius)
        pygame.draw.circle(surface, WHITE, centre, radius - 7, width=4)
        if focused:
            pygame.draw.circle(surface, INK, centre, radius + 6, width=5)
        icon_y = centre[1] - radius // 3
        if self.key == "stop":
            pygame.draw.rect(surface, WHITE, pygame.Rect(centre[0] - 14, icon_y - 14, 28, 28), border_radius=4)
        else:
            pygame.draw.circle(surface, WHITE, (centre[0], icon_y), 14)
        text.draw(surface, self.label, (centre[0], centre[1] + radius // 4), 32, WHITE, anchor="center")


def draw_play(surface, centre: tuple[int, int], half: int, colour) -> None:
    """A ▶ drawn as a shape (the fonts may lack the glyph)."""
    x, y = centre
    pygame.draw.polygon(surface, colour, [(x - half * 0.8, y - half), (x - half * 0.8, y + half), (x + half, y)])


def draw_check(surface, centre: tuple[int, int], half: int, colour) -> None:
    x, y = centre
    pygame.draw.lines(surface, colour, False, [(x - half, y), (x - half // 3, y + half * 2 // 3), (x + half, y - half)],
                      5)


def draw_star(surface, centre: tuple[int, int], radius: float, colour, width: int = 0) -> None:
    import math

    x, y = centre
    points = []
    for k in range(10):
        r = radius if k % 2 == 0 else radius * 0.45
        angle = -math.pi / 2 + k * math.pi / 5
        points.append((x + r * math.cos(angle), y + r * math.sin(angle)))
    pygame.draw.polygon(surface, colour, points, width)


def toggle_width(text, label: str, size: int = LABEL_SIZE) -> int:
    return 14 + text.size(label, size)[0] + 12 + SWITCH_W + 14


def button_width(text, label: str, style: str = "plain", size: int = LABEL_SIZE, pad: int = 40) -> int:
    if style == "toggle":
        return toggle_width(text, label, size)
    icon = 30 if style in ("action", "chip") else 0
    return text.size(label, size)[0] + icon + pad


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


def flow_buttons(text, specs: list[tuple[str, str, str]], left: int, right: int, bottom: int, height: int = 80,
                 gap: int = 16, align: str = "right", compact: bool = False) -> list[Button]:
    """Buttons sized to their labels (specs: (key, label, style)), laid in rows from `bottom` upwards: as many
    as fit between `left` and `right` per row, the rest in the row above (narrow portrait screens).
    `compact`: narrower padding when the roomy sizes would not fit one row."""
    widths = [max(button_width(text, label, style), 120) for _, label, style in specs]
    if compact and sum(widths) + gap * (len(widths) - 1) > right - left:
        gap = 12
        widths = [max(button_width(text, label, style, pad=24), 100) for _, label, style in specs]
    rows: list[list[int]] = [[]]
    used = 0
    for k, width in enumerate(widths):
        if rows[-1] and used + gap + width > right - left:
            rows.append([])
            used = 0
        used += (gap if rows[-1] else 0) + width
        rows[-1].append(k)
    out: list[Button] = []
    top = bottom - height
    for row in reversed(rows):  # the last specs (the main step) sit in the bottom row
        total = sum(widths[k] for k in row) + gap * (len(row) - 1)
        x = right - total if align == "right" else left
        for k in row:
            key, label, style = specs[k]
            out.append(Button(key, label, pygame.Rect(x, top, widths[k], height), style=style))
            x += widths[k] + gap
        top -= height + gap
    return out
