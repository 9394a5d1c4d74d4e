"""成语论箭 in VR: text sizes as visual angles (issue #13). The lanterns' TextNodes are measured in the courtyard
(the glyphs' world height at their distance from the eye) and the overlay's texts as drawn into each eye (their
pixel size through the eye camera's lens); every one is at least 1.5° for characters, 1.03° for pinyin."""
import math
import os
import random
from pathlib import Path

import pytest

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

from experiences.pinyin import has_han  # noqa: E402
from games.lanterns.vr.angles import (HAN_DEG, PINYIN_DEG, min_angle, pixel_angle, pixels_for,  # noqa: E402
                                      world_angle, world_height)

CONTENT = Path(__file__).resolve().parents[2] / "content"


def test_angles_and_sizes_invert_each_other():
    assert world_angle(world_height(1.5, 5.0), 5.0) == pytest.approx(1.5)
    assert world_angle(0.1, 5.0) == pytest.approx(math.degrees(2 * math.atan(0.01)))
    # at a 60° vertical field of view over 1080 px, 1.5° is about 24.5 px at the centre of the eye's image
    assert pixels_for(1.5, 1080, 60) == 25 and pixel_angle(25, 1080, 60) >= 1.5 > pixel_angle(24, 1080, 60)


@pytest.mark.parametrize("count, speed", [(5, 0.4), (8, 0.7), (12, 1.3)])
def test_lantern_texts_subtend_enough_of_the_eye(count, speed):
    from panda3d.core import NodePath, TextNode, loadPrcFileData

    loadPrcFileData("", "audio-library-name null")
    from games.lanterns.vr.courtyard import EYE, Courtyard
    from games.lanterns.vr.scene import CourtyardScene

    root = NodePath("root")
    scene = CourtyardScene(root)
    chars = list("一国田心人了鸟子开战敌栈")[:count]
    for seed in range(3):
        courtyard = Courtyard(chars, speed, random.Random(seed))
        for t in (0.0, 7.3):
            scene.build_lanterns(courtyard.placed(t), {c: "zhuàng" for c in chars}, True)
            scene.place(courtyard.placed(t))
            # A Han character's height is its font's full character box: measured on 国 in the same font.
            probe = TextNode("probe")
            probe.set_font(scene.font)
            probe.set_text("国")
            low, high = NodePath(probe).get_tight_bounds()
            han_height = high.z - low.z
            seen = {"han": 0, "pinyin": 0}
            for path in root.find_all_matches("**/+TextNode"):
                text = path.node().get_text()
                low, high = path.get_tight_bounds(root)
                centre = ((low.x + high.x) / 2, (low.y + high.y) / 2, (low.z + high.z) / 2)
                distance = math.dist(centre, EYE)
                if has_han(text):
                    height = han_height * path.get_sz(root)
                    assert world_angle(height, distance) >= HAN_DEG, (text, distance)
                    seen["han"] += 1
                else:
                    assert world_angle(high.z - low.z, distance) >= PINYIN_DEG, (text, distance)
                    seen["pinyin"] += 1
            assert seen == {"han": count, "pinyin": count}


def test_the_overlay_in_each_eye_subtends_enough(tmp_path):
    """The banner, the miss message (its syllable as pinyin) and the story card, as the kiosk draws them into a
    1280×720 side-by-side frame (640×720 per eye, 60° vertical field of view): above the angles, and passing the
    2D screen checks too (sizes by the frame's shorter side), so the contact sheet shows no findings for VR.
    (9-12: the youngest band a VR corner lets into the headset by default, [vr] min_age_band.)"""
    from experiences.catalog import Catalog
    from experiences.kiosk.shots import package_shots
    from experiences.package import open_package
    from experiences.screencheck import report

    package = open_package(CONTENT / "idioms-children")
    catalog = Catalog([package, open_package(CONTENT / "idioms-xinhua")])
    states = set()
    for shot in package_shots(package, (1280, 720), age_band="9-12", vr=True, data_dir=tmp_path, catalog=catalog):
        states.add(shot.state)
        assert not shot.findings, report(shot.findings)
        fov = 60.0
        for drawn in shot.log.texts:
            need = min_angle(drawn.role)
            if need is not None and (drawn.role != "text" or has_han(drawn.text)):
                assert pixel_angle(drawn.size, 720, fov) >= need, (shot.state, drawn.text, drawn.size)
            if drawn.ruby_size:
                assert pixel_angle(drawn.ruby_size, 720, fov) >= PINYIN_DEG, (shot.state, drawn.text)
        if shot.state == "miss":
            assert any(d.role == "pinyin" for d in shot.log.texts), "the missing character's sound, as pinyin"
        if shot.state == "story":
            assert [b for b in shot.log.boxes if b.label == "story card"], "a story card in each eye"
    assert states == {"aim", "miss", "hit", "story"}
