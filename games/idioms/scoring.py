"""Scores people can explain: points per idiom by attempt, a time bonus only where the level has a clock."""
from __future__ import annotations

from dataclasses import dataclass

POINTS_BY_ATTEMPT = (100, 60, 30)  # first, second, third try; later tries still earn LATE_POINTS
LATE_POINTS = 10
TIME_BONUS_MAX = 50


@dataclass(frozen=True)
class ScoreLine:
    word: str
    solved: bool
    attempts: int
    base: int
    time_bonus: int

    @property
    def total(self) -> int:
        return self.base + self.time_bonus


def score_answer(word: str, solved: bool, attempts: int, seconds: float = 0.0, time_limit: float = 0.0) -> ScoreLine:
    """attempts counts every shot at this idiom, the hit included; unsolved (time out, revealed) scores 0."""
    if not solved:
        return ScoreLine(word, False, attempts, 0, 0)
    base = POINTS_BY_ATTEMPT[attempts - 1] if 1 <= attempts <= len(POINTS_BY_ATTEMPT) else LATE_POINTS
    bonus = 0
    if time_limit > 0 and attempts == 1:
        bonus = round(TIME_BONUS_MAX * max(0.0, time_limit - seconds) / time_limit)
    return ScoreLine(word, True, attempts, base, bonus)


@dataclass(frozen=True)
class Summary:
    correct: int
    total: int
    score: int
    max_score: int

    @classmethod
    def of(cls, lines: list[ScoreLine], timed: bool) -> "Summary":
        best = POINTS_BY_ATTEMPT[0] + (TIME_BONUS_MAX if timed else 0)
        return cls(correct=sum(l.solved for l in lines), total=len(lines),
                   score=sum(l.total for l in lines), max_score=best * len(lines))
