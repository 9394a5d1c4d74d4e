"""Equirectangular panoramas from six cube-face renders (pure numpy): the panorama kind's content script renders
a scene with a 90° camera in six directions and resamples the faces into one 2:1 image.

Directions use panda3d's axes: +Y ahead (yaw 0, the image centre), +X to the right (yaw +90°), +Z up.
"""
from __future__ import annotations

import numpy as np


def directions(width: int) -> np.ndarray:
    """Unit view direction of every pixel of a width × width/2 panorama (rows top first)."""
    height = width // 2
    lon = (np.arange(width) + 0.5) / width * 2 * np.pi - np.pi
    lat = np.pi / 2 - (np.arange(height) + 0.5) / height * np.pi
    lon, lat = np.meshgrid(lon, lat)
    return np.stack([np.sin(lon) * np.cos(lat), np.cos(lon) * np.cos(lat), np.sin(lat)], axis=-1)


def equirect_from_faces(faces: list[tuple[np.ndarray, np.ndarray]], width: int) -> np.ndarray:
    """faces: (rotation, image) pairs; rotation rows are the face camera's right, forward and up axes in the
    world; image is square RGB rows top first, rendered with a 90°×90° lens. Returns an RGB panorama."""
    dirs = directions(width)
    out = np.zeros(dirs.shape[:2] + (3,), dtype=np.uint8)
    best = np.full(dirs.shape[:2], -np.inf)
    for rotation, image in faces:
        right, forward, up = (np.asarray(axis, dtype=np.float64) for axis in rotation)
        x, y, z = dirs @ right, dirs @ forward, dirs @ up
        with np.errstate(divide="ignore", invalid="ignore"):
            sx, sz = x / y, z / y
        inside = (y > 0) & (np.abs(sx) <= 1.0001) & (np.abs(sz) <= 1.0001)
        # Each pixel takes the face it is most central in, so seams have no gaps.
        take = inside & (y > best)
        size = image.shape[0]
        image = np.asarray(image, np.float32)
        fx = np.clip((sx[take] + 1) / 2 * size - 0.5, 0, size - 1)
        fy = np.clip((1 - sz[take]) / 2 * size - 0.5, 0, size - 1)
        x0, y0 = np.minimum(fx.astype(int), size - 2), np.minimum(fy.astype(int), size - 2)
        wx, wy = (fx - x0)[:, None], (fy - y0)[:, None]
        top = image[y0, x0] * (1 - wx) + image[y0, x0 + 1] * wx
        bottom = image[y0 + 1, x0] * (1 - wx) + image[y0 + 1, x0 + 1] * wx
        out[take] = top * (1 - wy) + bottom * wy
        best = np.where(take, y, best)
    return np.clip(out + 0.5, 0, 255).astype(np.uint8)
