"""Pinyin helpers: tone stripping, readings of a character (pypinyin), and sounds a child easily confuses."""
from __future__ import annotations

import unicodedata
from functools import lru_cache

from experiences.pinyin import citation_reading, heteronyms

_TONE_MARKS = {"\u0300", "\u0301", "\u0304", "\u030c"}  # grave, acute, macron, caron (keep ü's diaeresis)

# Sound pairs children (and many dialects) mix up: flat/retroflex initials, n/l, f/h, front/back nasals.
_INITIAL_PAIRS = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("n", "l"), ("f", "h"), ("r", "l"))
_FINAL_PAIRS = (("ang", "an"), ("eng", "en"), ("ing", "in"), ("ong", "eng"))


def toneless(syllable: str) -> str:
    decomposed = unicodedata.normalize("NFD", syllable.lower())
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONE_MARKS)).replace("v", "ü")


@lru_cache(maxsize=8192)
def readings(char: str) -> tuple[str, ...]:
    """All pinyin readings of a character with tone marks (pypinyin, heteronyms included), its reading standing
    alone first: a lantern's or a card's lone character never shows the neutral tone (子 zǐ, not zi)."""
    found = heteronyms(char)
    first = citation_reading(char) if found else ""
    return ((first,) + tuple(r for r in found if r != first)) if first else found


def near_sounds(sound: str) -> set[str]:
    """Toneless syllables one confusable step from `sound` (zh↔z, n↔l, ang↔an, ...), not `sound` itself."""
    sound = toneless(sound)
    out = set()
    for a, b in _INITIAL_PAIRS:
        for x, y in ((a, b), (b, a)):
            if sound.startswith(x) and not (x == "z" and sound.startswith("zh")) \
                    and not (x == "c" and sound.startswith("ch")) and not (x == "s" and sound.startswith("sh")):
                out.add(y + sound[len(x):])
    for a, b in _FINAL_PAIRS:
        for x, y in ((a, b), (b, a)):
            if sound.endswith(x) and not (x == "an" and sound.endswith("ang")) \
                    and not (x == "en" and sound.endswith("eng")) and not (x == "in" and sound.endswith("ing")):
                out.add(sound[: -len(x)] + y)
    out.discard(sound)
    return out


def lantern_syllable(char: str, in_idiom: str = "") -> str:
    """The syllable under a character standing alone on a lantern: the idiom's reading of its answer (行 háng in
    一目十行), any other character's citation reading — never the neutral tone (子 zǐ, 了 liǎo)."""
    if in_idiom:
        return citation_reading(char, in_idiom)
    return (readings(char) or ("",))[0]
