"""The offscreen bridge: a real panda3d render at 1280×720 copied into a pygame Surface."""
from __future__ import annotations

import numpy as np
import pygame
import pytest

from experiences.exhibits import geometry, offscreen


@pytest.fixture
def stage():
    stage = offscreen.acquire_stage((1280, 720))
    yield stage
    stage.release()


def surface_pixels(surface) -> np.ndarray:
    return pygame.surfarray.array3d(surface).transpose(1, 0, 2)  # rows, cols, rgb


def red_box(stage, pos):
    node = stage.root.attach_new_node(geometry.geom_node("box", *geometry.box(1, 1, 1)))
    node.set_pos(*pos)
    node.set_color(1, 0, 0, 1)
    node.set_light_off()
    return node


def test_renders_a_scene_that_is_not_blank_and_projects_where_expected(stage):
    stage.set_background((0.0, 0.0, 0.2))
    red_box(stage, (2, 10, 1))
    surface = pygame.Surface((1280, 720))
    stage.render_into(surface)
    pixels = surface_pixels(surface)
    assert pixels.std() > 10  # not one flat colour
    x, y, depth = stage.project((2, 10, 1))
    assert 640 < x < 1280 and 0 < y < 360  # right of centre and above it, as placed
    assert depth == pytest.approx(10, abs=0.01)
    r, g, b = pixels[int(y), int(x)]
    assert r > 200 and g < 30 and b < 30
    assert tuple(pixels[700, 20]) == (0, 0, 51)  # background where nothing is


def test_a_card_facing_the_camera_covers_exactly_its_projected_corners(stage):
    card = stage.root.attach_new_node(geometry.geom_node("card", *geometry.card(2, 1)))
    card.set_pos(-1, 6, -0.5)
    card.set_color(0, 1, 0, 1)
    card.set_light_off()
    surface = pygame.Surface((1280, 720))
    stage.render_into(surface)
    ys, xs = np.nonzero(surface_pixels(surface)[:, :, 1] > 200)
    left, top, _ = stage.project((-2, 6, 0))
    right, bottom, _ = stage.project((0, 6, -1))
    assert xs.min() == pytest.approx(left, abs=1.5) and xs.max() == pytest.approx(right, abs=1.5)
    assert ys.min() == pytest.approx(top, abs=1.5) and ys.max() == pytest.approx(bottom, abs=1.5)


def test_engine_is_reused_and_the_scene_reset_between_stages():
    first = offscreen.acquire_stage((320, 180))
    red_box(first, (0, 5, 0))
    first.render_frame()
    engine = first.engine
    second = offscreen.acquire_stage((320, 180))
    assert first.released and second.engine is engine
    frame = second.render_frame()
    pixels = np.frombuffer(frame.data, np.uint8)
    assert pixels.max() == 0  # the red box of the first run is gone: all black
    with pytest.raises(RuntimeError):
        first.render_frame()
    second.release()


def test_buffer_follows_the_requested_size_and_scales_into_other_surfaces():
    stage = offscreen.acquire_stage((640, 360))
    red_box(stage, (0, 4, 0))
    frame = stage.render_frame()
    assert frame.size == (640, 360)
    surface = pygame.Surface((320, 180))
    stage.render_into(surface)
    assert tuple(surface_pixels(surface)[90, 160])[0] > 200
    stage.release()


def test_pick_ray_goes_through_the_projected_point(stage):
    x, y, _ = stage.project((1, 8, -0.5))
    origin, direction = stage.pick_ray(x, y)
    t = (8 - origin.y) / direction.y
    hit = origin + direction * t
    assert hit.x == pytest.approx(1, abs=0.01) and hit.z == pytest.approx(-0.5, abs=0.01)


def test_engine_uses_a_shader_capable_pipe_when_available(stage):
    assert offscreen.engine().module == "p3headlessgl"
    assert offscreen.engine().supports_shaders
