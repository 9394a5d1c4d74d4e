"""LRC lyrics files: plain line tags `[mm:ss.xx]` (interpolated across a line's characters) and enhanced
word tags `<mm:ss.xx>` (a time per character or word), turned into one timeline of spoken characters.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from recitation.scoring.text import SPOKEN

_TIME = r"(\d{1,3}):(\d{1,2}(?:[.:]\d{1,3})?)"
_LINE_TAG = re.compile(r"\[" + _TIME + r"\]")
_WORD_TAG = re.compile(r"<" + _TIME + r">")
_META_TAG = re.compile(r"^\[([A-Za-z]+):(.*)\]\s*$")
LAST_CHAR_S = 0.45  # a last line has no next tag: assume this long per character
PAUSE_SHARE = 0.25  # of the time to the next line tag, the share that is the pause at the end of a line


class LrcError(ValueError):
    """An LRC file that cannot be used; `line` is 1-based, `code` a validation message code."""

    def __init__(self, code: str, line: int = 0, detail: str = ""):
        super().__init__(f"{code} (line {line}): {detail}" if line else f"{code}: {detail}")
        self.code, self.line, self.detail = code, line, detail


def _seconds(minutes: str, rest: str) -> float:
    return int(minutes) * 60 + float(rest.replace(":", "."))


@dataclass(frozen=True)
class CharTime:
    char: str
    start: float
    end: float


@dataclass
class Timeline:
    """Spoken characters in order with their start and end times (seconds from the start of the reading)."""

    chars: list[CharTime] = field(default_factory=list)
    enhanced: bool = False  # per-character times came from word tags

    def __post_init__(self):
        self._starts = [c.start for c in self.chars]

    @property
    def text(self) -> str:
        return "".join(c.char for c in self.chars)

    @property
    def duration(self) -> float:
        return self.chars[-1].end if self.chars else 0.0

    def index_at(self, t: float) -> int:
        """Index of the character being said at time t (-1 before the first; the last after the end)."""
        return bisect.bisect_right(self._starts, t) - 1

    def progress_at(self, t: float) -> float:
        """A fractional character position for smooth highlighting: 2.5 = halfway through the third character."""
        i = self.index_at(t)
        if i < 0:
            return 0.0
        c = self.chars[i]
        inside = (t - c.start) / (c.end - c.start) if c.end > c.start else 1.0
        return i + min(1.0, max(0.0, inside))

    def shifted(self, seconds: float) -> "Timeline":
        return Timeline([CharTime(c.char, c.start + seconds, c.end + seconds) for c in self.chars], self.enhanced)


def _spoken(text: str) -> str:
    return "".join(ch for ch in text if SPOKEN.match(ch))


def parse_lrc(text: str) -> Timeline:
    """Parse LRC text. Raises LrcError("lrc_no_times") when no line has a time tag,
    LrcError("lrc_time_order", line) when times go backwards."""
    offset = 0.0
    entries: list[tuple[float, int, str]] = []  # (line start, source line number, rest of line)
    for number, raw in enumerate(text.replace("\ufeff", "").splitlines(), start=1):
        line = raw.strip()
        meta = _META_TAG.match(line)
        if meta and not _LINE_TAG.match(line):
            if meta.group(1).lower() == "offset":
                try:
                    offset = int(meta.group(2).strip()) / 1000.0  # LRC offset: + means earlier
                except ValueError:
                    raise LrcError("lrc_bad_offset", number, meta.group(2)) from None
            continue
        times = []
        while True:
            tag = _LINE_TAG.match(line)
            if not tag:
                break
            times.append(_seconds(tag.group(1), tag.group(2)))
            line = line[tag.end():]
        for t in times:  # one line may carry several tags (a repeated refrain)
            entries.append((t, number, line))
    if not entries:
        raise LrcError("lrc_no_times", 0, "no [mm:ss.xx] tags")
    entries.sort(key=lambda e: e[0])
    chars: list[CharTime] = []
    enhanced = False
    for k, (start, number, body) in enumerate(entries):
        next_start = entries[k + 1][0] if k + 1 < len(entries) else None
        words = _WORD_TAG.split(body)
        if len(words) > 1:
            enhanced = True
            chars += _enhanced_line(words, number, start, next_start)
        else:
            chars += _plain_line(_spoken(body), start, next_start)
    for a, b in zip(chars, chars[1:]):
        if b.start < a.start:
            raise LrcError("lrc_time_order", 0, f"{b.char} at {b.start:.2f}s comes before {a.char} at {a.start:.2f}s")
    return Timeline([CharTime(c.char, max(0.0, c.start - offset), max(0.0, c.end - offset)) for c in chars], enhanced)


def _plain_line(spoken: str, start: float, next_start: float | None) -> list[CharTime]:
    if not spoken:
        return []
    if next_start is None:
        end = start + LAST_CHAR_S * len(spoken)
    else:
        end = next_start - PAUSE_SHARE * (next_start - start)
    step = (end - start) / len(spoken)
    return [CharTime(ch, start + i * step, start + (i + 1) * step) for i, ch in enumerate(spoken)]


def _enhanced_line(parts: list[str], number: int, start: float, next_start: float | None) -> list[CharTime]:
    """parts = [text before the first tag, m, s, text, m, s, text, ...] from re.split with two groups."""
    marks: list[tuple[float, str]] = []
    lead = _spoken(parts[0])
    for i in range(1, len(parts), 3):
        marks.append((_seconds(parts[i], parts[i + 1]), _spoken(parts[i + 2])))
    if lead:  # text before the first word tag starts at the line tag
        marks.insert(0, (start, lead))
    out: list[CharTime] = []
    for k, (t, word) in enumerate(marks):
        if not word:
            continue  # a closing tag: it only ends the previous word
        following = [m for m, _ in marks[k + 1:]]
        if following:
            end = following[0]
        elif next_start is not None:
            end = min(next_start, t + LAST_CHAR_S * len(word))
        else:
            end = t + LAST_CHAR_S * len(word)
        if end < t:
            raise LrcError("lrc_time_order", number, f"<{t:.2f}> after a later tag")
        step = (end - t) / len(word)
        out += [CharTime(ch, t + i * step, t + (i + 1) * step) for i, ch in enumerate(word)]
    return out


def timeline_for_text(timeline: Timeline, spoken_text: str) -> tuple[Timeline, list[int]]:
    """Fit an LRC timeline to the poem's spoken characters.

    Returns the timeline (one entry per poem character, in order) and the indices of poem characters the LRC
    lacks (their times are interpolated); an LRC with a different wording is a curator's error to report.
    """
    import difflib

    lrc = timeline.text
    matcher = difflib.SequenceMatcher(a=spoken_text, b=lrc, autojunk=False)
    times: list[CharTime | None] = [None] * len(spoken_text)
    for block in matcher.get_matching_blocks():
        for k in range(block.size):
            times[block.a + k] = timeline.chars[block.b + k]
    missing = [i for i, t in enumerate(times) if t is None]
    filled: list[CharTime | None] = [None if t is None else CharTime(ch, t.start, t.end)
                                     for ch, t in zip(spoken_text, times)]
    i = 0
    while i < len(filled):
        if filled[i] is not None:
            i += 1
            continue
        run_end = i
        while run_end < len(filled) and filled[run_end] is None:
            run_end += 1
        run = run_end - i
        before = filled[i - 1] if i > 0 else None
        after = filled[run_end] if run_end < len(filled) else None
        if before is not None and after is not None:
            # Share the time from the previous character's start to the next one's among them all.
            step = (after.start - before.start) / (run + 1)
            filled[i - 1] = CharTime(before.char, before.start, before.start + step)
            first = before.start + step
        elif after is not None:
            step = LAST_CHAR_S
            first = max(0.0, after.start - step * run)
        else:
            step = LAST_CHAR_S
            first = before.end if before is not None else 0.0
        for k in range(run):
            filled[i + k] = CharTime(spoken_text[i + k], first + k * step, first + (k + 1) * step)
        i = run_end
    return Timeline(filled, timeline.enhanced), missing
