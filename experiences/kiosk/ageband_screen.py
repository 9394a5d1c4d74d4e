"""「你几岁啦？」: the one-tap age question after a visitor wakes the kiosk — four big picture buttons and 跳过.

A button picks on release over the one it was pressed on (like the menu); keys and game pads move a focus ring
(a thick frame and an outer ring, not only a colour) that appears once they are used, so touch visitors see no
answer suggested.
"""
from __future__ import annotations

from dataclasses import dataclass

import pygame

from experiences.i18n import LANGUAGES, t
from experiences.kiosk import theme
from experiences.kiosk.ageband import BANDS, YOUNG_BANDS
from experiences.pinyin import has_han, pinyin_for
from experiences.runtime import InputEvent
from experiences.text import TextRenderer

MIN_BUTTON_HEIGHT = 160  # px: children tap with a whole hand
MAX_BUTTON_WIDTH = 300
MARGIN = 40
GAP = 24
SKIP = len(BANDS)  # focus index of the skip button

# Pictogram colours: warm figures, a prop each; the text on every button says the same without colour.
SKIN = (236, 196, 160)
CLOTHES = {"3-5": (226, 120, 96), "6-8": (96, 150, 210), "9-12": (112, 168, 104), "13+": (150, 110, 170)}
PROP = {"3-5": (240, 190, 70), "6-8": (214, 140, 64), "9-12": (250, 244, 230), "13+": (60, 54, 50)}


@dataclass(frozen=True)
class Choice:
    """One button: `band` is the answer, None for skip."""

    band: str | None
    rect: pygame.Rect
    index: int


class AgeBandScreen:
    def __init__(self, text: TextRenderer, lang: str = "zh-CN"):
        self.text = text
        self.lang = lang
        self._faces: dict[tuple, pygame.Surface] = {}  # a button's drawing per (band, size): drawn once
        self.reset()

    def reset(self) -> None:
        """A new visitor: nothing pressed, no focus ring until keys are used."""
        self.focus = 0
        self.last_band_focus = 0
        self.keys_used = False
        self.pressed: Choice | None = None

    # --- layout -------------------------------------------------------------------------------------------
    def _title_size(self, height: int) -> int:
        return 64 if height >= 560 else 48

    def header_height(self, height: int) -> int:
        size = self._title_size(height)
        title_h = self.text.size_with_pinyin(t("age_screen.title", self.lang), size)[1]
        other_h = self.text.size(t("age_screen.title", _other(self.lang)), size // 2)[1]
        return 20 + title_h + 6 + other_h + 16

    def columns(self, size: tuple[int, int]) -> int:
        """Four in a row on a landscape screen, two by two when the row would make buttons too narrow."""
        width, _ = size
        return 4 if (width - 2 * MARGIN - 3 * GAP) // 4 >= 180 else 2

    def choices(self, size: tuple[int, int]) -> list[Choice]:
        width, height = size
        cols = self.columns(size)
        rows = -(-len(BANDS) // cols)
        skip_h = theme.MIN_TOUCH
        top = self.header_height(height)
        free = height - top - skip_h - 2 * GAP - MARGIN // 2
        button_w = min(MAX_BUTTON_WIDTH, (width - 2 * MARGIN - (cols - 1) * GAP) // cols)
        button_h = max(MIN_BUTTON_HEIGHT, min(int(button_w * 1.3), (free - (rows - 1) * GAP) // rows))
        grid_h = rows * button_h + (rows - 1) * GAP
        top += max(0, (free - grid_h) // 2)
        left = (width - (cols * button_w + (cols - 1) * GAP)) // 2
        out = []
        for i, band in enumerate(BANDS):
            row, col = divmod(i, cols)
            out.append(Choice(band, pygame.Rect(left + col * (button_w + GAP), top + row * (button_h + GAP),
                                                button_w, button_h), i))
        skip_w = max(theme.MIN_TOUCH * 3, 360)
        skip_top = max(top + grid_h + GAP, height - skip_h - MARGIN // 2)
        out.append(Choice(None, pygame.Rect((width - skip_w) // 2, skip_top, skip_w, skip_h), SKIP))
        return out

    def hit(self, size: tuple[int, int], x: float, y: float) -> Choice | None:
        return next((c for c in self.choices(size) if c.rect.collidepoint(x, y)), None)

    # --- input --------------------------------------------------------------------------------------------
    def handle(self, event: InputEvent, size: tuple[int, int]) -> Choice | None:
        """The choice this input made (its `band` is None for skip), or None while the visitor has not chosen."""
        if event.type == "pointer_down":
            self.pressed = self.hit(size, event.x, event.y)
            return None
        if event.type == "pointer_up":
            pressed, self.pressed = self.pressed, None
            released = self.hit(size, event.x, event.y)
            if pressed is None or released is None or pressed.index != released.index:
                return None  # slid off the button: no answer
            return released
        if event.type == "action":
            return self._key(event.action, size)
        return None

    def _key(self, action: str, size: tuple[int, int]) -> Choice | None:
        self.keys_used = True
        choices = self.choices(size)
        if action == "select":
            return choices[self.focus]
        if action == "back":
            return choices[SKIP]  # "not telling" is always fine
        cols = self.columns(size)
        if self.focus == SKIP:
            if action == "up":
                self.focus = self.last_band_focus
            return None
        row, col = divmod(self.focus, cols)
        last_row = (len(BANDS) - 1) // cols
        if action == "left":
            self.focus = max(0, self.focus - 1)
        elif action == "right":
            self.focus = min(len(BANDS) - 1, self.focus + 1)
        elif action == "up" and row > 0:
            self.focus -= cols
        elif action == "down":
            self.focus = self.focus + cols if row < last_row else SKIP
        if self.focus != SKIP:
            self.last_band_focus = self.focus
        return None

    # --- drawing ------------------------------------------------------------------------------------------
    def draw(self, surface: pygame.Surface) -> None:
        size = surface.get_size()
        width, height = size
        surface.blit(theme.vertical_gradient(size), (0, 0))
        title_size = self._title_size(height)
        # The question carries pinyin: the youngest visitors are the ones asked.
        rect = self.text.draw(surface, t("age_screen.title", self.lang), (width // 2, 20), title_size, theme.PAPER,
                              "midtop", pinyin=True, ruby_color=theme.PAPER)
        self.text.draw(surface, t("age_screen.title", _other(self.lang)), (width // 2, rect.bottom + 6),
                       title_size // 2, theme.PAPER, "midtop")
        for choice in self.choices(size):
            self._draw_choice(surface, choice)

    def _draw_choice(self, surface: pygame.Surface, choice: Choice) -> None:
        pressed = self.pressed is not None and self.pressed.index == choice.index
        rect = choice.rect.move(0, 5) if pressed else choice.rect  # a press sinks the button
        focused = self.keys_used and self.focus == choice.index
        surface.blit(theme.rounded_panel(rect.size, theme.SHADOW, radius=24), rect.move(6, 8))
        if focused:  # a ring around the button as well as its thick frame: focus never by colour alone
            ring = rect.inflate(18, 18)
            pygame.draw.rect(surface, theme.PAPER, ring, width=5, border_radius=30)
        surface.blit(theme.rounded_panel(rect.size, theme.CARD, radius=24, border=8 if focused else 2,
                                         border_colour=theme.ACCENT if focused else theme.INK_SOFT), rect)
        if choice.band is None:
            self.text.draw(surface, t("age_screen.skip", self.lang) + " ›", rect.center, 40, theme.INK, "center",
                           pinyin=True, ruby_color=theme.INK_SOFT)
            return
        inner = rect.inflate(-20, -20)
        face = self._face(choice.band, inner.size)
        surface.blit(face, inner)

    def _face(self, band: str, size: tuple[int, int]) -> pygame.Surface:
        """Pictogram, label, its pinyin (young bands) and a note: one cached surface per button size."""
        key = (band, size, self.lang)
        face = self._faces.get(key)
        if face is not None:
            return face
        width, height = size
        face = pygame.Surface(size, pygame.SRCALPHA)
        label = t(f"age_screen.band.{band}", self.lang)
        note = t(f"age_screen.note.{band}", self.lang)
        reading = t(f"age_screen.reading.{band}", self.lang) if band in YOUNG_BANDS else ""
        syllables = " ".join(s for s in pinyin_for(reading) if s) if has_han(reading) else ""
        label_size = self._fitting_size(label, min(48, width // 5), 26, width)
        pinyin_size = self._fitting_size(syllables, max(18, label_size // 2), 16, width)
        note_size = self._fitting_size(note, max(18, label_size * 2 // 5), 16, width)
        text_h = label_size + 8
        text_h += (pinyin_size + 6) if syllables else 0
        text_h += (note_size + 6) if note else 0
        art = pygame.Rect(0, 0, width, max(40, height - text_h - 8))
        draw_pictogram(face, band, art)
        y = art.bottom + 4
        if syllables:
            y = self.text.draw(face, self._fit(syllables, pinyin_size, width), (width // 2, y), pinyin_size,
                               theme.INK_SOFT, "midtop").bottom + 2
        y = self.text.draw(face, self._fit(label, label_size, width), (width // 2, y), label_size, theme.INK,
                           "midtop").bottom
        if note:
            self.text.draw(face, self._fit(note, note_size, width), (width // 2, y + 2), note_size, theme.INK_SOFT,
                           "midtop")
        self._faces[key] = face
        return face

    def _fitting_size(self, text: str, size: int, smallest: int, width: int) -> int:
        """The largest size from `size` down to `smallest` at which `text` fits the width (a long English label
        gets smaller, not cut)."""
        while size > smallest and text and self.text.size(text, size)[0] > width:
            size -= 2
        return size

    def _fit(self, text: str, size: int, width: int) -> str:
        """Shorten with an ellipsis so nothing spills out of its button."""
        if self.text.size(text, size)[0] <= width:
            return text
        while len(text) > 1 and self.text.size(text + "…", size)[0] > width:
            text = text[:-1]
        return text + "…"


def draw_pictogram(surface: pygame.Surface, band: str, area: pygame.Rect) -> None:
    """A figure that grows with the band, each with its own prop: a ball, a school bag, an open book, glasses."""
    scale = {"3-5": 0.58, "6-8": 0.72, "9-12": 0.86, "13+": 1.0}[band]
    figure_h = int(area.height * 0.92 * scale)
    foot = (area.centerx - area.width // 10, area.bottom - max(2, area.height // 30))
    head_r = max(6, figure_h // 7)
    body_w = max(10, int(head_r * 2.1))
    leg_h = figure_h * 3 // 10
    body_h = figure_h - leg_h - 2 * head_r
    x, ground = foot
    body = pygame.Rect(0, 0, body_w, body_h)
    body.midbottom = (x, ground - leg_h + 4)
    for dx in (-body_w // 4, body_w // 4):  # legs
        pygame.draw.line(surface, theme.INK, (x + dx, body.bottom - 2), (x + dx, ground), max(3, head_r // 2))
    pygame.draw.rect(surface, CLOTHES[band], body, border_radius=max(4, body_w // 3))
    pygame.draw.rect(surface, theme.INK, body, width=2, border_radius=max(4, body_w // 3))
    head = (x, body.top - head_r + 2)
    pygame.draw.circle(surface, SKIN, head, head_r)
    pygame.draw.circle(surface, theme.INK, head, head_r, width=2)
    prop = PROP[band]
    if band == "3-5":  # a big ball at the child's feet
        r = max(6, int(head_r * 1.2))
        centre = (x + body_w + r, ground - r)
        pygame.draw.circle(surface, prop, centre, r)
        pygame.draw.circle(surface, theme.INK, centre, r, width=2)
        pygame.draw.line(surface, theme.INK, (centre[0] - r, centre[1]), (centre[0] + r, centre[1]), 2)
    elif band == "6-8":  # a school bag on the back
        bag = pygame.Rect(0, 0, body_w * 3 // 4, body_h * 2 // 3)
        bag.midright = (body.left + 3, body.centery)
        pygame.draw.rect(surface, prop, bag, border_radius=6)
        pygame.draw.rect(surface, theme.INK, bag, width=2, border_radius=6)
    elif band == "9-12":  # an open book held in front
        w, h = body_w, max(8, body_h // 3)
        cx, cy = body.right + w // 2, body.centery
        for side in (-1, 1):
            page = [(cx, cy), (cx + side * w // 2, cy - h // 4), (cx + side * w // 2, cy + h), (cx, cy + h + h // 4)]
            pygame.draw.polygon(surface, prop, page)
            pygame.draw.polygon(surface, theme.INK, page, width=2)
    else:  # reading glasses
        r = max(3, head_r // 3)
        for dx in (-r - 1, r + 1):
            pygame.draw.circle(surface, prop, (head[0] + dx, head[1]), r, width=2)
        pygame.draw.line(surface, prop, (head[0] - 1, head[1]), (head[0] + 1, head[1]), 2)


def _other(lang: str) -> str:
    return next(code for code in LANGUAGES if code != lang)
