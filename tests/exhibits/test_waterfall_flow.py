"""The waterfall's pure geometry: which packages it shows, columns that fall without holes, hit tests, focus."""
from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from experiences.exhibits.waterfall_flow import (
    GAP,
    WaterfallLayout,
    card_corners,
    column_sequence,
    next_focus,
    point_in_polygon,
    select_packages,
)

FOV = (64.0, 40.0)


@dataclass
class FakeManifest:
    age_bands: list = field(default_factory=list)


@dataclass
class FakePackage:
    id: str
    kind: str
    manifest: FakeManifest = field(default_factory=FakeManifest)


PACKAGES = [
    FakePackage("org.a.book", "exhibit-book", FakeManifest(["all"])),
    FakePackage("org.a.ding", "exhibit-treasure", FakeManifest(["9-12"])),
    FakePackage("org.a.idioms", "idiom-lanterns", FakeManifest(["6-8"])),
    FakePackage("org.a.wall", "exhibit-waterfall", FakeManifest(["all"])),
]


def ids(packages):
    return [p.id for p in packages]


def test_all_shows_every_package_but_never_a_waterfall():
    assert ids(select_packages(PACKAGES, "all", own_kind="exhibit-waterfall")) == [
        "org.a.book", "org.a.ding", "org.a.idioms"]


def test_a_list_keeps_its_order_and_skips_ids_that_are_not_installed():
    chosen = select_packages(PACKAGES, ["org.a.idioms", "org.gone", "org.a.book"], own_kind="exhibit-waterfall")
    assert ids(chosen) == ["org.a.idioms", "org.a.book"]


def test_tags_match_kinds_kind_families_and_age_bands():
    assert ids(select_packages(PACKAGES, "all", ["exhibit"], own_kind="exhibit-waterfall")) == ["org.a.book", "org.a.ding"]
    assert ids(select_packages(PACKAGES, "all", ["6-8"])) == ["org.a.idioms"]
    assert ids(select_packages(PACKAGES, [], ["exhibit-treasure"])) == ["org.a.ding"]
    # A list and tags together: the listed ones first, then the tagged ones not listed yet.
    assert ids(select_packages(PACKAGES, ["org.a.idioms"], ["exhibit-book"])) == ["org.a.idioms", "org.a.book"]
    assert ids(select_packages(PACKAGES, "all", ["exhibit"], exclude=["org.a.ding"], own_kind="exhibit-waterfall")) == [
        "org.a.book"]


@pytest.mark.parametrize("count,columns", [(1, 5), (2, 4), (6, 5), (6, 4), (10, 5), (30, 8)])
def test_every_column_cycles_through_every_package(count, columns):
    for column in range(columns):
        assert sorted(column_sequence(column, columns, count)) == list(range(count))
    if count >= columns:  # side by side, the columns start on different covers
        assert len({column_sequence(c, columns, count)[0] for c in range(columns)}) == columns


def visible_spans(layout, t):
    by_column = {}
    for placement in layout.placements(t):
        top = placement.center[2] + placement.height / 2
        by_column.setdefault(placement.key[0], []).append((top - placement.height, top))
    return by_column


@pytest.mark.parametrize("count", [1, 3, 12])
def test_columns_fall_steadily_and_never_show_a_hole(count):
    layout = WaterfallLayout([1.0, 0.8, 1.4][:count] * (count // 3 + 1), columns=5, fov=FOV, speed=2.0)
    for t in (0.0, 7.3, 31.0, 600.0):
        spans = visible_spans(layout, t)
        assert sorted(spans) == list(range(5))
        for column, cards in spans.items():
            half = layout.columns[column].half_height
            cards.sort()
            # The screen is filled top to bottom: at most the gap between two cards shows at either edge.
            assert cards[0][0] <= -half + GAP + 1e-9 and cards[-1][1] >= half - GAP - 1e-9
            for (_, top_of_lower), (bottom_of_upper, _) in zip(cards, cards[1:]):
                assert bottom_of_upper - top_of_lower == pytest.approx(GAP, abs=1e-6)


def test_cards_move_down_at_the_configured_speed_the_same_card_keeping_its_key():
    layout = WaterfallLayout([1.0, 1.2, 0.7], columns=4, fov=FOV, speed=2.0)
    before = {p.key: p for p in layout.placements(10.0)}
    after = {p.key: p for p in layout.placements(11.0)}
    common = set(before) & set(after)
    assert len(common) >= len(before) - 4  # at most one card per column left the screen in a second
    for key in common:
        assert before[key].center[2] - after[key].center[2] == pytest.approx(layout.velocity)
        assert before[key].package == after[key].package
    # Two screen heights per minute at the base depth: a cover crosses the screen in 30 s.
    assert layout.velocity * 30 == pytest.approx(2 * layout.columns[0].half_height, rel=1e-6)


def test_columns_sit_at_different_depths_for_parallax():
    layout = WaterfallLayout([1.0], columns=5, fov=FOV)
    depths = [c.depth for c in layout.columns]
    assert len(set(depths)) == 5 and max(depths) - min(depths) < 0.3 * min(depths)  # slight, not a tunnel


def test_card_corners_turn_with_the_tilt_and_points_are_found_inside_outlines():
    placement = WaterfallLayout([1.0], columns=3, fov=FOV).placements(0.0)[0]
    corners = card_corners(placement)
    width = ((corners[1][0] - corners[0][0]) ** 2 + (corners[1][1] - corners[0][1]) ** 2) ** 0.5
    assert width == pytest.approx(placement.width)
    assert corners[0][2] - corners[3][2] == pytest.approx(placement.height)
    square = [(0, 0), (10, 0), (10, 10), (0, 10)]
    assert point_in_polygon((5, 5), square) and not point_in_polygon((15, 5), square)
    assert not point_in_polygon((5, -0.1), square)


def test_focus_moves_to_the_nearest_card_in_the_pressed_direction():
    cards = [("centre", 640, 360), ("right", 900, 370), ("far right", 1200, 360), ("below", 650, 600),
             ("left", 300, 330)]
    assert next_focus(None, cards, "right") == "centre"  # first press: the card nearest the middle
    assert next_focus("centre", cards, "right") == "right"
    assert next_focus("right", cards, "right") == "far right"
    assert next_focus("far right", cards, "right") == "far right"  # the edge: stays
    assert next_focus("centre", cards, "down") == "below"
    assert next_focus("centre", cards, "left") == "left"
    assert next_focus("centre", [], "left") is None


def test_columns_keep_to_the_span_of_the_screen_they_are_given():
    """A wall told to keep right of the home button's strip: every card, at every moment, projects inside it."""
    import math

    tan_h = math.tan(math.radians(FOV[0]) / 2)
    layout = WaterfallLayout([1.0, 0.7, 1.4, 0.9], columns=5, fov=FOV, speed=2.0, span=(-0.75, 1.0))
    lefts, rights = [], []
    for t in range(0, 120, 5):
        for placement in layout.placements(float(t)):
            xs = [x / (y * tan_h) for x, y, _ in card_corners(placement)]
            lefts.append(min(xs))
            rights.append(max(xs))
    assert -0.75 < min(lefts) < -0.6  # the first column starts just inside the span: no wasted strip
    assert max(rights) <= 1.0
    with pytest.raises(ValueError):
        WaterfallLayout([1.0], columns=3, fov=FOV, span=(0.5, 0.2))
