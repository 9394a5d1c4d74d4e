"""The story card after a hit (sized to its words, by age band: games.lanterns.story) and the final summary with
the nickname picker and the day's top list. Sizes from games.lanterns.layout (1080p design, scaled)."""
from __future__ import annotations

from dataclasses import dataclass

import pygame

from experiences.clauses import CLAUSE_END, clauses
from experiences.i18n import t
from experiences.pinyin import has_han, pinyin_for
from games.idioms.rounds import Round
from games.idioms.toplist import Entry, nickname_text
from games.lanterns import layout as L
from games.lanterns.story import Section, sections, sentences
from games.ui.text import pinyin_shown, text_renderer
from games.ui.widgets import GOLD, INK, PAPER, RUBY, Button

MAX_CARD_W = 1500  # at 1080p: lines no longer than a child's eye can follow


def story_card_rect(size: tuple[int, int]) -> pygame.Rect:
    """The largest a story card may be (the card itself is sized to its words, inside this)."""
    width, height = size
    margin = L.px(24, size)
    top = round(height * 0.2)
    return pygame.Rect(margin, top, width - 2 * margin, height - top - margin)


def make_button(key: str, label: str, centre: tuple[float, float], size: tuple[int, int], icon: str = "",
                height: float = L.BUTTON_H) -> Button:
    """A big button whose label carries pinyin for young readers (drawn by games.ui.widgets.Button)."""
    text = text_renderer()
    h = L.px(height, size)
    inner = max(24, h // 2 - 4)
    py = pinyin_shown() and has_han(label)
    ruby = tuple(pinyin_for(label)) if py else ()
    if ruby:
        cells = text.ruby_layout(list(label), list(ruby), int(inner * 0.8), max(16, inner // 2))
        label_w = cells[-1][0] + cells[-1][1]
    else:
        label_w = text.size(label, inner)[0]
    w = label_w + (inner + 14 if icon else 0) + 48
    rect = pygame.Rect(0, 0, max(w, h * 2), h)
    rect.center = (round(centre[0]), round(centre[1]))
    return Button(key, label, rect, icon, ruby)


def draw_button(surface: pygame.Surface, button: Button, focused: bool) -> None:
    L.note_box(surface, f"button:{button.label}", tuple(button.rect), "buttons")
    if button.icon:
        button.draw(surface, focused=focused)
        return
    # A label without an icon (a nickname): centred, as large as fits inside the button, with its pinyin if any.
    rect, text = button.rect, text_renderer()
    pygame.draw.rect(surface, PAPER, rect, border_radius=max(6, rect.h // 6))
    pygame.draw.rect(surface, INK if focused else GOLD, rect, width=max(2, rect.h // (16 if focused else 24)),
                     border_radius=max(6, rect.h // 6))
    size = max(8, round(rect.h * (0.4 if button.ruby else 0.5)))
    while size > 8:
        if button.ruby:
            ruby = max(8, round(size * 0.62))
            cells = text.ruby_layout(list(button.label), list(button.ruby), size, ruby)
            width = cells[-1][0] + cells[-1][1]
            height = text.font(ruby).get_sized_height() + text.font(size).get_sized_height()
        else:
            width, height = text.size(button.label, size)
        if width <= rect.w - rect.h * 0.3 and height <= rect.h * 0.9:
            break
        size -= 1
    if button.ruby:
        text.draw_ruby(surface, list(button.label), list(button.ruby), rect.center, size, INK, ruby_color=RUBY,
                       ruby_size=max(8, round(size * 0.62)), anchor="center")
    else:
        text.draw(surface, button.label, rect.center, size, INK, anchor="center")


@dataclass
class _Block:
    label: str  # "" for none
    lines: list[str]
    pinyin: bool


def _lines(text: str, size: int, ruby: int, width: int, pinyin: bool) -> list[str]:
    """Short lines for reading aloud: whole clauses packed up to `width`, a long clause wrapped inside itself."""
    renderer = text_renderer()

    def w(line: str) -> int:
        return renderer.size_with_pinyin(line, size, ruby)[0] if pinyin else renderer.size(line, size)[0]

    lines, current = [], ""
    for clause in clauses(text):
        if w(current + clause) <= width:
            current += clause
            continue
        if current:
            lines.append(current)
        if w(clause) <= width:
            current = clause
        else:  # a clause wider than a line: break it between characters, measured with this pinyin row
            current = ""
            for char in clause:
                if current and w(current + char) > width and char not in CLAUSE_END + "”’」』）)":
                    lines.append(current)
                    current = ""
                current += char
    if current:
        lines.append(current)
    return lines


def _layout(parts: list[Section], size: int, ruby: int, width: int, lang: str) -> list[_Block]:
    blocks = []
    for part in parts:
        label = t(f"lanterns.{part.key}", lang) if len(parts) > 1 or not part.pinyin else ""
        blocks.append(_Block(label, _lines(part.text, size, ruby, width, part.pinyin), part.pinyin))
    return blocks


def _height(blocks: list[_Block], size: int, ruby: int, gap: int) -> int:
    text = text_renderer()
    total = 0
    for block in blocks:
        line_h = text.size_with_pinyin("字", size, ruby)[1] if block.pinyin else text.size("字", size)[1]
        total += (text.size(block.label, size)[1] if block.label else 0) + len(block.lines) * (line_h + gap // 2) + gap
    return total


def _fit(parts: list[Section], sizes: list[tuple[int, int]], width: int, room: int, gap: int, lang: str):
    """Sections laid out in the largest size that fits `room`; when none does, whole sentences are dropped from
    the end (the last section first, never the first sentence of the meaning), never cut with an ellipsis."""
    parts = list(parts)
    while True:
        for size, ruby in sizes:
            blocks = _layout(parts, size, ruby, width, lang)
            if _height(blocks, size, ruby, gap) <= room:
                return blocks, size, ruby
        last = parts[-1]
        said = sentences(last.text)
        if len(said) > 1:
            parts[-1] = Section(last.key, "".join(said[:-1]), last.pinyin)
        elif len(parts) > 1:
            parts.pop()
        else:  # one sentence that does not fit even in the smallest size: show it in that size anyway
            size, ruby = sizes[-1]
            return _layout(parts, size, ruby, width, lang), size, ruby


def draw_story_card(surface: pygame.Surface, rnd: Round, solved: bool, next_button: Button, lang: str,
                    band: str = "6-8", top: int | None = None, bottom: int | None = None) -> pygame.Rect:
    """After a hit (or when time ran out): the idiom with pinyin and what it means, by age band; the card is as
    big as its words. Moves `next_button` to the card's foot. `top`: the card starts no higher (the status
    line and the progress pips stay visible above it); `bottom`: it ends no lower (above VR's home button)."""
    text = text_renderer()
    size = surface.get_size()
    width, height = size
    margin, pad, gap = L.px(24, size), L.px(40, size), L.px(16, size)
    top = top if top is not None else margin
    area = pygame.Rect(margin, top, width - 2 * margin, (bottom if bottom is not None else height) - top - margin)
    shade = pygame.Surface(size, pygame.SRCALPHA)
    shade.fill((0, 0, 0, 130))
    surface.blit(shade, (0, 0))
    idiom = rnd.idiom
    title_s, title_r = L.px(L.CARD_TITLE_PX, size), L.px(L.CARD_TITLE_RUBY_PX, size)
    title_h = text.font(title_r).get_sized_height() + text.font(title_s).get_sized_height()
    answer_line = t("lanterns.answer_was", lang, char=rnd.answer) if not solved else ""
    parts = sections(idiom, band)
    young = bool(parts) and parts[0].pinyin
    if young:
        sizes = [(L.px(s, size), L.px(r, size)) for s, r in ((48, 28), (44, 26), (40, 24), (36, 23), (32, 22))]
    else:
        sizes = [(L.px(s, size), L.px(r, size)) for s, r in ((40, 24), (36, 22), (32, 22))]
    inner_w = min(area.width - 2 * pad, L.px(MAX_CARD_W, size))
    answer_h = (text.size_with_pinyin(answer_line, sizes[-1][0], sizes[-1][1])[1] if young
                else text.size(answer_line, sizes[-1][0])[1]) + gap if answer_line else 0
    button_h = L.px(L.BUTTON_H, size)
    room = area.height - 2 * pad - title_h - gap - answer_h - button_h - gap
    blocks, s, ruby = _fit(parts, sizes, inner_w, room, gap, lang) if parts else ([], sizes[0][0], sizes[0][1])
    body_h = _height(blocks, s, ruby, gap)

    line_gap = gap // 2

    def line_w(line: str, pinyin: bool) -> int:
        return text.size_with_pinyin(line, s, ruby)[0] if pinyin else text.size(line, s)[0]

    content_w = max([text.ruby_layout(list(idiom.word), list(idiom.pinyin), title_s, title_r)[-1][0] * 5 // 4,
                     next_button.rect.width, L.px(560, size)]
                    + [line_w(line, b.pinyin) for b in blocks for line in b.lines])
    card = pygame.Rect(0, 0, min(area.width, content_w + 2 * pad),
                       2 * pad + title_h + gap + answer_h + body_h + button_h)
    card.midtop = (area.centerx, area.top + max(0, (area.height - card.height) // 3))
    pygame.draw.rect(surface, PAPER, card, border_radius=L.px(28, size))
    pygame.draw.rect(surface, GOLD, card, width=max(3, L.px(7, size)), border_radius=L.px(28, size))
    L.note_box(surface, "story card", tuple(card), "cards")
    head = text.draw_ruby(surface, list(idiom.word), list(idiom.pinyin), (card.centerx, card.top + pad), title_s,
                          INK, ruby_color=RUBY, ruby_size=title_r, anchor="midtop")
    y = head.bottom + gap
    if answer_line:
        y = text.draw(surface, answer_line, (card.centerx, y), sizes[-1][0], RUBY, anchor="midtop", pinyin=young,
                      ruby_size=sizes[-1][1], readings={f"“{rnd.answer}”": ("", rnd.answer_pinyin, "")}).bottom + gap
    left = card.left + pad
    for block in blocks:
        if block.label:
            y = text.draw(surface, block.label, (left, y), s, RUBY).bottom
        for line in block.lines:
            pos, anchor = ((card.centerx, y), "midtop") if young else ((left, y), "topleft")
            y = text.draw(surface, line, pos, s, INK, anchor=anchor, pinyin=block.pinyin, ruby_size=ruby).bottom
            y += line_gap
        y += gap - line_gap
    next_button.rect.center = (card.centerx, card.bottom - pad // 2 - button_h // 2)
    draw_button(surface, next_button, True)
    return card


def summary_buttons(size: tuple[int, int], nickname_keys: list[tuple[str, str]] | None, lang: str,
                    top: int) -> list[Button]:
    """The nickname picker (when `nickname_keys`), then 再玩一次 and 结束 at the foot."""
    width, height = size
    buttons: list[Button] = []
    if nickname_keys:
        cols = 3 if L.portrait(size) else 4
        bw, bh, gap = L.px(280, size), L.px(104, size), L.px(18, size)
        for i, (key, label) in enumerate(nickname_keys):
            row, col = divmod(i, cols)
            rect = pygame.Rect(0, 0, bw, bh)
            rect.center = (round(width / 2 + (col - (cols - 1) / 2) * (bw + gap)),
                           round(top + bh / 2 + row * (bh + gap)))
            ruby = tuple(pinyin_for(label)) if lang == "zh-CN" else ()  # read as a word: 小燕子 zi
            buttons.append(Button("nick:" + key, label, rect, ruby=ruby))
    foot = height - L.px(30 + L.BUTTON_H / 2, size)
    if L.portrait(size):  # under the nicknames (or the top list), not far below them beside the home button
        foot = min(foot, top + 4 * L.px(104 + 18, size) + L.px(60 + L.BUTTON_H / 2, size))
    offset = L.px(230, size)
    for key, icon, x in (("again", "again", width / 2 - offset), ("done", "done", width / 2 + offset)):
        label = t(f"lanterns.{'play_again' if key == 'again' else 'done'}", lang)
        buttons.append(make_button(key, label, (x, foot), size, icon))
    return buttons


def summary_heading(surface: pygame.Surface, correct: int, total: int, score: int, picked: bool,
                    lang: str, draw: bool = True) -> int:
    """太棒了！, the score line and what to do next; returns the y below them."""
    text = text_renderer()
    size = surface.get_size()
    py = pinyin_shown()
    gap = L.px(10, size)
    y = L.px(24, size)
    lines = ((t("lanterns.summary_title", lang), L.px(72, size), L.px(30, size), GOLD, "prompt"),
             (t("lanterns.summary_score", lang, correct=correct, total=total, score=score), L.px(44, size),
              L.px(24, size), PAPER, "text"),
             (t("lanterns.top_list" if picked else "lanterns.pick_nickname", lang), L.px(40, size), L.px(24, size),
              PAPER, "text"))
    for line, s, ruby, color, role in lines:
        if draw:
            y = text.draw(surface, line, (size[0] / 2, y), s, color, anchor="midtop", pinyin=py, ruby_size=ruby,
                          role=role).bottom + gap
        else:
            y += (text.size_with_pinyin(line, s, ruby)[1] if py and has_han(line) else text.size(line, s)[1]) + gap
    return y


def draw_summary(surface: pygame.Surface, correct: int, total: int, score: int, buttons: list[Button],
                 focus: int, top: list[Entry] | None, mine: int | None, lang: str) -> None:
    text = text_renderer()
    size = surface.get_size()
    width = size[0]
    shade = pygame.Surface(size, pygame.SRCALPHA)
    shade.fill((0, 0, 0, 150))
    surface.blit(shade, (0, 0))
    py = pinyin_shown()
    y = summary_heading(surface, correct, total, score, top is not None, lang)
    if top is not None:
        s, ruby = L.px(40, size), L.px(24, size)
        row_h = (text.size_with_pinyin("小熊", s, ruby)[1] if py else text.size("小熊", s)[1]) + L.px(8, size)
        half = L.px(260, size)
        for i, entry in enumerate(top[:5]):
            marker = "→ " if mine is not None and i + 1 == mine else ""  # the child's own line: a marker too
            row_y = y + i * row_h
            text.draw(surface, f"{marker}{i + 1}. {nickname_text(entry.nickname, lang)}", (width / 2 - half, row_y),
                      s, PAPER, pinyin=py, ruby_size=ruby)
            text.draw(surface, str(entry.score), (width / 2 + half, row_y + row_h - L.px(8, size)), s, PAPER,
                      anchor="bottomright")
    for i, button in enumerate(buttons):
        draw_button(surface, button, i == focus)
