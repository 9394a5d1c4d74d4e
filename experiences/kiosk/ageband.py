"""The visitor's age band, asked once per session: the bands offered, and what the menu does with the answer.

Pure: no pygame. The answer lives only in the visitor's session (`SessionReporter.age_band`) and each run's
`RunContext.age_band`; nothing about it is written anywhere but the statements' age-band extension.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Iterable, Sequence, TypeVar

# The answers offered, youngest first; the same values as package manifests' age_bands and the games' levels.
BANDS = ("3-5", "6-8", "9-12", "13+")
YOUNG_BANDS = frozenset({"3-5", "6-8"})  # readers still learning characters: titles carry pinyin
ALL_AGES = "all"

P = TypeVar("P")


def check_band(band: str | None) -> str | None:
    """The band itself, or None for "skipped"; anything else is a programming error, not a visitor's answer."""
    if band is not None and band not in BANDS:
        raise ValueError(f"unknown age band {band!r}; use one of {BANDS} or None")
    return band


CHILD_BANDS = frozenset({"3-5", "6-8", "9-12"})  # a children's corner's visitors, when one did not say
# The menu's kind groups within a match: something to play first, then to recite, to look at, and to read (the
# shelf has the books too). A kind not named here stands with the exhibits, before the e-books.
KIND_GROUPS = {"idiom-lanterns": 0, "idiom-chain": 0, "recitation": 1, "exhibit-treasure": 2,
               "exhibit-panorama": 2, "exhibit-waterfall": 2, "exhibit-book": 2, "ebook": 3}
OTHER_KIND = 2


def band_rank(package_bands: Sequence[str], band: str | None) -> int:
    """How well a package's age bands match the visitor's (`None`: they did not say; the children's bands stand
    for them), best first:
    0: made for them: it names their band (with None: a child's band) and not "all";
    1: for everyone: it names "all" (or nothing) and no other band than theirs;
    2: open to all but aimed at others: "all" and other bands only (宋词三百首's 9-12, 13+, all for a 6-year-old);
    3: for other ages only."""
    bands = set(package_bands or ())
    wanted = CHILD_BANDS if band is None else {band}
    specific = bands - {ALL_AGES}
    if specific & wanted:
        return 1 if ALL_AGES in bands else 0
    if not specific:
        return 1
    return 2 if ALL_AGES in bands else 3


def collation_key(title: str) -> tuple:
    """A title's place in 音序 (the library's order by pinyin, tones after letters), Latin titles alphabetically,
    numbers by their value (测试2 before 测试10)."""
    from experiences.pinyin import pinyin_for

    read = pinyin_for(title)  # a syllable (or "") for each character of the title
    letters, tones, at = [], [], 0
    for part in re.findall(r"\d+|[A-Za-z]+|.", title):
        syllable, at = read[at], at + len(part)
        if part.isdigit():
            letters.append((0, int(part), ""))
        elif syllable:
            marks = unicodedata.normalize("NFD", syllable)
            letters.append((1, 0, "".join(c for c in marks if c.isascii())))
            tones.append(next((_TONES[c] for c in marks if c in _TONES), 5))
        elif part.strip():
            letters.append((1, 0, part.casefold()))
    return tuple(letters), tuple(tones), title


_TONES = {"\u0304": 1, "\u0301": 2, "\u030c": 3, "\u0300": 4}  # the combining marks of ā á ǎ à


def order_for_band(packages: Iterable[P], band: str | None, bands_of=lambda p: p.manifest.age_bands,
                   kind_of=lambda p: p.kind, title_of=lambda p: p.manifest.title("zh-CN"),
                   id_of=lambda p: p.id) -> list[P]:
    """The menu's order: the best matches for the visitor's band first (`band_rank`; nothing is hidden: a
    9-year-old may still want the picture book), then by kind (KIND_GROUPS: play, recite, look, read), then by
    title in 音序, then by id — the same order every time, whatever order the packages were installed in. No
    band (skipped, or not asked): a children's corner's order, the children's bands first."""
    return sorted(packages, key=lambda p: (band_rank(bands_of(p), band), KIND_GROUPS.get(kind_of(p), OTHER_KIND),
                                           collation_key(title_of(p)), id_of(p)))


def title_gets_pinyin(package_bands: Sequence[str], band: str | None) -> bool:
    """Pinyin above a card's title: when the visitor said they are young; with no answer, when the package is
    (also) for the young bands (the rule before the kiosk asked)."""
    if band is not None:
        return band in YOUNG_BANDS
    return bool(YOUNG_BANDS.intersection(package_bands or ()))
