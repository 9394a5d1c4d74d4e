"""How to play, said for a body in a 体感 motion corner (RunContext.body): the exhibits' hints. Layer: the hint
text an exhibit draws (the book's is seen drawn in tests/motion/test_kiosk_motion.py)."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from experiences.exhibits.exhibit import Exhibit3D


def hint(key, body, language="zh-CN"):
    return Exhibit3D.hint(SimpleNamespace(ctx=SimpleNamespace(body=body, language=language)), key)


@pytest.mark.parametrize("key, touch, motion", [
    ("exhibit.drag_hint", "拖动旋转 · 双指捏合或点 ＋／－ 缩放", "挥挥手，转一转"),
    ("exhibit.book_hint", "点书页或拖动翻页", "挥挥手，翻一页"),
    ("exhibit.panorama_hint", "拖动环顾四周", "挥挥手，四处看看"),
    ("exhibit.waterfall_hint", "点一本书，打开它", "手对准一本书，停一停"),
])
def test_a_body_is_told_to_sweep_and_hold_a_finger_to_drag_and_tap(key, touch, motion):
    assert hint(key, None) == touch
    assert hint(key, "bow") == motion and hint(key, "hold") == motion
    assert "_motion" not in hint(key, "bow", "en") and hint(key, "bow", "en") != hint(key, None, "en")


def test_a_hint_with_no_motion_wording_is_said_as_it_is():
    said = hint("exhibit.waterfall_attract_hint", "bow")  # the attract loop: no camera wording (yet)
    assert said == hint("exhibit.waterfall_attract_hint", None) and "点一本书" in said
