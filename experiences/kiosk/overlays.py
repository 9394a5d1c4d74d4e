"""The two screens the shell lays over everything else: "还在吗？/Still there?" with its countdown, and the
friendly error screen shown for a moment after an experience fails.

Both name the situation in the kiosk language first and the other language beneath it.
"""
from __future__ import annotations

import pygame

from experiences.i18n import LANGUAGES, t
from experiences.kiosk import theme
from experiences.pinyin import has_han
from experiences.text import TextRenderer


def _other(lang: str) -> str:
    return next(code for code in LANGUAGES if code != lang)


def _dim(surface: pygame.Surface, alpha: int) -> None:
    veil = pygame.Surface(surface.get_size(), pygame.SRCALPHA)
    veil.fill((16, 18, 24, alpha))
    surface.blit(veil, (0, 0))


def draw_idle_warning(surface: pygame.Surface, text: TextRenderer, seconds_left: int, lang: str = "zh-CN") -> None:
    """Dim what is under it and ask, with a countdown that changes once a second (no blinking)."""
    width, height = surface.get_size()
    _dim(surface, 170)
    panel_size = (min(width - 80, 760), min(height - 80, 460))
    panel = theme.rounded_panel(panel_size, theme.PAPER, radius=32, border=4, border_colour=theme.ACCENT)
    rect = panel.get_rect(center=(width // 2, height // 2))
    surface.blit(panel, rect)
    y = rect.top + 36
    # The question carries pinyin (its Chinese line only): a child alone at the kiosk may be the one asked.
    question = t("kiosk.still_there", lang)
    y = text.draw(surface, question, (rect.centerx, y), 64 if has_han(question) else 72, theme.INK, "midtop",
                  pinyin=True, ruby_color=theme.INK_SOFT).bottom
    y = text.draw(surface, t("kiosk.still_there", _other(lang)), (rect.centerx, y + 4), 32, theme.INK_SOFT,
                  "midtop", pinyin=True).bottom
    number = text.draw(surface, str(seconds_left), (rect.centerx, y + 12), 120, theme.ACCENT, "midtop")
    hint_box = pygame.Rect(rect.left + 30, number.bottom + 8, rect.width - 60, rect.bottom - number.bottom - 16)
    text.draw_paragraph(surface, t("kiosk.still_there_hint", lang, seconds=seconds_left), hint_box, 30, theme.INK)


def draw_error(surface: pygame.Surface, text: TextRenderer, lang: str = "zh-CN") -> None:
    """A calm page with a small drawn book: nothing technical, the menu follows by itself."""
    width, height = surface.get_size()
    surface.blit(theme.vertical_gradient((width, height)), (0, 0))
    centre_x = width // 2
    _draw_book(surface, (centre_x, int(height * 0.3)), max(60, height // 7))
    y = int(height * 0.48)
    y = text.draw(surface, t("kiosk.oops", lang), (centre_x, y), 60, theme.PAPER, "midtop").bottom
    y = text.draw(surface, t("kiosk.oops", _other(lang)), (centre_x, y + 6), 30, theme.PAPER, "midtop").bottom
    text.draw(surface, t("kiosk.oops_hint", lang), (centre_x, y + 30), 36, theme.ACCENT, "midtop")


POSTER_DIM = 50  # a light veil: the poster stays recognisable, the words stand out
UNAVAILABLE = "暂时打不开"  # always in Chinese, the words a child at the kiosk reads


def draw_unavailable(surface: pygame.Surface, text: TextRenderer, poster: pygame.Surface, lang: str = "zh-CN") -> None:
    """An experience that could not start (e.g. no 3D on this machine): its poster, calmly dimmed, with
    暂时打不开 on a paper band; with the kiosk in English also its pinyin and a short English line. The menu
    follows by itself (the error screen's time)."""
    width, height = surface.get_size()
    surface.blit(poster, poster.get_rect(center=(width // 2, height // 2)))
    _dim(surface, POSTER_DIM)
    english = lang == "en"
    band_height = min(height - 40, 230 if english else 150)
    band = theme.rounded_panel((min(width - 60, 720), band_height), theme.PAPER, radius=28, border=4,
                               border_colour=theme.ACCENT)
    rect = band.get_rect(center=(width // 2, height // 2))
    surface.blit(band, rect)
    top = rect.top + (24 if english else 0)
    line = text.draw(surface, UNAVAILABLE, (rect.centerx, top + (0 if english else band_height // 2)), 72, theme.INK,
                     "midtop" if english else "center", pinyin=english, ruby_color=theme.INK_SOFT)
    if english:
        text.draw(surface, t("kiosk.unavailable", "en"), (rect.centerx, line.bottom + 10), 34, theme.INK_SOFT, "midtop")


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
