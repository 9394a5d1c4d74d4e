"""The expected-text model (lines, breaks, tones with sandhi) and the syllable-to-character aligner."""
from __future__ import annotations

import numpy as np

from recitation.scoring.align import align
from recitation.scoring.text import expected_from_paragraphs, expected_from_text, tone_number


def test_lines_split_at_punctuation_with_break_strength():
    text = expected_from_text("鹅，鹅，鹅，曲项向天歌。\n白毛浮绿水，红掌拨清波。")
    assert [line.text for line in text.lines] == ["鹅", "鹅", "鹅", "曲项向天歌", "白毛浮绿水", "红掌拨清波"]
    assert [line.end_break for line in text.lines] == ["minor", "minor", "minor", "major", "minor", "major"]
    assert text.boundaries()[:5] == ["", "minor", "minor", "minor", ""]
    assert text.size == 18


def test_given_pinyin_wins_over_guessing():
    text = expected_from_paragraphs(["一行白鹭上青天。"], [["yī", "háng", "bái", "lù", "shàng", "qīng", "tiān", ""]])
    assert text.lines[0].pinyin[1] == "hang2"
    assert 2 in text.lines[0].tones[1]


def test_tone_sandhi_is_accepted_not_demanded():
    text = expected_from_text("你好，一个不是。")
    first, second = text.lines
    assert first.tones[0] == frozenset({2, 3})  # 你好: 3-3 is said 2-3
    assert {1, 2, 4} <= second.tones[0]  # 一
    assert {2, 4} <= second.tones[2]  # 不
    assert tone_number("lǜ") == 4 and tone_number("ma") == 5 and tone_number("") == 5


def test_aligner_finds_which_of_equal_lines_was_skipped_by_tone():
    # Three lines of two characters; the reader skips the middle one. Tones tell lines 1 and 2 apart.
    breaks = ["", "", "major", "", "major", ""]
    gaps = [0.0, 0.0, 0.5, 0.0]
    tone_fit = np.full((6, 4), 0.1)
    tone_fit[[0, 1], [0, 1]] = 0.9  # line 0 heard
    tone_fit[[4, 5], [2, 3]] = 0.9  # line 2 heard
    result = align(breaks, gaps, tone_fit)
    assert result.char_to_syllable == [0, 1, None, None, 2, 3]
    assert result.extras == []


def test_aligner_marks_repeats_as_extra_syllables():
    breaks = ["", "", ""]
    result = align(breaks, [0.0, 0.0, 0.0, 0.0], np.array([[0.9, 0.9, 0.1, 0.1], [0.1, 0.1, 0.9, 0.1],
                                                           [0.1, 0.1, 0.1, 0.9]]))
    assert result.char_to_syllable.count(None) == 0
    assert len(result.extras) == 1


def test_highlight_timing_breaks_a_tie_the_tones_cannot():
    from recitation.scoring.align import timing_cost

    # Two equal lines, tones unknown; one line heard at 3–4 s. The highlight showed line 1 at 0–1 s and
    # line 2 at 3–4 s, so the reader skipped line 1.
    breaks = ["", "", "major", ""]
    gaps = [0.0, 0.0]
    unknown = np.full((4, 2), 0.5)
    prior = timing_cost([0.0, 0.5, 3.0, 3.5], [3.0, 3.5])
    assert align(breaks, gaps, unknown, prior).char_to_syllable == [None, None, 0, 1]
    early = timing_cost([3.0, 3.5, 6.0, 6.5], [3.0, 3.5])
    assert align(breaks, gaps, unknown, early).char_to_syllable == [0, 1, None, None]
