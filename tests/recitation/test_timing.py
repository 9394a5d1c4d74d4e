"""LRC parsing (plain and enhanced) and the pace model that follows the reader."""
from __future__ import annotations

import pytest

from recitation.scoring.text import expected_from_text
from recitation.timing import LrcError, PaceModel, parse_lrc, timeline_for_text

PLAIN = """[ti:静夜思]
[ar:李白]
[00:01.00]床前明月光，
[00:04.00]疑是地上霜。
"""

ENHANCED = "[00:01.00]<00:01.00>床<00:01.50>前<00:02.00>明月<00:03.00>光<00:03.40>\n"


def test_plain_line_tags_are_interpolated_across_characters():
    timeline = parse_lrc(PLAIN)
    assert timeline.text == "床前明月光疑是地上霜"
    first = timeline.chars[:5]
    # 3 s to the next tag, a quarter of it the line-end pause: 2.25 s over 5 characters.
    assert [round(c.start, 2) for c in first] == [1.0, 1.45, 1.9, 2.35, 2.8]
    assert first[-1].end == pytest.approx(3.25)
    assert timeline.chars[5].start == pytest.approx(4.0)
    assert not timeline.enhanced


def test_enhanced_word_tags_give_per_character_times():
    timeline = parse_lrc(ENHANCED)
    assert timeline.enhanced
    assert [(c.char, c.start) for c in timeline.chars] == [("床", 1.0), ("前", 1.5), ("明", 2.0), ("月", 2.5),
                                                           ("光", 3.0)]
    assert timeline.chars[-1].end == pytest.approx(3.4)  # the closing tag ends the last word


def test_index_and_progress_at_a_time():
    timeline = parse_lrc(ENHANCED)
    assert timeline.index_at(0.5) == -1
    assert timeline.index_at(1.2) == 0
    assert timeline.progress_at(1.25) == pytest.approx(0.5)
    assert timeline.index_at(99) == 4


def test_offset_repeated_tags_and_order():
    timeline = parse_lrc("[offset:500]\n[00:02.00][00:06.00]春眠\n[00:04.00]不觉\n")
    assert timeline.text == "春眠不觉春眠"
    assert timeline.chars[0].start == pytest.approx(1.5)


@pytest.mark.parametrize("text, code", [("no tags here", "lrc_no_times"), ("[offset:abc]\n[00:01.00]春", "lrc_bad_offset"),
                                        ("[00:01.00]<00:02.00>春<00:01.00>眠", "lrc_time_order")])
def test_bad_lrc_raises_a_coded_error(text, code):
    with pytest.raises(LrcError) as info:
        parse_lrc(text)
    assert info.value.code == code


def test_timeline_fits_the_poem_and_reports_missing_characters():
    timeline, missing = timeline_for_text(parse_lrc("[00:01.00]床前明光\n[00:03.00]疑是地上霜\n"), "床前明月光疑是地上霜")
    assert missing == [3]
    assert len(timeline.chars) == 10
    starts = [c.start for c in timeline.chars]
    assert starts == sorted(starts)
    assert timeline.chars[2].end <= timeline.chars[3].start < timeline.chars[4].start


def test_pace_schedule_pauses_longer_at_line_ends():
    model = PaceModel(expected_from_text("床前明月光，疑是地上霜。举头望明月。"), rate=2.5)
    timeline = model.timeline()
    gap_comma = timeline.chars[5].start - timeline.chars[4].end
    gap_stop = timeline.chars[10].start - timeline.chars[9].end
    assert gap_comma == pytest.approx(0.35) and gap_stop == pytest.approx(0.75)
    assert model.advance(0.0, 2.0) == pytest.approx(5.0)  # five characters at 2.5 per second
    assert model.advance(5.0, 0.2) == 5.0  # still in the comma pause


def test_pace_model_learns_a_slow_reader_and_never_runs_away():
    expected = expected_from_text("床前明月光，疑是地上霜。举头望明月，低头思故乡。")
    model = PaceModel(expected, rate=3.0)
    model.start(0.0)
    # The reader says one character every 0.7 s (≈1.4/s), without pauses, for 8 characters.
    for k in range(1, 9):
        model.observe(k, k * 0.7)
    assert model.rate < 2.0
    assert abs(model.position(8 * 0.7) - 8) < 1.0
    # The reader stops: the highlight waits at most MAX_LEAD characters ahead.
    assert model.position(60.0) <= 8 + 1.5


def test_pace_model_speeds_up_for_a_quick_reader():
    model = PaceModel(expected_from_text("白日依山尽黄河入海流欲穷千里目更上一层楼"), rate=2.0)
    model.start(0.0)
    for k in range(1, 15):
        model.observe(k, k * 0.25)
    assert model.rate > 3.0
    assert model.position(14 * 0.25) >= 12
