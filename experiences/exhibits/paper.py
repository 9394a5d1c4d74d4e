"""Aged paper generated in code (numpy only): warm base tone, cloudy stains, fibres, foxing spots, darker edges.

Deterministic for a given seed, so tests and screenshots are stable.
"""
from __future__ import annotations

import numpy as np

BASE_TONE = np.array([232, 214, 172], dtype=np.float32)  # 宣纸 turned yellow with age


def _smooth_noise(rng: np.random.Generator, height: int, width: int, cell: int) -> np.ndarray:
    """Value noise: random values on a coarse grid, bilinearly upsampled; range about -1..1."""
    gh, gw = height // cell + 2, width // cell + 2
    grid = rng.uniform(-1, 1, (gh, gw)).astype(np.float32)
    ys = np.arange(height, dtype=np.float32) / cell
    xs = np.arange(width, dtype=np.float32) / cell
    y0, x0 = ys.astype(int), xs.astype(int)
    fy, fx = (ys - y0)[:, None], (xs - x0)[None, :]
    fy, fx = fy * fy * (3 - 2 * fy), fx * fx * (3 - 2 * fx)  # smoothstep: no grid lines
    a = grid[y0][:, x0]
    b = grid[y0][:, x0 + 1]
    c = grid[y0 + 1][:, x0]
    d = grid[y0 + 1][:, x0 + 1]
    return (a * (1 - fx) + b * fx) * (1 - fy) + (c * (1 - fx) + d * fx) * fy


def aged_paper(width: int, height: int, seed: int = 7, age: float = 1.0, tone=BASE_TONE) -> np.ndarray:
    """An RGB uint8 array (height × width × 3) of old paper; `age` 0..1.5 scales stains and edge darkening."""
    rng = np.random.default_rng(seed)
    shade = np.zeros((height, width), dtype=np.float32)
    for cell, weight in ((max(8, width // 3), 10.0), (max(4, width // 10), 6.0), (max(2, width // 40), 3.0)):
        shade += _smooth_noise(rng, height, width, cell) * weight * age
    # Fibres: short streaks along the paper's grain (vertical in 宣纸 sheets).
    fibres = rng.standard_normal((height // 4 + 1, width)).astype(np.float32)
    fibres = np.repeat(fibres, 4, axis=0)[:height] * 2.0
    # Edges darken where hands and air reach the sheet.
    yy = np.linspace(-1, 1, height, dtype=np.float32)[:, None]
    xx = np.linspace(-1, 1, width, dtype=np.float32)[None, :]
    edge = np.clip(np.maximum(np.abs(xx), np.abs(yy)) - 0.82, 0, None) / 0.18
    shade -= (edge ** 2) * 28 * age
    rgb = tone[None, None, :] + shade[:, :, None] * np.array([1.0, 1.0, 1.15], dtype=np.float32)
    rgb += fibres[:, :, None] * 0.8 + rng.normal(0, 1.6, (height, width, 1)).astype(np.float32)
    # Foxing: a few small brown spots.
    for _ in range(int(6 * age)):
        cy, cx = rng.uniform(0, height), rng.uniform(0, width)
        radius = rng.uniform(2, 7) * width / 600
        strength = rng.uniform(0.4, 1.0)
        # Only the neighbourhood of the spot is touched: the whole sheet would cost a full pass per spot.
        y0, y1 = int(max(0, cy - 4 * radius)), int(min(height, cy + 4 * radius + 1))
        x0, x1 = int(max(0, cx - 4 * radius)), int(min(width, cx + 4 * radius + 1))
        dist2 = ((np.arange(y0, y1)[:, None] - cy) ** 2 + (np.arange(x0, x1)[None, :] - cx) ** 2) / (radius * radius)
        spot = np.exp(-dist2)[:, :, None].astype(np.float32)
        rgb[y0:y1, x0:x1] -= spot * np.array([30, 45, 60], dtype=np.float32) * strength
    return np.clip(rgb, 0, 255).astype(np.uint8)
