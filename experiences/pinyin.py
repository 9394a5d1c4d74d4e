"""Pinyin for any on-screen text: one tone-marked syllable per character, "" for everything that is not Han.

一 and 不 are written in their citation tones (yī, bù), the project's convention (content/poems-recital/README.md).
Three fixes on top of pypinyin's phrase table, each in one place here (the cases: tests/data/pinyin_cases.toml):
- PHRASES: phrases it misreads (一行白鹭 háng, 朝辞 zhāo, 万重山 chóng, 一日还 huán, 水佩风裳 cháng, 接得好 de), loaded into
  pypinyin's phrase table, so every reader of it (menus, cards, lines) gets them;
- 儿化: 这儿, 哪儿, 一会儿 … are one syllable, written over the first character with r attached (zhèr) and an
  empty cell over 儿, so the ruby row keeps one cell per character (`_erhua`);
- a lone character (a lantern, a card, the one Han character of a text or a quoted one: 以“着”开头) takes its
  citation reading, never the neutral tone (子 zǐ, not zi): `citation_reading`. Particles whose only everyday reading is neutral (的 吗 呢 …) keep it.
`ruby_cells` spaces a pinyin row: one even cell per Han character, each syllable centred over its character.
"""
from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import Mapping, Sequence

# CJK Unified Ideographs with extension A, the compatibility block and the supplementary planes (ext. B+).
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
CITATION = {"一": "yī", "不": "bù"}  # pypinyin's phrase table writes sandhi tones (一样 yí) in some words

PHRASES: dict[str, str] = {  # phrases pypinyin misreads by context: the right syllables, one per character
    "一行白鹭": "yī háng bái lù",  # 绝句 (杜甫): a row of egrets, not 一行 yī xíng
    "朝辞": "zhāo cí",  # 早发白帝城: in the morning
    "万重山": "wàn chóng shān",  # layers of mountains
    "一日还": "yī rì huán",  # return within a day
    "水佩风裳": "shuǐ pèi fēng cháng",  # 裳 cháng (a skirt) in classical Chinese, shang only in 衣裳
    "风裳": "fēng cháng",
    "接得": "jiē de",  # 接得好 (成语接龙's praise): the complement particle de, not dé (to get)
    "接得长": "jiē de cháng",  # 看谁接得长 (成语接龙's description on the menu): long, not zhǎng
    "缓缓落下": "huǎn huǎn luò xià",  # the waterfall's caption: falling, not 落下 là xià (left behind)
    "穿杠": "chuān gàng",  # the ding's ear: a carrying pole (gàng), not gāng
    "亮堂": "liàng tang",  # the hall's window card: bright, 堂 in the neutral tone
    "卜算子": "bǔ suàn zǐ",  # the 词 tune: 卜 bǔ (to divine), not the 萝卜 bo; 子 in full tone in a tune name
}
NEUTRAL_PARTICLES = frozenset("的吗呢吧啊么们呀哇哪啦嘛")  # neutral is their citation reading (哪 only as 哪 na)
_NO_MARK = re.compile(r"[^āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]+")  # a syllable without a tone mark: the neutral tone
# 儿 after these is 儿化 even where pypinyin reads ér (这儿 zhèr); where it reads a neutral er (一会儿) it is too.
ERHUA_AFTER = frozenset("这那哪点块会玩事空味劲伴活今明昨个样")
NOT_ERHUA_BEFORE = frozenset("子女童孙媳戏歌科时")  # 这儿子: 儿 starts the next word (儿子 ér zi)


_OPEN, _CLOSE = frozenset("“「『‘《(（[【"), frozenset("”」』’》)）]】")


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


def citation_reading(char: str, usual: str = "") -> str:
    """The reading of a character standing alone: `usual` (else pypinyin's first reading) unless that is the
    neutral tone, then its first toned reading (子 zǐ, 了 liǎo); the particles in NEUTRAL_PARTICLES keep theirs."""
    if char in CITATION:
        return CITATION[char]
    all_readings = heteronyms(char)
    usual = usual or (all_readings or ("",))[0]
    if not usual or not _NO_MARK.fullmatch(usual) or char in NEUTRAL_PARTICLES:
        return usual
    return next((r for r in all_readings if not _NO_MARK.fullmatch(r)), usual)


@lru_cache(maxsize=8192)
def heteronyms(char: str) -> tuple[str, ...]:
    """All pypinyin readings of one character, tone-marked, its most usual first."""
    from pypinyin import Style, pinyin
    found = pinyin(char, style=Style.TONE, heteronym=True, errors="ignore") if char else []
    return tuple(found[0]) if found else ()


def _erhua(run: str, items: list[str]) -> list[str]:
    """儿化: the 儿 of 这儿, 哪儿, 一会儿 … joins the syllable before it (zhèr) and its own cell stays empty."""
    items = list(items)
    for i in range(1, len(run)):
        if run[i] != "儿" or not items[i - 1] or (i + 1 < len(run) and run[i + 1] in NOT_ERHUA_BEFORE):
            continue
        if run[i - 1] in ERHUA_AFTER or items[i] == "er":
            items[i - 1] += "r"
            items[i] = ""
    return items


@lru_cache(maxsize=1)
def _load_phrases() -> None:
    from pypinyin import load_phrases_dict
    load_phrases_dict({phrase: [[s] for s in syllables.split(" ")] for phrase, syllables in PHRASES.items()})


@lru_cache(maxsize=4096)
def _pinyin_tuple(text: str) -> tuple[str, ...]:
    from pypinyin import Style, pinyin  # imported late: the tables take a moment to load

    _load_phrases()
    out: list[str] = []
    start = 0
    # A character stands alone when it is the text's one Han character or is quoted (以“着”开头); the 了 of
    # "了 2 个" (a wrapped line, a run cut by a digit) is still the particle le.
    lone = len(_HAN.findall(text)) == 1
    # Han runs are read whole, so pypinyin's phrase table picks the reading of a 多音字 from its neighbours.
    for match in re.finditer(f"{_HAN.pattern}+", text):
        out.extend("" for _ in text[start:match.start()])
        run = match.group()
        items = [item[0] for item in pinyin(run, style=Style.TONE, errors=lambda chars: [""] * len(chars))]
        if len(items) != len(run):  # a character pypinyin splits oddly: one at a time
            items = [(pinyin(c, style=Style.TONE, errors=lambda chars: [""]) or [[""]])[0][0] for c in run]
        items = [CITATION.get(char, syllable) for char, syllable in zip(run, items)]
        quoted = text[match.start() - 1:match.start()] in _OPEN and text[match.end():match.end() + 1] in _CLOSE
        if len(run) == 1 and (lone or quoted):  # a lantern's character, a card's, or one quoted in a message
            items = [citation_reading(run, items[0])]
        out.extend(_erhua(run, items))
        start = match.end()
    out.extend("" for _ in text[start:])
    return tuple(out)


def ruby_cells(bodies: Sequence[float], syllables: Sequence[float], han: Sequence[bool], gap: float,
               syllable_gap: float, least: float = 0) -> list[int]:
    """The width of each piece of a line with pinyin over its Han characters: every Han character gets the same
    cell (an even grid, as in children's books), wide enough for the widest character plus `gap` and for each two
    neighbouring syllables to stand `syllable_gap` apart, centred over their characters; other runs (digits,
    punctuation, Latin) keep their own width, and a syllable may reach over them. `least`: a wider cell asked for
    (the lines of a poem share the widest line's, so their characters stand in columns). Pure arithmetic, pixels."""
    cells = [b + gap for b, h in zip(bodies, han) if h]
    pitch = max(cells + [least])
    # the last syllable, how many Han cells on its neighbour's centre is, and the other runs' width in between
    previous, steps, between = 0.0, 0, 0.0
    for body, syllable, is_han_piece in zip(bodies, syllables, han):
        if not is_han_piece:
            between += body
            continue
        steps += 1
        if syllable:  # a Han character without one (the 儿 of 这儿) leaves its neighbours more room
            if previous:
                pitch = max(pitch, ((previous + syllable) / 2 + syllable_gap - between) / steps)
            previous, steps, between = syllable, 0, 0.0
    pitch = math.ceil(pitch)
    return [pitch if h else math.ceil(b) for b, h in zip(bodies, han)]
