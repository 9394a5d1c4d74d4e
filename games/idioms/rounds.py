"""Round generation for 成语论箭: an idiom with one blank and lanterns whose distractors teach.

Distractors are homophones, near-homophones, look-alike glyphs and characters from related idioms; never one
that also completes a real idiom of the full dictionary, so exactly one lantern is right.
"""
from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, replace
from functools import lru_cache

from games.idioms.dictionary import BLANK, IdiomDictionary
from games.idioms.glyphs import Glyphs, default_glyphs
from games.idioms.levels import Level
from games.idioms.pinyin import near_sounds, readings, toneless
from games.idioms.records import HAN, Idiom

# The order distractors are drawn in: the most instructive first.
REASONS = ("homophone", "lookalike", "near-sound", "related", "filler")
MIN_USES = 3  # a distractor appears in at least this many idioms: no obscure characters on lanterns


@dataclass(frozen=True)
class Lantern:
    char: str
    reason: str  # "answer" or one of REASONS: why this character is on a lantern


@dataclass(frozen=True)
class Round:
    idiom: Idiom
    position: int
    lanterns: tuple[Lantern, ...]

    @property
    def answer(self) -> str:
        return self.idiom.word[self.position]

    @property
    def answer_pinyin(self) -> str:
        return self.idiom.pinyin[self.position]

    @property
    def shown(self) -> str:
        """The idiom as displayed, with □ for the hidden character."""
        word = self.idiom.word
        return word[:self.position] + BLANK + word[self.position + 1:]

    def is_correct(self, char: str) -> bool:
        return char == self.answer

    def chars(self) -> list[str]:
        return [lantern.char for lantern in self.lanterns]


class SoundIndex:
    """Drawable characters by toneless sound and by exact syllable, from their usual pypinyin reading.

    Only the first reading counts: rare heteronyms (离 chī) would make homophones a child cannot hear.
    """

    def __init__(self, chars):
        self.by_sound: dict[str, list[str]] = defaultdict(list)
        self.by_syllable: dict[str, list[str]] = defaultdict(list)
        for char in sorted(chars):
            usual = readings(char)[:1]
            for reading in usual:
                self.by_syllable[reading].append(char)
                self.by_sound[toneless(reading)].append(char)


@lru_cache(maxsize=4)
def _sound_index(glyphs: Glyphs) -> SoundIndex:
    return SoundIndex(glyphs.chars)


@lru_cache(maxsize=4)
def _filler_pool(dictionary: IdiomDictionary, glyphs: Glyphs) -> tuple[str, ...]:
    # Everyday idiom characters (in 20+ idioms) the font draws: plausible, never obscure. A small test
    # dictionary has too few such characters: then every drawable character, most used first.
    common = tuple(sorted(c for c, words in dictionary.by_char.items() if len(words) >= 20 and c in glyphs.chars))
    if len(common) >= 30:
        return common
    return tuple(sorted(glyphs.chars, key=lambda c: (-len(dictionary.containing(c)), c)))


def distractor_candidates(idiom: Idiom, position: int, dictionary: IdiomDictionary,
                          glyphs: Glyphs | None = None) -> dict[str, list[str]]:
    """Characters per reason, best first, already cleared of anything that completes a real idiom."""
    glyphs = glyphs or default_glyphs()
    sounds = _sound_index(glyphs)
    answer, syllable = idiom.word[position], idiom.pinyin[position]
    forbidden = set(idiom.word) | dictionary.completions(idiom.word, position)

    related: list[str] = []
    for other_char in sorted(set(idiom.word) - {answer}):
        for word in sorted(dictionary.containing(other_char)):
            related.append(word[position])
    raw = {
        "homophone": sounds.by_syllable.get(syllable, []) + sounds.by_sound.get(toneless(syllable), []),
        "lookalike": list(glyphs.lookalikes(answer)),
        "near-sound": [c for s in sorted(near_sounds(syllable)) for c in sounds.by_sound.get(s, [])],
        "related": related,
        "filler": list(_filler_pool(dictionary, glyphs)),
    }
    def uses(char: str) -> int:  # how many idioms use a character: a proxy for how familiar it is
        return len(dictionary.containing(char))

    for reason in ("homophone", "near-sound"):
        raw[reason].sort(key=uses, reverse=True)  # stable: exact syllables stay ahead of other tones
    min_uses = MIN_USES if len(dictionary) >= 1000 else 0  # only a real dictionary tells what is familiar
    out: dict[str, list[str]] = {}
    taken: set[str] = set()
    for reason in REASONS:
        picks = []
        for char in raw[reason]:
            if char not in forbidden and char not in taken and HAN.fullmatch(char) and char in glyphs.chars \
                    and uses(char) >= min_uses:
                picks.append(char)
                taken.add(char)
        out[reason] = picks
    return out


def make_round(idiom: Idiom, level: Level, dictionary: IdiomDictionary, rng: random.Random,
               glyphs: Glyphs | None = None, position: int | None = None) -> Round:
    """One round: the blank at a position the level allows, level.lanterns lanterns in random order."""
    if idiom.word not in dictionary:
        raise ValueError(f"{idiom.word} is not in the dictionary it is checked against")
    if position is None:
        position = rng.choice(level.hidden)
    candidates = distractor_candidates(idiom, position, dictionary, glyphs)
    # Keep the best of each kind, but vary which ones: shuffle within the strongest few.
    queues = {}
    for reason, chars in candidates.items():
        head = chars[:6] if reason != "filler" else list(chars)
        rng.shuffle(head)
        queues[reason] = head
    picked: list[Lantern] = []
    wanted = max(1, level.lanterns - 1)
    while len(picked) < wanted and any(queues.values()):
        for reason in REASONS:  # round-robin: a mix of kinds in every round
            if queues[reason] and len(picked) < wanted:
                picked.append(Lantern(queues[reason].pop(0), reason))
    lanterns = picked + [Lantern(idiom.word[position], "answer")]
    rng.shuffle(lanterns)
    return Round(idiom, position, tuple(lanterns))


def fewer_lanterns(current: Round, keep: int, rng: random.Random, drop_first: tuple[str, ...] = ()) -> Round:
    """Gentle help after a miss: the same round with at most `keep` lanterns, the answer always kept.

    `drop_first`: characters to remove before any other (the lanterns just missed).
    """
    keep = max(2, keep)
    distractors = [l for l in current.lanterns if l.reason != "answer"]
    order = [l for l in distractors if l.char in drop_first]
    rest = [l for l in distractors if l.char not in drop_first]
    rng.shuffle(rest)
    dropped = {l.char for l in (order + rest)[: max(0, len(current.lanterns) - keep)]}
    return replace(current, lanterns=tuple(l for l in current.lanterns if l.char not in dropped))


def choose_idioms(idioms: list[Idiom], count: int, rng: random.Random, band: str | None = None) -> list[Idiom]:
    """The idioms of one game: for the youngest, story idioms and the most frequent first; no repeats."""
    pool = list(idioms)
    if band in ("3-5", "6-8"):
        pool.sort(key=lambda i: (not i.classic, i.freq_rank or 10**6))
        pool = pool[: max(count * 4, 40)]
    return rng.sample(pool, min(count, len(pool)))
