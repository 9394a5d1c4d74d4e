"""The text a reader is expected to say: characters, verse lines (句) and the tones each character may take.

A verse line is the run of characters between punctuation marks; a line ends with a "minor" break (，、：)
or a "major" one (。！？； or the end of a paragraph), which sets how long a natural pause there is.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

MINOR_BREAKS = set("，,、：:")
MAJOR_BREAKS = set("。.！!？?；;")
SPOKEN = re.compile(r"[\u3400-\u9fff\uf900-\ufaffA-Za-z0-9]")
_TONE_DIGIT = re.compile(r"([1-5])$")
# 一 and 不 change tone before others in speech (sandhi); both readings are accepted rather than guessed.
_SANDHI_FREE = {"一": {1, 2, 4}, "不": {2, 4}}


@dataclass
class ExpectedLine:
    """One verse line: its characters, their tone-numbered pinyin and the break that follows it."""

    index: int
    text: str
    start: int  # index of its first character in the whole reading
    pinyin: list[str]
    tones: list[frozenset[int]]  # accepted tones per character; empty set: neutral (not scored)
    end_break: str = "major"  # "minor" | "major"

    @property
    def size(self) -> int:
        return len(self.text)


@dataclass
class ExpectedText:
    lines: list[ExpectedLine] = field(default_factory=list)

    @property
    def chars(self) -> str:
        return "".join(line.text for line in self.lines)

    @property
    def size(self) -> int:
        return sum(line.size for line in self.lines)

    def line_of(self) -> list[int]:
        """For each character, the index of its line."""
        return [line.index for line in self.lines for _ in line.text]

    def boundaries(self) -> list[str]:
        """For each character, the break before it: "" inside a line, "minor" or "major" after a line."""
        out: list[str] = []
        previous = ""
        for line in self.lines:
            for i, _ in enumerate(line.text):
                out.append(previous if i == 0 else "")
            previous = line.end_break
        return out

    def spaced_lines(self) -> list[str]:
        """Each line followed by a space but the last: how Whisper writes verse lines. (With "，"/"。" between
        lines, or nothing, the first character of each line measured far less likely: found 0.69 against 0.91.)"""
        return [line.text + (" " if k + 1 < len(self.lines) else "") for k, line in enumerate(self.lines)]

    def tones(self) -> list[frozenset[int]]:
        return [tone for line in self.lines for tone in line.tones]


def tone_number(syllable: str) -> int:
    """The tone (1–5) of a pinyin syllable in tone marks or tone numbers; 5 for neutral or unknown."""
    from pypinyin.contrib.tone_convert import to_tone3

    if not syllable:
        return 5
    numbered = to_tone3(syllable.strip().lower(), neutral_tone_with_five=True)
    match = _TONE_DIGIT.search(numbered)
    return int(match.group(1)) if match else 5


def numbered_pinyin(syllable: str) -> str:
    from pypinyin.contrib.tone_convert import to_tone3

    return to_tone3(syllable.strip().lower(), neutral_tone_with_five=True)


def _accepted_tones(chars: str, tones: list[int]) -> list[frozenset[int]]:
    accepted: list[frozenset[int]] = []
    for i, (char, tone) in enumerate(zip(chars, tones)):
        if tone == 5:
            accepted.append(frozenset())
            continue
        options = {tone}
        if tone == 3 and i + 1 < len(tones) and tones[i + 1] == 3:
            options.add(2)  # third-tone sandhi: 3-3 is said 2-3
        if char in _SANDHI_FREE:
            options |= _SANDHI_FREE[char]
        accepted.append(frozenset(options))
    return accepted


def _split_units(paragraph: str) -> list[tuple[str, list[int], str]]:
    """(characters, their indices in the paragraph, break after) for each verse line of one paragraph."""
    units: list[tuple[str, list[int], str]] = []
    chars: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(paragraph):
        if SPOKEN.match(ch):
            chars.append(ch)
            where.append(i)
        elif ch in MINOR_BREAKS or ch in MAJOR_BREAKS or ch == "\n":
            if chars:
                units.append(("".join(chars), where, "minor" if ch in MINOR_BREAKS else "major"))
            chars, where = [], []
    if chars:
        units.append(("".join(chars), where, "major"))
    return units


def expected_from_paragraphs(paragraphs: list[str], pinyin: list[list[str]] | None = None) -> ExpectedText:
    """Build the expected text from a poem's paragraphs and (optionally) its per-character pinyin.

    `pinyin[p][i]` is the syllable under `paragraphs[p][i]` ("" under punctuation), as in poems.json;
    without it pypinyin reads each paragraph in context.
    """
    from pypinyin import Style, pinyin as to_pinyin

    text = ExpectedText()
    offset = 0
    for p_index, paragraph in enumerate(paragraphs):
        given = pinyin[p_index] if pinyin and p_index < len(pinyin) else None
        if given is None or len(given) != len(paragraph):
            guessed = to_pinyin(paragraph, style=Style.TONE3, neutral_tone_with_five=True, errors=lambda s: [""] * len(s))
            flat = [item[0] if item else "" for item in guessed]
            given = flat if len(flat) == len(paragraph) else [""] * len(paragraph)
        for chars, where, end_break in _split_units(paragraph):
            syllables = [numbered_pinyin(given[i]) if given[i] else "" for i in where]
            tones = [tone_number(s) for s in syllables]
            text.lines.append(ExpectedLine(index=len(text.lines), text=chars, start=offset, pinyin=syllables,
                                           tones=_accepted_tones(chars, tones), end_break=end_break))
            offset += len(chars)
    return text


def expected_from_text(text: str) -> ExpectedText:
    """Build the expected text from plain text; newlines separate paragraphs."""
    paragraphs = [p for p in text.replace("\r", "").split("\n") if p.strip()]
    return expected_from_paragraphs(paragraphs)
