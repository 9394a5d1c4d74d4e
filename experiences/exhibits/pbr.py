"""Physically based lighting for treasures: simplepbr's metallic-roughness shader on the model's node, lit by a
procedural museum environment, tone-mapped in the same pass; fixed-function lights where shaders are missing.
"""
from __future__ import annotations

import functools
import logging
import os

import numpy as np

from experiences import freetype_guard  # noqa: F401  (before panda3d)
from panda3d.core import (  # noqa: E402
    AmbientLight,
    DirectionalLight,
    LColor,
    Material,
    NodePath,
    SamplerState,
    Shader,
    ShaderAttrib,
    Texture,
)

log = logging.getLogger(__name__)

LIGHTING_CHOICES = ("auto", "pbr", "basic")
MAX_LIGHTS = 1  # the key light; the environment fills the rest (each slot costs ~2.5 ms a frame on llvmpipe)
EXPOSURE = 1.0
ENVIRONMENT_SIZE = 16  # cube face pixels; the reflections are blurred by roughness anyway
# Renderers that rasterise on the CPU: PBR costs ~3-4x the fixed-function treasure there (bench/exhibit.py).
SOFTWARE_RENDERERS = ("llvmpipe", "softpipe", "swrast", "tinydisplay")
_fallback_logged = False
# This module uses a few of simplepbr's internals (shader sources, the BRDF table, the cube-map texel directions,
# tested with 0.13): if a release moves them, treasures fall back to basic lighting instead of failing.
SIMPLEPBR_CHANGED = (ImportError, AttributeError, KeyError, TypeError, RuntimeError)


def lighting_mode(content: dict, services: dict, renderer: str, environ=os.environ) -> str:
    """"pbr" or "basic" for one treasure run. The kiosk's choice (ctx.services["lighting"] or
    YUEDU_EXHIBIT_LIGHTING: auto, pbr or basic) wins over the package's `lighting` (default auto); auto means
    PBR on a GPU and basic lighting on a software rasteriser such as llvmpipe."""
    kiosk = services.get("lighting") or environ.get("YUEDU_EXHIBIT_LIGHTING", "")
    choice = kiosk if kiosk in LIGHTING_CHOICES else content.get("lighting", "auto")
    if choice not in ("pbr", "basic"):
        software = any(name in renderer.lower() for name in SOFTWARE_RENDERERS)
        choice = "basic" if software else "pbr"
    return choice


# ---- the environment ---------------------------------------------------------------------------------------
def museum_radiance(directions: np.ndarray) -> np.ndarray:
    """Linear RGB radiance of a museum gallery seen along unit `directions` (…×3, Z up): warm spotlights in a
    dark ceiling, pale walls with a brighter band at eye height (lit showcases), a dark floor."""
    x, y, z = directions[..., 0], directions[..., 1], directions[..., 2]
    wall = np.array([0.32, 0.29, 0.25])
    ceiling = np.array([0.10, 0.09, 0.08])
    floor = np.array([0.05, 0.045, 0.04])
    up = np.clip(z, 0, 1)[..., None]
    down = np.clip(-z, 0, 1)[..., None]
    colour = wall * (1 - up - down) + ceiling * up + floor * down
    # Track lights: a few bright warm spots above the visitor's shoulders.
    azimuth = np.arctan2(y, x)
    spots = np.clip(np.cos(azimuth * 3) * 0.5 + 0.5, 0, 1) ** 8 * np.exp(-((z - 0.75) / 0.12) ** 2)
    colour = colour + spots[..., None] * np.array([6.0, 5.2, 4.2])
    band = np.exp(-(z / 0.08) ** 2) * (0.6 + 0.4 * np.cos(azimuth * 2))
    return colour + band[..., None] * np.array([0.55, 0.52, 0.46])


def _cube_directions(size: int) -> np.ndarray:
    """Unit direction of each texel of a cube map (6 × size × size × 3), in simplepbr's face convention."""
    from simplepbr._ibl_funcs_cpu import calc_vector

    directions = np.empty((6, size, size, 3), np.float32)
    for face in range(6):
        for row in range(size):
            for col in range(size):
                directions[face, row, col] = calc_vector(size, face, col, row)
    return directions / np.linalg.norm(directions, axis=-1, keepdims=True)


@functools.lru_cache(maxsize=1)
def museum_environment():
    """The museum as a simplepbr EnvMap (irradiance as spherical harmonics, a pre-filtered reflection map),
    worked out once per process (~0.2 s)."""
    from simplepbr import EnvMap

    size = ENVIRONMENT_SIZE
    cube = Texture("museum")
    cube.setup_cube_map(size, Texture.T_float, Texture.F_rgb32)
    radiance = museum_radiance(_cube_directions(size)).astype(np.float32)
    # panda3d keeps texels as B, G, R; rows in the order simplepbr's calc_vector numbers them.
    cube.set_ram_image(np.ascontiguousarray(radiance[..., ::-1]).tobytes())
    return EnvMap(cube, prefiltered_size=size, prefiltered_samples=8, blocking_prepare=True)


# ---- the shader --------------------------------------------------------------------------------------------
_TONEMAP = """
uniform float exposure;
uniform mat4 p3d_ViewMatrixInverse;
vec3 yuedu_tonemap(vec3 color) {
    // simplepbr's filmic curve (its post-process pass), applied here so the frame needs no second pass.
    color = max(vec3(0.0), color * exposure - vec3(0.004));
    return (color * (vec3(6.2) * color + vec3(0.5))) / (color * (vec3(6.2) * color + vec3(1.7)) + vec3(0.06));
}
"""


def _patched(source: str, old: str, new: str) -> str:
    if source.count(old) != 1:
        raise RuntimeError(f"simplepbr's shader changed: {old!r} not found once; update experiences/exhibits/pbr.py")
    return source.replace(old, new)


@functools.lru_cache(maxsize=1)
def pbr_shader() -> Shader:
    """simplepbr's PBR shader for one pass into the 8-bit frame: tone mapping at the end of the fragment
    shader, and the camera position taken from the view matrix (VR moves the camera per eye)."""
    from simplepbr import _shaderutils

    defines = {"MAX_LIGHTS": MAX_LIGHTS, "USE_330": True, "USE_EMISSION_MAP": True, "CALC_NORMAL_Z": True}
    vertex = _shaderutils._load_shader_str("simplepbr.vert", dict(defines))
    fragment = _shaderutils._load_shader_str("simplepbr.frag", dict(defines))
    fragment = _patched(fragment, "uniform vec3 camera_world_position;",
                        _TONEMAP + "#define camera_world_position (p3d_ViewMatrixInverse[3].xyz)")
    fragment = _patched(fragment, "o_color = color;", "o_color = vec4(yuedu_tonemap(color.rgb), color.a);")
    shader = Shader.make(Shader.SL_GLSL, vertex, fragment)
    shader.set_filename(Shader.ST_none, "yuedu-simplepbr")
    return shader


def shaders_usable(gsg) -> bool:
    """True when this graphics context compiles the PBR shader; False (with a warning, once per process)
    where it cannot, e.g. p3tinydisplay, which has no shaders at all."""
    if gsg is None or not gsg.get_supports_basic_shaders() or not gsg.get_supports_glsl():
        _log_fallback_once(f"no GLSL on {gsg.get_driver_renderer() if gsg else 'this pipe'}")
        return False
    try:
        shader = pbr_shader()
    except SIMPLEPBR_CHANGED as exc:  # a simplepbr whose internals no longer match what this module uses
        _log_fallback_once(f"simplepbr changed: {exc!r}")
        return False
    shader.prepare_now(gsg.get_prepared_objects(), gsg)
    if not shader.is_prepared(gsg.get_prepared_objects()) or shader.get_error_flag():
        _log_fallback_once(f"the PBR shader did not compile on {gsg.get_driver_renderer()}")
        return False
    return True


def _log_fallback_once(reason: str) -> None:
    global _fallback_logged
    if not _fallback_logged:
        _fallback_logged = True
        log.warning("treasures use fixed-function lighting: %s", reason)


def apply_pbr(model: NodePath, gsg, exposure: float = EXPOSURE) -> bool:
    """Shade `model` with PBR; False where shaders are unavailable (see `shaders_usable`), and the model
    keeps panda3d's fixed-function lighting."""
    if not shaders_usable(gsg):
        return False
    try:
        environment = museum_environment()
        from simplepbr import Pipeline

        lut = Pipeline._BRDF_LUT
    except SIMPLEPBR_CHANGED as exc:
        _log_fallback_once(f"simplepbr changed: {exc!r}")
        return False
    lut.set_wrap_u(SamplerState.WM_clamp)
    lut.set_wrap_v(SamplerState.WM_clamp)
    model.set_attrib(ShaderAttrib.make(pbr_shader()))
    model.set_material(Material("yuedu-pbr-fallback"))  # parts without a glTF material still get one
    model.set_shader_input("brdf_lut", lut)
    model.set_shader_input("filtered_env_map", environment.filtered_env_map)
    model.set_shader_input("max_reflection_lod", float(environment.filtered_env_map.get_num_loadable_ram_mipmap_images()))
    model.set_shader_input("sh_coeffs", environment.sh_coefficients)
    model.set_shader_input("exposure", float(exposure))
    return True


def add_museum_lights(root: NodePath, camera: NodePath, pbr: bool) -> NodePath:
    """A key light riding with the camera (upper left of the visitor); PBR takes a physical intensity (its
    diffuse term divides by π) and its fill comes from the environment, fixed function gets an ambient light.
    Returns the node under the camera holding the lights: remove it when the run ends."""
    key_strength, ambient = (3.0, 0.0) if pbr else (1.3, 0.7)
    rig = camera.attach_new_node("treasure-lights")
    key = DirectionalLight("key")
    key.set_color(LColor(key_strength, key_strength * 0.96, key_strength * 0.9, 1))
    key_np = rig.attach_new_node(key)
    key_np.set_hpr(-35, -40, 0)
    root.set_light(key_np)
    if ambient:
        amb = AmbientLight("ambient")
        amb.set_color(LColor(ambient, ambient, ambient, 1))
        root.set_light(root.attach_new_node(amb))
    return rig
