"""A bronze ding (鼎) modelled procedurally with numpy: a lathed body with a decorated band, three hoof legs and
two upright ears, with a patina texture generated in code. Z up, about 1 unit tall, standing on z = 0.
"""
from __future__ import annotations

import io

import numpy as np
from PIL import Image

from experiences.exhibits import geometry
from experiences.exhibits.glb import MeshPart
from experiences.exhibits.paper import _smooth_noise

BRONZE = (0.55, 0.45, 0.30, 1.0)
SEGMENTS = 72

# Body profile (radius, height) from the bottom centre up to the lip and over it into the inside.
PROFILE = [
    (0.00, 0.30), (0.18, 0.31), (0.32, 0.34), (0.41, 0.40), (0.45, 0.48), (0.46, 0.56), (0.455, 0.64),
    (0.45, 0.72), (0.46, 0.78), (0.49, 0.82), (0.50, 0.84), (0.47, 0.845), (0.44, 0.80), (0.42, 0.60),
    (0.30, 0.40), (0.00, 0.37),
]
BAND = (0.64, 0.78)  # the decorated band (纹饰带) between these heights


def lathe(profile, segments: int = SEGMENTS):
    """Revolve a (radius, height) profile around Z; u runs around, v along the profile."""
    radius = np.array([p[0] for p in profile], dtype=np.float64)
    height = np.array([p[1] for p in profile], dtype=np.float64)
    u, v, tris = geometry.grid(segments, len(profile) - 1)
    angle = u * 2 * np.pi
    row = np.rint(v * (len(profile) - 1)).astype(int)
    positions = np.stack([radius[row] * np.cos(angle), radius[row] * np.sin(angle), height[row]], axis=1)
    # Normals from the profile's tangent, turned outwards.
    d_r = np.gradient(radius)
    d_h = np.gradient(height)
    n_r, n_h = d_h[row], -d_r[row]
    length = np.hypot(n_r, n_h) + 1e-9
    normals = np.stack([n_r / length * np.cos(angle), n_r / length * np.sin(angle), n_h / length], axis=1)
    uvs = np.stack([u * 6, height[row]], axis=1)  # texture repeats six times around; v is the height
    return positions, normals, uvs, tris[:, ::-1]


def leg(angle: float):
    """A slightly tapered leg with a hoof foot, under the body at `angle`."""
    profile = [(0.0, 0.0), (0.085, 0.0), (0.09, 0.03), (0.065, 0.09), (0.055, 0.2), (0.06, 0.33), (0.07, 0.36), (0.0, 0.37)]
    positions, normals, uvs, tris = lathe(profile, 20)
    offset = np.array([0.27 * np.cos(angle), 0.27 * np.sin(angle), 0.0])
    return positions + offset, normals, uvs, tris


def ear(angle: float):
    """An upright loop handle on the rim: two posts and a bridge, built from boxes."""
    parts = []
    for size, pos in (((0.05, 0.06, 0.2), (-0.1, 0, 0.92)), ((0.05, 0.06, 0.2), (0.1, 0, 0.92)),
                      ((0.25, 0.06, 0.05), (0.0, 0, 1.02))):
        p, n, uv, tris = geometry.box(*size)
        parts.append((p + np.array(pos), n, uv, tris))
    positions, normals, uvs, tris = _merge(parts)
    # Stand the loop on the rim at `angle`, its plane tangent to the rim.
    c, s = np.cos(angle), np.sin(angle)
    rotation = np.array([[-s, c, 0], [c, s, 0], [0, 0, 1]])  # x -> tangent, y -> radial
    positions = positions @ rotation
    normals = normals @ rotation
    positions += np.array([0.47 * c, 0.47 * s, -0.08])
    return positions, normals, uvs, tris


def _merge(parts):
    positions, normals, uvs, tris, base = [], [], [], [], 0
    for p, n, uv, t in parts:
        positions.append(p), normals.append(n), uvs.append(uv), tris.append(t + base)
        base += len(p)
    return np.vstack(positions), np.vstack(normals), np.vstack(uvs), np.vstack(tris).astype(np.uint32)


def patina_texture(size: int = 128, seed: int = 5) -> bytes:
    """Bronze with green patina; a band of square spirals (云雷纹) where v falls in BAND; PNG bytes."""
    rng = np.random.default_rng(seed)
    noise = _smooth_noise(rng, size, size, 16) + 0.5 * _smooth_noise(rng, size, size, 5)
    bronze = np.array([176, 136, 84], np.float32)
    verdigris = np.array([104, 150, 118], np.float32)
    mix = np.clip(noise * 0.6 + 0.35, 0, 1)[:, :, None]
    rgb = bronze * (1 - mix) + verdigris * mix
    # Square spiral meander: a pattern of nested squares per cell, darkened grooves.
    y, x = np.mgrid[0:size, 0:size]
    cell = size // 8
    cx, cy = (x % cell) - cell / 2 + 0.5, (y % cell) - cell / 2 + 0.5
    ring = np.maximum(np.abs(cx), np.abs(cy)).astype(int)
    groove = (ring % 3 == 0)
    rows = np.arange(size)[:, None]
    # Image row 0 is v = 1 (the top); the band's rows are where v lies inside BAND.
    v = 1 - (rows + 0.5) / size
    in_band = (v >= BAND[0]) & (v <= BAND[1])
    rgb = np.where((groove & in_band)[:, :, None], rgb * 0.45, rgb)
    out = io.BytesIO()
    Image.fromarray(np.clip(rgb, 0, 255).astype(np.uint8)).save(out, "PNG", optimize=True)
    return out.getvalue()


def z_up_to_gltf(positions: np.ndarray) -> np.ndarray:
    """glTF is Y up: (x, y, z) in Z-up becomes (x, z, -y)."""
    return np.stack([positions[:, 0], positions[:, 2], -positions[:, 1]], axis=1)


def ding_parts() -> list[MeshPart]:
    """The ding as glTF-ready mesh parts (Y up)."""
    body = lathe(PROFILE)
    legs = _merge([leg(a) for a in (-np.pi / 2, -np.pi / 2 + 2 * np.pi / 3, -np.pi / 2 + 4 * np.pi / 3)])
    ears = _merge([ear(0.0), ear(np.pi)])
    texture = patina_texture()
    parts = []
    for name, (p, n, uv, tris) in (("body", body), ("legs", legs), ("ears", ears)):
        uv = np.stack([uv[:, 0], 1 - uv[:, 1]], axis=1)  # glTF's v runs down the image
        parts.append(MeshPart(z_up_to_gltf(p), z_up_to_gltf(n), tris, uvs=uv.astype(np.float32),
                              base_color=(1, 1, 1, 1), metallic=0.15, roughness=0.5, texture_png=texture, name=name))
    return parts


# Hotspots in the model's Z-up coordinates (what Blender shows), with outward normals.
HOTSPOTS = [
    {"id": "ear", "position": [0.47, 0.0, 0.96], "normal": [1.0, 0.0, 0.2],
     "title": {"zh-CN": "立耳", "en": "Upright ear"},
     "text": {"zh-CN": "鼎口两侧竖立的耳，可以穿杠抬起这口重重的鼎。",
              "en": "Two upright ears on the rim: a pole through them lifted the heavy vessel."}},
    {"id": "band", "position": [0.0, -0.46, 0.71], "normal": [0.0, -1.0, 0.0],
     "title": {"zh-CN": "云雷纹", "en": "Cloud-and-thunder band"},
     "text": {"zh-CN": "腹部一圈方折回旋的花纹叫云雷纹，是商周青铜器上常见的装饰。",
              "en": "The square spirals round the belly are a cloud-and-thunder pattern, common on Shang and Zhou bronzes."}},
    {"id": "leg", "position": [0.0, -0.33, 0.15], "normal": [0.0, -1.0, 0.0],
     "title": {"zh-CN": "三足", "en": "Three legs"},
     "text": {"zh-CN": "三条足稳稳站立。成语“三足鼎立”就从这里来。",
              "en": "Three legs stand firm; the idiom 三足鼎立 (standing like a ding's three legs) comes from here."}},
]
