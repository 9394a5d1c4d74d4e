"""「你几岁啦？」: the one-tap age question after a visitor wakes the kiosk — four big picture buttons and 跳过.

A button picks on release over the one it was pressed on (like the menu); keys and game pads move a focus ring
(a thick frame and an outer ring, not only a colour) that appears once they are used, so touch visitors see no
answer suggested. Sizes are designed at 1080p and scale with the window's shorter side (theme.scale); on a zh-CN
kiosk everything is Chinese (pinyin over the question, the skip button and the young bands' labels).
"""
from __future__ import annotations

from dataclasses import dataclass

import pygame

from experiences.i18n import t
from experiences.kiosk import theme
from experiences.kiosk.ageband import BANDS, YOUNG_BANDS
from experiences.pinyin import has_han, pinyin_for
from experiences.runtime import InputEvent
from experiences.text import TextRenderer

MIN_BUTTON_HEIGHT = 160  # px: children tap with a whole hand
MAX_BUTTON_WIDTH = 380  # px at 1080p, like MARGIN and GAP (theme.px)
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
        self._faces: dict[tuple, pygame.Surface] = {}  # a button's pictogram per (band, size): drawn once
        self.reset()

    def reset(self) -> None:
        """A new visitor: nothing pressed, no focus ring until keys are used."""
        self.focus = 0
        self.last_band_focus = 0
        self.keys_used = False
        self.pressed: Choice | None = None

    # --- layout -------------------------------------------------------------------------------------------
    def header_height(self, size: tuple[int, int]) -> int:
        s = theme.scale(size)
        title_h = self.text.size_with_pinyin(t("age_screen.title", self.lang), theme.px(theme.PROMPT_PX, s),
                                             theme.px(theme.PROMPT_PINYIN_PX, s))[1]
        if self.lang != "zh-CN":  # an English kiosk also asks in Chinese, beneath
            title_h += self.text.size(t("age_screen.title", "zh-CN"), theme.px(theme.TEXT_PX, s))[1]
        return theme.px(16, s) + title_h + theme.px(16, s)

    def columns(self, size: tuple[int, int]) -> int:
        """Four in a row on a landscape screen, two by two in portrait or when a row would make them too narrow."""
        width, height = size
        margin, gap = theme.px(MARGIN, theme.scale(size)), theme.px(GAP, theme.scale(size))
        return 4 if width > height and (width - 2 * margin - 3 * gap) // 4 >= 160 else 2

    def choices(self, size: tuple[int, int]) -> list[Choice]:
        width, height = size
        s = theme.scale(size)
        margin, gap = theme.px(MARGIN, s), theme.px(GAP, s)
        cols = self.columns(size)
        rows = -(-len(BANDS) // cols)
        skip_h = max(theme.MIN_TOUCH, theme.px(140, s))
        top = self.header_height(size)
        free = height - top - skip_h - 2 * gap - margin // 2
        widest = MAX_BUTTON_WIDTH if cols == 4 else MAX_BUTTON_WIDTH * 5 // 4  # two by two: bigger buttons
        button_w = min(theme.px(widest, s, 160), (width - 2 * margin - (cols - 1) * gap) // cols)
        button_h = max(MIN_BUTTON_HEIGHT, min(int(button_w * 1.3), (free - (rows - 1) * GAP) // rows))
        grid_h = rows * button_h + (rows - 1) * gap
        top += max(0, (free - grid_h) // 2)
        left = (width - (cols * button_w + (cols - 1) * gap)) // 2
        out = []
        for i, band in enumerate(BANDS):
            row, col = divmod(i, cols)
            out.append(Choice(band, pygame.Rect(left + col * (button_w + gap), top + row * (button_h + gap),
                                                button_w, button_h), i))
        skip_w = max(theme.MIN_TOUCH * 3, theme.px(400, s))
        skip_top = max(top + grid_h + gap, height - skip_h - margin // 2)
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
        s = theme.scale(size)
        surface.blit(theme.vertical_gradient(size), (0, 0))
        # The question carries pinyin: the youngest visitors are the ones asked.
        rect = self.text.draw(surface, t("age_screen.title", self.lang), (width // 2, theme.px(16, s)),
                              theme.px(theme.PROMPT_PX, s), theme.PAPER, "midtop", pinyin=True,
                              ruby_color=theme.PAPER, ruby_size=theme.px(theme.PROMPT_PINYIN_PX, s), role="prompt")
        if self.lang != "zh-CN":
            self.text.draw(surface, t("age_screen.title", "zh-CN"), (width // 2, rect.bottom),
                           theme.px(theme.TEXT_PX, s), theme.PAPER, "midtop")
        for choice in self.choices(size):
            self._draw_choice(surface, choice, s)

    def _draw_choice(self, surface: pygame.Surface, choice: Choice, s: float) -> None:
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
            self.text.draw(surface, t("age_screen.skip", self.lang) + " ›", rect.center, theme.px(theme.TITLE_PX, s),
                           theme.INK, "center", pinyin=True, ruby_color=theme.INK_SOFT,
                           ruby_size=theme.px(theme.PINYIN_PX, s))
            return
        self._draw_face(surface, choice.band, rect.inflate(-theme.px(20, s, 8), -theme.px(20, s, 8)), s)

    def _draw_face(self, surface: pygame.Surface, band: str, inner: pygame.Rect, s: float) -> None:
        """Pictogram (drawn once per size), then the label, its pinyin (young bands) and a note beneath it."""
        width = inner.width
        label = t(f"age_screen.band.{band}", self.lang)
        note = t(f"age_screen.note.{band}", self.lang)
        reading = t(f"age_screen.reading.{band}", self.lang) if band in YOUNG_BANDS else ""
        syllables = " ".join(sy for sy in pinyin_for(reading) if sy) if has_han(reading) else ""
        label_size = self._fitting_size(label, theme.px(52, s), theme.px(32, s), width)
        pinyin_size = self._fitting_size(syllables, theme.px(26, s), theme.px(theme.PINYIN_PX, s), width)
        note_size = theme.px(32, s)
        notes = [note] if not note or self.text.size(note, note_size)[0] <= width else \
            [line for part in note.split(" · ") for line in self.text.wrap(part, note_size, width)]
        lines = ([(syllables, pinyin_size, theme.INK_SOFT, "pinyin")] if syllables else []) + \
            [(label, label_size, theme.INK, "text")] + [(n, note_size, theme.INK_SOFT, "text") for n in notes if n]
        heights = [self.text.size(line, size)[1] for line, size, _, _ in lines]
        art = pygame.Rect(inner.left, inner.top, width, max(40, inner.height - sum(heights)))
        surface.blit(self._face(band, art.size), art)
        y = art.bottom
        for (line, size, colour, role), h in zip(lines, heights):
            self.text.draw(surface, self._fit(line, size, width), (inner.centerx, y), size, colour, "midtop",
                           role=role)
            y += h

    def _face(self, band: str, size: tuple[int, int]) -> pygame.Surface:
        """The band's pictogram at `size`, drawn once."""
        key = (band, size)
        face = self._faces.get(key)
        if face is None:
            if len(self._faces) > 32:
                self._faces.clear()
            face = self._faces[key] = pygame.Surface(size, pygame.SRCALPHA)
            draw_pictogram(face, band, face.get_rect())
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

