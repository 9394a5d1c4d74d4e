"""成语接龙 rules: valid moves, the kiosk's move, the child's candidate cards, hints and game over.

Pure: a ChainGame holds the state; every random choice goes through the injected random.Random.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable

from games.idioms.dictionary import IdiomDictionary
from games.idioms.glyphs import default_glyphs
from games.idioms.pinyin import toneless

KIOSK, CHILD = "kiosk", "child"
END_CHILD_STUCK, END_KIOSK_STUCK, END_MAX_TURNS = "no-move", "kiosk-stuck", "max-turns"
FAMILIAR_USES = 20


_young: dict[tuple[int, frozenset], IdiomDictionary] = {}


def young_dictionary(full: IdiomDictionary, words: frozenset) -> IdiomDictionary:
    """The dictionary young children play within: only `words` (the children's list), with the full dictionary's
    reviewed readings; built once per full dictionary and list (play again reuses it and its cached openings)."""
    key = (id(full), frozenset(words))
    if key not in _young:
        _young.clear()  # one list at a time: a new package version replaces the old one
        _young[key] = IdiomDictionary([full.words[w] for w in sorted(words) if w in full.words], full.unplayable)
    return _young[key]


@dataclass(frozen=True)
class ChainRules:
    same_pinyin: bool = False  # a move may start with any character of the same sound (tones ignored)

    def link_sound(self, dictionary: IdiomDictionary, previous: str) -> str:
        return toneless(dictionary.words[previous].pinyin[-1])

    def follows(self, dictionary: IdiomDictionary, previous: str, word: str) -> bool:
        if word not in dictionary or word == previous:
            return False
        if word[0] == previous[-1]:
            return True
        return self.same_pinyin and toneless(dictionary.words[word].pinyin[0]) == self.link_sound(dictionary, previous)

    def moves(self, dictionary: IdiomDictionary, previous: str, used=frozenset()) -> list[str]:
        """Every idiom that may follow `previous` and is not yet used, sorted (deterministic)."""
        words = set(dictionary.starting_with(previous[-1]))
        if self.same_pinyin:
            words |= set(dictionary.starting_with_sound(self.link_sound(dictionary, previous)))
        return sorted(w for w in words if w not in used and w != previous)


def kiosk_move(dictionary: IdiomDictionary, rules: ChainRules, previous: str, used, preferred,
               rng: random.Random, displayable: Callable[[str], bool] = lambda w: True) -> str | None:
    """The kiosk's reply: a children's idiom when one fits, and one that leaves the child a move if possible."""
    moves = [w for w in rules.moves(dictionary, previous, used) if displayable(w)]
    if not moves:
        return None

    used = set(used)

    def rank(word: str) -> tuple[int, int, bool]:
        used.add(word)  # as if played, without copying the set per candidate
        follow = _follow_up(dictionary, rules, word, used, preferred, displayable)
        used.discard(word)
        # Outside the children's list, prefer idioms whose rarest character is still everyday (in 20+ idioms).
        familiar = min(len(dictionary.containing(c)) for c in word[1:]) >= FAMILIAR_USES  # word[0] is given
        return (follow, int(word in preferred), familiar)

    ranks = {w: rank(w) for w in moves}
    best = max(ranks.values())
    return rng.choice([w for w in moves if ranks[w] == best])


def _follow_up(dictionary, rules: ChainRules, word: str, used, preferred, displayable) -> int:
    """2: a children's idiom can follow `word`; 1: only another idiom can; 0: nothing can (stops early)."""
    found = 0
    pools = [dictionary.starting_with(word[-1])]
    if rules.same_pinyin:
        pools.append(dictionary.starting_with_sound(rules.link_sound(dictionary, word)))
    for pool in pools:
        for w in pool:
            if w in used or not displayable(w):
                continue
            if w in preferred:
                return 2
            found = 1
    return found


def opening_move(dictionary: IdiomDictionary, rules: ChainRules, preferred, rng: random.Random,
                 displayable: Callable[[str], bool] = lambda w: True) -> str:
    """The first idiom: a children's idiom the child can follow with another children's idiom."""
    return rng.choice(_openings(dictionary, rules, frozenset(preferred), displayable))


@lru_cache(maxsize=8)
def _openings(dictionary: IdiomDictionary, rules: ChainRules, preferred: frozenset, displayable) -> tuple[str, ...]:
    pool = sorted(w for w in preferred if w in dictionary and displayable(w))
    good = [w for w in pool if _follow_up(dictionary, rules, w, {w}, preferred, displayable) == 2]
    return tuple(good or pool or sorted(w for w in dictionary.words if displayable(w)))


def candidate_cards(dictionary: IdiomDictionary, rules: ChainRules, previous: str, used, preferred, count: int,
                    rng: random.Random, displayable: Callable[[str], bool] = lambda w: True) -> list[str]:
    """`count` (4–6) cards for the child, at least one valid when any valid move exists, no used idioms.

    Wrong cards teach: they start with a sound-alike or look-alike of the link character, or contain it later.
    """
    count = min(6, max(4, count))
    valid = [w for w in rules.moves(dictionary, previous, used) if displayable(w)]
    # Children's idioms first, and among them the ones the kiosk can answer, so the game goes on.
    used_now = set(used) | {previous}
    answerable = {w for w in valid if _follow_up(dictionary, rules, w, used_now | {w}, preferred, displayable)}
    valid.sort(key=lambda w: (w not in preferred, w not in answerable, w))
    head = [w for w in valid[:8] if w in answerable] or valid[:8]
    rng.shuffle(head)
    n_valid = 2 if len(head) > 1 and rng.random() < 0.35 else 1
    cards = head[:n_valid]

    link = previous[-1]
    sound = rules.link_sound(dictionary, previous)
    near_chars = set(default_glyphs().lookalikes(link)[:4])
    tiers: list[list[str]] = [[], [], []]
    for word in sorted(preferred):
        if word in used or word in cards or word == previous or word not in dictionary or not displayable(word):
            continue
        if rules.follows(dictionary, previous, word):
            continue
        first_sound = toneless(dictionary.words[word].pinyin[0])
        if first_sound == sound or word[0] in near_chars:
            tiers[0].append(word)
        elif link in word[1:]:
            tiers[1].append(word)
        else:
            tiers[2].append(word)
    for tier in tiers:
        rng.shuffle(tier)
    # Two sound- or look-alike cards at most, so the round stays about meaning, then the rest.
    for tier, limit in ((tiers[0], 2), (tiers[1], 2), (tiers[2], count), (tiers[0], count), (tiers[1], count)):
        added = 0
        for word in tier:
            if len(cards) >= count or added >= limit:
                break
            if word not in cards:
                cards.append(word)
                added += 1
    if len(cards) < count:  # a short preferred list: fill from the dictionary
        extra = [w for w in sorted(dictionary.words) if w not in cards and w not in used and displayable(w)
                 and not rules.follows(dictionary, previous, w)]
        cards.extend(rng.sample(extra, min(len(extra), count - len(cards))))
    rng.shuffle(cards)
    return cards


@dataclass
class ChainGame:
    """One game: the kiosk opens, then child and kiosk alternate until someone has no move or max_turns."""

    dictionary: IdiomDictionary
    rules: ChainRules
    preferred: frozenset
    rng: random.Random
    card_count: int = 4
    max_turns: int = 12
    displayable: Callable[[str], bool] = lambda w: True
    chain: list[str] = field(default_factory=list)
    movers: list[str] = field(default_factory=list)
    turn: str = KIOSK
    end_reason: str = ""
    cards: list[str] = field(default_factory=list)
    hints_used: int = 0

    @property
    def over(self) -> bool:
        return bool(self.end_reason)

    @property
    def used(self) -> set[str]:
        return set(self.chain)

    @property
    def last(self) -> str:
        return self.chain[-1]

    def start(self) -> str:
        word = opening_move(self.dictionary, self.rules, self.preferred, self.rng, self.displayable)
        self._append(word, KIOSK)
        return word

    def _append(self, word: str, mover: str) -> None:
        self.chain.append(word)
        self.movers.append(mover)
        self.cards = []
        if len(self.chain) >= self.max_turns:
            self.end_reason = END_MAX_TURNS
            return
        self.turn = CHILD if mover == KIOSK else KIOSK
        if self.turn == CHILD:
            self.cards = candidate_cards(self.dictionary, self.rules, word, self.used, self.preferred,
                                         self.card_count, self.rng, self.displayable)
            if not any(self.is_valid(c) for c in self.cards):
                self.end_reason = END_CHILD_STUCK

    def is_valid(self, word: str) -> bool:
        return word not in self.used and self.rules.follows(self.dictionary, self.last, word)

    def play_child(self, word: str) -> bool:
        """The child picks a card; a wrong card changes nothing (they may pick again)."""
        if self.over or self.turn != CHILD or word not in self.cards or not self.is_valid(word):
            return False
        self._append(word, CHILD)
        return True

    def play_kiosk(self) -> str | None:
        if self.over or self.turn != KIOSK:
            return None
        word = kiosk_move(self.dictionary, self.rules, self.last, self.used, self.preferred, self.rng,
                          self.displayable)
        if word is None:
            self.end_reason = END_KIOSK_STUCK
            return None
        self._append(word, KIOSK)
        return word

    def hint(self) -> dict:
        """First hint: the sound to look for; second and later: which card is right."""
        self.hints_used += 1
        link = self.last[-1]
        sound = self.dictionary.words[self.last].pinyin[-1]
        valid = [c for c in self.cards if self.is_valid(c)]
        if self.hints_used == 1 or not valid:
            return {"kind": "sound", "char": link, "pinyin": sound}
        word = valid[0]
        return {"kind": "card", "char": link, "pinyin": sound, "word": word,
                "meaning": self.dictionary.words[word].explanation}
