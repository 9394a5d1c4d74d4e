"""exhibit-treasure rendered offscreen: loading screen, hotspots where anchors project, occlusion, orbit, reports."""
from __future__ import annotations

import numpy as np
import pygame
import pytest

from experiences.engagement import extension_iri
from experiences.exhibits import hud
from experiences.exhibits.treasure import DEPTH_EVERY, TreasureExhibit
from experiences.runtime import InputEvent

from .helpers import box_glb, make_context, pixels_of, png_bytes, run_frames, verbs, write_package

CONTENT = '''[content]
model = "box.glb"
poster = "poster.png"
[content.view]
distance = 3.0
min_distance = 2.0
max_distance = 5.0
auto_rotate = 20
resume_after = 3
[[content.hotspots]]
id = "front"
position = [0.0, -0.5, 0.0]
normal = [0.0, -1.0, 0.0]
title = { zh-CN = "正面", en = "Front" }
text = { zh-CN = "盒子的正面。" }
[[content.hotspots]]
id = "behind"
position = [0.0, 0.5, 0.0]
title = { zh-CN = "背面" }
[[content.hotspots]]
id = "away"
position = [0.0, -0.5, 0.2]
normal = [0.0, 1.0, 0.0]
title = { zh-CN = "朝里" }
'''


@pytest.fixture
def treasure(tmp_path):
    package = write_package(tmp_path / "pkg", "exhibit-treasure", CONTENT,
                            {"box.glb": box_glb(), "poster.png": png_bytes((320, 180), (10, 200, 10))})
    ctx, sink, clock = make_context(tmp_path)
    exhibit = TreasureExhibit(package, ctx)
    exhibit.start()
    yield exhibit, sink, clock
    if exhibit.stage is not None:
        exhibit.stop("quit")


def spot(exhibit, spot_id):
    return next(s for s in exhibit.hotspots if s.id == spot_id)


def test_loading_shows_the_poster_and_progress_then_the_model(treasure):
    exhibit, _, clock = treasure
    surface = pygame.Surface((1280, 720))
    run_frames(exhibit, surface, clock, 1)
    assert not exhibit.loaded and 0 < exhibit.loading.progress < 1
    assert tuple(pixels_of(surface)[360, 640]) == (10, 200, 10)  # the green poster fills the middle
    run_frames(exhibit, surface, clock, 3)
    assert exhibit.loaded and exhibit.loading.progress == 1.0
    pixels = pixels_of(surface)
    assert pixels.std() > 10 and tuple(pixels[360, 640]) != (10, 200, 10)


def test_hotspot_is_drawn_where_its_anchor_projects_and_hidden_ones_are_not(treasure):
    exhibit, _, clock = treasure
    surface = pygame.Surface((1280, 720))
    run_frames(exhibit, surface, clock, 4)
    front = spot(exhibit, "front")
    anchor = exhibit.stage.root.get_relative_point(exhibit.model, (0.0, -0.5, 0.0))
    x, y, _ = exhibit.stage.project(anchor)
    assert front.visible and front.screen == pytest.approx((x, y), abs=0.5)
    # The marker's red disc sits around the anchor in the frame; the bare render has none there.
    ring = (int(x) - 15, int(y))
    assert tuple(pixels_of(surface)[ring[1], ring[0]]) == hud.ACCENT
    bare = np.frombuffer(exhibit.stage.render_frame().data, np.uint8).reshape(720, 1280, 4)[:, :, 2::-1]
    assert tuple(bare[ring[1], ring[0]]) != hud.ACCENT
    assert not spot(exhibit, "behind").visible  # behind the box: the depth buffer is nearer
    assert spot(exhibit, "behind").occluded
    assert not spot(exhibit, "away").visible  # its normal faces away from the camera


def test_turning_round_reveals_the_occluded_hotspot(treasure):
    exhibit, _, clock = treasure
    surface = pygame.Surface((1280, 720))
    run_frames(exhibit, surface, clock, 4)
    exhibit.orbit.yaw = 180.0  # look from behind
    exhibit.orbit.touch(clock.now())
    run_frames(exhibit, surface, clock, DEPTH_EVERY)  # occlusion is re-tested at the next depth copy
    assert spot(exhibit, "behind").visible and not spot(exhibit, "front").visible


def test_auto_rotate_pauses_on_interaction_and_resumes_after_the_delay(treasure):
    exhibit, _, clock = treasure
    surface = pygame.Surface((1280, 720))
    run_frames(exhibit, surface, clock, 4)
    yaw = exhibit.orbit.yaw
    run_frames(exhibit, surface, clock, 3, dt=0.5)
    assert exhibit.orbit.yaw == pytest.approx(yaw + 30, abs=1e-6)  # 20°/s while idle
    exhibit.handle(InputEvent("pointer_down", 600, 400))
    exhibit.handle(InputEvent("pointer_move", 700, 400))
    exhibit.handle(InputEvent("pointer_up", 700, 400))
    dragged = exhibit.orbit.yaw
    run_frames(exhibit, surface, clock, 5, dt=0.5)  # 2.5 s: still paused
    assert exhibit.orbit.yaw == pytest.approx(dragged)
    run_frames(exhibit, surface, clock, 3, dt=0.5)
    assert exhibit.orbit.yaw != pytest.approx(dragged)


def test_zoom_stays_within_limits_and_reset_button_restores_the_view(treasure):
    exhibit, _, clock = treasure
    surface = pygame.Surface((1280, 720))
    run_frames(exhibit, surface, clock, 4)
    for _ in range(20):
        exhibit.on_button("zoom_in", clock.now())
    assert exhibit.orbit.distance == 2.0
    for _ in range(20):
        exhibit.handle(InputEvent("action", action="left"))
    reset = next(b for b in exhibit.buttons if b.key == "reset")
    exhibit.handle(InputEvent("pointer_down", *reset.rect.center))
    exhibit.handle(InputEvent("pointer_up", *reset.rect.center))
    assert (exhibit.orbit.distance, exhibit.orbit.yaw) == (3.0, 0.0)
    # Two fingers spreading apart zoom out to the limit and never past it.
    exhibit.handle(InputEvent("pointer_down", 600, 400, pointer_id=1))
    exhibit.handle(InputEvent("pointer_down", 700, 400, pointer_id=2))
    exhibit.handle(InputEvent("pointer_move", 300, 400, pointer_id=1))
    assert exhibit.orbit.distance == 2.0  # pinch out = closer, clamped at min_distance


def test_tapping_a_hotspot_opens_its_card_and_reports_it_once(treasure):
    exhibit, sink, clock = treasure
    surface = pygame.Surface((1280, 720))
    run_frames(exhibit, surface, clock, 4)
    x, y = spot(exhibit, "front").screen
    for _ in range(2):
        exhibit.handle(InputEvent("pointer_down", x, y))
        exhibit.handle(InputEvent("pointer_up", x, y))
    run_frames(exhibit, surface, clock, 1)
    assert exhibit.open_hotspot is spot(exhibit, "front")
    statements = [s for s in sink.statements if s["verb"]["display"]["en-US"] == "experienced"]
    assert len(statements) == 1 and statements[0]["object"]["id"].endswith("/hotspot/front")
    exhibit.stop("quit")
    assert verbs(sink)[-1] == "progressed"
    assert sink.statements[-1]["result"]["extensions"][extension_iri("items-experienced")] == 1


def test_a_model_that_fails_to_load_shows_the_failure_screen(tmp_path):
    package = write_package(tmp_path / "pkg", "exhibit-treasure", '[content]\nmodel = "box.glb"\n',
                            {"box.glb": b"glTF\x02\x00\x00\x00broken"})
    ctx, sink, clock = make_context(tmp_path)
    exhibit = TreasureExhibit(package, ctx)
    exhibit.start()
    surface = pygame.Surface((1280, 720))
    run_frames(exhibit, surface, clock, 4)
    assert exhibit.loading.error and not exhibit.loaded
    exhibit.handle(InputEvent("pointer_down", 640, 360))
    exhibit.handle(InputEvent("pointer_up", 640, 360))
    assert exhibit.finished
    exhibit.stop("error")


def test_background_loading_keeps_frames_going_and_ends_with_the_model(tmp_path):
    from experiences.exhibits.offscreen import acquire_stage
    from experiences.exhibits.treasure import ModelLoading

    package = write_package(tmp_path / "pkg", "exhibit-treasure", '[content]\nmodel = "box.glb"\n', {"box.glb": box_glb()})
    stage = acquire_stage((320, 180))
    try:
        loading = ModelLoading(package, "box.glb", background=True)
        loading.step(stage)  # locate
        loading.step(stage)  # starts the conversion thread and returns at once
        assert loading.thread is not None and loading.progress == 0.15
        loading.thread.join(timeout=30)
        while not loading.done:
            loading.step(stage)
        assert loading.error is None and loading.progress == 1.0
        assert loading.model.get_parent() == stage.root
        broken = write_package(tmp_path / "bad", "exhibit-treasure", '[content]\nmodel = "m.glb"\n', {"m.glb": b"glTF junk"})
        failing = ModelLoading(broken, "m.glb", background=True)
        failing.step(stage)
        failing.step(stage)
        failing.thread.join(timeout=30)
        failing.step(stage)
        assert failing.done and failing.error and failing.model is None
    finally:
        stage.release()
