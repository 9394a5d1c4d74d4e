"""Drawing the booth's screens (pygame): picker, karaoke poem with pinyin ruby and punctuation, consent,
countdown, live meter, the read-along's praise. Coordinates are design pixels (recitation.booth.layout); the
score screen is in recitation.booth.score_screen.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import pygame

from experiences.i18n import t
from recitation.booth.widgets import ACCENT, GREY, INK, JADE, PAPER_DARK, RECORD_RED, WHITE, draw_play, draw_star
from recitation.poems import GRADE_NAMES

CHAR_SIZE = 60
RUBY_SIZE = 26
MIN_CHAR, MIN_RUBY = 34, 17  # 51 px and 25 px at 1080p
ROW_CELLS = 16  # at most this many cells (characters and punctuation) in one displayed row
BAND = (250, 226, 168)  # the current line's band: warm gold, with a ▶ in front (not colour alone)
READER_COLOURS = (JADE, (200, 110, 30))  # 甲 jade in a circle, 乙 orange in a square
READER_TINTS = ((222, 238, 228), (250, 232, 212))
MARGIN = 58  # left of each row: the ▶ marker


def display_rows(poem, max_cells: int = ROW_CELLS) -> list[list[int]]:
    """Rows of verse-line indices as shown: a whole paragraph per row when it fits in `max_cells` cells
    (each line's characters and its punctuation mark)."""
    rows: list[list[int]] = []
    current: list[int] = []
    size = 0
    for line in poem.expected.lines:
        if current and size + line.size + 1 > max_cells:
            rows.append(current)
            current, size = [], 0
        current.append(line.index)
        size += line.size + 1
        if line.end_break == "major":
            rows.append(current)
            current, size = [], 0
    if current:
        rows.append(current)
    return rows


def line_punctuation(poem) -> list[str]:
    """The punctuation after each verse line as the poem prints it (「，」「。」「？」), "" where there is none."""
    text = "".join(poem.paragraphs)
    out, cursor = [], 0
    for line in poem.expected.lines:
        found = text.find(line.text, cursor)
        if found < 0:
            out.append("")
            continue
        cursor = found + len(line.text)
        marks = ""
        while cursor < len(text) and not text[cursor].isalnum():
            if not text[cursor].isspace():
                marks += text[cursor]
            cursor += 1
        out.append(marks[:2])
    return out


@dataclass(frozen=True)
class PoemGrid:
    rows: list
    cell: int
    char: int
    ruby: int
    row_height: int


def poem_grid(text, poem, width: int, show_pinyin: bool, family: bool, max_char: int = CHAR_SIZE) -> PoemGrid:
    """How the poem fits `width`: rows of whole lines, one even cell per character (wide syllables such as
    zhuàng widen it), sizes shrunk only as far as needed and never under MIN_CHAR / MIN_RUBY."""
    usable = width - MARGIN - (62 if family else 0) - 10
    syllables = [_marked(s) for line in poem.expected.lines for s in line.pinyin if s] if show_pinyin else []
    top_ruby = round(RUBY_SIZE * max_char / CHAR_SIZE)
    widest = max((text.size(s, top_ruby)[0] for s in syllables), default=0)
    target = max(max_char + 14, widest + 10)
    longest = max((line.size + 1 for line in poem.expected.lines), default=1)
    rows = display_rows(poem, max(longest, min(ROW_CELLS, usable // target)))
    cells = max((sum(poem.expected.lines[i].size + 1 for i in row) for row in rows), default=1)
    cell = min(target, usable // cells)
    ratio = cell / target
    char = max(MIN_CHAR, min(max_char, int(max_char * ratio)))
    ruby = max(MIN_RUBY, int(top_ruby * ratio)) if show_pinyin else 0
    row_height = char + 30 + (ruby + 10 if show_pinyin else 0)
    return PoemGrid(rows, cell, char, ruby, row_height)


def draw_poem(surface, text, poem, area: pygame.Rect, position: float, show_pinyin: bool, family: bool,
              lang: str, grid: PoemGrid | None = None) -> None:
    """The karaoke poem: characters (Kai) with pinyin above and the punctuation; lines already read turn
    vermilion (like a KTV lyric), the character being read is red and underlined, the current line sits on a
    gold band with a ▶ in front; in family mode each row carries its reader's badge (甲 circle / 乙 square)."""
    from recitation.booth.family import readers_of_lines

    expected = poem.expected
    grid = grid or poem_grid(text, poem, area.width, show_pinyin, family)
    rows, cell = grid.rows, grid.cell
    punctuation = line_punctuation(poem)
    current = int(math.floor(position)) if position >= 0 else -1
    finished = position >= expected.size
    line_of = expected.line_of()
    current_line = line_of[current] if 0 <= current < len(line_of) else -1
    current_row = next((r for r, row in enumerate(rows) if current_line in row), 0)
    visible = max(1, area.height // grid.row_height)
    first = max(0, min(current_row - 1, len(rows) - visible))
    spare = area.height - min(visible, len(rows)) * grid.row_height
    area = area.move(0, max(0, spare // 3))  # a short poem sits a little lower, not stuck under the title
    readers = readers_of_lines(rows, len(expected.lines)) if family else None
    for r, row in enumerate(rows[first:first + visible]):
        y = area.top + r * grid.row_height
        band = pygame.Rect(area.left, y, area.width, grid.row_height - 8)
        row_is_current = current_line in row and not finished
        reader = readers[row[0]] if readers else None
        if row_is_current:
            pygame.draw.rect(surface, BAND, band, border_radius=16)
            draw_play(surface, (band.left + 26, band.centery), 16, RECORD_RED)
        elif reader is not None:
            pygame.draw.rect(surface, READER_TINTS[reader], band, border_radius=16)
        if reader is not None:
            reader_badge(surface, text, reader, (band.left + MARGIN + 24, band.centery), lang)
        cells = []
        for index in row:
            line = expected.lines[index]
            cells += [(line.start + k, ch, line.pinyin[k]) for k, ch in enumerate(line.text)]
            cells.append((None, punctuation[index], ""))
        left = band.left + MARGIN + (62 if family else 0)
        x0 = max(left, area.centerx - len(cells) * cell // 2)
        top = y + 6
        for k, (char_index, ch, syllable) in enumerate(cells):
            if not ch:
                continue
            cx = x0 + k * cell + cell // 2
            if char_index is None:  # punctuation: the colour of the line it ends
                before = cells[k - 1][0] if k else -1
                colour = ACCENT if before is not None and before < current or finished else INK
                text.draw(surface, ch, (cx - cell // 4, top + (grid.ruby + 10 if show_pinyin else 0)), grid.char,
                          colour, anchor="midtop", role="deco")
                continue
            now = char_index == current and not finished
            colour = RECORD_RED if now else (ACCENT if char_index < current or finished else INK)
            char_top = top + (grid.ruby + 10 if show_pinyin else 0)
            if show_pinyin and syllable:
                text.draw(surface, _marked(syllable), (cx, top), grid.ruby, colour, anchor="midtop", role="pinyin")
            text.draw(surface, ch, (cx, char_top), grid.char, colour, anchor="midtop")
            if now:  # underline as well as colour
                pygame.draw.rect(surface, RECORD_RED, (cx - grid.char // 2, char_top + grid.char + 12, grid.char, 6),
                                 border_radius=3)


def reader_badge(surface, text, reader: int, centre: tuple[int, int], lang: str, radius: int = 24) -> None:
    """甲 in a jade circle, 乙 in an orange rounded square: a shape and a word, not a colour alone."""
    colour = READER_COLOURS[reader]
    if reader == 0:
        pygame.draw.circle(surface, colour, centre, radius)
    else:
        box = pygame.Rect(0, 0, 2 * radius, 2 * radius)
        box.center = centre
        pygame.draw.rect(surface, colour, box, border_radius=8)
    label = t("recite.ui.reader_a" if reader == 0 else "recite.ui.reader_b", lang)
    text.draw(surface, label, centre, int(radius * 1.3), WHITE, anchor="center")


def draw_family_legend(surface, text, centre_x: int, y: int, lang: str) -> None:
    """「甲 大人读 · 乙 小朋友读」 with the badges: who reads which line, in words."""
    parts = [t("recite.ui.family_a", lang), t("recite.ui.family_b", lang)]
    widths = [text.size(p, 28)[0] for p in parts]
    total = sum(widths) + 2 * 56 + 40
    x = centre_x - total // 2
    for reader, (label, width) in enumerate(zip(parts, widths)):
        reader_badge(surface, text, reader, (x + 22, y), lang, radius=20)
        text.draw(surface, label, (x + 50, y), 28, INK, anchor="midleft")
        x += 56 + width + 40


_MARKS = {"a": "āáǎà", "o": "ōóǒò", "e": "ēéěè", "i": "īíǐì", "u": "ūúǔù", "v": "ǖǘǚǜ"}


def _marked(numbered: str) -> str:
    """Tone-numbered pinyin (hao3) back to tone marks (hǎo) for children's eyes."""
    if not numbered or not numbered[-1].isdigit():
        return numbered.replace("v", "ü")
    body, tone = numbered[:-1], int(numbered[-1])
    if tone in (0, 5):
        return body.replace("v", "ü")
    for vowel in ("a", "o", "e"):
        if vowel in body:
            target = body.index(vowel)
            break
    else:
        positions = [i for i, ch in enumerate(body) if ch in "iuv"]
        target = positions[-1] if positions else -1
    if target < 0:
        return body
    marked = _MARKS[body[target]][tone - 1]
    return (body[:target] + marked + body[target + 1:]).replace("v", "ü")


def fit_size(text, label: str, width: int, size: int, floor: int) -> int:
    """The largest size ≤ `size` (not under `floor`) at which `label` fits `width`."""
    while size > floor and text.size(label, size)[0] > width:
        size -= 2
    return size


def fit_label(text, label: str, width: int, size: int) -> str:
    """A title too long even at `size`: its first part (before 「·」 or 「（」), never cut mid-word."""
    if text.size(label, size)[0] <= width:
        return label
    for mark in ("·", "（", "("):
        if mark in label and text.size(label.split(mark)[0], size)[0] <= width:
            return label.split(mark)[0]
    while len(label) > 1 and text.size(label, size)[0] > width:
        label = label[:-1]
    return label


def draw_header(surface, text, poem, lang: str, family: bool = False, legend_x: int | None = None) -> None:
    width = surface.get_width()
    room = width - 2 * 180
    size = fit_size(text, poem.title, room, 46, 34)
    text.draw(surface, fit_label(text, poem.title, room, size), (width // 2, 14), size, INK, anchor="midtop",
              role="prompt" if size >= 34 else "text")
    byline = t("recite.ui.by", lang, dynasty=poem.dynasty, author=poem.author) if poem.author else ""
    text.draw(surface, byline, (width // 2, 72), 26, GREY, anchor="midtop")
    if family:
        draw_family_legend(surface, text, width // 2 if legend_x is None else legend_x, 130, lang)


def draw_picker(surface, text, cards, query: str, page: int, pages: int, lang: str,
                reasons: dict[str, str] | None, grid) -> None:
    """The poem cards; a suggested one carries a ribbon saying why (「同一位诗人」), in words, not colour alone."""
    from experiences import drawlog

    width = surface.get_width()
    title = t("recite.ui.pick_title", lang)
    text.draw(surface, title, (width // 2, 14), fit_size(text, title, width - 2 * 175, 40, 32), INK, anchor="midtop",
              role="prompt")
    text.draw(surface, t("recite.ui.page", lang, page=page + 1, pages=max(1, pages)), (width - 30, 30), 26, GREY,
              anchor="topright")
    for rect, poem in cards:
        drawlog.note_box("card", tuple(rect), "cards")
        pygame.draw.rect(surface, WHITE, rect, border_radius=16)
        pygame.draw.rect(surface, PAPER_DARK, rect, width=3, border_radius=16)
        room = rect.width - 24
        roomy = rect.height >= 115
        size = fit_size(text, poem.title, room, 36 if roomy else 32, 26)
        title = fit_label(text, poem.title, room, size)
        text.draw(surface, title, (rect.centerx, rect.top + (16 if roomy else 8)), size, INK, anchor="midtop")
        grade = GRADE_NAMES.get(poem.grade, poem.collection) if poem.grade else poem.collection
        byline = f"{poem.author} · {grade}" if poem.author else grade
        line_size = fit_size(text, byline, room, 26 if roomy else 24, 24)
        if text.size(byline, line_size)[0] > room:
            byline = poem.author or grade
        text.draw(surface, byline, (rect.centerx, rect.bottom - (14 if roomy else 8)), line_size, GREY,
                  anchor="midbottom")
        reason = (reasons or {}).get(poem.id)
        if reason:
            label = t(f"recite.ui.suggest_{reason}", lang)
            tag_w = min(rect.width - 20, text.size(label, 24)[0] + 24)
            tag = pygame.Rect(rect.left + 10, rect.top - 16, tag_w, 32)
            pygame.draw.rect(surface, JADE, tag, border_radius=16)
            text.draw(surface, label, tag.center, 24, WHITE, anchor="center")
    if not cards:
        text.draw(surface, t("recite.ui.no_match", lang), (width // 2, grid.cards_top + grid.card_h), 32, GREY,
                  anchor="center")
    label = f"{t('recite.ui.search', lang)}："
    x = 30 if surface.get_height() > width else 150
    box = text.draw(surface, label, (x, grid.query_y), 28, INK, anchor="midleft")
    text.draw(surface, query or "—", (box.right + 6, grid.query_y), 32, ACCENT if query else GREY, anchor="midleft",
              role="pinyin" if query else "deco")


def draw_consent(surface, text, days: int, lang: str) -> None:
    width, height = surface.get_size()
    title = t("recite.consent.title", lang)
    size = fit_size(text, title, width - 2 * 175, 48, 32)
    below = text.size(title, size)[0] > width - 2 * 175  # too long beside 上一步: under it
    text.draw(surface, title, (width // 2, 100 if below else 30), size, INK, anchor="midtop", role="prompt")
    area = pygame.Rect(max(70, width // 2 - 540), 190 if below else 130, min(width - 130, 1080), 0)
    paragraphs = [t(f"recite.consent.{key}", lang, days=days) for key in ("what", "where", "who", "without")]
    size = 32
    while size > 26 and sum(len(text.wrap(p, size, area.width)) * size * 1.45 + 30 for p in paragraphs) > (
            height - 150 - area.top):  # above the buttons
        size -= 2
    for paragraph in paragraphs:
        pygame.draw.circle(surface, JADE, (area.left - 24, area.top + size * 3 // 4), 9)
        area.top += text.draw_paragraph(surface, paragraph, area, size, INK, align="left", line_gap=0.3) + 30


def draw_countdown(surface, seconds_left: float, text, lang: str) -> None:
    """3, 2, 1 in a big red disc, a ring running down each second, and what happens next in words."""
    shade = pygame.Surface(surface.get_size(), pygame.SRCALPHA)
    shade.fill((246, 238, 222, 215))
    surface.blit(shade, (0, 0))
    number = max(1, math.ceil(seconds_left))
    centre = (surface.get_width() // 2, surface.get_height() // 2 - 20)
    pygame.draw.circle(surface, RECORD_RED, centre, 120)
    part = seconds_left - (number - 1)
    arc = pygame.Rect(0, 0, 280, 280)
    arc.center = centre
    pygame.draw.arc(surface, ACCENT, arc, math.pi / 2, math.pi / 2 + 2 * math.pi * max(0.02, min(1.0, part)), 10)
    text.draw(surface, str(number), centre, 150, WHITE, anchor="center", role="deco")
    text.draw(surface, t("recite.ui.countdown", lang), (centre[0], centre[1] + 170), 44, INK, anchor="center",
              role="prompt")


def draw_meter(surface, text, column: pygame.Rect, level: float, pitch_trace, seconds: float, lang: str) -> None:
    """Above the stop button: a blinking red dot with 「正在录音 12 秒」, a level bar with ticks and a pitch
    trace (the reader sees the voice arrive)."""
    x, y = column.left, column.top
    pygame.draw.circle(surface, RECORD_RED, (x + 12, y + 20), 11)
    text.draw(surface, t("recite.ui.recording_short", lang, seconds=f"{seconds:0.0f}"), (x + 32, y + 20), 28, INK,
              anchor="midleft")
    bar = pygame.Rect(x, y + 48, min(column.width, 210), 26)
    pygame.draw.rect(surface, PAPER_DARK, bar, border_radius=10)
    filled = int(bar.width * max(0.0, min(1.0, level)))
    pygame.draw.rect(surface, JADE, (bar.left, bar.top, filled, bar.height), border_radius=10)
    for k in range(1, 5):  # tick marks so the level reads without colour
        tick = bar.left + bar.width * k // 5
        pygame.draw.line(surface, INK, (tick, bar.bottom), (tick, bar.bottom + 6), 2)
    box = pygame.Rect(x, bar.bottom + 14, bar.width, 70)
    pygame.draw.rect(surface, WHITE, box, border_radius=10)
    trace = list(pitch_trace)
    points = []
    for k, hz in enumerate(trace):
        if hz == hz and hz > 0:
            py = box.bottom - 8 - (math.log2(hz / 70.0) / math.log2(600 / 70.0)) * (box.height - 16)
            points.append((box.left + 6 + k * (box.width - 12) / max(1, len(trace) - 1), py))
    if len(points) >= 2:
        pygame.draw.lines(surface, ACCENT, False, points, 3)


def draw_message(surface, text, message: str, centre: tuple[int, int]) -> None:
    text.draw(surface, message, centre, 30, INK, anchor="center")


def draw_end_card(surface, text, card: pygame.Rect, lang: str) -> None:
    """The read-along reached the end: three stars, praise, and (below, as buttons) 再来一次 / 下一首."""
    shadow = card.move(0, 8)
    pygame.draw.rect(surface, (214, 198, 170), shadow, border_radius=28)
    pygame.draw.rect(surface, WHITE, card, border_radius=28)
    pygame.draw.rect(surface, ACCENT_GOLD, card, width=5, border_radius=28)
    for k, dx in enumerate((-90, 0, 90)):
        draw_star(surface, (card.centerx + dx, card.top + 62 - (14 if k == 1 else 0)), 36 if k == 1 else 30,
                  ACCENT_GOLD)
    text.draw(surface, t("recite.ui.praise_read_along", lang), (card.centerx, card.top + 112), 48, ACCENT,
              anchor="midtop", role="prompt")
    text.draw(surface, t("recite.ui.praise_next", lang), (card.centerx, card.top + 176), 28, INK, anchor="midtop")


ACCENT_GOLD = (222, 160, 30)


def draw_record_hint(surface, text, record: pygame.Rect, portrait: bool, lang: str, room: int) -> None:
    """「读熟了？点我录音」 pointing at the red button (before anyone has started): where the next step is.
    `room`: the width it may take (left of the button in portrait, above it in landscape); left out if too narrow."""
    label = t("recite.ui.record_hint", lang)
    size = fit_size(text, label, room, 26, 22)
    if text.size(label, size)[0] > room:
        return
    if portrait:
        tip = (record.left - 10, record.centery)
        pygame.draw.polygon(surface, RECORD_RED, [tip, (tip[0] - 18, tip[1] - 12), (tip[0] - 18, tip[1] + 12)])
        text.draw(surface, label, (tip[0] - 26, tip[1]), size, RECORD_RED, anchor="midright")
    else:
        tip = (record.centerx, record.top - 8)
        pygame.draw.polygon(surface, RECORD_RED, [tip, (tip[0] - 12, tip[1] - 18), (tip[0] + 12, tip[1] - 18)])
        text.draw(surface, label, (tip[0], tip[1] - 26), size, RECORD_RED, anchor="midbottom")
