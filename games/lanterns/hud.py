"""The lantern game's words on screen: the idiom banner with its blank, the timer, the story card, the summary."""
from __future__ import annotations

import pygame

from experiences.i18n import t
from experiences.pinyin import has_han
from games.idioms.rounds import Round
from games.idioms.toplist import Entry, nickname_text
from games.ui.text import pinyin_shown, text_renderer
from games.ui.widgets import GOLD, INK, PAPER, RUBY, Button

BANNER_SIZE = 64


_banner_cache: dict[tuple, tuple[pygame.Surface, pygame.Rect]] = {}


def draw_idiom_banner(surface: pygame.Surface, rnd: Round, show_pinyin: bool, show_blank_pinyin: bool,
                      solved: bool, lang: str) -> pygame.Rect:
    """The idiom across the top (rendered once per state of the round, then blitted)."""
    key = (rnd.idiom.word, rnd.position, show_pinyin, show_blank_pinyin, solved, surface.get_width())
    cached = _banner_cache.get(key)
    if cached is None:
        if len(_banner_cache) > 16:
            _banner_cache.clear()
        layer = pygame.Surface(surface.get_size(), pygame.SRCALPHA)
        # an eye of a VR window under 1000 px is narrower than the banner: keep what fits, never raise
        panel = _render_banner(layer, rnd, show_pinyin, show_blank_pinyin, solved).clip(layer.get_rect())
        image = layer.subsurface(panel).copy()
        if pygame.display.get_surface():
            image = image.convert_alpha()
        cached = _banner_cache[key] = (image, panel)
    surface.blit(cached[0], cached[1])
    return cached[1]


def _render_banner(surface: pygame.Surface, rnd: Round, show_pinyin: bool, show_blank_pinyin: bool,
                   solved: bool) -> pygame.Rect:
    """The hidden character is a dashed box with a question mark (or the answer, underlined, once solved)."""
    text = text_renderer()
    width = surface.get_width()
    cell, size, ruby = 110, BANNER_SIZE, 26
    left = width / 2 - cell * 2
    top = 18
    panel = pygame.Rect(left - 30, top - 6, cell * 4 + 60, size + ruby + 40)
    pygame.draw.rect(surface, PAPER, panel, border_radius=16)
    pygame.draw.rect(surface, GOLD, panel, width=4, border_radius=16)
    for i, char in enumerate(rnd.idiom.word):
        cx = left + cell * (i + 0.5)
        hidden = i == rnd.position and not solved
        syllable = rnd.idiom.pinyin[i]
        if (show_pinyin and not hidden) or (hidden and show_blank_pinyin) or (solved and i == rnd.position):
            text.draw(surface, syllable, (cx, top + 4), ruby, (120, 40, 30), anchor="midtop")
        box = pygame.Rect(0, 0, size + 10, size + 10)
        box.midtop = (cx, top + ruby + 10)
        if hidden:
            _dashed_rect(surface, box, INK)
            text.draw(surface, "?", box.center, size - 18, (150, 120, 100), anchor="center")
        else:
            text.draw(surface, char, box.center, size, INK, anchor="center")
            if solved and i == rnd.position:
                pygame.draw.line(surface, (200, 50, 40), (box.left + 6, box.bottom), (box.right - 6, box.bottom), 4)
    return panel


def _dashed_rect(surface, rect: pygame.Rect, color, dash: int = 10) -> None:
    for x in range(rect.left, rect.right, dash * 2):
        pygame.draw.line(surface, color, (x, rect.top), (min(x + dash, rect.right), rect.top), 3)
        pygame.draw.line(surface, color, (x, rect.bottom), (min(x + dash, rect.right), rect.bottom), 3)
    for y in range(rect.top, rect.bottom, dash * 2):
        pygame.draw.line(surface, color, (rect.left, y), (rect.left, min(y + dash, rect.bottom)), 3)
        pygame.draw.line(surface, color, (rect.right, y), (rect.right, min(y + dash, rect.bottom)), 3)


def draw_status(surface: pygame.Surface, number: int, total: int, score: int, time_left: float | None,
                time_limit: float, lang: str) -> None:
    text = text_renderer()
    width, height = surface.get_size()
    py = pinyin_shown()
    first = text.draw(surface, t("lanterns.round_of", lang, n=number, total=total), (24, 24), 28, PAPER, pinyin=py)
    text.draw(surface, t("lanterns.score", lang, score=score), (width - 24, 24), 28, PAPER, anchor="topright",
              pinyin=py)
    below = first.bottom + 5  # the second line moves down by the first one's pinyin row
    if time_left is None:
        text.draw(surface, t("lanterns.no_time_limit", lang), (24, below), 24, (200, 200, 230), pinyin=py)
        return
    # Time as a shrinking bar and a number: no colour change, no blinking.
    bar = pygame.Rect(24, below + 2, 220, 18)
    pygame.draw.rect(surface, PAPER, bar, 2, border_radius=9)
    fill = bar.inflate(-6, -6)
    fill.width = int(fill.width * max(0.0, time_left) / time_limit)
    pygame.draw.rect(surface, PAPER, fill, border_radius=6)
    text.draw(surface, t("lanterns.time_left", lang, seconds=max(0, int(time_left + 0.99))), (256, bar.centery), 24,
              PAPER, anchor="midleft", pinyin=py)


def story_card_rect(size: tuple[int, int]) -> pygame.Rect:
    width, height = size
    return pygame.Rect(width * 0.12, height * 0.2, width * 0.76, height * 0.74)


def draw_story_card(surface: pygame.Surface, rnd: Round, solved: bool, next_button: Button, lang: str) -> None:
    """After a hit (or when time ran out): the idiom with pinyin, its meaning, origin and an example."""
    text = text_renderer()
    card = story_card_rect(surface.get_size())
    shade = pygame.Surface(surface.get_size(), pygame.SRCALPHA)
    shade.fill((0, 0, 0, 120))
    surface.blit(shade, (0, 0))
    pygame.draw.rect(surface, PAPER, card, border_radius=24)
    pygame.draw.rect(surface, GOLD, card, width=6, border_radius=24)
    idiom = rnd.idiom
    head = text.draw_ruby(surface, list(idiom.word), list(idiom.pinyin), (card.centerx, card.top + 22), 60, INK,
                          ruby_color=(150, 50, 30), anchor="midtop")
    y = head.bottom + 8
    py = pinyin_shown()
    if not solved:
        y += text.draw_paragraph(surface, t("lanterns.answer_was", lang, char=rnd.answer),
                                 pygame.Rect(card.left, y, card.width, 40), 28, RUBY, pinyin=py,
                                 readings={f"“{rnd.answer}”": ("", rnd.idiom.pinyin[rnd.position], "")})
    body = pygame.Rect(card.left + 40, y + 6, card.width - 80, card.bottom - y - 110)
    example = idiom.example + (f"——{idiom.example_source}" if idiom.example_source else "")
    for key, value in (("story_explanation", idiom.explanation), ("story_derivation", idiom.derivation),
                       ("story_example", example)):
        if not value or body.height < 40:
            continue
        label = text.draw(surface, t(f"lanterns.{key}", lang) + "：", body.topleft, 26, RUBY, pinyin=py)
        top = body.top + (text.pinyin_row_height(26) if py and label.height > text.size("：", 26)[1] else 0)
        body_pinyin = py and has_han(value)  # young readers get pinyin on the story text too
        lines = text.wrap(value, 26, body.right - label.right, body_pinyin)
        line_height = 34 + (text.pinyin_row_height(26) if body_pinyin else 0)
        room = max(1, min(4, (body.bottom - top - 20) // line_height))  # at most four lines each, what fits
        if len(lines) > room:
            lines = lines[:room]
            lines[-1] = lines[-1][:-1] + "…"
        # Characters start level with the heading's characters (pinyin rows level with its pinyin row).
        y = body.top if body_pinyin else top
        for line in lines:
            y = text.draw(surface, line, (label.right, y), 26, INK, pinyin=body_pinyin).bottom + 6
        used = max(y - body.top, label.height) + 10
        body.top += used
        body.height -= used
    next_button.draw(surface, focused=True)


def draw_summary(surface: pygame.Surface, correct: int, total: int, score: int, buttons: list[Button],
                 focus: int, top: list[Entry] | None, mine: int | None, lang: str) -> None:
    text = text_renderer()
    width, height = surface.get_size()
    shade = pygame.Surface(surface.get_size(), pygame.SRCALPHA)
    shade.fill((0, 0, 0, 150))
    surface.blit(shade, (0, 0))
    py = pinyin_shown()
    # With pinyin the three lines are smaller, so they still end above the nickname buttons.
    title = text.draw(surface, t("lanterns.summary_title", lang), (width / 2, 20 if py else 30), 50 if py else 64,
                      GOLD, anchor="midtop", pinyin=py)
    line = text.draw(surface, t("lanterns.summary_score", lang, correct=correct, total=total, score=score),
                     (width / 2, max(110, title.bottom + 4) if not py else title.bottom + 2), 28 if py else 34,
                     PAPER, anchor="midtop", pinyin=py)
    below = max(164, line.bottom + 4) if not py else line.bottom + 2
    if top is None:
        text.draw(surface, t("lanterns.pick_nickname", lang), (width / 2, below), 26 if py else 30, PAPER,
                  anchor="midtop", pinyin=py)
    else:
        text.draw(surface, t("lanterns.top_list", lang), (width / 2, below), 26 if py else 30, PAPER,
                  anchor="midtop", pinyin=py)
        for i, entry in enumerate(top[:5]):
            y = 210 + i * 44
            marker = "→ " if mine is not None and i + 1 == mine else "   "  # the child's own line: a marker too
            size = 22 if py else 30  # with pinyin above each nickname the row still fits its 44 px
            text.draw(surface, f"{marker}{i + 1}. {nickname_text(entry.nickname, lang)}", (width / 2 - 200, y), size,
                      PAPER, pinyin=py)
            text.draw(surface, str(entry.score), (width / 2 + 200, y + (44 - 8 - size if py else 0)), size, PAPER,
                      anchor="topright")
    for i, button in enumerate(buttons):
        button.draw(surface, focused=i == focus)
