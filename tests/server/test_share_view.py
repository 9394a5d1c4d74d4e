"""What the share page and the staff report draw, as data: the poem's phrases with pinyin and marks, the score
badge, the branch's plain name, local publish times, and report charts that escape what kiosks sent."""
from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from server.labels import branch_label
from server.portal import share_view
from server.portal.localtime import local, offset_label, to_utc
from server.wall import report_charts

JINGYESI = "床前明月光，疑是地上霜。\n举头望明月，低头思故乡。"


def test_poem_cells_split_lines_into_phrases_with_reviewed_pinyin_and_marks():
    lines = share_view.poem_cells("xx-jingyesi", JINGYESI, {"_marks": "ggggugggmg|gggggggggg"})
    assert [["".join(c.char for c in phrase) for phrase in line] for line in lines] == [
        ["床前明月光，", "疑是地上霜。"], ["举头望明月，", "低头思故乡。"]]
    assert [c.pinyin for c in lines[0][0]] == ["chuáng", "qián", "míng", "yuè", "guāng", ""]
    assert lines[0][0][4].mark == "u" and lines[0][1][3] == share_view.Cell("上", "shàng", "m")
    assert lines[0][0][5].mark == ""  # punctuation carries no mark


def test_unknown_poems_get_computed_pinyin_and_marks_that_do_not_fit_are_dropped():
    lines = share_view.poem_cells("not-bundled", "这儿有水。", {"_marks": "gg"})
    assert [c.pinyin for c in lines[0][0]] == ["zhèr", "", "yǒu", "shuǐ", ""]  # 儿化 as the kiosk writes it
    assert all(c.mark == "" for c in lines[0][0])
    # The bundled id with another text (a curator's edit) is not given the bundled pinyin row by row.
    edited = share_view.poem_cells("xx-jingyesi", "床前明月光。", {})
    assert [c.pinyin for c in edited[0][0]][:2] == ["chuáng", "qián"] and len(edited) == 1


def test_badge_score_stars_and_details():
    assert share_view.headline({"overall": 86.6, "total": 10}) == 86.6 and share_view.headline({"tones": 3}) is None
    assert [share_view.stars(s) for s in (None, 10, 60, 85)] == [0, 1, 2, 3]
    assert share_view.number(86.6) == "87"
    assert share_view.details({"tones": 70, "completeness": 90, "secret": 5, "fluency": True}) == [
        ("completeness", 90), ("tones", 70)]
    assert share_view.byline("xx-jingyesi") == "〔唐〕李白" and share_view.byline("nope") == ""


def test_branch_names_and_library_time():
    assert branch_label("main", "zh-CN", "") == "总馆" and branch_label("main", "en", "") == "Main library"
    assert branch_label("main", "zh-CN", "中心馆") == "中心馆" and branch_label("东城分馆", "zh-CN", "") == "东城分馆"
    shanghai = ZoneInfo("Asia/Shanghai")
    assert to_utc("2026-12-01T20:00", shanghai) == datetime(2026, 12, 1, 12, 0) and to_utc(" ", shanghai) is None
    assert local(datetime(2026, 12, 1, 12, 0), shanghai).strftime("%H:%M") == "20:00"
    assert offset_label(shanghai) == "UTC+8" and offset_label(ZoneInfo("Asia/Kolkata")) == "UTC+5:30"


def test_report_charts_escape_kiosk_text_and_say_when_there_is_no_data():
    svg = str(report_charts.hbars("c", "成语作答", ["<script>x</script>", "画蛇添足"],
                                  [("答对", report_charts.GREEN, [3, 0]), ("答错", report_charts.RED, [1, 2])], "没有数据"))
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert svg.count("<rect") == 2 + 3  # two legend swatches, three non-zero bars
    assert re.search(r'role="img" aria-labelledby="c-title"', svg) and "3 / 1" in svg
    empty = str(report_charts.columns("d", "每日概况", ["11-19"], [("访客", report_charts.BLUE, [0])], "没有数据"))
    assert "没有数据" in empty and "<rect" not in empty
