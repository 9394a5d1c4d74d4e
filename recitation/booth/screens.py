"""Drawing the booth's screens (pygame): picker, karaoke poem with pinyin ruby, consent, countdown, live meter,
score. Layout numbers assume the kiosk's 1280×720 and scale with the surface size.
"""
from __future__ import annotations

import math

import pygame

from experiences.i18n import t
from recitation.booth.family import reader_summaries, summary_key
from recitation.booth.layout import HOME_CLEAR
from recitation.booth.widgets import ACCENT, AMBER, GREY, INK, JADE, PAPER_DARK, WHITE
from recitation.poems import GRADE_NAMES

CHAR_SIZE = 60
RUBY_SIZE = 24
ROW_HEIGHT = 112


def display_rows(poem) -> list[list[int]]:
    """Rows of verse-line indices as shown: a whole paragraph per row when it fits (≤ 14 characters)."""
    rows: list[list[int]] = []
    lines = poem.expected.lines
    current: list[int] = []
    size = 0
    for line in lines:
        if current and size + line.size > 14:
            rows.append(current)
            current, size = [], 0
        current.append(line.index)
        size += line.size
        if line.end_break == "major":
            rows.append(current)
            current, size = [], 0
    if current:
        rows.append(current)
    return rows


def draw_poem(surface, text, poem, area: pygame.Rect, position: float, show_pinyin: bool, family: bool,
              lang: str) -> None:
    """The karaoke poem: characters (Kai) with pinyin above; the current character and line marked."""
    expected = poem.expected
    rows = display_rows(poem)
    current = int(math.floor(position)) if position >= 0 else -1
    line_of = expected.line_of()
    current_line = line_of[current] if 0 <= current < len(line_of) else -1
    current_row = next((r for r, row in enumerate(rows) if current_line in row), 0)
    visible = max(1, area.height // ROW_HEIGHT)
    first = max(0, min(current_row - 1, len(rows) - visible))
    cell = CHAR_SIZE + 12
    if show_pinyin:  # wide syllables (shuāng, zhuàng) widen the poem's one even grid so none overlap
        syllables = [s for line in expected.lines for s in line.pinyin if s]
        if syllables:
            cell = max(cell, max(text.size(_marked(s), RUBY_SIZE)[0] for s in syllables) + 8)
    widest_row = max(sum(expected.lines[i].size + 1 for i in row) - 1 for row in rows) if rows else 1
    cell = min(cell, (area.width - 80) // max(1, widest_row))  # the longest row must fit the screen
    for r, row in enumerate(rows[first:first + visible]):
        y = area.top + r * ROW_HEIGHT
        cells = []
        for index in row:
            line = expected.lines[index]
            cells += [(line.start + k, ch, line.pinyin[k], index) for k, ch in enumerate(line.text)]
            cells.append(None)  # a space between verse lines
        cells = cells[:-1]
        width = len(cells) * cell
        x0 = area.centerx - width // 2
        row_is_current = current_line in row
        if row_is_current:
            band = pygame.Rect(area.left + 20, y - 4, area.width - 40, ROW_HEIGHT - 8)
            pygame.draw.rect(surface, PAPER_DARK, band, border_radius=14)
            text.draw(surface, "▶" if _has(text, "▶") else ">", (band.left + 18, band.centery), 32, ACCENT,
                      anchor="midleft")
        if family:
            reader = t("recite.ui.reader_a" if (first + r) % 2 == 0 else "recite.ui.reader_b", lang)
            text.draw(surface, reader, (area.right - 40, y + ROW_HEIGHT // 2), 30, JADE, anchor="center")
        for k, entry in enumerate(cells):
            if entry is None:
                continue
            char_index, ch, syllable, _ = entry
            cx = x0 + k * cell + cell // 2
            done = char_index < current
            now = char_index == current
            colour = ACCENT if now else (GREY if done else INK)
            if show_pinyin and syllable:
                text.draw(surface, _marked(syllable), (cx, y), RUBY_SIZE, colour, anchor="midtop")
            text.draw(surface, ch, (cx, y + RUBY_SIZE + 8), CHAR_SIZE, colour, anchor="midtop")
            if now:  # underline as well as colour
                pygame.draw.rect(surface, ACCENT, (cx - CHAR_SIZE // 2, y + RUBY_SIZE + CHAR_SIZE + 14, CHAR_SIZE, 6),
                                 border_radius=3)


def _has(text, glyph: str) -> bool:
    checker = getattr(text, "has_glyph", None)
    return bool(checker(glyph)) if checker else False


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


def draw_header(surface, text, poem, lang: str) -> None:
    width = surface.get_width()
    text.draw(surface, poem.title, (width // 2, 18), 48, INK, anchor="midtop")
    byline = t("recite.ui.by", lang, dynasty=poem.dynasty, author=poem.author) if poem.author else ""
    text.draw(surface, byline, (width // 2, 76), 26, GREY, anchor="midtop")


def draw_picker(surface, text, cards, query: str, page: int, pages: int, lang: str,
                reasons: dict[str, str] | None = None) -> None:
    """The poem cards; a suggested one carries a ribbon saying why (「同一位诗人」), in words, not colour alone."""
    width = surface.get_width()
    text.draw(surface, t("recite.ui.pick_title", lang), (width // 2, 24), 40, INK, anchor="midtop")
    text.draw(surface, t("recite.ui.page", lang, page=page + 1, pages=max(1, pages)), (width - 30, 40), 24, GREY,
              anchor="topright")
    for rect, poem in cards:
        pygame.draw.rect(surface, WHITE, rect, border_radius=16)
        pygame.draw.rect(surface, PAPER_DARK, rect, width=2, border_radius=16)
        text.draw(surface, poem.title[:8], (rect.centerx, rect.top + 14), 34, INK, anchor="midtop")
        grade = GRADE_NAMES.get(poem.grade, poem.collection) if poem.grade else poem.collection
        text.draw(surface, f"{poem.author} · {grade}", (rect.centerx, rect.bottom - 14), 22, GREY,
                  anchor="midbottom")
        reason = (reasons or {}).get(poem.id)
        if reason:
            label = t(f"recite.ui.suggest_{reason}", lang)
            tag_w = text.size(label, 20)[0] + 20
            tag = pygame.Rect(rect.left + 10, rect.top - 12, tag_w, 28)
            pygame.draw.rect(surface, JADE, tag, border_radius=14)
            text.draw(surface, label, tag.center, 20, WHITE, anchor="center")
    if not cards:
        text.draw(surface, t("recite.ui.no_match", lang), (width // 2, 300), 32, GREY, anchor="center")
    label = f"{t('recite.ui.search', lang)}：{query.upper() or '—'}"
    text.draw(surface, label, (HOME_CLEAR, surface.get_height() - 58), 30, INK, anchor="midleft")


def draw_consent(surface, text, days: int, lang: str) -> None:
    width = surface.get_width()
    text.draw(surface, t("recite.consent.title", lang), (width // 2, 60), 52, INK, anchor="midtop")
    y = 170
    for key in ("what", "where", "who", "without"):
        text.draw(surface, t(f"recite.consent.{key}", lang, days=days), (width // 2, y), 30, INK, anchor="midtop")
        y += 70


def draw_countdown(surface, seconds_left: float, text, lang: str) -> None:
    shade = pygame.Surface(surface.get_size(), pygame.SRCALPHA)
    shade.fill((246, 238, 222, 200))
    surface.blit(shade, (0, 0))
    number = str(max(1, math.ceil(seconds_left)))
    centre = (surface.get_width() // 2, surface.get_height() // 2)
    pygame.draw.circle(surface, ACCENT, centre, 110)
    text.draw(surface, number, centre, 120, WHITE, anchor="center")
    text.draw(surface, t("recite.ui.countdown", lang), (centre[0], centre[1] + 150), 36, INK, anchor="center")


def draw_meter(surface, text, level: float, pitch_trace, seconds: float, lang: str) -> None:
    """Volume bar (right edge) and a pitch trace (top right); the recording label says it in words too."""
    width, height = surface.get_size()
    bar = pygame.Rect(width - 70, 130, 40, height - 260)
    pygame.draw.rect(surface, PAPER_DARK, bar, border_radius=12)
    filled = int(bar.height * max(0.0, min(1.0, level)))
    pygame.draw.rect(surface, JADE, (bar.left, bar.bottom - filled, bar.width, filled), border_radius=12)
    for k in range(1, 5):  # tick marks so the level reads without colour
        y = bar.bottom - bar.height * k // 5
        pygame.draw.line(surface, INK, (bar.left - 6, y), (bar.left, y), 2)
    box = pygame.Rect(width - 330, 16, 300, 90)
    pygame.draw.rect(surface, WHITE, box, border_radius=10)
    points = []
    trace = list(pitch_trace)
    for k, hz in enumerate(trace):
        if hz == hz and hz > 0:
            y = box.bottom - 8 - (math.log2(hz / 70.0) / math.log2(600 / 70.0)) * (box.height - 16)
            points.append((box.left + 6 + k * (box.width - 12) / max(1, len(trace) - 1), y))
    if len(points) >= 2:
        pygame.draw.lines(surface, ACCENT, False, points, 3)
    pygame.draw.circle(surface, ACCENT, (40, height - 150), 12)
    text.draw(surface, f"{t('recite.ui.recording', lang)}  {seconds:0.0f}s", (62, height - 150), 26, INK,
              anchor="midleft")


def draw_message(surface, text, message: str) -> None:
    text.draw(surface, message, (surface.get_width() // 2, surface.get_height() - 130), 28, INK, anchor="center")


def draw_score(surface, text, report, lang: str, readers: list[int] | None = None) -> None:
    """Overall score, the five sub-scores as labelled bars with numbers, per-line notes, feedback sentences;
    in family mode (`readers`: 0/1 per line) each line names its reader and each reader gets a summary."""
    pygame.draw.circle(surface, ACCENT, (190, 190), 80)
    text.draw(surface, str(report.overall), (190, 190), 76, WHITE, anchor="center")
    text.draw(surface, t("recite.ui.score_title", lang), (190, 278), 28, INK, anchor="midtop")
    y = 330
    for name, value in report.scores.items():  # 准确 (accuracy) first when the content check ran
        text.draw(surface, t(f"recite.ui.{name}", lang), (40, y), 26, INK, anchor="midleft")
        bar = pygame.Rect(130, y - 12, 170, 24)
        pygame.draw.rect(surface, PAPER_DARK, bar, border_radius=8)
        pygame.draw.rect(surface, JADE, (bar.left, bar.top, bar.width * value // 100, bar.height), border_radius=8)
        text.draw(surface, str(value), (bar.right + 12, y), 26, INK, anchor="midleft")
        y += 42
    x, y = 400, 110
    if report.marks:
        draw_mark_legend(surface, text, (x, 70), lang)
    for line in report.lines[:7]:
        note = t("recite.ui.line_heard", lang, heard=line["heard"], expected=line["expected"])
        if line["heard"] == 0:
            note = t("recite.ui.line_missing", lang)
        long_pauses = [p["seconds"] for p in line["pauses"] if p["seconds"] >= 0.7]
        if long_pauses:
            note += "  " + t("recite.ui.line_pause", lang, seconds=f"{max(long_pauses):.0f}")
        mark = "!" if line["heard"] == 0 or long_pauses else ""
        if readers is not None and 0 <= line["index"] < len(readers):
            reader = t("recite.ui.reader_a" if readers[line["index"]] == 0 else "recite.ui.reader_b", lang)
            text.draw(surface, reader, (x - 34, y + 4), 28, JADE)
        marks = report.marks[line["index"]] if report.marks and line["index"] < len(report.marks) else ""
        if marks:
            draw_marked_line(surface, text, line["text"], marks, (x, y))
        else:
            text.draw(surface, line["text"], (x, y), 34, GREY if line["heard"] == 0 else INK)
        note_x = max(x + 420, x + len(line["text"]) * MARKED_CELL + 20) if marks else x + 420
        text.draw(surface, f"{mark} {note}".strip(), (note_x, y + 6), 24, ACCENT if mark else GREY)
        y += 54 if marks else 48
    y = max(y + 10, 470)
    sentences = list(report.feedback[:3])
    if readers is not None:
        sentences = [reader_sentence(summary, lang) for summary in reader_summaries(report.lines, readers)]
        sentences += report.feedback[:1]
    for sentence in sentences:
        text.draw(surface, sentence, (x, y), 28, INK)
        y += 42


def reader_sentence(summary: dict, lang: str) -> str:
    tones = t("recite.ui.reader_tones", lang, tones=summary["tones"]) if summary["tones"] is not None else ""
    reader = t("recite.ui.reader_a" if summary["reader"] == 0 else "recite.ui.reader_b", lang)
    return t(summary_key(summary), lang, reader=reader, heard=summary["heard"], expected=summary["expected"],
             lines=summary["lines_left_out"], tones=tones)


MARK_STYLE = {"g": ("mark_good", JADE), "u": ("mark_unclear", AMBER), "m": ("mark_missed", ACCENT)}
MARKED_CELL = 40


def draw_mark(surface, mark: str, centre: tuple[int, int], size: int = 12) -> None:
    """A character's mark by shape as well as colour: ● said well, ▲ said unclearly, ✕ not heard."""
    cx, cy = centre
    colour = MARK_STYLE[mark][1]
    if mark == "g":
        pygame.draw.circle(surface, colour, centre, size // 2)
    elif mark == "u":
        half = size // 2 + 1
        pygame.draw.polygon(surface, colour, [(cx, cy - half), (cx + half, cy + half - 2), (cx - half, cy + half - 2)],
                            width=3)
    else:
        half = size // 2
        pygame.draw.line(surface, colour, (cx - half, cy - half), (cx + half, cy + half), 4)
        pygame.draw.line(surface, colour, (cx - half, cy + half), (cx + half, cy - half), 4)


def draw_marked_line(surface, text, chars: str, marks: str, topleft: tuple[int, int]) -> None:
    """A verse line character by character, each with its mark underneath; characters not heard in grey."""
    x, y = topleft
    for k, (ch, mark) in enumerate(zip(chars, marks)):
        cx = x + k * MARKED_CELL + MARKED_CELL // 2
        text.draw(surface, ch, (cx, y), 34, GREY if mark == "m" else INK, anchor="midtop")
        draw_mark(surface, mark, (cx, y + 44))


def draw_mark_legend(surface, text, topleft: tuple[int, int], lang: str) -> None:
    x, y = topleft
    for mark in ("g", "u", "m"):
        key, colour = MARK_STYLE[mark]
        draw_mark(surface, mark, (x + 8, y))
        label = t(f"recite.ui.{key}", lang)
        text.draw(surface, label, (x + 22, y), 22, INK, anchor="midleft")
        x += 40 + text.size(label, 22)[0]
