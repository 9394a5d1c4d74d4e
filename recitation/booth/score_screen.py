"""The booth's score screen (pygame): praise and the overall score in a big disc, the sub-scores as labelled
bars with numbers, each line with a mark under every character, and a few kind sentences; in family mode each
line names its reader (the same badges as on the reading screen) and each reader gets a summary.
Design pixels (recitation.booth.layout): a column on the left in landscape, stacked in portrait.
"""
from __future__ import annotations

import pygame

from experiences.i18n import t
from recitation.booth.family import reader_summaries, summary_key
from recitation.booth.screens import reader_badge
from recitation.booth.widgets import ACCENT, AMBER, GREY, INK, JADE, PAPER_DARK, RECORD_RED, WHITE, draw_star

MARK_STYLE = {"g": ("mark_good", JADE), "u": ("mark_unclear", AMBER), "m": ("mark_missed", ACCENT)}
MARKED_CELL = 42
LINE_SIZE = 34
NOTE_SIZE = 26
STAR_GOLD = (222, 160, 30)


def praise_key(overall: int) -> str:
    if overall >= 85:
        return "recite.ui.praise_great"
    if overall >= 60:
        return "recite.ui.praise_good"
    return "recite.ui.praise_try"


def draw_score(surface, text, report, lang: str, readers: list[int] | None = None, bottom: int = 0) -> None:
    """`bottom`: where the button row starts (nothing is drawn below it)."""
    width, height = surface.get_size()
    bottom = bottom or height - 110
    portrait = height > width
    centre = (width // 2 - 150, 210) if portrait else (190, 200)
    stars = 3 if report.overall >= 85 else (2 if report.overall >= 60 else 1)
    for k in range(3):
        draw_star(surface, (centre[0] - 56 + 56 * k, centre[1] - 92), 22,
                  STAR_GOLD, 0 if k < stars else 3)
    pygame.draw.circle(surface, RECORD_RED, (centre[0], centre[1] + 8), 64)
    text.draw(surface, str(report.overall), (centre[0], centre[1] + 8), 68, WHITE, anchor="center")
    text.draw(surface, t(praise_key(report.overall), lang), (centre[0], centre[1] + 84), 36, ACCENT, anchor="midtop",
              role="prompt")
    if portrait:
        y, x0 = 130, width // 2 + 10
    else:
        y, x0 = 350, 30
    for name, value in report.scores.items():  # 准确 (accuracy) first when the content check ran
        text.draw(surface, t(f"recite.ui.{name}", lang), (x0, y), 28, INK, anchor="midleft")
        bar = pygame.Rect(x0 + 70, y - 12, 150, 24)
        pygame.draw.rect(surface, PAPER_DARK, bar, border_radius=8)
        pygame.draw.rect(surface, JADE, (bar.left, bar.top, bar.width * value // 100, bar.height), border_radius=8)
        text.draw(surface, str(value), (bar.right + 10, y), 28, INK, anchor="midleft")
        y += 44
    if portrait:
        x, y = 70 if readers is not None else 30, max(y, 340) + 40
    else:
        x, y = 400 + (30 if readers is not None else 0), 110
    right = width - 30
    if report.marks:
        draw_mark_legend(surface, text, (x, y - 44), lang)
    longest = max((len(line["text"]) for line in report.lines), default=0)
    note_x = min(x + longest * MARKED_CELL + 24, right - 150)
    shown = 0
    for line in report.lines:
        step = 62 if report.marks else 50
        if y + step > bottom - 130:
            break
        note = t("recite.ui.line_heard", lang, heard=line["heard"], expected=line["expected"])
        if line["heard"] == 0:
            note = t("recite.ui.line_missing", lang)
        long_pauses = [p["seconds"] for p in line["pauses"] if p["seconds"] >= 0.7]
        if long_pauses:
            note = t("recite.ui.line_pause", lang, seconds=f"{max(long_pauses):.0f}")
        attention = line["heard"] == 0 or bool(long_pauses)
        if readers is not None and 0 <= line["index"] < len(readers):
            reader_badge(surface, text, readers[line["index"]], (x - 30, y + 20), lang, radius=18)
        marks = report.marks[line["index"]] if report.marks and line["index"] < len(report.marks) else ""
        room = (note_x - x - 12) // MARKED_CELL
        chars = line["text"][:max(1, room)]
        if marks:
            draw_marked_line(surface, text, chars, marks, (x, y))
        else:
            text.draw(surface, chars, (x, y), LINE_SIZE, GREY if line["heard"] == 0 else INK)
        if attention:
            pygame.draw.polygon(surface, ACCENT, [(note_x, y + 30), (note_x + 9, y + 12), (note_x + 18, y + 30)], 3)
        text.draw(surface, note, (note_x + (26 if attention else 0), y + 4), NOTE_SIZE, ACCENT if attention else GREY)
        y += step
        shown += 1
    y += 8
    sentences = list(report.feedback[:2])
    if readers is not None:
        sentences = [reader_sentence(summary, lang) for summary in reader_summaries(report.lines, readers)]
        sentences += report.feedback[:1]
    area = pygame.Rect(x - (40 if readers is not None else 0), y, right - x + (40 if readers is not None else 0), 0)
    for sentence in sentences:
        lines = text.wrap(sentence, 28, area.width)
        if area.top + len(lines) * 40 > bottom - 8:
            break
        area.top += text.draw_paragraph(surface, sentence, area, 28, INK, align="left", line_gap=0.2) + 8


def reader_sentence(summary: dict, lang: str) -> str:
    tones = t("recite.ui.reader_tones", lang, tones=summary["tones"]) if summary["tones"] is not None else ""
    reader = t("recite.ui.reader_a" if summary["reader"] == 0 else "recite.ui.reader_b", lang)
    return t(summary_key(summary), lang, reader=reader, heard=summary["heard"], expected=summary["expected"],
             lines=summary["lines_left_out"], tones=tones)


def draw_mark(surface, mark: str, centre: tuple[int, int], size: int = 14) -> None:
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
        text.draw(surface, ch, (cx, y), LINE_SIZE, GREY if mark == "m" else INK, anchor="midtop")
        draw_mark(surface, mark, (cx, y + 50))


def draw_mark_legend(surface, text, topleft: tuple[int, int], lang: str) -> None:
    x, y = topleft
    for mark in ("g", "u", "m"):
        key, colour = MARK_STYLE[mark]
        draw_mark(surface, mark, (x + 8, y))
        label = t(f"recite.ui.{key}", lang)
        text.draw(surface, label, (x + 24, y), 26, INK, anchor="midleft")
        x += 48 + text.size(label, 26)[0]

