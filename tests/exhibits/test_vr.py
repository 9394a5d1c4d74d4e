"""VR mode: side-by-side stereo with lens pre-distortion, head pose from a scripted provider, gaze dwell selects."""
from __future__ import annotations

import numpy as np
import pygame
import pytest

from experiences.exhibits import vr
from experiences.exhibits.panorama import PanoramaExhibit
from experiences.package import open_package
from experiences.runtime import create_experience

from .helpers import advance, make_context, pixels_of, write_package
from .test_panorama import CONTENT, pattern_image


@pytest.fixture
def vr_panorama(tmp_path):
    package = write_package(tmp_path / "pkg", "exhibit-panorama", CONTENT, {"hall.png": pattern_image()})
    ctx, sink, clock = make_context(tmp_path, size=(1280, 720))
    ctx.vr = True
    exhibit = create_experience(package, ctx)
    exhibit.start()
    yield exhibit, sink, clock
    exhibit.stop("quit")


def test_runner_gives_the_vr_form_when_the_kiosk_asks_for_it(vr_panorama):
    exhibit, _, _ = vr_panorama
    assert isinstance(exhibit, vr.VRExhibit) and isinstance(exhibit.inner, PanoramaExhibit)
    assert exhibit.inner.stage.size == (640, 720)


def test_side_by_side_halves_show_the_same_view_through_the_lens(vr_panorama):
    exhibit, _, clock = vr_panorama
    surface = pygame.Surface((1280, 720))
    exhibit.update(1 / 30)
    exhibit.draw(surface)
    pixels = pixels_of(surface).astype(int)
    left, right = pixels[:, :640], pixels[:, 640:]
    assert left.std() > 10 and right.std() > 10
    assert np.abs(left - right).mean() < 8  # one scene seen by two eyes a few centimetres apart
    for half in (left, right):
        assert half[5, 5].sum() == 0 and half[-5, -5].sum() == 0  # corners outside the lens stay black
        assert tuple(half[410, 320]) == pytest.approx((250, 0, 0), abs=15)  # red square ahead, below its marker
    eye = pixels_of(exhibit.eye_surface)  # the last eye before the lens: the reticle ring at the gaze point
    assert tuple(eye[360, 320 - 11]) == (250, 244, 230)


def test_distortion_squeezes_towards_the_edges():
    mapping = vr.distortion_map(200, 100)
    assert mapping[50, 100] == pytest.approx(50 * 200 + 100, abs=201)  # the centre stays put
    # Barrel: near the edge each screen pixel covers more of the picture than near the centre.
    cols = mapping[50] % 200
    assert cols[190] - cols[180] > cols[110] - cols[100] > 0
    assert mapping[0, 0] == -1 and mapping[99, 199] == -1


def test_head_pose_from_a_scripted_provider_turns_the_view(vr_panorama):
    exhibit, _, clock = vr_panorama
    head = vr.ScriptedHeadPose([(0.0, 0.0, 0.0), (1.0, -90.0, 0.0)])
    assert head.pose(0.5) == (-45.0, 0.0)
    surface = pygame.Surface((1280, 720))
    exhibit.handle(head.event(1.0))  # turned 90° left: from the red square (east) to the image centre
    exhibit.update(1 / 30)
    exhibit.draw(surface)
    centre = pixels_of(surface)[360, 320 - 40]
    assert centre[0] < 150  # no longer red
    assert exhibit.inner.stage.camera.get_h() == pytest.approx(-90.0, abs=0.5)  # its own view (auto-pan aside)


def test_gazing_at_a_hotspot_selects_it_after_the_dwell(vr_panorama):
    exhibit, sink, clock = vr_panorama
    surface = pygame.Surface((1280, 720))
    exhibit.handle(vr.ScriptedHeadPose([(0.0, 0.0, 0.0)]).event(0.0))
    exhibit.draw(surface)  # markers are placed when drawn
    exhibit.update(0.0)
    assert exhibit.gaze_target == ("hotspot", "red")
    advance(exhibit, clock, vr.DWELL_SECONDS - 0.2)
    assert exhibit.inner.open_spot is None and 0.8 < exhibit.gaze_progress < 1
    advance(exhibit, clock, 0.4)
    assert exhibit.inner.open_spot is exhibit.inner.spots[0]
    assert sink.statements[-1]["object"]["id"].endswith("/hotspot/red")
    advance(exhibit, clock, 5.0)
    experienced = [s for s in sink.statements if s["verb"]["display"]["en-US"] == "experienced"]
    assert len(experienced) == 1  # one selection per dwell


def test_gazing_at_a_page_of_the_bundled_book_turns_it(repo_root, tmp_path):
    package = open_package(repo_root / "content" / "exhibit-book")
    ctx, _, clock = make_context(tmp_path, size=(1280, 720))
    ctx.vr = True
    exhibit = create_experience(package, ctx)
    exhibit.start()
    try:
        surface = pygame.Surface((1280, 720))
        # The closed book lies in the middle of the view: look at its cover, a little left of the middle.
        exhibit.handle(vr.ScriptedHeadPose([(0.0, -5.0, -5.0)]).event(0.0))
        exhibit.draw(surface)
        exhibit.update(0.0)
        assert exhibit.gaze_target == ("turn", 1)  # looking at the closed book's cover opens it
        advance(exhibit, clock, vr.DWELL_SECONDS + 0.1)
        advance(exhibit, clock, 1.0)
        assert exhibit.inner.turned == 1
    finally:
        exhibit.stop("quit")


def test_lens_pass_into_a_packed_surface_matches_the_reference_distortion():
    rng = np.random.default_rng(3)
    eye = pygame.Surface((200, 100))
    pygame.surfarray.blit_array(eye, rng.integers(0, 255, (200, 100, 3), dtype=np.uint8))
    mapping = vr.distortion_map(200, 100)
    reference = pixels_of(vr.apply_distortion(eye, mapping))
    lens = vr.LensPass(mapping)
    fast = pygame.Surface((400, 100))  # 32-bit, like the eye: the gather path
    fast.fill((9, 9, 9))
    lens.apply(eye, fast, 200)
    assert np.array_equal(pixels_of(fast)[:, 200:], reference)
    assert (pixels_of(fast)[:, :200] == 9).all()  # the other eye's half is untouched
    assert not fast.get_locked() and not eye.get_locked()
    other = pygame.Surface((400, 100), depth=24)  # any other layout: the blit path, same picture
    lens.apply(eye, other, 0)
    assert np.array_equal(pixels_of(other)[:, :200], reference)



def test_on_a_kiosk_the_two_eye_renders_share_one_frames_render_budget(tmp_path):
    from dataclasses import replace

    package = write_package(tmp_path / "pkg", "exhibit-panorama", CONTENT, {"hall.png": pattern_image()})
    ctx, _, _ = make_context(tmp_path, size=(1280, 720))
    kiosk = replace(ctx, headless=False)  # adaptive resolution on, as on a kiosk
    flat = PanoramaExhibit(package, kiosk)
    flat.start()
    flat_budget = flat.stage.governor.budget
    flat.stop("quit")
    exhibit = vr.VRExhibit(package, kiosk, PanoramaExhibit)
    exhibit.start()
    try:
        assert exhibit.inner.stage.governor.budget == pytest.approx((flat_budget - 2 * vr.LENS_PASS_MS / 1000) / 2)
    finally:
        exhibit.stop("quit")


def test_a_panorama_far_away_is_rendered_once_for_both_eyes_and_a_near_model_twice(vr_panorama, tmp_path):
    from experiences.exhibits.treasure import TreasureExhibit

    from .helpers import box_glb

    exhibit, _, _ = vr_panorama
    renders = []
    real_render = exhibit.inner.stage.render_frame
    exhibit.inner.stage.render_frame = lambda: renders.append(1) or real_render()
    surface = pygame.Surface((1280, 720))
    exhibit.update(1 / 30)
    exhibit.draw(surface)
    assert exhibit.stereo_parallax() < 1 and len(renders) == 1  # 50 m away: 0.6 px between the eyes
    pixels = pixels_of(surface)
    assert np.array_equal(pixels[:, :640], pixels[:, 640:])
    exhibit.stop("quit")

    package = write_package(tmp_path / "box", "exhibit-treasure", '[content]\nmodel = "box.glb"\n', {"box.glb": box_glb()})
    ctx, _, _ = make_context(tmp_path / "t", size=(1280, 720))
    treasure = vr.VRExhibit(package, ctx, TreasureExhibit)
    treasure.start()
    try:
        for _ in range(4):
            treasure.update(1 / 30)
            treasure.draw(surface)
        assert treasure.stereo_parallax() == float("inf")  # unknown depth: real stereo
        pixels = pixels_of(surface).astype(int)
        assert not np.array_equal(pixels[:, :640], pixels[:, 640:])  # a box 2 m away: the eyes differ
    finally:
        treasure.stop("quit")
