"""「What next?」picks: item-to-item co-occurrence over sessions, blended with popularity and age band.

Every pick carries a plain reason (a message key and its values) the kiosk shows in its own language.
"""
from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Iterable, Sequence

CO_WEIGHT = 1.0
POPULARITY_WEIGHT = 0.15
AGE_WEIGHT = 0.1


@dataclass(frozen=True)
class Pick:
    item: str
    score: float
    reason: str  # "also_enjoyed" | "popular" | "for_your_age"
    because_of: str = ""  # the item the visitor just enjoyed, for "also_enjoyed"


@dataclass
class CoOccurrence:
    """Counts of items per session and of item pairs sharing a session (each pair once per session)."""

    item_sessions: Counter = field(default_factory=Counter)
    pair_sessions: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    sessions: int = 0

    def add_session(self, items: Iterable[str]) -> None:
        unique = sorted(set(items))
        if not unique:
            return
        self.sessions += 1
        self.item_sessions.update(unique)
        for i, a in enumerate(unique):
            for b in unique[i + 1:]:
                self.pair_sessions[a][b] += 1
                self.pair_sessions[b][a] += 1

    def similarity(self, a: str, b: str) -> float:
        """Cosine over session vectors: shared sessions / sqrt(sessions(a) · sessions(b))."""
        shared = self.pair_sessions.get(a, {}).get(b, 0)
        if not shared:
            return 0.0
        return shared / math.sqrt(self.item_sessions[a] * self.item_sessions[b])

    def neighbours(self, a: str) -> dict[str, float]:
        return {b: self.similarity(a, b) for b in self.pair_sessions.get(a, {})}


def build_model(sessions: Iterable[Sequence[str]]) -> CoOccurrence:
    model = CoOccurrence()
    for items in sessions:
        model.add_session(items)
    return model


def popularity_picks(model: CoOccurrence, exclude: set[str], k: int) -> list[str]:
    ranked = sorted(model.item_sessions.items(), key=lambda kv: (-kv[1], kv[0]))
    return [item for item, _ in ranked if item not in exclude][:k]


def recommend(model: CoOccurrence, just_played: str, *, k: int = 5, age_band: str | None = None,
              item_age_bands: dict[str, Sequence[str]] | None = None, candidates: Iterable[str] | None = None,
              exclude: Iterable[str] = ()) -> list[Pick]:
    """Up to k picks for a visitor who just played `just_played`; never that item itself."""
    skip = {just_played, *exclude}
    pool = set(candidates) if candidates is not None else set(model.item_sessions)
    pool -= skip
    top_count = max(model.item_sessions.values(), default=0) or 1
    neighbours = model.neighbours(just_played)
    ages = item_age_bands or {}

    def age_fit(item: str) -> bool:
        bands = ages.get(item)
        return bool(age_band and bands and (age_band in bands or "all" in bands))

    scored = []
    for item in pool:
        co = neighbours.get(item, 0.0)
        popularity = math.log1p(model.item_sessions.get(item, 0)) / math.log1p(top_count)
        score = CO_WEIGHT * co + POPULARITY_WEIGHT * popularity + AGE_WEIGHT * age_fit(item)
        if co > 0:
            reason = "also_enjoyed"
        elif age_fit(item):
            reason = "for_your_age"
        else:
            reason = "popular"
        scored.append(Pick(item, round(score, 6), reason, just_played if reason == "also_enjoyed" else ""))
    scored.sort(key=lambda p: (-p.score, p.item))
    return scored[:k]


def hit_rate_at_k(model_sessions: Sequence[Sequence[str]], held_out: Sequence[Sequence[str]], k: int = 5,
                  ) -> tuple[float, float]:
    """For each held-out session (≥ 2 items): given its first item, is one of its other items in the top k?
    Returns (recommender hit rate, popularity-baseline hit rate)."""
    model = build_model(model_sessions)
    hits = base_hits = total = 0
    for session in held_out:
        unique = list(dict.fromkeys(session))
        if len(unique) < 2:
            continue
        first, rest = unique[0], set(unique[1:])
        total += 1
        picks = {p.item for p in recommend(model, first, k=k)}
        hits += bool(picks & rest)
        base_hits += bool(set(popularity_picks(model, {first}, k)) & rest)
    if total == 0:
        return 0.0, 0.0
    return hits / total, base_hits / total
