"""The screens the shell lays over everything else: 还在吗？ with its countdown, the friendly error screen shown for
a moment after an experience fails, and 暂时打不开 over the poster of one that could not start.

They speak the kiosk's language, with pinyin over the Chinese for children; an English kiosk also shows the
Chinese beneath (a zh-CN kiosk shows no English). Sizes are designed at 1080p and scale with the window's
shorter side (theme.scale).
"""
from __future__ import annotations

import pygame

from experiences.i18n import t
from experiences.kiosk import theme
from experiences.text import TextRenderer


def _dim(surface: pygame.Surface, alpha: int) -> None:
    veil = pygame.Surface(surface.get_size(), pygame.SRCALPHA)
    veil.fill((16, 18, 24, alpha))
    surface.blit(veil, (0, 0))


def _line(text: TextRenderer, surface: pygame.Surface, message: str, pos, size: int, ruby: int, colour, ruby_colour,
          role: str = "text") -> pygame.Rect:
    """One line with its pinyin (a line without Han characters is drawn plainly)."""
    return text.draw(surface, message, pos, size, colour, "midtop", pinyin=True, ruby_color=ruby_colour,
                     ruby_size=ruby, role=role)


def draw_idle_warning(surface: pygame.Surface, text: TextRenderer, seconds_left: int, lang: str = "zh-CN",
                      in_headset: bool = False) -> None:
    """Dim what is under it and ask, with a countdown that changes once a second (no blinking). In a headset
    (on a quad in front of the run) the hint says to press the trigger."""
    width, height = surface.get_size()
    s = theme.scale((width, height))
    _dim(surface, 170)
    panel_size = (min(width - theme.px(60, s), theme.px(820, s)), min(height - theme.px(40, s), theme.px(560, s)))
    panel = theme.rounded_panel(panel_size, theme.PAPER, radius=theme.px(32, s), border=theme.px(4, s, 2),
                                border_colour=theme.ACCENT)
    rect = panel.get_rect(center=(width // 2, height // 2))
    surface.blit(panel, rect)
    # The question carries pinyin: a child alone at the kiosk may be the one asked.
    y = _line(text, surface, t("kiosk.still_there", lang), (rect.centerx, rect.top + theme.px(28, s)),
              theme.px(72, s), theme.px(30, s), theme.INK, theme.INK_SOFT, "prompt").bottom
    if lang != "zh-CN":
        y = text.draw(surface, t("kiosk.still_there", "zh-CN"), (rect.centerx, y), theme.px(theme.TEXT_PX, s),
                      theme.INK_SOFT, "midtop").bottom
    number = text.draw(surface, str(seconds_left), (rect.centerx, y + theme.px(4, s)), theme.px(140, s), theme.ACCENT,
                       "midtop")
    hint = "kiosk.still_there_hint_vr" if in_headset else "kiosk.still_there_hint"
    _line(text, surface, t(hint, lang, seconds=seconds_left),
          (rect.centerx, number.bottom + theme.px(4, s)), theme.px(44, s), theme.px(theme.PINYIN_PX, s), theme.INK,
          theme.INK_SOFT)


def draw_error(surface: pygame.Surface, text: TextRenderer, lang: str = "zh-CN") -> None:
    """A calm page with a small drawn book: nothing technical, the menu follows by itself."""
    width, height = surface.get_size()
    s = theme.scale((width, height))
    surface.blit(theme.vertical_gradient((width, height)), (0, 0))
    centre_x = width // 2
    _draw_book(surface, (centre_x, int(height * 0.3)), theme.px(150, s, 30))
    y = int(height * 0.46)
    y = _line(text, surface, t("kiosk.oops", lang), (centre_x, y), theme.px(theme.PROMPT_PX, s),
              theme.px(theme.PROMPT_PINYIN_PX, s), theme.PAPER, theme.PAPER, "prompt").bottom
    if lang != "zh-CN":
        y = text.draw(surface, t("kiosk.oops", "zh-CN"), (centre_x, y + theme.px(6, s)), theme.px(theme.TEXT_PX, s),
                      theme.PAPER, "midtop").bottom
    _line(text, surface, t("kiosk.oops_hint", lang), (centre_x, y + theme.px(30, s)), theme.px(theme.TITLE_PX, s),
          theme.px(theme.PINYIN_PX, s), theme.ACCENT, theme.ACCENT)


POSTER_DIM = 50  # a light veil: the poster stays recognisable, the words stand out
UNAVAILABLE = "暂时打不开"  # always in Chinese, the words a child at the kiosk reads


def draw_unavailable(surface: pygame.Surface, text: TextRenderer, poster: pygame.Surface, lang: str = "zh-CN") -> None:
    """An experience that could not start (e.g. no 3D on this machine): its poster, calmly dimmed, with
    暂时打不开 and its pinyin on a paper band; with the kiosk in English also a short English line. The menu
    follows by itself (the error screen's time)."""
    width, height = surface.get_size()
    s = theme.scale((width, height))
    if poster.get_size() != (width, height):  # a whole cover on a tall screen: the calm ground around it
        surface.blit(theme.vertical_gradient((width, height)), (0, 0))
    surface.blit(poster, poster.get_rect(center=(width // 2, height // 2)))
    _dim(surface, POSTER_DIM)
    english = lang == "en"
    size, ruby = theme.px(80, s), theme.px(34, s)
    line_h = text.size_with_pinyin(UNAVAILABLE, size, ruby)[1]
    english_h = text.size(t("kiosk.unavailable", "en"), theme.px(theme.TEXT_PX, s))[1] if english else 0
    pad = theme.px(24, s)
    band_height = min(height - 40, line_h + english_h + 2 * pad)
    band = theme.rounded_panel((min(width - 60, theme.px(760, s)), band_height), theme.PAPER, radius=theme.px(28, s),
                               border=theme.px(4, s, 2), border_colour=theme.ACCENT)
    rect = band.get_rect(center=(width // 2, height // 2))
    if poster.get_height() + 2 * band_height < height:  # a whole cover on a tall screen: the band beneath it
        rect.top = (height + poster.get_height()) // 2 + pad
    surface.blit(band, rect)
    line = _line(text, surface, UNAVAILABLE, (rect.centerx, rect.top + pad), size, ruby, theme.INK, theme.INK_SOFT,
                 "prompt")
    if english:
        text.draw(surface, t("kiosk.unavailable", "en"), (rect.centerx, line.bottom), theme.px(theme.TEXT_PX, s),
                  theme.INK_SOFT, "midtop")


def _draw_book(surface: pygame.Surface, centre: tuple[int, int], size: int) -> None:
    x, y = centre
    left = [(x, y - size // 2), (x - size, y - size // 2 - size // 6), (x - size, y + size // 2),
            (x, y + size // 2 + size // 6)]
    right = [(2 * x - px, py) for px, py in left]
    for page in (left, right):
        pygame.draw.polygon(surface, theme.PAPER, page)
        pygame.draw.polygon(surface, theme.INK_SOFT, page, width=3)
    for i in range(1, 4):  # lines of text on each page
        dy = y - size // 2 + i * size // 4
        pygame.draw.line(surface, theme.INK_SOFT, (x - size * 3 // 4, dy), (x - size // 6, dy + size // 12), 2)
        pygame.draw.line(surface, theme.INK_SOFT, (x + size // 6, dy + size // 12), (x + size * 3 // 4, dy), 2)
