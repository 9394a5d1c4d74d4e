"""Scores as explainable sums; the daily top list keeps nicknames from the kid-safe list only."""
from __future__ import annotations

from datetime import date

import pytest

from games.idioms.scoring import POINTS_BY_ATTEMPT, TIME_BONUS_MAX, Summary, score_answer
from games.idioms.toplist import KEEP, DailyTopList, nickname_ids, nickname_text


def test_points_by_attempt_and_time_bonus():
    assert score_answer("画龙点睛", True, 1).total == POINTS_BY_ATTEMPT[0]
    assert score_answer("画龙点睛", True, 2).total == POINTS_BY_ATTEMPT[1]
    assert score_answer("画龙点睛", True, 9).total == 10
    assert score_answer("画龙点睛", False, 3).total == 0
    timed = score_answer("画龙点睛", True, 1, seconds=10, time_limit=40)
    assert timed.time_bonus == round(TIME_BONUS_MAX * 30 / 40) and timed.total == 100 + timed.time_bonus
    assert score_answer("画龙点睛", True, 2, seconds=1, time_limit=40).time_bonus == 0  # bonus on first try only
    assert score_answer("画龙点睛", True, 1, seconds=99, time_limit=40).time_bonus == 0


def test_summary_adds_up():
    lines = [score_answer("a", True, 1), score_answer("b", True, 3), score_answer("c", False, 4)]
    summary = Summary.of(lines, timed=False)
    assert (summary.correct, summary.total, summary.score, summary.max_score) == (2, 3, 130, 300)


def test_top_list_per_day_and_game(tmp_path):
    today = DailyTopList(tmp_path, date(2026, 11, 23))
    ids = nickname_ids()
    assert len(ids) >= 8 and nickname_text(ids[0], "zh-CN") != nickname_text(ids[0], "en")
    places = [today.add(ids[i % len(ids)], score, "game.a") for i, score in enumerate(range(100, 1300, 100))]
    assert places[-1] == 1 and len(today.top("game.a")) == KEEP
    assert today.add(ids[0], 5, "game.a") is None  # below the top ten
    assert today.add(ids[1], 5, "game.b") == 1 and len(today.top("game.b")) == 1
    assert DailyTopList(tmp_path, date(2026, 11, 24)).top("game.a") == []  # a fresh list every day
    with pytest.raises(ValueError):
        today.add("Alice Smith", 999, "game.a")  # free text never gets in


def test_old_days_are_pruned(tmp_path):
    tmp_path = tmp_path / "toplists"
    DailyTopList(tmp_path, date(2026, 11, 1)).add(nickname_ids()[0], 1, "g")
    DailyTopList(tmp_path, date(2026, 11, 23)).add(nickname_ids()[0], 1, "g")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["toplist-2026-11-23.json"]
