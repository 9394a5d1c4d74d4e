"""Drawing the chain game, scaled to any window: the chain so far and the progress along the top, the idiom to
follow with its link character boxed, the prompt, the cards, the first-turn hand, the celebration, the ending.

Every size is given at 1080p and scaled by the window's shorter side (`Layout.s`); the layout is computed once
per turn from the cards' measured widths, so cards never run off the screen and never overlap.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import pygame

from experiences import drawlog
from experiences.runtime import home_button_area
from games.ui.text import pinyin_shown, text_renderer
from games.ui.widgets import GOLD, INK, PAPER, Button, button_rect, draw_cross, draw_tick

BACKGROUND_TOP, BACKGROUND_BOTTOM = (30, 70, 60), (12, 36, 40)
LINK = (170, 50, 35)
SOFT = (230, 220, 190)
SKIN, STAR = (255, 226, 196), (255, 206, 84)
GREY = (120, 130, 125)

# Sizes at 1080p (px), scaled by min(w, h) / 1080.
STRIP_PX, STRIP_RUBY = 36, 24  # the chain so far and the counter
CURRENT_PX, CURRENT_RUBY = 96, 36  # the idiom to follow
PROMPT_PX = 54  # the prompt (its pinyin row is 0.42 of it: 23 px)
CARD_PX, CARD_RUBY = 54, 25
BIG_PX, BIG_RUBY = 64, 28  # the ending's score line
MARGIN, GAP = 24, 24
BADGE_R = 22  # the ✓ / ✕ / ○ badge in a card's corner, beside (never over) the pinyin


def scale_of(size: tuple[int, int]) -> float:
    return min(size) / 1080


def px(value: float, s: float, least: int = 1) -> int:
    return max(least, round(value * s))


@dataclass
class Card:
    word: str
    pinyin: tuple[str, ...]
    rect: pygame.Rect
    state: str = ""  # "", "wrong" (✕, stays so the child sees why), "right" (✓), "hinted" (○)


@dataclass
class Layout:
    size: tuple[int, int]
    s: float
    top: int  # where the idiom to follow starts (below the chain strip and the progress)
    current_y: int  # its centre
    message: pygame.Rect  # the prompt's box (two lines landscape, three portrait)
    cards: list[pygame.Rect] = field(default_factory=list)
    hint: pygame.Rect | None = None
    stage: pygame.Rect | None = None  # the card area: the celebration and the ending draw here


def background(size: tuple[int, int]) -> pygame.Surface:
    surf = pygame.Surface(size)
    width, height = size
    for y in range(height):
        k = y / max(1, height - 1)
        surf.fill(tuple(round(a + (b - a) * k) for a, b in zip(BACKGROUND_TOP, BACKGROUND_BOTTOM)), (0, y, width, 1))
    for i in range(0, width, max(32, round(64 * scale_of(size)))):  # a faint paper-lattice pattern
        pygame.draw.line(surf, (40, 84, 72), (i, 0), (i, height), 1)
    return surf.convert() if pygame.display.get_surface() else surf


def _strip_height(s: float) -> int:
    text = text_renderer()
    return text.font(px(STRIP_RUBY, s)).get_sized_height() + text.font(px(STRIP_PX, s)).get_sized_height()


def _current_height(s: float) -> int:
    text = text_renderer()
    return text.font(px(CURRENT_RUBY, s)).get_sized_height() + text.font(px(CURRENT_PX, s)).get_sized_height()


def prompt_line_height(s: float) -> int:
    text = text_renderer()
    size = px(PROMPT_PX, s)
    return text.pinyin_row_height(size) + text.font(size).get_sized_height() + round(size * 0.35)


def card_size(words: list[tuple[str, tuple[str, ...]]], s: float) -> tuple[int, int]:
    """One width and height for all cards: the widest idiom with its pinyin, padded for the badge."""
    text = text_renderer()
    widest = 0
    for word, pinyin in words:
        cells = text.ruby_layout(list(word), list(pinyin), px(CARD_PX, s), px(CARD_RUBY, s))
        widest = max(widest, cells[-1][0] + cells[-1][1] if cells else 0)
    pad_x = 2 * px(BADGE_R, s) + px(16, s)
    height = (text.font(px(CARD_RUBY, s)).get_sized_height() + text.font(px(CARD_PX, s)).get_sized_height()
              + 2 * px(22, s))
    return widest + 2 * pad_x, height


def layout(size: tuple[int, int], cards: list[tuple[str, tuple[str, ...]]],
           hint_label: str = "提示") -> Layout:
    width, height = size
    s = scale_of(size)
    margin, gap = px(MARGIN, s), px(GAP, s)
    portrait = height > width
    top = margin + _strip_height(s) + px(46, s)  # strip, then the progress stars under it
    if portrait:  # the game sits lower on a tall screen, nearer a child's eyes and hands
        top += round((height - width) * 0.25)
    current_h = _current_height(s)
    current_y = top + px(20, s) + current_h // 2
    message_top = top + px(20, s) + current_h + px(24, s)
    lines = 3 if portrait else 2
    message = pygame.Rect(margin * 2, message_top, width - margin * 4, prompt_line_height(s) * lines)
    out = Layout(size, s, top, current_y, message)
    stage_top = message.bottom + px(12, s)
    home = pygame.Rect(home_button_area(size)[0])
    if cards:
        card_w, card_h = card_size(cards, s)
        card_w = min(card_w, width - 2 * margin)
        fit = max(1, (width - 2 * margin + gap) // (card_w + gap))
        rows = math.ceil(len(cards) / fit)
        cols = math.ceil(len(cards) / rows)
        for i in range(len(cards)):
            row, col = divmod(i, cols)
            in_row = min(cols, len(cards) - row * cols)
            left = width / 2 - (in_row * card_w + (in_row - 1) * gap) / 2
            rect = pygame.Rect(round(left + col * (card_w + gap)), stage_top + row * (card_h + gap), card_w, card_h)
            out.cards.append(rect)
        cards_bottom = out.cards[-1].bottom
    else:
        cards_bottom = stage_top
    out.stage = pygame.Rect(margin, stage_top, width - 2 * margin, max(1, home.top - px(12, s) - stage_top))
    hint = big_button_rect(hint_label, s)
    # In the bottom-right corner, mirroring the kiosk's home button: clear of the cards and of the first turn's hand
    # (which reaches below the card it taps); on a tall screen just below the cards, still at the right.
    hint.bottomright = (width - margin, height - margin)
    if portrait:
        hint.topright = (width - margin, cards_bottom + px(40, s))
    out.hint = hint
    return out


def big_button_rect(label: str, s: float) -> pygame.Rect:
    """A button whose label is drawn >= 50 px at 1080p (widgets.Button draws at half its height), as wide as that."""
    height = max(72, 2 * px(54, s))
    rect = button_rect((0, 0), label, height // 2 - 4)
    rect.height = height
    return rect


# --- the top: chain so far, counter, progress -------------------------------------------------------------------
def draw_top(surface: pygame.Surface, lay: Layout, chain: list[str], movers: list[str], readings: dict,
             counter: str, child_links: int, child_turns: int, pulse: float = 0.0) -> None:
    """The last idioms of the chain (the child's underlined), the counter, and a star per child turn."""
    text = text_renderer()
    s, (width, _) = lay.s, lay.size
    margin, size, ruby = px(MARGIN, s), px(STRIP_PX, s), px(STRIP_RUBY, s)
    counter_rect = text.draw(surface, counter, (width - margin, margin), size, PAPER, anchor="topright",
                             pinyin=pinyin_shown(), ruby_color=SOFT, ruby_size=ruby)
    # Progress: one star slot per child turn, gold when linked.
    star_r = px(15, s)
    step = px(38, s)
    stars_w = step * child_turns
    x0 = width - margin - stars_w + step / 2
    y = counter_rect.bottom + px(24, s)
    for i in range(child_turns):
        grow = 1 + 0.35 * pulse if i == child_links - 1 else 1
        draw_star(surface, (x0 + i * step, y), star_r * grow, STAR if i < child_links else GREY, i < child_links)
    limit = width - margin - max(counter_rect.width, stars_w) - px(40, s)
    shown, x = chain[-4:-1], margin
    arrow = text.size(" → ", size)[0]
    widths = [text.ruby_layout(list(w), list(readings[w]), size, ruby)[-1] for w in shown]
    total = [sum(c[0] + c[1] + arrow for c in widths[i:]) for i in range(len(widths))] + [0]
    start = next((i for i, t in enumerate(total) if t <= limit - margin), len(shown))
    for word, mover in zip(shown[start:], movers[-4:-1][start:]):
        rect = text.draw_ruby(surface, list(word), list(readings[word]) if pinyin_shown() else [""] * len(word),
                              (x, margin), size, PAPER, ruby_color=SOFT, ruby_size=ruby)
        if mover == "child":
            pygame.draw.line(surface, GOLD, (rect.left, rect.bottom + 2), (rect.right, rect.bottom + 2), px(4, s, 2))
        x = text.draw(surface, " → ", (rect.right, rect.bottom), size, PAPER, anchor="bottomleft").right


def draw_star(surface: pygame.Surface, center, radius: float, color, filled: bool = True) -> None:
    cx, cy = center
    points = []
    for i in range(10):
        r = radius if i % 2 == 0 else radius * 0.45
        a = -math.pi / 2 + i * math.pi / 5
        points.append((cx + r * math.cos(a), cy + r * math.sin(a)))
    pygame.draw.polygon(surface, color, points, 0 if filled else max(2, round(radius / 6)))


def draw_current(surface: pygame.Surface, lay: Layout, word: str, pinyin: tuple[str, ...],
                 grow: float = 1.0) -> pygame.Rect:
    """The idiom to follow, big, with pinyin; its last character is boxed: that is where the next one starts.
    `grow` > 1 while a good link is celebrated (the bigger word)."""
    text, s = text_renderer(), lay.s
    box = text.draw_ruby(surface, list(word), list(pinyin), (lay.size[0] / 2, lay.current_y),
                         px(CURRENT_PX * grow, s), PAPER, ruby_color=SOFT, ruby_size=px(CURRENT_RUBY * grow, s),
                         anchor="center")
    cell = box.width / len(word)
    link = pygame.Rect(round(box.left + cell * (len(word) - 1)), box.top, round(cell), box.height)
    pygame.draw.rect(surface, GOLD, link.inflate(px(8, s), px(6, s)), width=px(5, s, 2), border_radius=px(12, s))
    return box, link


def draw_message(surface: pygame.Surface, lay: Layout, message: str, readings=None, role: str = "prompt") -> None:
    """The prompt, hint or feedback: >= 48 px at 1080p with its pinyin row (23 px) for young readers."""
    text_renderer().draw_paragraph(surface, message, lay.message, px(PROMPT_PX, lay.s), PAPER, pinyin=pinyin_shown(),
                                   ruby_color=SOFT, readings=readings, role=role)


# --- cards ------------------------------------------------------------------------------------------------------
def draw_card(surface: pygame.Surface, lay: Layout, card: Card, focused: bool) -> None:
    text, s, rect = text_renderer(), lay.s, card.rect
    radius = px(18, s)
    pygame.draw.rect(surface, PAPER, rect, border_radius=radius)
    border = INK if focused else GOLD
    pygame.draw.rect(surface, border, rect, width=px(7 if focused else 4, s, 2), border_radius=radius)
    drawlog.note_box(f"card:{card.word}", (rect.x, rect.y, rect.w, rect.h), "cards")
    text.draw_ruby(surface, list(card.word), list(card.pinyin), rect.center, px(CARD_PX, s), INK, ruby_color=LINK,
                   ruby_size=px(CARD_RUBY, s), anchor="center")
    r = px(BADGE_R, s)
    corner = (rect.right - r - px(8, s), rect.top + r + px(8, s))
    if card.state == "wrong":  # a veil, a stripe and a ✕: not colour alone
        shade = pygame.Surface(rect.size, pygame.SRCALPHA)
        shade.fill((60, 60, 60, 110))
        surface.blit(shade, rect)
        pygame.draw.line(surface, (110, 40, 30), (rect.left + radius, rect.bottom - px(14, s)),
                         (rect.right - radius, rect.bottom - px(14, s)), px(4, s, 2))
        pygame.draw.circle(surface, PAPER, corner, r)
        draw_cross(surface, corner, r * 1.5, (150, 40, 30), px(6, s, 2))
    elif card.state == "right":
        pygame.draw.circle(surface, PAPER, corner, r)
        draw_tick(surface, corner, r * 1.6, (30, 120, 60), px(7, s, 2))
    elif card.state == "hinted":
        pygame.draw.circle(surface, LINK, corner, r * 0.8, px(5, s, 2))
    if card.state:
        drawlog.note_box(f"badge:{card.word}", (corner[0] - r, corner[1] - r, 2 * r, 2 * r), "badges")


def first_char_point(lay: Layout, card: Card) -> tuple[float, float]:
    """The centre of a card's first character (where the hand taps)."""
    text, s = text_renderer(), lay.s
    cells = text.ruby_layout(list(card.word), list(card.pinyin), px(CARD_PX, s), px(CARD_RUBY, s))
    total = cells[-1][0] + cells[-1][1]
    x = card.rect.centerx - total / 2 + cells[0][0] + cells[0][1] / 2
    return x, card.rect.centery + px(14, s)


def draw_hand_hint(surface: pygame.Surface, lay: Layout, link: pygame.Rect, target: tuple[float, float],
                   t: float) -> None:
    """How to play, for the first turn: the boxed character and the first character of a card that links get
    the same gold ring, and a hand comes down onto that card and taps it (a 2 s loop, slow, no flashing)."""
    s = lay.s
    phase = (t % 2.0) / 2.0
    ring = px(6, s, 2)
    grow = px(6, s) * math.sin(phase * math.tau)
    oval = pygame.Rect(0, 0, px(84, s) + grow, px(62, s) + grow)
    oval.center = (round(target[0]), round(target[1]))
    pygame.draw.ellipse(surface, GOLD, oval, ring)
    pygame.draw.rect(surface, GOLD, link.inflate(px(22, s) + grow, px(16, s) + grow), ring, border_radius=px(16, s))
    lift = px(46, s) * (1 - min(1.0, phase / 0.4)) if phase < 0.4 else px(10, s) * abs(math.sin((phase - 0.4) * 5))
    if 0.4 <= phase < 0.7:  # the tap: a ring spreads from the fingertip
        k = (phase - 0.4) / 0.3
        pygame.draw.circle(surface, STAR, target, px(20 + 50 * k, s), px(4, s, 2))
    draw_hand(surface, (target[0], target[1] + px(18, s) + lift), s)


def draw_hand(surface: pygame.Surface, tip: tuple[float, float], s: float) -> None:
    """A pointing hand, its index fingertip at `tip`."""
    x, y = tip
    fw, fl = px(26, s), px(64, s)
    finger = pygame.Rect(round(x - fw / 2), round(y), fw, fl)
    palm = pygame.Rect(round(x - fw / 2 - px(10, s)), round(y + fl * 0.62), px(82, s), px(78, s))
    thumb = pygame.Rect(palm.left - px(22, s), palm.top + px(14, s), px(40, s), px(26, s))
    line = px(4, s, 2)
    for shape, rad in ((finger, fw // 2), (palm, px(24, s)), (thumb, px(13, s))):
        pygame.draw.rect(surface, INK, shape.inflate(2 * line, 2 * line), border_radius=rad + line)
    for shape, rad in ((finger, fw // 2), (palm, px(24, s)), (thumb, px(13, s))):
        pygame.draw.rect(surface, SKIN, shape, border_radius=rad)
    for k in range(1, 3):  # the folded fingers' knuckles
        kx = palm.left + fw + k * px(18, s)
        pygame.draw.line(surface, INK, (kx, palm.top + px(6, s)), (kx, palm.top + px(26, s)), line)


# --- celebration and ending ----------------------------------------------------------------------------------
def draw_celebration(surface: pygame.Surface, lay: Layout, word_box: pygame.Rect, t: float) -> None:
    """Stars bursting out to both sides of the linked idiom: they fly out and shrink, one burst, no flashing."""
    s = lay.s
    k = min(1.0, t / 0.9)
    cx, cy = word_box.center
    for i in range(14):
        side = 1 if i % 2 else -1
        a = (i // 2 - 3) * 0.28  # a fan of angles around the horizontal, each side
        dist = word_box.width / 2 + px(30, s) + px(300, s) * k * (0.7 + 0.3 * ((i * 7) % 5) / 4)
        r = px(26 - 12 * k, s, 3) * (1.25 if i % 3 == 0 else 0.9)
        y = cy + math.sin(a) * min(word_box.height / 2, dist * 0.5)
        draw_star(surface, (cx + side * dist * math.cos(a), y), r, STAR)


def draw_thinking(surface: pygame.Surface, lay: Layout, t: float) -> None:
    """Three dots that rise one after another while the kiosk looks for its idiom."""
    s, stage = lay.s, lay.stage
    cx, cy = stage.centerx, stage.top + px(60, s)
    for i in range(3):
        lift = max(0.0, math.sin((t * 2.5 - i * 0.3) * math.pi)) * px(14, s)
        pygame.draw.circle(surface, SOFT, (cx + (i - 1) * px(44, s), cy - lift), px(12, s))


def draw_score(surface: pygame.Surface, lay: Layout, line: str, links: int, turns: int) -> pygame.Rect:
    """The ending: a row of big stars (one per idiom the child linked) and the score in words."""
    text, s, stage = text_renderer(), lay.s, lay.stage
    slots = max(turns, links, 1)
    r = px(34, s)
    step = min(px(86, s), (stage.width - 2 * r) // slots)
    x0 = stage.centerx - step * (slots - 1) / 2
    y = stage.top + r + px(10, s)
    for i in range(slots):
        draw_star(surface, (x0 + i * step, y), r, STAR if i < links else GREY, i < links)
    return text.draw(surface, line, (stage.centerx, y + r + px(24, s)), px(BIG_PX, s), GOLD, anchor="midtop",
                     pinyin=pinyin_shown(), ruby_color=SOFT, ruby_size=px(BIG_RUBY, s))


def score_bottom(lay: Layout, line: str) -> int:
    """Where the ending's stars and score line (draw_score) end."""
    s, size = lay.s, px(BIG_PX, lay.s)
    height = (text_renderer().size_with_pinyin(line, size, px(BIG_RUBY, s))[1] if pinyin_shown()
              else text_renderer().size(line, size)[1])
    return lay.stage.top + 2 * px(34, s) + px(10, s) + px(24, s) + height


def end_buttons(lay: Layout, labels: list[tuple[str, str, str]], top: int) -> list[Button]:
    """再玩一次 and 结束, side by side under the score (clear of the kiosk's home button)."""
    s, width = lay.s, lay.size[0]
    rects = [big_button_rect(label, s) for _, label, _ in labels]
    gap = px(60, s)
    total = sum(r.width for r in rects) + gap * (len(rects) - 1)
    x = width / 2 - total / 2
    buttons = []
    for (key, label, icon), rect in zip(labels, rects):
        rect.topleft = (round(x), top)
        x += rect.width + gap
        buttons.append(Button(key, label, rect, icon))
    return buttons


def draw_buttons(surface: pygame.Surface, buttons: list[Button], focus: int | None) -> None:
    for i, button in enumerate(buttons):
        button.draw(surface, focused=i == focus)
        drawlog.note_box(f"button:{button.label}", tuple(button.rect), "buttons")
