"""A bronze ding (鼎) modelled procedurally with numpy: a lathed body with a decorated band, three hoof legs and
two upright ears, with a patina texture generated in code. Z up, about 1 unit tall, standing on z = 0.
"""
from __future__ import annotations

import io

import numpy as np
from PIL import Image

from experiences.exhibits import geometry
from experiences.exhibits.glb import MeshPart

SEGMENTS = 72
LIP_ROW = 10  # PROFILE's index of the lip: rows after it run down the inside

# Body profile (radius, height) from the bottom centre up to the lip and over it into the inside.
PROFILE = [
    (0.00, 0.30), (0.18, 0.31), (0.32, 0.34), (0.41, 0.40), (0.45, 0.48), (0.46, 0.56), (0.455, 0.64),
    (0.45, 0.72), (0.46, 0.78), (0.49, 0.82), (0.50, 0.84), (0.47, 0.845), (0.44, 0.80), (0.42, 0.60),
    (0.30, 0.40), (0.00, 0.37),
]
BAND = (0.64, 0.78)  # the decorated band (纹饰带) between these heights


def lathe(profile, segments: int = SEGMENTS, inside_from: int | None = None):
    """Revolve a (radius, height) profile around Z; u runs around, v is the height (rows after `inside_from`,
    the inside of the vessel, take the plain bronze below the band)."""
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
    v = height[row] if inside_from is None else np.where(row > inside_from, height[row] * 0.5, height[row])
    uvs = np.stack([u * 6, v], axis=1)  # texture repeats six times around; v is the height (the inside: plain)
    return positions, normals, uvs, tris


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
    uvs = np.stack([uvs[:, 0] * 0.5, 0.1 + uvs[:, 1] * 0.3], axis=1)  # plain bronze, below the band
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


TEXTURE_SIZE = 512  # texels across one of the six repeats around the body, and from foot (v 0) to lip (v 1)
MOTIF_CELLS = 8  # square spirals across one repeat; two rows of them fill the band
BRONZE = np.array([128, 110, 72], np.float32)  # patinated bronze, sRGB: olive brown
WORN = np.array([156, 124, 80], np.float32)  # raised edges rubbed brighter by hands and cloths
VERDIGRIS = np.array([92, 134, 110], np.float32)  # copper carbonate, settled in grooves and crevices
GRIME = np.array([44, 38, 28], np.float32)  # the dark fill at the bottom of an incised line


def _tileable_noise(rng: np.random.Generator, height: int, width: int, cell: int) -> np.ndarray:
    """Smooth value noise (-1..1) that wraps left to right, so the six repeats around the body show no seam."""
    gw, gh = max(1, width // cell), height // cell + 2
    grid = rng.uniform(-1, 1, (gh, gw)).astype(np.float32)
    ys, xs = np.arange(height, dtype=np.float32) / cell, np.arange(width, dtype=np.float32) * gw / width
    y0, x0 = ys.astype(int), xs.astype(int)
    fy, fx = (ys - y0)[:, None], (xs - x0)[None, :]
    fy, fx = fy * fy * (3 - 2 * fy), fx * fx * (3 - 2 * fx)
    x1 = (x0 + 1) % gw
    a, b = grid[y0][:, x0 % gw], grid[y0][:, x1]
    c, d = grid[y0 + 1][:, x0 % gw], grid[y0 + 1][:, x1]
    return (a * (1 - fx) + b * fx) * (1 - fy) + (c * (1 - fx) + d * fx) * fy


def spiral_motif(size: int = 96, turns: int = 3, mirror: bool = False) -> np.ndarray:
    """One square spiral (雷纹) as a float mask 0..1 (1 on the incised line), drawn anti-aliased."""
    from PIL import ImageDraw

    scale = 4  # drawn 4× larger and scaled down: smooth edges
    image = Image.new("L", (size * scale, size * scale), 0)
    draw = ImageDraw.Draw(image)
    step = 0.9 * size * scale / (turns + 0.5)  # the spiral reaches ±turns/2 steps from the centre
    x = y = size * scale / 2
    points = [(x, y)]
    directions = ((1, 0), (0, 1), (-1, 0), (0, -1))
    for i in range(2 * turns):
        dx, dy = directions[i % 4]
        length = step * (i // 2 + 1)
        x, y = x + dx * length, y + dy * length
        points.append((x, y))
    draw.line(points, fill=255, width=max(1, round(step * 0.34)), joint="curve")
    mask = np.asarray(image.resize((size, size), Image.LANCZOS), np.float32) / 255.0
    return mask[:, ::-1] if mirror else mask


def _band_mask(width: int, rows: int) -> np.ndarray:
    """Two rows of square spirals, alternately mirrored, `rows` texels tall and `width` wide (one repeat).
    Cells are square on the bronze: a repeat is ~2× wider on the body than the texture's height scale."""
    cell_w = width // MOTIF_CELLS
    row_h = rows // 2
    band = np.zeros((rows, width), np.float32)
    for row in range(2):
        for col in range(MOTIF_CELLS):
            motif = spiral_motif(96, mirror=(row + col) % 2 == 1)
            cell = np.asarray(Image.fromarray((motif * 255).astype(np.uint8)).resize((cell_w, row_h), Image.LANCZOS),
                              np.float32) / 255.0
            band[row * row_h:(row + 1) * row_h, col * cell_w:(col + 1) * cell_w] = cell
    return band


def patina_texture(size: int = TEXTURE_SIZE, seed: int = 5) -> bytes:
    """A clean patinated bronze: an even olive-brown body with soft tonal variation, a band of incised square
    spirals (云雷纹) where v falls in BAND with verdigris settled in its lines, a little verdigris along the band's
    edges and under the lip (the crevices), worn brighter ridges framing the band; PNG bytes."""
    rng = np.random.default_rng(seed)
    # Broad, faint tonal variation (±6%): cast bronze is never one flat colour, but never blotchy either.
    tone = 1 + 0.06 * _tileable_noise(rng, size, size, 64) + 0.02 * _tileable_noise(rng, size, size, 12)
    rgb = BRONZE[None, None, :] * tone[:, :, None]
    v = 1 - (np.arange(size, dtype=np.float32)[:, None] + 0.5) / size  # image row 0 is v = 1 (the lip)
    # Soot and age darken the lower belly a little.
    rgb *= (0.86 + 0.14 * np.clip((v - 0.3) / 0.35, 0, 1))[:, :, None]
    # Verdigris in the crevices: along both edges of the band and in the groove under the lip, patchy but soft.
    crevice = np.exp(-((v - BAND[0]) / 0.012) ** 2) + np.exp(-((v - BAND[1]) / 0.012) ** 2) \
        + 0.7 * np.exp(-((v - 0.81) / 0.01) ** 2)
    patch = np.clip(0.55 + 0.6 * _tileable_noise(rng, size, size, 24), 0, 1)
    green = np.clip(crevice * patch, 0, 0.6)[:, :, None]
    rgb = rgb * (1 - green) + (VERDIGRIS * 0.8 + GRIME * 0.2) * green
    # The band: incised spiral lines, filled with grime and verdigris.
    top, bottom = int(round((1 - BAND[1]) * size)), int(round((1 - BAND[0]) * size))
    rows = bottom - top
    lines = _band_mask(size, rows - 8)[:, :, None]
    fill = GRIME * 0.45 + VERDIGRIS * 0.55
    band = rgb[top + 4:bottom - 4] * 0.9  # the band is cast a little recessed: a shade darker
    rgb[top + 4:bottom - 4] = band * (1 - 0.85 * lines) + fill * (0.85 * lines)
    # Raised ridges framing the band, rubbed brighter.
    for edge in (top + 1, bottom - 3):
        rgb[edge:edge + 2] = rgb[edge:edge + 2] * 0.4 + WORN * 0.6
    out = io.BytesIO()
    Image.fromarray(np.clip(rgb, 0, 255).astype(np.uint8)).save(out, "PNG", optimize=True)
    return out.getvalue()


def z_up_to_gltf(positions: np.ndarray) -> np.ndarray:
    """glTF is Y up: (x, y, z) in Z-up becomes (x, z, -y)."""
    return np.stack([positions[:, 0], positions[:, 2], -positions[:, 1]], axis=1)


def ding_parts() -> list[MeshPart]:
    """The ding as glTF-ready mesh parts (Y up)."""
    body = lathe(PROFILE, inside_from=LIP_ROW)
    legs = _merge([leg(a) for a in (-np.pi / 2, -np.pi / 2 + 2 * np.pi / 3, -np.pi / 2 + 4 * np.pi / 3)])
    ears = _merge([ear(0.0), ear(np.pi)])
    texture = patina_texture()
    parts = []
    for name, (p, n, uv, tris) in (("body", body), ("legs", legs), ("ears", ears)):
        uv = np.stack([uv[:, 0], 1 - uv[:, 1]], axis=1)  # glTF's v runs down the image
        parts.append(MeshPart(z_up_to_gltf(p), z_up_to_gltf(n), tris, uvs=uv.astype(np.float32),
                              base_color=(1, 1, 1, 1), metallic=0.3, roughness=0.45, texture_png=texture, name=name))
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
