"""Multisampled anti-aliasing on the offscreen stage: a still view is rendered once more with smooth edges and then
reused; a frame recorded for a shot is multisampled; the pipe's lack of it is no error."""
from __future__ import annotations

import numpy as np
import pygame
import pytest

from experiences import drawlog
from experiences.exhibits import geometry, offscreen


@pytest.fixture
def stage():
    stage = offscreen.acquire_stage((320, 180))
    yield stage
    stage.release()


def tilted_box(stage):
    node = stage.root.attach_new_node(geometry.geom_node("box", *geometry.box(1, 1, 1)))
    node.set_pos(0, 4, 0)
    node.set_r(17)  # slanted edges: stair steps without anti-aliasing
    node.set_color(1, 1, 1, 1)
    node.set_light_off()
    return node


def edge_shades(surface) -> int:
    """How many different grey levels the frame holds: 2 (box and background) when edges are aliased."""
    pixels = pygame.surfarray.array3d(surface)[:, :, 0]
    return len(np.unique(pixels))


def test_a_still_view_is_rendered_once_more_multisampled_then_reused(stage):
    if offscreen.engine().module != "p3headlessgl":
        pytest.skip("multisampling needs the EGL pipe (p3headlessgl)")
    tilted_box(stage)
    stage.reuse_unchanged_frames = True
    stage.enable_antialias(always=False)
    renders = []
    real_render = stage.render_frame
    stage.render_frame = lambda: renders.append(stage._multisample_next) or real_render()
    surface = pygame.Surface((320, 180))
    stage.render_into(surface)
    assert renders == [False] and edge_shades(surface) == 2  # moving (first) frame: plain, hard edges
    stage.render_into(surface)
    assert renders == [False, True] and edge_shades(surface) > 4  # still: once more, multisampled
    stage.render_into(surface)
    assert len(renders) == 2 and edge_shades(surface) > 4  # and reused from then on
    stage.camera.set_x(0.1)
    stage.render_into(surface)
    assert renders[-1] is False  # it moved: plain again (a software rasteriser keeps its frame rate)


def test_a_frame_recorded_for_a_shot_is_multisampled_and_others_are_not(stage):
    if offscreen.engine().module != "p3headlessgl":
        pytest.skip("multisampling needs the EGL pipe (p3headlessgl)")
    tilted_box(stage)
    stage.enable_antialias(still=False)  # as in tests and previews (headless)
    surface = pygame.Surface((320, 180))
    stage.render_into(surface)
    assert edge_shades(surface) == 2
    with drawlog.recording():
        stage.render_into(surface)
    assert edge_shades(surface) > 4
    stage.enable_antialias(still=False, always=True)  # a GPU that renders it within the budget
    stage.camera.set_x(0.05)
    stage.render_into(surface)
    assert edge_shades(surface) > 4
