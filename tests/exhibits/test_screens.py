"""The bundled exhibits' screens, as the kiosk draws them, at every size the kiosk meets: each screen state of the
treasure, the book, the panorama hall and the waterfall passes the screen checks (sizes, Latin letters, cuts,
overlaps), shows the exhibit's title and caption, and the book's poems are in the draw log with their size on
screen. Young readers (6-8) get pinyin over every Han HUD text and the screens still pass. The hall's scroll, painted
into its image, is in the draw log at its size on screen. One VR run shows the side-by-side form still renders."""
import os
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")

import pytest

from experiences.catalog import Catalog
from experiences.kiosk.shots import SIZES, package_shots
from experiences.pinyin import has_han
from experiences.screencheck import report

CONTENT = Path(__file__).resolve().parents[2] / "content"
EXHIBITS = {
    "org.yuedu.exhibits.ding": {"start", "rotated", "hotspot"},
    "org.yuedu.exhibits.tangshi-book": {"cover", "open", "last"},
    "org.yuedu.exhibits.hall": {"start", "turned", "hotspot", "text"},
    "org.yuedu.exhibits.waterfall": {"start", "picked", "ebook"},  # ebook: an e-book cover tapped, its QR
}


@pytest.fixture(scope="module")
def catalog():
    return Catalog.scan([CONTENT])


@pytest.mark.parametrize("package_id", sorted(EXHIBITS))
def test_every_state_of_an_exhibit_passes_the_screen_checks_at_every_size(package_id, catalog, tmp_path):
    package = catalog.get(package_id)
    title = package.manifest.title("zh-CN")
    for size in SIZES:
        shots = list(package_shots(package, size, data_dir=tmp_path, catalog=catalog))
        assert {shot.state for shot in shots} == EXHIBITS[package_id], size
        for shot in shots:
            assert shot.findings == [], f"{shot.name}:\n{report(shot.findings)}"
            drawn = [text.text for text in shot.log.texts]
            assert title in drawn, f"{shot.name}: the exhibit's title is not on screen"
            label = next(box for box in shot.log.boxes if box.label == "label")
            # The label keeps to the top of the screen: the object in the middle stays in view.
            assert label.box[1] + label.box[3] < size[1] * 0.35, shot.name


def test_the_open_book_reports_its_poems_at_their_size_on_screen(catalog, tmp_path):
    shots = {s.state: s for s in package_shots(catalog.get("org.yuedu.exhibits.tangshi-book"), (1920, 1080),
                                                data_dir=tmp_path, catalog=catalog)}
    poem = [t for t in shots["open"].log.texts if "，" in t.text]
    assert poem, "the open spread's columns are not in the draw log"
    assert all(32 <= t.size <= 80 for t in poem), [(t.text, t.size) for t in poem]
    buttons = {b.label: b.box for b in shots["open"].log.boxes if b.label.startswith("button:")}
    # A 线装书 reads right to left: 下一页 (the left button) is on the left half, 上一页 on the right.
    assert buttons["button:left"][0] < 960 < buttons["button:right"][0]
    labels = {t.text for t in shots["open"].log.texts}
    assert "◀ 下一页" in labels and "上一页 ▶" in labels
    # The closed book lies in the middle: its cover title is near the screen's centre line, not at a quarter.
    cover_title = next(t for t in shots["cover"].log.texts if t.text == "线装唐诗" and t.role == "text"
                       and t.box[1] > 200)
    assert 960 - 400 < cover_title.box[0] < 960


def test_the_vr_form_of_an_exhibit_still_renders(catalog, tmp_path):
    shots = list(package_shots(catalog.get("org.yuedu.exhibits.ding"), (1280, 720), vr=True, data_dir=tmp_path,
                               catalog=catalog, rules=("cut",)))
    assert shots and shots[0].surface.get_size() == (1280, 720)


@pytest.mark.parametrize("package_id", ["org.yuedu.exhibits.hall", "org.yuedu.exhibits.tangshi-book"])  # the ding:
# test_card_room.py checks its screens with pinyin at every size
def test_young_readers_get_pinyin_over_the_hud_and_every_screen_still_passes(package_id, catalog, tmp_path):
    package = catalog.get(package_id)
    title = package.manifest.title("zh-CN")
    for size in SIZES:
        for shot in package_shots(package, size, age_band="6-8", data_dir=tmp_path, catalog=catalog):
            assert shot.findings == [], f"{shot.name}:\n{report(shot.findings)}"
            hud = [b.box for b in shot.log.boxes if b.label in ("label", "panel") or b.label.startswith(("marker:", "button:"))]
            hud_texts = [t for t in shot.log.texts if t.role == "text" and has_han(t.text)
                         and any(_inside(t.box, box) for box in hud)]
            assert hud_texts, shot.name
            missing = [t.text for t in hud_texts if t.ruby_size is None]
            assert not missing, f"{shot.name}: no pinyin over {missing}"
            assert any(t.text == title and t.ruby_size for t in shot.log.texts), shot.name


def _inside(inner, outer) -> bool:
    return outer[0] <= inner[0] and outer[1] <= inner[1] and inner[0] + inner[2] <= outer[0] + outer[2] \
        and inner[1] + inner[3] <= outer[1] + outer[3]


def test_the_scroll_painted_into_the_hall_is_checked_at_its_size_on_screen(catalog, tmp_path):
    shots = {s.state: s for s in package_shots(catalog.get("org.yuedu.exhibits.hall"), (1920, 1080),
                                                data_dir=tmp_path, catalog=catalog)}
    columns = [t for t in shots["text"].log.texts if t.text in ("床前明月光", "疑是地上霜", "举头望明月", "低头思故乡")]
    assert len(columns) == 4
    assert all(32 <= t.size <= 60 for t in columns), [(t.text, t.size) for t in columns]
    # Read right to left: the first column is the rightmost, and the columns are tall and narrow.
    xs = [t.box[0] for t in columns]
    assert xs == sorted(xs, reverse=True)
    assert all(t.box[3] > 4 * t.box[2] for t in columns)
    assert not any(t.text == "床前明月光" for t in shots["start"].log.texts)  # behind the visitor at the start
