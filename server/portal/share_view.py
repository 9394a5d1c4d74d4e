"""What a family's share page shows, as plain data (no Flask): the poem cell by cell with its pinyin and the
booth's per-character mark, the headline score for the badge and the other scores beside it.

Pinyin comes from the bundled poems' reviewed table (content/poems-recital/poems.json) when the shared poem is one
of them with the same text, else from experiences.pinyin (the same reader the kiosk's screens use)."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from experiences.pinyin import pinyin_for

SPOKEN_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaffA-Za-z0-9]")  # as recitation.scoring.text.SPOKEN
# The score the badge shows, in order of preference (the booth sends "overall", older kiosks "total").
HEADLINE_KEYS = ("overall", "total")
# The other scores a family can read, in this order; keys the page has no words for are not shown.
DETAIL_KEYS = ("completeness", "accuracy", "fluency", "rhythm", "expressiveness", "tones", "pitch")
BUNDLED_POEMS = (Path(__file__).resolve().parents[2] / "content" / "poems-recital" / "poems.json")


@dataclass(frozen=True)
class Cell:
    char: str
    pinyin: str  # "" under punctuation
    mark: str    # "g" said well, "u" unclear, "m" not heard, "" none (punctuation, or no marks sent)


@dataclass(frozen=True)
class KnownPoem:
    paragraphs: tuple[str, ...]
    pinyin: tuple[tuple[str, ...], ...]
    author: str
    dynasty: str


@lru_cache(maxsize=4)
def _reviewed(path: Path) -> dict[str, KnownPoem]:
    """poem id -> its paragraphs, reviewed pinyin, author and dynasty from a poems.json ({} when unreadable)."""
    try:
        poems = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    out = {}
    for poem in poems if isinstance(poems, list) else []:
        try:
            out[str(poem["id"])] = KnownPoem(tuple(poem["paragraphs"]), tuple(tuple(row) for row in poem["pinyin"]),
                                             str(poem.get("author") or ""), str(poem.get("dynasty") or ""))
        except (KeyError, TypeError):
            continue
    return out


def byline(poem_id: str, poems_json: Path = BUNDLED_POEMS) -> str:
    """〔唐〕李白 for a bundled poem, "" when the page does not know the poem."""
    known = _reviewed(poems_json).get(poem_id)
    if known is None or not known.author:
        return ""
    return (f"〔{known.dynasty}〕" if known.dynasty else "") + known.author


def line_pinyin(poem_id: str, lines: list[str], poems_json: Path = BUNDLED_POEMS) -> list[list[str]]:
    """One syllable per character of each line: the reviewed table's when the poem and its text match, else
    computed."""
    known = _reviewed(poems_json).get(poem_id)
    if known is not None and list(known.paragraphs) == lines and \
            all(len(row) == len(line) for row, line in zip(known.pinyin, lines)):
        return [list(row) for row in known.pinyin]
    return [pinyin_for(line) for line in lines]


def marks_list(scores: dict) -> str:
    """The per-character marks without the line separators, or "" when none were sent."""
    marks = scores.get("_marks", "")
    return marks.replace("|", "") if isinstance(marks, str) else ""


def poem_cells(poem_id: str, text: str, scores: dict, poems_json: Path = BUNDLED_POEMS) -> list[list[list[Cell]]]:
    """The poem's lines, each as phrases (a phrase ends after its punctuation, so a narrow phone wraps a line
    between phrases, never inside one), each phrase as cells. Marks are used only when the booth sent one for
    every spoken character."""
    lines = [line for line in (text or "").split("\n") if line.strip()]
    syllables = line_pinyin(poem_id, lines, poems_json)
    flat = marks_list(scores)
    if flat and len(flat) != sum(len(SPOKEN_RE.findall(line)) for line in lines):
        flat = ""
    out, k = [], 0
    for line, row in zip(lines, syllables):
        phrases: list[list[Cell]] = [[]]
        for ch, py in zip(line, row):
            mark = ""
            if flat and SPOKEN_RE.match(ch):
                mark, k = flat[k], k + 1
            if phrases[-1] and not SPOKEN_RE.match(phrases[-1][-1].char) and SPOKEN_RE.match(ch):
                phrases.append([])  # the previous phrase ended with its punctuation
            phrases[-1].append(Cell(ch, py, mark))
        out.append([p for p in phrases if p])
    return out


def headline(scores: dict) -> float | None:
    """The score on the badge (0–100), or None when the booth sent none (a no-score reading for the youngest)."""
    for key in HEADLINE_KEYS:
        value = scores.get(key)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return value
    return None


def details(scores: dict) -> list[tuple[str, float]]:
    """The other known scores, (key, value), in DETAIL_KEYS order."""
    return [(key, scores[key]) for key in DETAIL_KEYS
            if isinstance(scores.get(key), (int, float)) and not isinstance(scores.get(key), bool)]


def stars(score: float | None) -> int:
    """Stars on the badge, 1–3, as the booth's praise does: every reading earns one."""
    if score is None:
        return 0
    return 3 if score >= 85 else 2 if score >= 60 else 1


def number(value: float) -> str:
    """A score as a family reads it: 87, not 87.0 or 86.66666."""
    return str(int(round(value)))
