"""The kiosk's own screens pass the screen checks (experiences.screencheck) at every test size, and
`launcher.py shots` writes PNGs and a contact sheet that names each state and lists what the checks found."""
from __future__ import annotations

import html
import os
import re
import subprocess
import sys

import pygame
import pytest

from experiences.catalog import Catalog
from experiences.drawlog import DrawLog
from experiences.kinds import default_registry
from experiences.kiosk import testing
from experiences.kiosk.contact_sheet import ContactSheet
from experiences.kiosk.shell_shots import STATES, shell_shots
from experiences.kiosk.shots import SIZES, Shot
from experiences.package import open_package
from experiences.screencheck import Finding, report

from tests.conftest import REPO_ROOT


def shots_of(size, **options) -> dict[str, Shot]:
    return {shot.state: shot for shot in shell_shots(size, **options)}


@pytest.mark.parametrize("language, band", [("zh-CN", "6-8"), ("zh-CN", "13+"), ("zh-CN", None), ("en", "3-5")])
def test_every_kiosk_screen_passes_the_checks_at_every_size(language, band):
    """Sizes (prompts 48, Han 32, pinyin 22 at 1080p, scaled), no Latin letters on zh-CN, nothing cut or overlapping."""
    for size in SIZES:
        shots = shots_of(size, language=language, age_band=band)
        assert set(shots) == set(STATES), size
        for state, shot in shots.items():
            assert shot.size == size
            assert shot.log.texts, f"{state} at {size}: nothing recorded (a blank screen?)"
            assert not shot.findings, f"{state} at {size} ({language}, {band}):\n{report(shot.findings)}"


def test_the_young_see_chinese_prompts_with_pinyin_and_no_english():
    shots = shots_of((1920, 1080), age_band="6-8")
    prompts = {state: [t for t in shot.log.texts if t.role == "prompt"] for state, shot in shots.items()}
    assert [t.text for t in prompts["menu"]] == ["你想玩什么？"]
    assert [t.text for t in prompts["age"]] == ["你几岁啦？"]
    assert [t.text for t in prompts["still-there"]] == ["还在吗？"]
    for state in ("attract", "age", "menu", "still-there", "what-next", "error", "unavailable"):
        assert prompts[state] and all(t.size >= 48 and t.ruby_size >= 22 for t in prompts[state]), state
    drawn = " ".join(t.text for shot in shots.values() for t in shot.log.texts)
    for english in ("Still there", "How old", "Oops", "Idiom", "Recitation", "Well done"):
        assert english not in drawn


def test_paged_menu_with_many_packages_and_a_cover_less_one_passes(tmp_path):
    bundled = Catalog.scan().playable(default_registry())
    extra = [open_package(testing.write_test_package(tmp_path / f"p{n}", f"org.yuedu.test.many{n}",
                                                     title=f"体验{n}号", age_bands=["3-5"], cover=n % 2 == 0))
             for n in range(8)]
    catalog = Catalog(bundled + extra)
    registry = testing.registry_with_test_kind(default_registry())
    for size in SIZES:
        for shot in shell_shots(size, catalog=catalog, registry=registry):
            assert not shot.findings, f"{shot.state} at {size}:\n{report(shot.findings)}"
            if shot.state in ("menu", "menu-page-2"):  # six cards at most a page, 上一页 / 下一页 to turn
                labels = [t.text for t in shot.log.texts]
                assert {"上一页", "下一页"} <= set(labels), (size, labels)
                cards = [b for b in shot.log.boxes if b.group == "menu" and b.label.startswith("menu:org.")]
                assert 1 <= len(cards) <= 6, (size, shot.state, cards)


def test_what_next_covers_are_whole():
    """A cover is never cropped at the sides: the picture keeps the cover's aspect ratio inside its card."""
    from experiences.kiosk.covers import CoverCache
    from experiences.text import shared_text

    pygame.display.init()
    package = next(p for p in Catalog.scan().all() if p.id == "org.yuedu.idioms.chain")
    covers = CoverCache(shared_text())
    original = covers.original(package)
    for box in ((400, 200), (300, 300), (200, 400)):
        whole = covers.get_whole(package, box)
        assert whole.get_width() <= box[0] and whole.get_height() <= box[1]
        assert max(whole.get_width() == box[0], whole.get_height() == box[1])
        ratio = original.get_width() / original.get_height()
        assert abs(whole.get_width() / whole.get_height() - ratio) < 0.02


def test_contact_sheet_lists_findings_under_their_picture(tmp_path):
    pygame.display.init()
    sheet = ContactSheet(tmp_path, "zh-CN", ((320, 180),))
    sheet.begin("org.example", "示例", False)
    surface = pygame.Surface((320, 180))
    for state, findings in (("fine", []), ("crowded", [Finding("overlap", "'甲' / '乙'", "boxes overlap")])):
        sheet.add(Shot("org.example", state, (320, 180), surface, DrawLog(), findings))
    page = html.unescape(sheet.html(1.0))
    assert sheet.count == 2 and sheet.flagged == 1
    crowded = page[page.index("<h3>crowded</h3>"):]
    assert "overlap: '甲' / '乙' — boxes overlap" in crowded
    assert "org.example/crowded-320x180.png" in page and (tmp_path / "org.example" / "fine-320x180.png").is_file()


def test_launcher_shots_renders_a_package_and_the_kiosk_into_a_contact_sheet(tmp_path):
    out = tmp_path / "sheet"
    result = subprocess.run(
        [sys.executable, str(REPO_ROOT / "launcher.py"), "shots", str(out), "--sizes", "960x540", "1080x1920",
         "--packages", "kiosk", "org.yuedu.idioms.chain"],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=300,
        env={**os.environ, "SDL_VIDEODRIVER": "dummy"})
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"用时 \d+\.\d 秒|took \d+\.\d s", result.stdout), result.stdout  # says how long it took
    page = (out / "index.html").read_text(encoding="utf-8")
    pngs = sorted(out.glob("*/*.png"))
    kiosk = {p.name for p in (out / "kiosk").glob("*.png")}
    assert kiosk == {f"{state}-{w}x{h}.png" for state in STATES for w, h in ((960, 540), (1080, 1920))}
    chain = sorted((out / "org.yuedu.idioms.chain").glob("*.png"))
    assert chain and len(chain) % 2 == 0  # every state of the chain at both sizes
    for png in pngs:
        state = png.name.rsplit("-", 1)[0]
        assert f"<h3>{state}</h3>" in page and f"{png.parent.name}/{png.name}" in page, png
        assert pygame.image.load(str(png)).get_size() in ((960, 540), (1080, 1920))
    assert "成语接龙" in page and "展台自己的画面" in page


def test_a_screen_that_shows_nothing_is_found_blank():
    from experiences.kiosk.shots import blank_findings

    pygame.display.init()
    black = pygame.Surface((640, 360))
    assert [f.rule for f in blank_findings(black)] == ["blank"]
    menu = shots_of((640, 360))["menu"]
    assert blank_findings(menu.surface) == []
