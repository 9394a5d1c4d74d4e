"""The rules of one game of 成语论箭, shared by the 2D and 3D modes: rounds, attempts, gentle help, scoring and
the xAPI statements. No drawing and no devices here: a mode calls shot(), hint(), time_out(), next_round().
"""
from __future__ import annotations

import random
from typing import Callable

from experiences.engagement import Item, build_result
from experiences.i18n import t
from games.idioms.dictionary import IdiomDictionary
from games.idioms.levels import Level
from games.idioms.records import Idiom
from games.idioms.rounds import Round, choose_idioms, fewer_lanterns, make_round
from games.idioms.scoring import ScoreLine, Summary, score_answer

HIT, MISS_PINYIN, MISS_FEWER = "hit", "miss-pinyin", "miss-fewer"


class LanternGame:
    def __init__(self, idioms: list[Idiom], dictionary: IdiomDictionary, level: Level, rng: random.Random,
                 reporter, now: Callable[[], float], band: str, rounds: int):
        self.dictionary = dictionary
        self.level = level
        self.rng = rng
        self.reporter = reporter
        self.now = now
        self.band = band
        self.idioms = choose_idioms(idioms, rounds, rng, band)
        self.lines: list[ScoreLine] = []
        self.index = -1
        self.started = now()
        self.summary: Summary | None = None
        self.round: Round | None = None
        self.attempts = 0
        self.solved = False

    @property
    def total(self) -> int:
        return len(self.idioms)

    @property
    def score(self) -> int:
        return sum(line.total for line in self.lines)

    def next_round(self) -> Round | None:
        """The next idiom's round, or None when the game is over (the summary is then reported once)."""
        self.index += 1
        if self.index >= len(self.idioms):
            self.round = None
            self._finish()
            return None
        self.round = make_round(self.idioms[self.index], self.level, self.dictionary, self.rng)
        self.attempts = 0
        self.shots: list[str] = []
        self.show_blank_pinyin = False
        self.solved = False
        self.round_started = self.now()
        return self.round

    def shot(self, char: str) -> str:
        """A lantern was hit: HIT, or a miss with the help it brought (pinyin first, then fewer lanterns)."""
        self.attempts += 1
        self.shots.append(char)
        if self.round.is_correct(char):
            self.solved = True
            self._record(True)
            return HIT
        if self.attempts == 1 or not self.show_blank_pinyin:
            self.show_blank_pinyin = True  # help 1: how the missing character sounds
            return MISS_PINYIN
        keep = max(2, len(self.round.lanterns) // 2)  # help 2 and later: fewer lanterns, missed ones first
        self.round = fewer_lanterns(self.round, keep, self.rng, drop_first=tuple(self.shots))
        return MISS_FEWER

    def visit_summary(self, lang: str) -> str | None:
        """For the kiosk's goodbye: idioms answered right so far, else idioms tried (a shot counts), else None."""
        correct = sum(line.solved for line in self.lines)
        if correct:
            return t("lanterns.visit_correct", lang, count=correct)
        tried = len(self.lines) + (1 if self.round is not None and not self.solved and self.attempts else 0)
        return t("lanterns.visit_tried", lang, count=tried) if tried else None

    def hint(self) -> None:
        self.show_blank_pinyin = True

    def time_out(self) -> None:
        self._record(False)

    def _record(self, solved: bool) -> None:
        seconds = self.now() - self.round_started
        line = score_answer(self.round.idiom.word, solved, self.attempts, seconds, self.level.time_limit)
        self.lines.append(line)
        word = self.round.idiom.word
        self.reporter.report(
            "answered",
            Item("idiom", word, {"zh-CN": word}, activity_type="question"),
            build_result(success=solved, response=",".join(self.shots), duration=seconds,
                         extensions={"attempts": self.attempts, "hidden-position": self.round.position,
                                     "points": line.total, "age-band": self.band}),
        )

    def _finish(self) -> None:
        if self.summary is not None:
            return
        self.summary = Summary.of(self.lines, self.level.timed)
        self.reporter.report("scored", result=build_result(
            score=self.summary.score, score_max=self.summary.max_score, success=self.summary.correct > 0,
            extensions={"correct": self.summary.correct, "total": self.summary.total}))
        self.reporter.report("completed", result=build_result(completion=True, duration=self.now() - self.started))
