"""The short goodbye after a visitor leaves an experience with the home button: what they did (the kind's
`visit_summary()`), kind words, then the menu — after GOODBYE_SECONDS or a tap, whichever comes first.

Calm on purpose: no motion, no flashing; a smiling face, the words with pinyin for young children (and for
visitors who did not say their age). Sizes are designed at 1080p and scale with the window's shorter side.
"""
from __future__ import annotations

import pygame

from experiences.i18n import t
from experiences.kiosk import theme
from experiences.pinyin import has_han
from experiences.runtime import InputEvent, home_scale
from experiences.text import TextRenderer

GOODBYE_SECONDS = 2.5
TAP_GUARD_SECONDS = 0.4  # a double tap on the home button does not skip the goodbye unread
OLDER_BANDS = ("9-12", "13+")  # these read without pinyin


class Goodbye:
    def __init__(self, summary: str | None, text: TextRenderer, lang: str, started: float,
                 age_band: str | None = None, seconds: float = GOODBYE_SECONDS):
        self.summary = summary.strip().rstrip("。.!！") if summary else None
        self.text = text
        self.lang = lang
        self.started = started
        self.seconds = seconds
        self.pinyin = age_band not in OLDER_BANDS

    def lines(self) -> list[str]:
        """What the goodbye says, biggest first (what they did, then the kind words)."""
        if not self.summary:
            return [t("kiosk_goodbye.thanks", self.lang)]
        return [self.summary, t("kiosk_goodbye.well_done", self.lang)]

    def over(self, now: float) -> bool:
        return now - self.started >= self.seconds

    def handle(self, event: InputEvent, now: float) -> bool:
        """True when this input ends the goodbye (a tap, or select/back), once the guard time has passed."""
        if now - self.started < TAP_GUARD_SECONDS:
            return False
        return event.type == "pointer_down" or (event.type == "action" and event.action in ("select", "back"))

    def draw(self, surface: pygame.Surface) -> None:
        width, height = surface.get_size()
        scale = home_scale((width, height))  # 1.0 when the shorter side is 1080 px, like theme.scale
        surface.blit(theme.vertical_gradient((width, height)), (0, 0))
        face = max(40, round(110 * scale))
        centre_x = width // 2
        y = height * 0.42 - face * 2.2
        _draw_smile(surface, (centre_x, round(y + face)), face)
        y += face * 2 + 40 * scale
        first, *rest = self.lines()
        box = pygame.Rect(round(40 * scale), round(y), width - round(80 * scale), height)
        y += self.text.draw_paragraph(surface, first, box, theme.px(64, scale), theme.PAPER,
                                      pinyin=self.pinyin and has_han(first), ruby_color=theme.PAPER)
        for line in rest:
            box.top = round(y + 8 * scale)
            y = box.top + self.text.draw_paragraph(surface, line, box, theme.px(56, scale), theme.ACCENT,
                                                   pinyin=self.pinyin and has_han(line), ruby_color=theme.ACCENT)
        if self.lang != "zh-CN":  # an English kiosk says it in Chinese too; a Chinese one shows no English
            box.top = round(y + 16 * scale)
            self.text.draw_paragraph(surface, t("kiosk_goodbye.well_done" if self.summary else "kiosk_goodbye.thanks",
                                                "zh-CN"), box, theme.px(theme.TEXT_PX, scale), theme.PAPER)
        self.text.draw(surface, t("kiosk_goodbye.tap", self.lang), (centre_x, height - round(40 * scale)),
                       theme.px(theme.TEXT_PX, scale), theme.PAPER, "midbottom", pinyin=self.pinyin,
                       ruby_color=theme.PAPER, ruby_size=theme.px(theme.PINYIN_PX, scale))


def _draw_smile(surface: pygame.Surface, centre: tuple[int, int], radius: int) -> None:
    """A round smiling face: what a child reads before any word."""
    x, y = centre
    line = max(3, radius // 14)
    pygame.draw.circle(surface, (250, 206, 96), centre, radius)
    pygame.draw.circle(surface, theme.INK, centre, radius, width=line)
    for side in (-1, 1):
        pygame.draw.circle(surface, theme.INK, (x + side * radius * 36 // 100, y - radius * 22 // 100),
                           max(3, radius // 9))
        pygame.draw.circle(surface, (240, 150, 130), (x + side * radius * 58 // 100, y + radius * 18 // 100),
                           max(3, radius // 7))
    mouth = pygame.Rect(0, 0, radius, radius * 3 // 4)
    mouth.center = (x, y + radius // 8)
    pygame.draw.arc(surface, theme.INK, mouth, 3.5, 5.93, line + 1)
