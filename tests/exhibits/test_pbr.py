"""PBR treasures: simplepbr's shader on EGL renders a metallic and a rough sphere shaded, hotspots still drawn where
their anchors project; on p3tinydisplay (no shaders) the fixed-function fallback renders, logged once."""
from __future__ import annotations

import logging

import numpy as np
import pygame
import pytest
from panda3d.core import ShaderAttrib

from experiences.exhibits import geometry, glb, hud, offscreen, pbr
from experiences.exhibits.treasure import TreasureExhibit

from .helpers import make_context, pixels_of, run_frames, write_package

GOLD, CLAY = (1.0, 0.78, 0.34, 1.0), (0.7, 0.2, 0.15, 1.0)
CONTENT = '''[content]
model = "spheres.glb"
lighting = "{lighting}"
background = [0.0, 0.0, 0.0]
[content.view]
target = [0.0, 0.0, 0.0]
distance = 3.2
pitch = 8.0
auto_rotate = 0
[[content.hotspots]]
id = "gold"
position = [-0.55, -0.45, 0.0]
normal = [0.0, -1.0, 0.0]
title = {{ zh-CN = "金球" }}
'''


def spheres_glb() -> bytes:
    """A polished gold sphere (metallic 1, roughness 0.3) left of a rough clay one (metallic 0, roughness 0.9)."""
    parts = []
    for x, colour, metallic, roughness in ((-0.55, GOLD, 1.0, 0.3), (0.55, CLAY, 0.0, 0.9)):
        positions, normals, uvs, tris = geometry.uv_sphere(0.45, 48, 24)
        parts.append(glb.MeshPart(np.asarray(positions) + (x, 0, 0), normals, tris, uvs=uvs, base_color=colour,
                                  metallic=metallic, roughness=roughness))
    return glb.write_glb(parts)


def run_spheres(tmp_path, lighting: str, services: dict | None = None):
    package = write_package(tmp_path / lighting, "exhibit-treasure", CONTENT.format(lighting=lighting),
                            {"spheres.glb": spheres_glb()})
    ctx, _, clock = make_context(tmp_path)
    ctx.services.update(services or {})
    exhibit = TreasureExhibit(package, ctx)
    exhibit.start()
    surface = pygame.Surface((1280, 720))
    run_frames(exhibit, surface, clock, 4)
    return exhibit, surface


def disc(exhibit, centre_x: float) -> np.ndarray:
    """The pixels inside a sphere's projected outline (shrunk a little, away from the edge) as rows of RGB."""
    x, y, _ = exhibit.stage.project(exhibit.stage.root.get_relative_point(exhibit.model, (centre_x, 0, 0)))
    edge, _, _ = exhibit.stage.project(exhibit.stage.root.get_relative_point(exhibit.model, (centre_x + 0.45, 0, 0)))
    radius = abs(edge - x) * 0.85
    bare = np.frombuffer(exhibit.stage.render_frame().data, np.uint8).reshape(720, 1280, 4)[:, :, 2::-1]
    rows, cols = np.mgrid[0:720, 0:1280]
    return bare[(rows - y) ** 2 + (cols - x) ** 2 <= radius ** 2].astype(float)


def luminance(rgb: np.ndarray) -> np.ndarray:
    return rgb @ np.array([0.2126, 0.7152, 0.0722])


def test_lighting_choice_kiosk_over_package_and_auto_by_renderer():
    gpu, cpu = "NVIDIA GeForce GTX 1650/PCIe/SSE2", "llvmpipe (LLVM 15.0.6, 256 bits)"
    assert pbr.lighting_mode({}, {}, gpu, environ={}) == "pbr"
    assert pbr.lighting_mode({}, {}, cpu, environ={}) == "basic"  # auto: software rasteriser
    assert pbr.lighting_mode({"lighting": "pbr"}, {}, cpu, environ={}) == "pbr"
    assert pbr.lighting_mode({"lighting": "pbr"}, {"lighting": "basic"}, gpu, environ={}) == "basic"
    assert pbr.lighting_mode({"lighting": "basic"}, {}, gpu, environ={"YUEDU_EXHIBIT_LIGHTING": "pbr"}) == "pbr"
    assert pbr.lighting_mode({}, {}, gpu, environ={"YUEDU_EXHIBIT_LIGHTING": "nonsense"}) == "pbr"


def test_museum_environment_is_lit_from_above_and_dark_below():
    up, side, down = pbr.museum_radiance(np.array([[0.6, 0, 0.8], [1.0, 0, 0], [0, 0, -1.0]]))  # a track light
    assert luminance(up) > luminance(side) > luminance(down) > 0
    environment = pbr.museum_environment()
    assert environment.filtered_env_map.get_num_loadable_ram_mipmap_images() > 1  # blurrier levels for rougher
    assert sum(abs(c) for c in environment.sh_coefficients[0]) > 0  # irradiance from the room


def test_pbr_spheres_render_shaded_and_differ_from_fixed_function(tmp_path):
    exhibit, _ = run_spheres(tmp_path, "pbr")
    assert offscreen.engine().module == "p3headlessgl"
    assert exhibit.lighting == "pbr" and exhibit.model.has_attrib(ShaderAttrib)
    gold, clay = disc(exhibit, -0.55), disc(exhibit, 0.55)
    exhibit.stop("quit")
    for sphere in (gold, clay):
        assert luminance(sphere).mean() > 40  # not blank: the background is black
        assert luminance(sphere).std() > 8  # not flat: lit from one side, darker away from it
    # Polished metal reflects the room's lights as small bright highlights; clay scatters light evenly.
    assert luminance(gold).max() > 220
    assert np.percentile(luminance(gold), 99) - np.median(luminance(gold)) > np.percentile(luminance(clay), 99) - np.median(luminance(clay))
    # Gold stays gold (metal tints its reflections) and clay stays reddish.
    assert gold[:, 0].mean() > gold[:, 2].mean() + 30 and clay[:, 0].mean() > clay[:, 1].mean() + 30

    basic, _ = run_spheres(tmp_path, "basic")
    assert basic.lighting == "basic" and not basic.model.has_attrib(ShaderAttrib)
    flat_gold = disc(basic, -0.55)
    basic.stop("quit")
    # Fixed function has no reflections: a fully metallic part loses its diffuse light and looks flat.
    assert np.abs(luminance(gold).mean() - luminance(flat_gold).mean()) > 20 or luminance(flat_gold).std() < luminance(gold).std() / 2


def test_hotspot_drawn_where_its_anchor_projects_on_a_pbr_model(tmp_path):
    exhibit, surface = run_spheres(tmp_path, "pbr")
    spot = exhibit.hotspots[0]
    x, y, _ = exhibit.stage.project(exhibit.stage.root.get_relative_point(exhibit.model, spot.position))
    assert spot.visible and spot.screen == pytest.approx((x, y), abs=0.5)
    ring = (int(x) - 15, int(y))
    assert tuple(pixels_of(surface)[ring[1], ring[0]]) == hud.ACCENT
    bare = np.frombuffer(exhibit.stage.render_frame().data, np.uint8).reshape(720, 1280, 4)[:, :, 2::-1]
    assert tuple(bare[ring[1], ring[0]]) != hud.ACCENT
    rig = exhibit.light_rig
    exhibit.stop("quit")
    assert rig.is_empty()  # the lights under the engine's camera went with the run


def test_without_shaders_the_fixed_function_fallback_renders_and_logs_once(tmp_path, monkeypatch, caplog):
    fallback = offscreen.OffscreenEngine(("p3tinydisplay",))
    monkeypatch.setattr(offscreen, "_engine", fallback)
    monkeypatch.setattr(pbr, "_fallback_logged", False)
    try:
        with caplog.at_level(logging.WARNING, logger="experiences.exhibits.pbr"):
            for run in range(2):
                exhibit, surface = run_spheres(tmp_path / str(run), "pbr")
                assert exhibit.lighting == "basic" and not exhibit.model.has_attrib(ShaderAttrib)
                clay = disc(exhibit, 0.55)
                exhibit.stop("quit")
                assert luminance(clay).mean() > 40 and luminance(clay).std() > 8  # lit and shaded
        warnings = [r for r in caplog.records if "fixed-function" in r.getMessage()]
        assert len(warnings) == 1
    finally:
        fallback.close()


def test_the_treasure_schema_takes_the_three_lighting_choices_and_nothing_else():
    import jsonschema

    from experiences.exhibits import kinds

    validator = jsonschema.Draft202012Validator(kinds.TREASURE.schema)
    for choice in pbr.LIGHTING_CHOICES:
        assert not list(validator.iter_errors({"model": "m.glb", "lighting": choice}))
    assert list(validator.iter_errors({"model": "m.glb", "lighting": "shiny"}))


def test_pbr_treasure_in_vr_lights_each_eye_from_its_own_camera(tmp_path):
    from experiences.exhibits import vr

    package = write_package(tmp_path / "vr", "exhibit-treasure", CONTENT.format(lighting="pbr"),
                            {"spheres.glb": spheres_glb()})
    ctx, _, clock = make_context(tmp_path)
    exhibit = vr.VRExhibit(package, ctx, TreasureExhibit)
    exhibit.start()
    try:
        surface = pygame.Surface((1280, 720))
        for _ in range(4):
            clock.advance(1 / 30)
            exhibit.update(1 / 30)
            exhibit.draw(surface)
        assert exhibit.inner.lighting == "pbr"
        for half in (pixels_of(surface)[:, :640], pixels_of(surface)[:, 640:]):
            lit = luminance(half.reshape(-1, 3).astype(float))
            assert (lit > 40).mean() > 0.05 and lit.std() > 20  # both eyes see shaded spheres on black
    finally:
        exhibit.stop("quit")


def test_a_simplepbr_whose_shader_no_longer_matches_falls_back_with_a_warning(monkeypatch, caplog):
    from simplepbr import _shaderutils

    monkeypatch.setattr(pbr, "_fallback_logged", False)
    pbr.pbr_shader.cache_clear()
    real = _shaderutils._load_shader_str
    monkeypatch.setattr(_shaderutils, "_load_shader_str",
                        lambda path, defines=None: real(path, defines).replace("o_color = color;", "o_color = c;"))
    stage = offscreen.acquire_stage((320, 180))
    try:
        with caplog.at_level(logging.WARNING, logger="experiences.exhibits.pbr"):
            assert not pbr.shaders_usable(stage.engine.buffer.get_gsg())
        assert any("simplepbr changed" in r.getMessage() for r in caplog.records)
    finally:
        stage.release()
        pbr.pbr_shader.cache_clear()  # the next test builds the real one again
