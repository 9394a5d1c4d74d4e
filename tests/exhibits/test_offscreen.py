"""The offscreen bridge: a real panda3d render at 1280×720 copied into a pygame Surface."""
from __future__ import annotations

import numpy as np
import pygame
import pytest

from experiences.exhibits import assets3d, geometry, offscreen


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
    assert frame.pixel_format == "BGRA"
    pixels = np.frombuffer(frame.data, np.uint8).reshape(180, 320, 4)
    assert pixels[:, :, :3].max() == 0  # the red box of the first run is gone: all black
    assert pixels[:, :, 3].min() == 255  # and the frame is opaque
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


def test_pygame_text_still_renders_when_panda3d_opened_its_pipe_first(tmp_path):
    """libpanda exports FreeType symbols; importing the exhibits package must keep pygame's text working even
    when panda3d was loaded (and its pipe opened) before pygame.freetype. Needs a fresh process."""
    import subprocess
    import sys

    script = (
        "from panda3d.core import GraphicsPipeSelection\n"
        "GraphicsPipeSelection.get_global_ptr().make_module_pipe('p3headlessgl')\n"
        "from experiences.exhibits import hud\n"
        "print(hud.TextCache().render('复位', 26).get_width())\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    assert int(done.stdout.strip().splitlines()[-1]) > 20


def test_reduced_render_scale_keeps_projections_in_surface_pixels(stage):
    stage.set_background((0.0, 0.0, 0.2))
    red_box(stage, (2, 10, 1))
    stage.set_render_scale(0.5)
    assert stage.render_frame().size == (640, 360)
    surface = pygame.Surface((1280, 720))
    stage.render_into(surface)
    x, y, _ = stage.project((2, 10, 1))
    pixels = surface_pixels(surface)
    assert pixels[int(y), int(x)][0] > 200
    assert tuple(pixels[700, 20]) == (0, 0, 51)  # the background colour survived the new buffer


def test_adaptive_resolution_steps_down_when_slow_and_back_up_when_fast():
    from experiences.exhibits.resolution import ResolutionGovernor

    governor = ResolutionGovernor(budget=0.010, window=4)
    changes = [governor.observe(0.020) for _ in range(4)]
    assert changes == [None, None, None, 0.85]
    assert [governor.observe(0.009) for _ in range(4)][-1] is None  # 9 ms × (1/0.85)² would not fit
    assert [governor.observe(0.004) for _ in range(4)][-1] == 1.0
    for _ in range(40):
        governor.observe(1.0)
    assert governor.scale == ResolutionGovernor.SCALES[-1]  # never below the smallest step


def test_glb_is_converted_once_to_bam_in_the_cache(tmp_path):
    from .helpers import box_glb

    model = tmp_path / "box.glb"
    model.write_bytes(box_glb())
    cache = tmp_path / "cache"
    first = assets3d.load_model(model, cache_dir=cache)
    cached = list(cache.glob("*.bam"))
    assert len(cached) == 1
    second = assets3d.load_model(model, cache_dir=cache)
    assert second.find("**/+GeomNode").node().get_num_geoms() == first.find("**/+GeomNode").node().get_num_geoms()
    model.write_bytes(box_glb(scale=2.0))  # new content, new cache entry
    assets3d.load_model(model, cache_dir=cache)
    assert len(list(cache.glob("*.bam"))) == 2


def test_software_fallback_renders_without_egl():
    """p3tinydisplay (no shaders, no GPU library at all) is the fallback when EGL is missing."""
    fallback = offscreen.OffscreenEngine(("p3tinydisplay",))
    try:
        assert fallback.module == "p3tinydisplay"
        stage = fallback.acquire((320, 180))
        assert not fallback.supports_shaders
        red_box(stage, (0, 4, 0))
        stage.request_depth()
        surface = pygame.Surface((320, 180))
        stage.render_into(surface)
        assert tuple(surface_pixels(surface)[90, 160]) == (255, 0, 0)
        assert tuple(surface_pixels(surface)[5, 5]) == (0, 0, 0)
        assert stage.depth_at(160, 90) is None  # occlusion tests are skipped, not wrong
    finally:
        fallback.close()


def test_unchanged_frames_are_reused_until_the_camera_moves_or_the_scene_is_marked(stage):
    box = red_box(stage, (0, 5, 0))
    stage.reuse_unchanged_frames = True
    renders = []
    real_render = stage.render_frame
    stage.render_frame = lambda: renders.append(1) or real_render()
    surface = pygame.Surface((1280, 720))
    stage.render_into(surface)
    stage.render_into(surface)
    assert len(renders) == 1 and surface_pixels(surface)[360, 640][0] > 200  # copied, still the box
    stage.camera.set_x(0.2)
    stage.render_into(surface)
    assert len(renders) == 2  # the camera moved
    box.set_color(0, 0, 1, 1)
    stage.render_into(surface)
    assert len(renders) == 2  # a change the stage was not told about is not seen...
    stage.mark_dirty()
    stage.render_into(surface)
    assert len(renders) == 3 and surface_pixels(surface)[360, 640][2] > 200  # ...until it is marked


def test_frames_copied_straight_into_32_bit_surfaces_match_the_blit_path(stage):
    stage.set_background((0.1, 0.3, 0.5))
    red_box(stage, (2, 10, 1))
    fast = pygame.Surface((1280, 720))  # 32-bit B, G, R, X: the direct copy
    slow = pygame.Surface((1280, 720), depth=24)  # any other format: frombuffer and blit
    assert offscreen._copy_into(slow, stage.render_frame()) is False
    stage.render_into(slow)
    stage.mark_dirty()
    stage.render_into(fast)
    assert np.array_equal(surface_pixels(fast), surface_pixels(slow))
    assert fast.get_locked() is False  # the copy released its lock on the surface
    # A reused frame (nothing changed) is copied the same way.
    stage.reuse_unchanged_frames = True
    renders = []
    real_render = stage.render_frame
    stage.render_frame = lambda: renders.append(1) or real_render()
    again = pygame.Surface((1280, 720))
    stage.render_into(again)
    assert renders == [] and np.array_equal(surface_pixels(again), surface_pixels(fast))


def test_the_first_frame_of_a_fresh_engine_looks_ahead_with_an_identity_camera():
    """panda3d's first draw on a new GSG skipped the model-view matrix for a geom at the identity camera's
    transform, so a panorama opened looking at the floor. Needs a fresh process (one engine per process)."""
    import subprocess
    import sys

    script = (
        "import numpy as np\n"
        "from experiences.exhibits import assets3d, geometry, offscreen\n"
        "stage = offscreen.acquire_stage((320, 180))\n"
        "node = stage.root.attach_new_node(geometry.geom_node('s', *geometry.uv_sphere(50, 32, 16, inside=True)))\n"
        "image = np.zeros((64, 128, 3), np.uint8); image[:21] = (255, 0, 0); image[21:43] = (0, 255, 0); image[43:] = (0, 0, 255)\n"
        "node.set_texture(assets3d.texture_from_array(image, 'bands', mipmap=False), 1)\n"
        "node.set_light_off()\n"
        "stage.lens.set_near_far(0.1, 100)\n"
        "frame = np.frombuffer(stage.render_frame().data, np.uint8).reshape(180, 320, 4)\n"
        "print(*frame[90, 160, 2::-1])\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split()[-3:] == ["0", "255", "0"]  # the horizon band straight ahead, not the floor's blue


def test_a_render_scale_ceiling_caps_adaptive_steps_and_upscales_smoothly(stage):
    stage.set_background((0.0, 0.0, 0.2))
    red_box(stage, (2, 10, 1))
    stage.enable_adaptive_resolution()
    stage.limit_render_scale(0.75)
    assert stage.render_scale == 0.75 and stage.governor.scale == 0.75
    assert stage.render_frame().size == (960, 540)
    for _ in range(stage.governor.window * 3):
        assert stage.governor.observe(0.0001) is None  # fast, yet never above the ceiling
    surface = pygame.Surface((1280, 720))
    stage.render_into(surface)
    x, y, _ = stage.project((2, 10, 1))
    pixels = surface_pixels(surface)
    assert pixels[int(y), int(x)][0] > 200
    # Smooth, not nearest: the box's edge blends over a pixel or two instead of stepping.
    row = pixels[int(y), :, 0].astype(int)
    assert len(set(row[int(x) - 200:int(x) + 200])) > 2


def test_a_stage_without_depth_buffer_keeps_that_through_new_buffers_and_the_next_run_gets_it_back():
    stage = offscreen.acquire_stage((320, 180))
    stage.use_depth_buffer(False)
    assert not stage.engine.buffer.get_clear_depth_active()
    stage.set_render_scale(0.5)  # a new buffer
    assert not stage.engine.buffer.get_clear_depth_active()
    red_box(stage, (0, 4, 0)).set_depth_test(False)
    frame = np.frombuffer(stage.render_frame().data, np.uint8).reshape(90, 160, 4)
    assert frame[45, 80, 2] > 200  # drawn without any depth buffer
    stage.release()
    following = offscreen.acquire_stage((320, 180))
    assert following.engine.buffer.get_clear_depth_active()
    following.release()


def test_content_limited_frames_upscale_straight_into_the_window_like_the_reference_path(stage):
    stage.set_background((0.1, 0.3, 0.5))
    red_box(stage, (2, 10, 1))
    stage.limit_render_scale(0.6)
    stage.reuse_unchanged_frames = True
    window = pygame.Surface((1280, 720))
    stage.render_into(window)
    frame = stage.render_frame()
    image = pygame.image.frombuffer(frame.data, frame.size, frame.pixel_format)
    reference = pygame.Surface((1280, 720))
    reference.blit(pygame.transform.smoothscale(image, (1280, 720)), (0, 0))
    assert np.array_equal(surface_pixels(window), surface_pixels(reference))
    assert not window.get_locked()
    renders = []
    stage.render_frame = lambda: renders.append(1)
    again = pygame.Surface((1280, 720))
    stage.render_into(again)  # nothing moved: the small frame is scaled again, not rendered
    assert renders == [] and np.array_equal(surface_pixels(again), surface_pixels(reference))
