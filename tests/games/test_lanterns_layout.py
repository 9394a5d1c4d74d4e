"""The lantern game's pure rules for its screens: the lantern grid never lets two lanterns touch, a lone
character's syllable is its citation reading, and the story card's texts by age band are clean."""
import json
import random
import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from games.idioms.pinyin import lantern_syllable
from games.idioms.records import Idiom
from games.lanterns.field import LanternField
from games.lanterns.layout import lantern_box, screen
from games.lanterns.story import book_of, example_sentence, sections, sentences

CONTENT = Path(__file__).resolve().parents[2] / "content"
SIZES = ((960, 540), (1024, 768), (1280, 800), (1920, 1080), (1080, 1920), (3840, 2160))


def overlap(a, b) -> bool:
    return min(a[0] + a[2], b[0] + b[2]) > max(a[0], b[0]) and min(a[1] + a[3], b[1] + b[3]) > max(a[1], b[1])


@settings(max_examples=80, deadline=None)
@given(size=st.sampled_from(SIZES), n=st.integers(3, 12), speed=st.sampled_from((0.4, 0.7, 1.0, 1.3, 2.0)),
       seed=st.integers(0, 999), t=st.floats(0, 200), timed=st.booleans())
def test_lanterns_never_overlap_and_stay_in_their_field(size, n, speed, seed, t, timed):
    layout = screen(size, round(min(size) / 1080 * 60), timed)
    field = LanternField([chr(0x4E00 + i) for i in range(n)], size, speed, random.Random(seed), area=layout.field,
                         max_radius=min(size) / 1080 * 135)
    boxes = [lantern_box(p.x, p.y, p.radius) for p in field.placed(t)]
    for i, a in enumerate(boxes):
        assert all(not overlap(a, b) for b in boxes[i + 1:]), (a, boxes)
        x, y, w, h = a
        assert x >= 0 and y >= layout.field[1] - 2 and x + w <= size[0] and y + h <= layout.message_y
    assert field.radius * 0.82 >= 32 * min(size) / 1080  # a lantern's character (0.82 r) stays >= 32 px at 1080p


def test_a_lone_character_on_a_lantern_reads_in_its_citation_tone():
    assert lantern_syllable("子") == "zǐ"
    assert lantern_syllable("子", "zi") == "zǐ"  # even where an idiom's data had the neutral tone
    assert lantern_syllable("了") == "liǎo"
    assert lantern_syllable("行", "háng") == "háng"  # the answer keeps the idiom's reading
    assert lantern_syllable("鸟") == "niǎo"


def test_sources_lose_their_chapter_numbers_and_examples_their_bracketed_source():
    assert book_of("梁斌《红旗谱》四十二") == "梁斌《红旗谱》"  # the 「十二」 seen at the end of a card
    assert book_of("明·凌濛初《初刻拍案惊奇》二十二") == "明·凌濛初《初刻拍案惊奇》"
    assert book_of("姚雪垠《李自成》第二卷第十七章") == "姚雪垠《李自成》"
    assert book_of("高阳《清宫外史》上册") == "高阳《清宫外史》"
    assert example_sentence("这可真叫他喜出望外。（沙汀《催粮》）") == "这可真叫他喜出望外。"
    assert example_sentence("阿二……兴高采烈的说起来了。（茅盾《子夜》四）").endswith("说起来了。")
    assert sentences("被弓箭吓怕了的鸟不容易安定。比喻经过惊吓的人碰到一点动静就非常害怕。") == [
        "被弓箭吓怕了的鸟不容易安定。", "比喻经过惊吓的人碰到一点动静就非常害怕。"]


def test_the_card_says_more_as_children_grow():
    records = json.loads((CONTENT / "idioms-children" / "idioms.json").read_text(encoding="utf-8"))
    numbered = re.compile(r"[》）][第卷]?[零〇一二三四五六七八九十百]+[回章卷部]?$")
    for record in records:
        idiom = Idiom(record["word"], tuple(record["pinyin"].split()), record["explanation"], record["derivation"],
                      record["example"], record["example_source"])
        for band in ("3-5", "6-8"):
            assert [(s.key, s.pinyin) for s in sections(idiom, band)] == [("story_explanation", True)]
        keys = [s.key for s in sections(idiom, "9-12")]
        assert "story_derivation" not in keys and ("story_example" in keys) == bool(record["example"])
        for part in sections(idiom, "13+"):
            assert not numbered.search(part.text) or part.key == "story_derivation", (idiom.word, part.text)
            if part.key == "story_example":
                assert not re.search(r"（[^（）]*《", part.text), (idiom.word, part.text)
        if record["derivation"]:
            assert "story_derivation" in [s.key for s in sections(idiom, "13+")]


def test_arrow_keys_with_no_lantern_up_aim_at_nothing():
    """After a hit the other lanterns drift off: a left/right key then has no neighbour to go to (was a crash)."""
    field = LanternField(["一", "二", "三"], (1280, 720), 1.0, random.Random(1))
    assert field.neighbour(0.0, None, 1) is not None
    field.remove(set())
    assert field.neighbour(0.0, None, 1) is None and field.neighbour(0.0, "一", -1) is None
