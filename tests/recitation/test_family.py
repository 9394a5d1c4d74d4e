"""Family mode (两人轮读): readers by displayed row, per-reader summaries, and the score screen naming them."""
from __future__ import annotations

import numpy as np
import pygame

from experiences.i18n import t
from experiences.text import TextRenderer
from recitation.booth import score_screen as screens
from recitation.booth.family import reader_summaries, readers_of_lines, summary_key
from recitation.booth.widgets import JADE
from recitation.scoring.scorer import ScoreReport


def _line(index, text, heard, tones=90, pauses=()):
    return {"index": index, "text": text, "expected": len(text), "heard": heard, "missing": "",
            "pauses": [{"after": 1, "seconds": s} for s in pauses], "tones": tones}


LINES = [_line(0, "床前明月光", 5), _line(1, "疑是地上霜", 5, tones=70), _line(2, "举头望明月", 0, tones=None),
         _line(3, "低头思故乡", 5, pauses=(1.2,))]


def test_readers_take_turns_by_displayed_row():
    assert readers_of_lines([[0, 1], [2, 3]], 4) == [0, 0, 1, 1]
    assert readers_of_lines([[0], [1], [2]], 3) == [0, 1, 0]
    assert readers_of_lines([], 2) == [0, 0]


def test_each_reader_gets_what_they_read_and_one_kind_next_step():
    first, second = reader_summaries(LINES, [0, 0, 1, 1])
    assert first == {"reader": 0, "heard": 10, "expected": 10, "lines_left_out": 0, "long_pauses": 0, "tones": 80}
    assert second == {"reader": 1, "heard": 5, "expected": 10, "lines_left_out": 1, "long_pauses": 1, "tones": 90}
    assert summary_key(first) == "recite.ui.reader_all_read"
    assert summary_key(second) == "recite.ui.reader_left_out"  # the missing line matters more than the pause
    assert summary_key(dict(first, long_pauses=2)) == "recite.ui.reader_pauses"
    assert summary_key(dict(first, heard=8)) == "recite.ui.reader_some_missing"
    assert reader_summaries(LINES[:2], [0, 0, 1, 1]) == [reader_summaries(LINES, [0, 0, 1, 1])[0]]  # 乙 read nothing
    sentence = screens.reader_sentence(second, "zh-CN")
    assert sentence.startswith(t("recite.ui.reader_b", "zh-CN")) and "1 句" in sentence and "声调 90" in sentence
    assert "tones 80" in screens.reader_sentence(first, "en")
    assert "tones" not in screens.reader_sentence(dict(first, tones=None), "en")  # no pitch heard: not scored


def test_score_screen_names_each_lines_reader_in_family_mode():
    pygame.init()
    report = ScoreReport(overall=82, completeness=75, fluency=80, rhythm=85, expressiveness=70, tones=80,
                         flags=[], lines=LINES, feedback=["读得很稳。"])
    text = TextRenderer()
    shots = []
    for readers in (None, [0, 0, 1, 1]):
        surface = pygame.Surface((1280, 720))
        surface.fill((250, 245, 235))
        screens.draw_score(surface, text, report, "zh-CN", readers)
        shots.append(surface)
    column = pygame.Rect(380, 110, 40, 4 * 50 + 20)  # where each line's 甲/乙 badge goes, left of the line
    jade = [int(np.all(pygame.surfarray.pixels3d(s.subsurface(column)) == np.array(JADE), axis=2).sum())
            for s in shots]
    assert jade[0] == 0 and jade[1] > 40
    summary_area = pygame.Rect(370, 310, 880, 200)
    assert (pygame.image.tobytes(shots[0].subsurface(summary_area), "RGB")
            != pygame.image.tobytes(shots[1].subsurface(summary_area), "RGB"))
