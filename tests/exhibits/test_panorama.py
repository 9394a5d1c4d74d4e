"""exhibit-panorama rendered offscreen: the image seen the right way round, hotspots at their directions,
drag to look, auto-pan when idle, a hotspot that opens another package."""
from __future__ import annotations

import io

import numpy as np
import pygame
import pytest
from PIL import Image

from experiences.exhibits import hud
from experiences.exhibits.panorama import PanoramaExhibit
from experiences.runtime import InputEvent

from .helpers import advance, make_context, pixels_of, write_package

CONTENT = '''[content]
image = "hall.png"
start_yaw = 90
auto_pan = 5
[[content.hotspots]]
id = "red"
yaw = 90
pitch = 0
title = { zh-CN = "红方块" }
text = { zh-CN = "正东方向的红方块。" }
opens = "org.test.other"
'''


def pattern_image() -> bytes:
    """Blue west half, grey east half, a red square due east (yaw +90) on the horizon, a white sky cap."""
    width, height = 1024, 512
    image = np.full((height, width, 3), 90, np.uint8)
    image[:, : width // 2] = (40, 40, 140)
    image[height // 2 - 24:height // 2 + 24, 3 * width // 4 - 24:3 * width // 4 + 24] = (250, 0, 0)
    image[:40] = (255, 255, 255)
    out = io.BytesIO()
    Image.fromarray(image).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def panorama(tmp_path):
    package = write_package(tmp_path / "pkg", "exhibit-panorama", CONTENT, {"hall.png": pattern_image()})
    ctx, sink, clock = make_context(tmp_path, size=(640, 360))
    opened = []
    ctx.services["open_package"] = opened.append
    exhibit = PanoramaExhibit(package, ctx)
    exhibit.start()
    yield exhibit, sink, clock, opened
    if exhibit.stage is not None:
        exhibit.stop("quit")


def test_image_is_seen_from_inside_the_right_way_round(panorama):
    exhibit, _, clock, _ = panorama
    surface = pygame.Surface((640, 360))
    exhibit.stage.render_into(surface)
    pixels = pixels_of(surface)
    assert tuple(pixels[180, 320]) == pytest.approx((250, 0, 0), abs=12)  # looking east: the red square
    # Turned to yaw 0 (the image centre): the west (blue) half is on the left, the east (grey) on the right.
    exhibit.look(-90, 0, clock.now())
    exhibit.stage.render_into(surface)
    pixels = pixels_of(surface)
    assert pixels[180, 100][2] > 120 and pixels[180, 540][2] < 110
    exhibit.look(0, 80, clock.now())  # looking up: the white cap
    exhibit.stage.render_into(surface)
    assert pixels_of(surface)[180, 320].min() > 240


def test_hotspot_is_drawn_where_its_direction_projects(panorama):
    exhibit, _, _, _ = panorama
    surface = pygame.Surface((640, 360))
    exhibit.draw(surface)
    x, y = exhibit.spots[0].screen
    assert (x, y) == pytest.approx((320, 180), abs=1)
    assert tuple(pixels_of(surface)[int(y), int(x) - 15]) == hud.ACCENT
    exhibit.look(120, 0, 0.0)  # the hotspot is now behind the visitor
    exhibit.draw(surface)
    assert exhibit.spots[0].screen is None


def test_drag_looks_around_and_auto_pan_resumes_when_idle(panorama):
    exhibit, _, clock, _ = panorama
    exhibit.handle(InputEvent("pointer_down", 300, 180))
    exhibit.handle(InputEvent("pointer_move", 400, 180))
    exhibit.handle(InputEvent("pointer_up", 400, 180))
    assert exhibit.yaw < 90  # dragging right turns the view left, like grabbing the scene
    yaw = exhibit.yaw
    advance(exhibit, clock, 2.0)
    assert exhibit.yaw == yaw  # paused after the touch
    advance(exhibit, clock, 2.0)
    assert exhibit.yaw > yaw  # the gentle auto-pan is back


def test_tapping_a_hotspot_shows_it_and_its_button_opens_the_other_package(panorama):
    exhibit, sink, _, opened = panorama
    surface = pygame.Surface((640, 360))
    exhibit.draw(surface)
    x, y = exhibit.spots[0].screen
    exhibit.handle(InputEvent("pointer_down", x, y))
    exhibit.handle(InputEvent("pointer_up", x, y))
    exhibit.draw(surface)
    assert exhibit.open_spot is exhibit.spots[0]
    assert sink.statements[-1]["object"]["id"].endswith("/hotspot/red")
    button = next(b for b in exhibit.buttons if b.key == "open")
    exhibit.handle(InputEvent("pointer_down", *button.rect.center))
    exhibit.handle(InputEvent("pointer_up", *button.rect.center))
    assert opened == ["org.test.other"] and exhibit.finished


def test_pinching_zooms_within_limits(panorama):
    exhibit, _, _, _ = panorama
    exhibit.handle(InputEvent("pointer_down", 300, 180, pointer_id=1))
    exhibit.handle(InputEvent("pointer_down", 340, 180, pointer_id=2))
    exhibit.handle(InputEvent("pointer_move", 100, 180, pointer_id=1))  # fingers spread: zoom in
    assert exhibit.fov == 35.0  # clamped at the narrowest view
    exhibit.handle(InputEvent("pointer_move", 330, 180, pointer_id=1))  # pinch together: zoom out
    assert 35.0 < exhibit.fov <= 100.0
    assert exhibit.stage.lens.get_fov()[1] == pytest.approx(exhibit.fov)


def test_a_magnified_panorama_renders_at_its_texel_density_and_looks_the_same(tmp_path):
    """The 1024-px test image spreads over ~2.4 screen pixels per texel at 70°: rendering fewer pixels and
    upscaling smoothly gives the same picture for a fraction of the software rasteriser's work."""
    package = write_package(tmp_path / "pkg", "exhibit-panorama", CONTENT, {"hall.png": pattern_image()})
    ctx, _, _ = make_context(tmp_path, size=(1280, 720))
    exhibit = PanoramaExhibit(package, ctx)
    exhibit.start()
    try:
        exhibit.spots = []  # the picture only
        exhibit.touched = True
        surface = pygame.Surface((1280, 720))
        exhibit.draw(surface)
        assert exhibit.stage.render_scale < 0.5 and exhibit.stage.render_frame().size[0] < 640
        limited = pixels_of(surface).astype(int)
        exhibit.stage.scale_ceiling = 1.0
        exhibit.stage.set_render_scale(1.0)
        exhibit.stage.render_into(surface)
        full = pixels_of(surface).astype(int)
        assert np.abs(limited - full).mean() < 3
    finally:
        exhibit.stop("quit")
