"""The lantern game's words on the aiming screen: the status line, the progress pips, the idiom banner with its
blank, and the message line above the bow. Sizes come from games.lanterns.layout (1080p design, scaled).
The story card and the summary are in games.lanterns.card."""
from __future__ import annotations

import pygame

from experiences.i18n import t
from experiences.pinyin import has_han
from games.idioms.rounds import Round
from games.lanterns import layout as L
from games.ui.text import pinyin_shown, text_renderer
from games.ui.widgets import GOLD, INK, PAPER, RUBY

FAINT = (150, 140, 170)


def status_height(size: tuple[int, int]) -> int:
    text = text_renderer()
    s = L.px(L.STATUS_PX, size)
    if pinyin_shown():
        return text.size_with_pinyin("第题", s, L.px(L.STATUS_RUBY_PX, size))[1]
    return text.size("第 1", s)[1]


def draw_status(surface: pygame.Surface, number: int, total: int, score: int, lang: str) -> pygame.Rect:
    """「第 1 / 8 题」 at the top left, 「得分 40」 at the top right."""
    text = text_renderer()
    size = surface.get_size()
    py = pinyin_shown()
    s, ruby, margin = L.px(L.STATUS_PX, size), L.px(L.STATUS_RUBY_PX, size), L.px(20, size)
    first = text.draw(surface, t("lanterns.round_of", lang, n=number, total=total), (margin, margin), s, PAPER,
                      pinyin=py, ruby_size=ruby)
    text.draw(surface, t("lanterns.score", lang, score=score), (size[0] - margin, margin), s, PAPER,
              anchor="topright", pinyin=py, ruby_size=ruby)
    return first


def draw_timer(surface: pygame.Surface, row: tuple[int, int, int, int], time_left: float, time_limit: float,
               lang: str) -> pygame.Rect:
    """Time as a shrinking bar and 「还剩 12 秒」, centred in its row: no colour change, no blinking."""
    text = text_renderer()
    size = surface.get_size()
    s = L.px(L.STATUS_PX, size)
    label = t("lanterns.time_left", lang, seconds=max(0, int(time_left + 0.99)))
    label_w = text.size(label, s)[0]
    bar = pygame.Rect(0, 0, L.px(240, size), L.px(26, size))
    gap = L.px(18, size)
    left = row[0] + (row[2] - bar.w - gap - label_w) // 2
    bar.midleft = (left, row[1] + row[3] // 2)
    pygame.draw.rect(surface, PAPER, bar, max(1, L.px(3, size)), border_radius=bar.h // 2)
    fill = bar.inflate(-L.px(8, size), -L.px(8, size))
    fill.width = int(fill.width * max(0.0, time_left) / time_limit)
    pygame.draw.rect(surface, PAPER, fill, border_radius=fill.h // 2)
    return text.draw(surface, label, (bar.right + gap, bar.centery), s, PAPER, anchor="midleft")


def draw_pips(surface: pygame.Surface, area: tuple[int, int, int, int], results: list[bool], current: int,
              total: int) -> None:
    """A row of small lanterns, one per idiom: lit and ticked when answered, hollow with a dot when the time ran
    out, the current one outlined and larger, the rest dim outlines (shape and fill, not colour alone)."""
    x0, y0, w, h = area
    step = w / max(1, total)
    for i in range(total):
        cx, cy = x0 + step * (i + 0.5), y0 + h / 2
        rw, rh = step * 0.62, h * 0.72
        if i == current:
            rw, rh = step * 0.78, h * 0.92
        body = pygame.Rect(0, 0, round(rw), round(rh))
        body.center = (round(cx), round(cy))
        L.note_box(surface, f"pip:{i + 1}", tuple(body), "pips")
        if i < len(results):
            if results[i]:
                pygame.draw.ellipse(surface, (214, 48, 40), body)
                pygame.draw.ellipse(surface, GOLD, body, max(2, round(h / 18)))
                k = body.h * 0.22
                pygame.draw.lines(surface, PAPER, False, [(cx - k, cy), (cx - k * 0.3, cy + k * 0.7),
                                                          (cx + k, cy - k * 0.8)], max(2, round(h / 14)))
            else:
                pygame.draw.ellipse(surface, PAPER, body, max(2, round(h / 18)))
                pygame.draw.circle(surface, PAPER, (cx, cy), max(2, h * 0.08))
        elif i == current:
            pygame.draw.ellipse(surface, (120, 40, 40), body)
            pygame.draw.ellipse(surface, PAPER, body, max(3, round(h / 12)))
        else:
            pygame.draw.ellipse(surface, FAINT, body, max(2, round(h / 20)))


def banner_rect(size: tuple[int, int], top: int | None = None) -> pygame.Rect:
    rect = pygame.Rect(0, 0, L.banner_width(size), L.banner_height(size))
    rect.midtop = (size[0] // 2, L.px(14, size) if top is None else top)
    return rect


def draw_idiom_banner(surface: pygame.Surface, rnd: Round, show_pinyin: bool, show_blank_pinyin: bool,
                      solved: bool, lang: str, rect: pygame.Rect | None = None) -> pygame.Rect:
    """The idiom across the top. The hidden character is a dashed box with a question mark (or the answer,
    underlined, once solved)."""
    text = text_renderer()
    size = surface.get_size()
    panel = rect or banner_rect(size)
    s, ruby, cell = L.px(L.BANNER_PX, size), L.px(L.BANNER_RUBY_PX, size), L.px(L.BANNER_CELL, size)
    pygame.draw.rect(surface, PAPER, panel, border_radius=L.px(18, size))
    pygame.draw.rect(surface, GOLD, panel, width=max(2, L.px(5, size)), border_radius=L.px(18, size))
    L.note_box(surface, "banner", tuple(panel), "hud")
    left = panel.centerx - cell * 2
    ruby_top = panel.top + L.px(10, size)
    char_top = ruby_top + round(ruby * 1.35)
    for i, char in enumerate(rnd.idiom.word):
        cx = left + cell * (i + 0.5)
        hidden = i == rnd.position and not solved
        syllable = rnd.idiom.pinyin[i]
        if (show_pinyin and not hidden) or (hidden and show_blank_pinyin) or (solved and i == rnd.position):
            text.draw(surface, syllable, (cx, ruby_top), ruby, RUBY, anchor="midtop", role="pinyin")
        box = pygame.Rect(0, 0, round(s * 1.12), round(s * 1.12))
        box.midtop = (round(cx), char_top)
        if hidden:
            _dashed_rect(surface, box, INK, max(4, L.px(10, size)), max(2, L.px(4, size)))
            text.draw(surface, "?", box.center, round(s * 0.8), (150, 120, 100), anchor="center", role="deco")
        else:
            text.draw(surface, char, box.center, s, INK, anchor="center", role="prompt")
            if solved and i == rnd.position:
                pygame.draw.line(surface, (200, 50, 40), (box.left + 6, box.bottom), (box.right - 6, box.bottom),
                                 max(3, L.px(6, size)))
    return panel


def blank_box(surface_size: tuple[int, int], rnd: Round, rect: pygame.Rect | None = None) -> pygame.Rect:
    """Where the blank's dashed box is (the first-round hint points at it)."""
    panel = rect or banner_rect(surface_size)
    cell = L.px(L.BANNER_CELL, surface_size)
    cx = panel.centerx - cell * 2 + cell * (rnd.position + 0.5)
    s = L.px(L.BANNER_PX, surface_size)
    box = pygame.Rect(0, 0, round(s * 1.12), round(s * 1.12))
    box.midtop = (round(cx), panel.top + L.px(10, surface_size) + round(L.px(L.BANNER_RUBY_PX, surface_size) * 1.35))
    return box


def _dashed_rect(surface, rect: pygame.Rect, color, dash: int = 10, width: int = 3) -> None:
    for x in range(rect.left, rect.right, dash * 2):
        pygame.draw.line(surface, color, (x, rect.top), (min(x + dash, rect.right), rect.top), width)
        pygame.draw.line(surface, color, (x, rect.bottom), (min(x + dash, rect.right), rect.bottom), width)
    for y in range(rect.top, rect.bottom, dash * 2):
        pygame.draw.line(surface, color, (rect.left, y), (rect.left, min(y + dash, rect.bottom)), width)
        pygame.draw.line(surface, color, (rect.right, y), (rect.right, min(y + dash, rect.bottom)), width)


def fit_size(label: str, size: int, least: int, width: int, pinyin: bool, ruby: int) -> int:
    """The largest size from `size` down to `least` at which `label` fits `width` (pinyin row included)."""
    text = text_renderer()
    while size > least:
        w = text.size_with_pinyin(label, size, ruby)[0] if pinyin else text.size(label, size)[0]
        if w <= width:
            break
        size -= 2
    return max(size, least)


def draw_message(surface: pygame.Surface, parts: list[tuple[str, str]], bottom_centre: tuple[float, float],
                 size: int, color=(255, 250, 230)) -> pygame.Rect:
    """One line of words above the bow, centred: `parts` are (text, role) pieces — a syllable as its own
    "pinyin" piece, so 「缺的字读 xiàng」 keeps its pinyin apart from the Han words (drawn with their own pinyin
    row for young readers)."""
    text = text_renderer()
    screen = surface.get_size()
    py = pinyin_shown()
    ruby = max(L.px(L.PROMPT_RUBY_PX, screen), round(size * 0.46))
    least = L.px(L.PROMPT_PX, screen)
    room = screen[0] - 2 * L.px(24, screen)

    def measure(s: int) -> list[tuple[int, int]]:
        out = []
        for piece, role in parts:
            if py and role != "pinyin" and has_han(piece):
                out.append(text.size_with_pinyin(piece, s, max(ruby, round(s * 0.46))))
            else:
                out.append(text.size(piece, s))
        return out

    while size > least and sum(w for w, _ in measure(size)) + L.px(12, screen) * len(parts) > room:
        size -= 2
    sizes = measure(size)
    total = sum(w for w, _ in sizes) + L.px(12, screen) * (len(parts) - 1)
    x = bottom_centre[0] - total / 2
    drawn = pygame.Rect(round(x), round(bottom_centre[1]), 0, 0)
    for (piece, role), (w, h) in zip(parts, sizes):
        rect = text.draw(surface, piece, (x, bottom_centre[1]), size, color, anchor="bottomleft",
                         pinyin=py and role != "pinyin", ruby_size=max(ruby, round(size * 0.46)), role=role)
        drawn.union_ip(rect)
        x += w + L.px(12, screen)
    return drawn
