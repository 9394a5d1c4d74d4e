"""Naming the skipped line among equally long lines (issue #7): tone shapes decide which line was left out."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from recitation.scoring import expected_from_paragraphs, expected_from_text, score_take
from recitation.scoring.skipline import reconsider_skipped_line, shape_fit

POEMS = Path(__file__).resolve().parents[2] / "content" / "poems-recital" / "poems.json"
# Contours as (start, middle, end) z-scores, deliberately low in level so only their shape tells the tone.
RISE, FALL, FLAT, DIP = (np.array(p) for p in ([-1.5, -0.8, -0.2], [-0.3, -1.7, -2.6], [-0.9, -0.9, -0.9],
                                                 [-1.0, -1.8, -1.2]))


def test_shape_fit_reads_the_contour_shape_not_its_level():
    assert shape_fit(FALL, frozenset({4})) > 0.8
    assert shape_fit(RISE, frozenset({2})) > 0.5
    assert shape_fit(FLAT, frozenset({1})) > 0.8
    assert shape_fit(None, frozenset({1})) == 0.5
    assert shape_fit(FALL, frozenset()) == 0.5


def test_the_skip_moves_to_the_line_whose_tones_the_voice_did_not_say():
    # 春眠不觉晓 (1 2 4 2 3) / 处处闻啼鸟 (4 4 2 2 3): the voice said 处处闻啼鸟; the aligner called it skipped.
    expected = expected_from_text("春眠不觉晓，处处闻啼鸟。")
    points = [FLAT, RISE, FALL, RISE, DIP]  # a reading that does fit 春眠不觉晓
    heard = [FALL, FALL, RISE, RISE, DIP]  # 处处闻啼鸟
    unknown = np.full((10, 5), 0.5)  # the level-based fit says nothing here
    gaps = [0.0] * 5
    wrong = [0, 1, 2, 3, 4, None, None, None, None, None]  # aligner: the first line read, the second skipped
    fixed = reconsider_skipped_line(expected, wrong, unknown, heard, gaps)
    assert fixed == [None] * 5 + [0, 1, 2, 3, 4]
    # When the voice does fit the first line, the aligner's choice stands.
    assert reconsider_skipped_line(expected, wrong, unknown, points, gaps) == wrong


def test_nothing_moves_when_no_whole_line_was_skipped_or_lines_differ_in_length():
    expected = expected_from_text("春眠不觉晓，处处闻啼鸟。")
    heard = [FALL] * 9
    gaps = [0.0, 0.0, 0.0, 0.0, 0.4, 0.0, 0.0, 0.0, 0.0]
    partial = [0, 1, 2, 3, None, 4, 5, 6, 7, 8]  # one character dropped: no line was skipped
    assert reconsider_skipped_line(expected, partial, np.full((10, 9), 0.5), heard, gaps) == partial
    uneven = expected_from_text("但照壁、孤灯相映。")
    skipped_short = [None, None, None, 0, 1, 2, 3]
    assert reconsider_skipped_line(uneven, skipped_short, np.full((7, 4), 0.5), [FALL] * 4, gaps[:4]) == skipped_short


def test_a_line_skip_split_over_two_lines_becomes_one_whole_line():
    # The aligner dropped 3 + 2 characters of two neighbouring lines; the voice says 处处闻啼鸟 whole.
    expected = expected_from_text("春眠不觉晓，处处闻啼鸟。")
    heard = [FALL, FALL, RISE, RISE, DIP]
    split = [None, None, None, 0, 1, None, None, 2, 3, 4]
    fixed = reconsider_skipped_line(expected, split, np.full((10, 5), 0.5), heard, [0.0] * 5)
    assert fixed == [None] * 5 + [0, 1, 2, 3, 4]


def test_shihuiyin_names_the_line_actually_skipped(tmp_path):
    """石灰吟 (4 lines of 7): skipping 粉骨碎身浑不怕 was once reported as skipping 要留清白在人间."""
    import soundfile

    from recitation.fixtures import Reading, synthesize

    poem = next(p for p in json.loads(POEMS.read_text(encoding="utf-8")) if p["title"] == "石灰吟")
    expected = expected_from_paragraphs(poem["paragraphs"], poem["pinyin"])
    assert [line.size for line in expected.lines] == [7, 7, 7, 7]
    samples, sr = soundfile.read(synthesize(expected, tmp_path / "skip.wav", Reading(skip_line=2)))
    report = score_take(samples, sr, expected)
    assert [line["heard"] for line in report.lines] == [7, 7, 0, 7]
    assert report.lines[2]["missing"] == "粉骨碎身浑不怕"
    assert any("粉骨碎身浑不怕" in sentence for sentence in report.feedback), report.feedback
