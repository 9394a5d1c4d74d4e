"""Where a book title breaks on a card (experiences/kiosk/title_lines.py): one line when it fits, else at a
sensible point — never one character alone on a line, 《》 with their text, numbers with what they count,
particles never first, Latin words whole, the lines even. Widths here are character counts: the rule is pure."""
import pytest

from experiences.kiosk.title_lines import atoms, break_cost, break_lines, fit_title, wrap_lines
from experiences.pinyin import is_han


def chars(n: int):
    """A line fits when it has at most `n` characters."""
    return lambda line: len(line) <= n


@pytest.mark.parametrize("title, width, expected", [
    ("《唐诗三百首》", 5, ["《唐诗", "三百首》"]),  # not 《唐诗三百 / 首》
    ("《宋词三百首》", 6, ["《宋词", "三百首》"]),
    ("《十万个为什么》", 5, ["《十万个", "为什么》"]),
    ("《好饿的毛毛虫》", 5, ["《好饿的", "毛毛虫》"]),
    ("《窗边的小豆豆》", 6, ["《窗边的", "小豆豆》"]),
    ("《我的第一本科学漫画书》", 7, ["《我的第一本", "科学漫画书》"]),
    ("《西游记（青少版）》", 7, ["《西游记", "（青少版）》"]),
    ("《三字经·百家姓·千字文》", 9, ["《三字经·", "百家姓·千字文》"]),
    ("《没头脑和不高兴》", 6, ["《没头脑", "和不高兴》"]),
    ("《安徒生童话》", 5, ["《安徒生", "童话》"]),  # two alike: the first line the longer
    ("The Very Hungry Caterpillar", 15, ["The Very Hungry", "Caterpillar"]),
])
def test_a_title_too_wide_for_one_line_breaks_at_a_sensible_point(title, width, expected):
    assert break_lines(title, chars(width), 1) is None
    assert break_lines(title, chars(width), 2) == expected


def test_one_character_is_never_left_alone_on_a_line():
    # 《唐诗三百首》 in lines of 6: the only two-line split that fits leaves 首》 alone, so none is taken
    assert break_lines("《唐诗三百首》", chars(6), 2) == ["《唐诗", "三百首》"]
    assert break_lines("《静夜思》", chars(3), 2) is None  # 《静 / 夜思》 or 《静夜 / 思》: both orphan one
    assert wrap_lines("《静夜思》", chars(3)) == ["《静", "夜", "思》"]  # only when nothing else fits
    for title in ("《唐诗三百首》", "《中华古典诗词鉴赏大辞典（少儿版）》", "《猜猜我有多爱你》", "《一千零一夜》"):
        for width in range(4, len(title)):
            for lines in (2, 3):
                found = break_lines(title, chars(width), lines)
                if found:
                    assert all(sum(map(is_han, line)) >= 2 for line in found), (title, width, found)
                    assert all(len(line) <= width for line in found) and "".join(found) == title


def test_marks_stay_with_their_text():
    assert atoms("《唐诗》，好") == ["《唐", "诗》，", "好"]
    assert atoms("Harry Potter 3") == ["Harry", " ", "Potter", " ", "3"]
    pieces = atoms("读了《春晓》的小朋友")
    assert "《春" in pieces and "晓》" in pieces  # 《 opens with its character, 》 closes with its own
    for width in range(6, 12):
        for line in wrap_lines("读了《春晓》的小朋友也读了《静夜思》", chars(width)):
            assert not line.startswith(("》", "，")) and not line.endswith("《"), (width, line)
    assert break_lines("读了《春晓》的小朋友", chars(7), 2) == ["读了《春晓》的", "小朋友"]  # not 的 first


def test_a_bracketed_title_inside_a_sentence_is_kept_whole():
    assert wrap_lines("喜欢《成语接龙》的小朋友也玩了《成语论箭》", chars(10)) == \
        ["喜欢《成语接龙》的", "小朋友也玩了", "《成语论箭》"]
    assert break_cost(atoms("玩了《成语论箭》"), 3) > break_cost(atoms("玩了《成语论箭》"), 2)


def test_costs_order_the_break_points():
    pieces = atoms("《唐诗三百首》")  # 《唐 诗 三 百 首》
    assert break_cost(pieces, 2) < break_cost(pieces, 3)  # 唐诗 | 三百首 before 唐诗三 | 百首
    assert break_cost(atoms("青铜器里的中国"), 5) < break_cost(atoms("青铜器里的中国"), 4)  # after 的, not before
    assert break_cost(atoms("三字经·百家姓"), 3) == 0  # after ·


def test_fit_title_prefers_one_line_at_a_smaller_size_then_two_at_the_biggest():
    def fits(line: str, size: int) -> bool:  # a card 200 px wide; characters `size` px each
        return len(line) * size <= 200
    sizes = list(range(48, 31, -1))
    assert fit_title("《静夜思》", sizes, fits) == (40, ["《静夜思》"])  # 5 × 40 = 200: one line, a little smaller
    size, lines = fit_title("《唐诗三百首》", sizes, fits)
    assert lines == ["《唐诗", "三百首》"] and size == 48  # 7 × 32 > 200: two lines, at the biggest size
    size, lines = fit_title("《中国古代寓言故事》", sizes, fits)
    assert size == 40 and lines == ["《中国古代", "寓言故事》"]  # two lines of 5 fit from 40 px down
    # 18 characters do not fit two lines even at 32: the smallest size, as many lines as it takes
    size, lines = fit_title("《中华古典诗词鉴赏大辞典（少儿版）》", sizes, fits)
    assert size == 32 and len(lines) == 3 and all(len(line) * 32 <= 200 for line in lines)


def test_fit_title_asks_few_widths():
    asked = []

    def fits(line: str, size: int) -> bool:
        asked.append((line, size))
        return len(line) * size <= 200
    fit_title("《我的第一本科学漫画书》", list(range(48, 31, -1)), fits)
    # each line measured once, the sizes searched by halves: not every line at every size (17 × 78)
    assert len(set(asked)) == len(asked) and len(asked) < 150


def test_a_drawn_cover_carries_the_whole_title_in_columns_read_right_to_left():
    from experiences.kiosk.title_lines import SPINE_COLUMN, spine_columns

    assert spine_columns("唐诗三百首") == ["唐诗三百首"]  # not 唐诗三百: that is another book
    assert spine_columns("静夜思") == ["静夜思"]
    assert spine_columns("我的第一本科学漫画书") == ["我的第一本", "科学漫画书"]  # two even columns
    assert spine_columns("一二三四五六七") == ["一二三四五六七"]  # seven: still one column
    long = spine_columns("中华古典诗词鉴赏大辞典少儿彩图版")
    assert len(long) == 2 and all(len(c) <= SPINE_COLUMN for c in long) and long[-1].endswith("…")
    assert spine_columns("《小王子》") == ["小王子"]  # marks are the cover's business, not the slip's
    assert spine_columns("") == []
