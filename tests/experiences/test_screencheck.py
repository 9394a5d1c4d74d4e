"""The screen checks (experiences.screencheck) on recorded draws, and the text renderer's records."""
import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")

import pygame
import pytest

from experiences import drawlog
from experiences.screencheck import check_cuts, check_latin, check_overlaps, check_screen, check_sizes, latin_letters
from experiences.text import TextRenderer


def _log(*texts, boxes=()):
    log = drawlog.DrawLog()
    log.texts.extend(texts)
    log.boxes.extend(boxes)
    return log


def test_sizes_scale_with_the_shorter_side():
    han = drawlog.DrawnText("成语", 30, (0, 0, 60, 40))
    assert check_sizes(_log(han), (1920, 1080))  # 30 < 32
    assert not check_sizes(_log(han), (1024, 768))  # 30 >= 32 * 768/1080
    prompt = drawlog.DrawnText("选一个", 40, (0, 0, 60, 40), role="prompt")
    assert check_sizes(_log(prompt), (1080, 1920))  # portrait: the shorter side is 1080
    ruby = drawlog.DrawnText("成语", 48, (0, 0, 60, 40), ruby_size=18)
    assert [f.rule for f in check_sizes(_log(ruby), (1920, 1080))] == ["size"]
    staff = drawlog.DrawnText("kiosk-e1 离线", 14, (0, 0, 60, 20), role="staff")
    assert not check_sizes(_log(staff), (1920, 1080))


def test_latin_letters_allowed_only_as_pinyin_codes_or_in_english():
    assert latin_letters("第 3 题 shè") == "shè"
    assert check_latin(_log(drawlog.DrawnText("Idiom Chain", 40, (0, 0, 1, 1))))
    assert not check_latin(_log(drawlog.DrawnText("Idiom Chain", 40, (0, 0, 1, 1))), "en")
    assert not check_latin(_log(drawlog.DrawnText("shè", 24, (0, 0, 1, 1), role="pinyin")))
    assert not check_latin(_log(drawlog.DrawnText("第 3/8 题：100 分！", 40, (0, 0, 1, 1))))
    assert not check_latin(_log(drawlog.DrawnText("索书号 I222.742/12", 40, (0, 0, 1, 1))))
    assert not check_latin(_log(drawlog.DrawnText("ISBN 978-7-02-000220-7", 40, (0, 0, 1, 1))))


def test_cuts_and_overlaps():
    size = (800, 600)
    assert check_cuts(_log(drawlog.DrawnText("意义深长", 40, (700, 10, 160, 50))), size)
    assert check_cuts(_log(drawlog.DrawnText("意义深…", 40, (10, 10, 160, 50))), size)
    clipped = drawlog.DrawnText("意义", 40, (10, 10, 160, 50), clip=(0, 0, 100, 600))
    assert check_cuts(_log(clipped), size)
    a = drawlog.DrawnText("一", 40, (0, 0, 100, 50))
    b = drawlog.DrawnText("二", 40, (50, 10, 100, 50))
    touching = drawlog.DrawnText("三", 40, (0, 45, 100, 50))  # padding rows touching
    assert check_overlaps(_log(a, b))
    assert not check_overlaps(_log(a, touching))
    card = drawlog.DrawnBox("card", (0, 0, 120, 80), "cards")
    other = drawlog.DrawnBox("card", (100, 0, 120, 80), "cards")
    assert check_overlaps(_log(boxes=(card, other)))
    badge = drawlog.DrawnBox("badge", (80, 0, 60, 40))
    assert check_overlaps(_log(a, boxes=(badge,)))  # the text straddles the badge's edge
    inside = drawlog.DrawnText("一", 40, (10, 10, 50, 50))
    assert not check_overlaps(_log(inside, boxes=(card,)))


@pytest.fixture(scope="module")
def screen():
    pygame.display.init()
    yield pygame.Surface((640, 360))
    pygame.display.quit()


def test_renderer_records_what_it_draws_with_subsurface_offsets(screen):
    text = TextRenderer()
    panel = screen.subsurface((100, 50, 300, 200))
    with drawlog.recording() as log:
        text.draw(panel, "成语", (10, 20), 40, pinyin=True)
        text.draw(panel, "shè", (10, 120), 24, role="pinyin")
        text.draw_ruby(panel, "春晓", ["chūn", "xiǎo"], (150, 20), 36)
    assert text.draw(screen, "不记", (0, 0), 40)  # nothing records outside the block
    assert [t.text for t in log.texts] == ["成语", "shè", "春晓"]
    first = log.texts[0]
    assert first.box[:2] == (110, 70) and first.ruby_size == text.ruby_size(40)
    assert first.clip == (100, 50, 300, 200)
    assert log.texts[1].role == "pinyin" and log.texts[1].ruby_size is None
    assert check_screen(log, (640, 360), rules=("latin",)) == []
    with pytest.raises(ValueError):
        with drawlog.recording():
            text.draw(screen, "成语", (0, 0), 40, role="title")
