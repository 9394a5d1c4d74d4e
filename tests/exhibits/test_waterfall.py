"""exhibit-waterfall rendered offscreen (EGL): covers on screen and moving, a tap where a cover projects opens
that package, keyboard focus, VR gaze, calm motion, no packages, generated covers, validation."""
from __future__ import annotations

import numpy as np
import pygame
import pytest

from experiences.catalog import Catalog
from experiences.exhibits import hud, offscreen
from experiences.exhibits.waterfall import WaterfallExhibit
from experiences.exhibits.waterfall_covers import card_pixels
from experiences.exhibits.waterfall_flow import point_in_polygon
from experiences.runtime import InputEvent
from experiences.text import shared_text

from .helpers import make_context, pixels_of, png_bytes, run_frames, verbs, write_package

SIZE = (640, 360)
COLOURS = {"org.test.red": (220, 30, 30), "org.test.green": (30, 200, 60), "org.test.blue": (40, 60, 230)}
WALL = '[content]\ncolumns = 3\nspeed = 3.0\n'


def installed(tmp_path, with_plain=True) -> Catalog:
    """Three packages with flat-coloured covers, and one with no cover at all (it gets a generated one)."""
    packages = []
    for package_id, colour in COLOURS.items():
        package = write_package(tmp_path / package_id, "exhibit-panorama", '[content]\nimage = "cover.png"\n', {},
                                package_id=package_id)
        (package.path / "cover.png").write_bytes(png_bytes((320, 240), colour))
        packages.append(package)
    if with_plain:
        packages.append(plain_package(tmp_path / "plain"))
    return Catalog.scan([tmp_path]) if packages else Catalog([])


def plain_package(folder, title="静夜思", bands='["6-8"]'):
    from experiences.package import open_package

    folder.mkdir(parents=True)
    (folder / "experience.toml").write_text(f'''format = 1
id = "org.test.plain"
version = "1.0.0"
kind = "exhibit-book"
engine = ">=0.1"
age_bands = {bands}
[title]
zh-CN = "{title}"
[[credits]]
name = "tests"
license = "CC0-1.0"
[content]
pages = ["p.png"]
''', encoding="utf-8")
    return open_package(folder)


def open_wall(tmp_path, size=SIZE):
    """The test wall started at `size`: (exhibit, statement sink, clock, packages it opened)."""
    package = write_package(tmp_path / "wall", "exhibit-waterfall", WALL, {}, package_id="org.test.wall")
    ctx, sink, clock = make_context(tmp_path, size=size)
    ctx.catalog = installed(tmp_path / "installed")
    opened = []
    ctx.services["open_package"] = opened.append
    exhibit = WaterfallExhibit(package, ctx)
    exhibit.start()
    return exhibit, sink, clock, opened


@pytest.fixture
def wall(tmp_path):
    exhibit, sink, clock, opened = open_wall(tmp_path)
    yield exhibit, sink, clock, opened
    if exhibit.stage is not None:
        exhibit.stop("quit")


def tap(exhibit, x, y):
    exhibit.handle(InputEvent("pointer_down", x, y))
    exhibit.handle(InputEvent("pointer_up", x, y))


def centre_of(exhibit, placement):
    quad = exhibit.screen_quad(placement)
    return sum(q[0] for q in quad) / 4, sum(q[1] for q in quad) / 4


def picture_point(exhibit, placement):
    """A point in the picture part of a card (the upper part; the title band is at the bottom)."""
    quad = exhibit.screen_quad(placement)
    x, y = sum(q[0] for q in quad) / 4, sum(q[1] for q in quad) / 4
    top = (quad[0][1] + quad[1][1]) / 2
    return x, top + (y - top) * 0.5


def fully_on_screen(exhibit):
    """Covers wholly on the wall: on screen and out from under the label's band."""
    top = exhibit.header_bottom(SIZE)
    for placement in exhibit.placements:
        quad = exhibit.screen_quad(placement)
        if quad and all(0 <= x < SIZE[0] and top <= y < SIZE[1] for x, y in quad):
            yield placement


def covers_shown(exhibit, pixels) -> set[str]:
    """Every cover on the wall (below the label's band) shows its own package's picture: the packages seen."""
    seen = set()
    for placement in exhibit.placements:
        package_id = exhibit.package_of(placement).id
        x, y = picture_point(exhibit, placement)
        if package_id in COLOURS and 0 <= x < SIZE[0] and exhibit.header_bottom(SIZE) <= y < SIZE[1]:
            assert int(np.argmax(pixels[int(y), int(x)])) == int(np.argmax(COLOURS[package_id])), package_id
            assert pixels[int(y), int(x)].max() > 150
            seen.add(package_id)
    return seen


def test_renders_covers_on_the_egl_path_and_they_move_between_frames(wall):
    exhibit, _, clock, _ = wall
    assert offscreen.engine().module == "p3headlessgl"
    assert {p.id for p in exhibit.packages} == set(COLOURS) | {"org.test.plain"}
    surface = pygame.Surface(SIZE)
    run_frames(exhibit, surface, clock, 2)
    first = pixels_of(surface).astype(int)
    assert first.std() > 20  # covers on a dark wall, not one flat colour
    seen = covers_shown(exhibit, first)
    run_frames(exhibit, surface, clock, 30)  # one second later
    second = pixels_of(surface).astype(int)
    assert len(seen | covers_shown(exhibit, second)) >= 2
    assert np.abs(second - first).sum(axis=2).mean() > 5  # the wall moved...
    top = exhibit.header_bottom(SIZE) + 30  # below the label's band, which stays where it is
    shift = [np.abs(np.roll(first, dy, axis=0)[top:-30] - second[top:-30]).mean() for dy in range(0, 30)]
    assert int(np.argmin(shift)) > 0  # ...downwards: the first frame shifted down matches the second best


def test_a_tap_where_a_cover_projects_opens_that_package(wall):
    exhibit, sink, clock, opened = wall
    surface = pygame.Surface(SIZE)
    run_frames(exhibit, surface, clock, 3)
    card = next(p for p in fully_on_screen(exhibit) if exhibit.package_of(p).id in COLOURS)
    x, y = centre_of(exhibit, card)
    package_id = exhibit.package_of(card).id
    # What is drawn there is that package's cover.
    px, py = picture_point(exhibit, card)
    assert int(np.argmax(pixels_of(surface)[int(py), int(px)])) == int(np.argmax(COLOURS[package_id]))
    tap(exhibit, x, y)
    assert opened == [package_id] and exhibit.finished
    assert verbs(sink)[-1] == "experienced"
    assert sink.statements[-1]["object"]["id"].endswith(f"/package/{package_id}")
    clock.advance(12.0)
    exhibit.stop("completed")
    progressed = sink.statements[-1]
    assert progressed["verb"]["display"]["en-US"] == "progressed"
    assert progressed["result"]["duration"] == "PT12.10S"  # the time spent, from the injected clock


def test_a_tap_beside_the_covers_opens_nothing_but_ends_the_attract_loop(wall, tmp_path):
    exhibit, _, clock, opened = wall
    run_frames(exhibit, pygame.Surface(SIZE), clock, 2)
    gap_x = next(x for x in range(0, SIZE[0], 4) if exhibit.card_at(x, 180) is None)
    tap(exhibit, gap_x, 180)
    assert opened == [] and not exhibit.finished
    exhibit.ctx.services["attract"] = True
    tap(exhibit, gap_x, 180)
    assert opened == [] and exhibit.finished


def test_touching_eases_the_fall_to_a_stop_and_it_resumes_later(wall):
    exhibit, _, clock, _ = wall
    surface = pygame.Surface(SIZE)
    run_frames(exhibit, surface, clock, 3)
    exhibit.handle(InputEvent("pointer_down", 5, 5))
    run_frames(exhibit, surface, clock, 30)
    held = exhibit.flow_time
    run_frames(exhibit, surface, clock, 10)
    assert exhibit.flow_time == held  # still while the finger is down
    exhibit.handle(InputEvent("pointer_up", 5, 5))
    run_frames(exhibit, surface, clock, 60)  # 2 s: within resume_after (3 s)
    assert exhibit.flow_time == held
    run_frames(exhibit, surface, clock, 60)
    assert exhibit.flow_time > held


def test_keyboard_focus_frames_a_cover_and_select_opens_it(wall):
    exhibit, _, clock, opened = wall
    surface = pygame.Surface(SIZE)
    run_frames(exhibit, surface, clock, 2)
    exhibit.handle(InputEvent("action", action="right"))
    first = exhibit.focus
    assert first is not None
    exhibit.handle(InputEvent("action", action="right"))
    assert exhibit.focus != first
    run_frames(exhibit, surface, clock, 1)
    focused = next(p for p in exhibit.placements if p.key == exhibit.focus)
    quad = exhibit.screen_quad(focused)
    # Just outside the card's left edge, halfway down, the frame's paper rim (on the dark wall without focus):
    # the focus is shown by a shape around the card, not by a colour change alone.
    mid_x, mid_y = (quad[0][0] + quad[3][0]) / 2, (quad[0][1] + quad[3][1]) / 2
    assert tuple(pixels_of(surface)[round(mid_y), round(mid_x) - 3]) == hud.PAPER
    exhibit.handle(InputEvent("action", action="back"))  # back clears the focus, the frame goes
    assert exhibit.focus is None
    run_frames(exhibit, surface, clock, 1)
    assert tuple(pixels_of(surface)[round(mid_y), round(mid_x) - 3]) != hud.PAPER
    exhibit.handle(InputEvent("action", action="right"))
    focused = next(p for p in exhibit.placements if p.key == exhibit.focus)
    exhibit.handle(InputEvent("action", action="select"))
    assert opened == [exhibit.package_of(focused).id]


def test_gaze_in_vr_dwells_on_a_cover_and_opens_it(tmp_path):
    import math

    from experiences.exhibits.vr import VRExhibit

    package = write_package(tmp_path / "wall", "exhibit-waterfall", WALL, {}, package_id="org.test.wall")
    ctx, _, clock = make_context(tmp_path, size=(1280, 720))
    ctx.catalog = installed(tmp_path / "installed")
    opened = []
    ctx.services["open_package"] = opened.append
    vr = VRExhibit(package, ctx, WaterfallExhibit)
    vr.start()
    try:
        inner = vr.inner
        target = max(inner.placements, key=lambda p: -abs(p.center[2]) - abs(p.center[0]))  # near the middle
        x, depth, z = target.center
        vr.handle(InputEvent("aim", yaw=math.degrees(math.atan2(x, depth)),
                             pitch=math.degrees(math.atan2(z, math.hypot(x, depth))), source="head"))
        surface = pygame.Surface((1280, 720))
        run_frames(vr, surface, clock, 60, dt=1 / 30)  # 2 s: longer than the 1.5 s dwell
        assert opened == [inner.package_of(target).id]
    finally:
        vr.stop("quit")


def test_motion_is_calm_no_frame_to_frame_flashes(wall):
    exhibit, _, clock, _ = wall
    surface = pygame.Surface(SIZE)
    means = []
    for _ in range(60):  # two seconds at 30 frames per second
        run_frames(exhibit, surface, clock, 1)
        means.append(pixels_of(surface).mean())
    steps = np.abs(np.diff(means))
    assert steps.max() < 0.05 * np.mean(means)  # no frame brightens or darkens the screen by 5 %


def test_with_nothing_to_show_a_friendly_message_not_a_crash(tmp_path):
    package = write_package(tmp_path / "wall", "exhibit-waterfall", '[content]\npackages = ["org.not.installed"]\n',
                            {}, package_id="org.test.wall")
    ctx, sink, clock = make_context(tmp_path, size=SIZE)
    ctx.catalog = Catalog([])
    exhibit = WaterfallExhibit(package, ctx)
    exhibit.start()
    surface = pygame.Surface(SIZE)
    run_frames(exhibit, surface, clock, 3)
    box = pixels_of(surface)[150:210, 100:540].astype(int)
    assert (box.sum(axis=2) > 600).mean() > 0.5 and (box.sum(axis=2) < 200).any()  # a paper card with ink text
    tap(exhibit, 320, 180)
    exhibit.handle(InputEvent("action", action="back"))
    assert exhibit.finished
    exhibit.stop("completed")
    assert verbs(sink) == ["progressed"]


def test_a_package_without_a_cover_gets_a_generated_one_with_its_title_and_pinyin(tmp_path):
    package = plain_package(tmp_path / "plain")
    text = shared_text()
    with_pinyin = card_pixels(package, text)  # ages 6-8: pinyin by default
    without = card_pixels(package, text, pinyin=False)
    assert with_pinyin.shape[0] > with_pinyin.shape[1]  # a portrait book cover
    assert with_pinyin.std() > 15 and not np.array_equal(with_pinyin, without)
    other = card_pixels(plain_package(tmp_path / "other", title="春晓", bands='["all"]'), text)
    assert not np.array_equal(other, without)  # another title, another cover
    assert np.array_equal(card_pixels(package, text, pinyin=False), without)  # generated once, then cached


_CATALOG: list = [None]  # the installed packages the validation tests pretend to have


def _check_with_test_catalog(package, report):
    from experiences.exhibits.waterfall_check import waterfall_check

    waterfall_check(lambda: _CATALOG[0])(package, report)


def validate(folder, content, catalog):
    """The real validator, with the waterfall kind's check looking at `catalog` instead of this machine's."""
    from dataclasses import replace

    from experiences.exhibits import kinds
    from experiences.kinds import KindRegistry
    from experiences.validation import validate_package

    _CATALOG[0] = catalog
    kind = replace(kinds.WATERFALL, check="tests.exhibits.test_waterfall:_check_with_test_catalog")
    write_package(folder / "wall", "exhibit-waterfall", content, {}, package_id="org.test.wall")
    return validate_package(folder / "wall", registry=KindRegistry([kind]))


def codes(report, severity):
    return [p.code for p in report.problems if p.severity == severity]


def test_validation_warns_about_ids_and_tags_that_find_nothing_installed(tmp_path):
    catalog = installed(tmp_path / "installed", with_plain=False)
    report = validate(tmp_path, '[content]\npackages = ["org.test.red", "org.not.yet"]\ntags = ["idiom"]\n'
                                'exclude = ["org.test.wall"]\n', catalog)
    assert report.ok, report.render("en")  # warnings only: packages come and go
    assert sorted(codes(report, "warning")) == ["waterfall_lists_itself", "waterfall_tag_unmatched",
                                                "waterfall_unknown_package"]
    problem = next(p for p in report.problems if p.code == "waterfall_unknown_package")
    assert problem.field == "content.packages[1]"
    assert "org.not.yet" in problem.message("zh-CN") and "没有安装" in problem.message("zh-CN")
    assert "not installed" in problem.message("en") and problem.fix("en")


def test_validation_rejects_an_empty_choice_and_out_of_range_settings(tmp_path):
    catalog = installed(tmp_path / "installed", with_plain=False)
    report = validate(tmp_path, '[content]\npackages = []\n', catalog)
    assert codes(report, "error") == ["waterfall_nothing_chosen"]
    assert "什么也不会显示" in report.problems[0].message("zh-CN")
    report = validate(tmp_path / "b", '[content]\ncolumns = 20\nspeed = 100\nbackground = [1, 2]\n', catalog)
    fields = {p.field for p in report.problems if p.severity == "error"}
    assert {"content.columns", "content.speed", "content.background"} <= fields, report.render("en")
    rendered = report.render("zh-CN")
    assert "content.columns" in rendered


@pytest.mark.parametrize("band, expected", [("6-8", True), ("3-5", True), ("9-12", None), (None, None)])
def test_a_young_visitor_gets_pinyin_on_every_cover(tmp_path, monkeypatch, band, expected):
    import experiences.exhibits.waterfall as waterfall

    asked = []
    real = waterfall.card_pixels
    monkeypatch.setattr(waterfall, "card_pixels", lambda p, fonts, lang, pinyin: asked.append(pinyin) or
                        real(p, fonts, lang, pinyin))
    package = write_package(tmp_path / "wall", "exhibit-waterfall", WALL, {}, package_id="org.test.wall")
    ctx, _sink, _clock = make_context(tmp_path, size=SIZE)
    ctx.catalog, ctx.age_band = installed(tmp_path / "installed"), band
    exhibit = WaterfallExhibit(package, ctx)
    exhibit.start()
    try:
        assert asked and set(asked) == {expected}  # None: the package's own bands decide
    finally:
        exhibit.stop("quit")


@pytest.mark.parametrize("size", [(1280, 720), (1080, 1920)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_label_sits_in_a_band_the_covers_come_out_from_under(tmp_path, size):
    """The label covers no cover on the wall: it sits in a band across the top in the wall's colour, the covers
    slide out from under it; a cover still under the band is not on the wall yet (a tap there opens nothing,
    no test target)."""
    from experiences import drawlog

    exhibit, _, clock, opened = open_wall(tmp_path, size)
    try:
        surface = pygame.Surface(size)
        run_frames(exhibit, surface, clock, 2)
        with drawlog.recording() as log:
            run_frames(exhibit, surface, clock, 1)
        top = exhibit.header_bottom(size)
        label = pygame.Rect(next(box.box for box in log.boxes if box.label == "label"))
        assert 0 < label.top and label.bottom < top < size[1] // 3  # the band: the label and a margin round it
        pixels = pixels_of(surface)
        for y in (label.top // 2, (label.bottom + top) // 2):  # above and below the label: the band, no cover
            assert {tuple(p) for p in pixels[y]} == {exhibit.band_colour}, y
        below = pixels[top + 4:].astype(int)
        assert below.std() > 20  # the covers are on the wall below it
        # A cover projecting behind the band is not on the wall yet: a tap on the band there opens nothing.
        points = [(x, top // 2) for x in range(0, size[0], 8)]
        behind = [point for point in points for p in exhibit.placements
                  if exhibit.screen_quad(p) and point_in_polygon(point, exhibit.screen_quad(p))]
        assert behind and all(exhibit.card_at(*point) is None for point in behind)
        tap(exhibit, *behind[0])
        assert opened == []
        for name, rect in exhibit.test_targets().items():
            if name.startswith("cover:"):
                assert rect.top >= top, name
    finally:
        exhibit.stop("quit")


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080), (1024, 768), (1080, 1920)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_band_is_slim_and_the_hint_and_home_button_stand_clear_of_the_covers(tmp_path, repo_root, size):
    """The shipped wall for a 6-8 visitor (pinyin over the band's text): the band takes a slim strip of the height
    (the covers are the point), the hint is in it rather than over the covers, and over a minute of falling no
    cover passes under the kiosk's home button (the columns keep right of it); the screen checks pass."""
    from experiences import drawlog
    from experiences.i18n import t
    from experiences.package import open_package
    from experiences.runtime import home_button_area
    from experiences.screencheck import check_screen, report

    ctx, _, clock = make_context(tmp_path, size=size)
    ctx.catalog, ctx.age_band = Catalog.scan([repo_root / "content"]), "6-8"
    exhibit = WaterfallExhibit(open_package(repo_root / "content" / "exhibit-waterfall"), ctx)
    exhibit.start()
    try:
        surface = pygame.Surface(size)
        with drawlog.recording() as log:
            run_frames(exhibit, surface, clock, 1)
        top = exhibit.header_bottom(size)
        assert 0 < top <= size[1] * (0.15 if size[0] > size[1] else 0.2), top
        hint = next(text for text in log.texts if text.text == t("exhibit.waterfall_hint", "zh-CN"))
        assert hint.ruby_size and hint.box[1] + hint.box[3] <= top  # in the band, with its pinyin
        assert all(text.box[1] + text.box[3] <= top for text in log.texts), [t.text for t in log.texts]
        findings = check_screen(log, size)
        assert findings == [], report(findings)
        home = pygame.Rect(home_button_area(size)[0])
        for _ in range(30):
            run_frames(exhibit, surface, clock, 1)
            exhibit.flow_time += 2.0
            exhibit._place_cards()
            for placement in exhibit.placements:
                xs = [x for x, _ in exhibit.screen_quad(placement)]
                assert min(xs) > home.right, (placement.key, min(xs), home)
    finally:
        exhibit.stop("quit")


def test_as_the_attract_loop_its_longer_hint_stays_in_the_band_in_portrait_too(tmp_path, repo_root):
    """The attract loop's hint (how to reach the menu too) is wider than a portrait window: it takes a row of its
    own, a line for each of its parts, inside the window, and the band stays under a fifth of the height."""
    from experiences import drawlog
    from experiences.package import open_package
    from experiences.screencheck import check_screen, report

    size = (1080, 1920)
    ctx, _, clock = make_context(tmp_path, size=size)
    ctx.catalog, ctx.age_band = Catalog.scan([repo_root / "content"]), "6-8"
    ctx.services["attract"] = True
    exhibit = WaterfallExhibit(open_package(repo_root / "content" / "exhibit-waterfall"), ctx)
    exhibit.start()
    try:
        with drawlog.recording() as log:
            run_frames(exhibit, pygame.Surface(size), clock, 1)
        top = exhibit.header_bottom(size)
        assert top < size[1] * 0.2
        hint = [text for text in log.texts if text.text in ("点一本书打开它", "点空白处看全部内容")]
        assert len(hint) == 2 and all(text.box[1] + text.box[3] <= top for text in hint)
        assert {text.cells[1][0] - text.cells[0][0] for text in hint} == {hint[0].cells[1][0] - hint[0].cells[0][0]}
        findings = check_screen(log, size)
        assert findings == [], report(findings)
    finally:
        exhibit.stop("quit")
