"""Pinyin for any on-screen text: one tone-marked syllable per character, "" for everything that is not Han.

一 and 不 are written in their citation tones (yī, bù), the project's convention (content/poems-recital/README.md).
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Mapping, Sequence

# CJK Unified Ideographs with extension A, the compatibility block and the supplementary planes (ext. B+).
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
CITATION = {"一": "yī", "不": "bù"}  # pypinyin's phrase table writes sandhi tones (一样 yí) in some words


def is_han(char: str) -> bool:
    return bool(_HAN.fullmatch(char))


def has_han(text: str) -> bool:
    return bool(_HAN.search(text))


def pinyin_for(text: str, readings: Mapping[str, Sequence[str]] | None = None) -> list[str]:
    """One syllable per character of `text` (tone marks), "" under punctuation, Latin letters and digits.

    `readings` maps substrings to their syllables (one per character) where the caller knows better than the
    phrase table: {"“了”": ("", "liǎo", "")} in "轮到你了：选一个以“了”开头的成语" (了 starting 了如指掌), while
    the particle in 轮到你了 stays le. Every occurrence of a key is read so; empty syllables keep the computed ones."""
    syllables = list(_pinyin_tuple(text))
    for part, fixed in (readings or {}).items():
        start = text.find(part) if part else -1
        while start >= 0:
            for i, syllable in enumerate(fixed[:len(part)]):
                if syllable:
                    syllables[start + i] = syllable
            start = text.find(part, start + len(part))
    return syllables


@lru_cache(maxsize=4096)
def _pinyin_tuple(text: str) -> tuple[str, ...]:
    from pypinyin import Style, pinyin  # imported late: the tables take a moment to load

    out: list[str] = []
    start = 0
    # Han runs are read whole, so pypinyin's phrase table picks the reading of a 多音字 from its neighbours.
    for match in re.finditer(f"{_HAN.pattern}+", text):
        out.extend("" for _ in text[start:match.start()])
        run = match.group()
        items = [item[0] for item in pinyin(run, style=Style.TONE, errors=lambda chars: [""] * len(chars))]
        if len(items) != len(run):  # a character pypinyin splits oddly: one at a time
            items = [(pinyin(c, style=Style.TONE, errors=lambda chars: [""]) or [[""]])[0][0] for c in run]
        out.extend(CITATION.get(char, syllable) for char, syllable in zip(run, items))
        start = match.end()
    out.extend("" for _ in text[start:])
    return tuple(out)
