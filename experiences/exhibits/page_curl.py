"""The shape of a page being turned, by vertex deformation: a leaf hinged at the spine that bends as it turns,
its free corner leading. Pure numpy, so the shape is tested without rendering.

Book coordinates: the spine along Y, pages lying in the XY plane, up is +Z. `side` +1 turns a leaf from the
right to the left (books read left to right), -1 from the left to the right (线装书, read right to left).
"""
from __future__ import annotations

import numpy as np

from experiences.exhibits.geometry import grid

COLUMNS, ROWS = 24, 8  # across the page, along the spine
CURL = 0.9  # radians the free edge leads the hinge at mid-turn
LIFT = 0.004  # keeps the leaf above the page stacks it sweeps over


def leaf_mesh(width: float, height: float):
    """Parameters of the leaf grid: s (0 at the spine .. 1 at the free edge), t (0 bottom .. 1 top), triangles."""
    return grid(COLUMNS, ROWS)


def curl_shape(s: np.ndarray, t: np.ndarray, progress: float, width: float, height: float, side: int = 1):
    """Positions and front normals of the leaf at `progress` 0 (flat on its starting side) .. 1 (flat on the other).

    Each row across the page is bent like a strip of paper: its angle grows along it, so lengths are kept."""
    progress = float(np.clip(progress, 0.0, 1.0))
    hinge = np.pi * progress
    bend = CURL * np.sin(np.pi * progress)
    cols = COLUMNS + 1
    s_row = s[:cols]
    t_rows = t.reshape(-1, cols)[:, 0]
    # The lower corner leads a little more than the upper one: the diagonal curl of a page pulled by its corner.
    lead = bend * (1.0 + 0.35 * (0.5 - t_rows))[:, None]
    angle = np.clip(hinge + lead * s_row[None, :] ** 2, 0.0, np.pi)
    step = width / COLUMNS
    # Integrate the strip from the spine: trapezoid rule on the direction at each vertex.
    dx = np.cos(angle) * step
    dz = np.sin(angle) * step
    x = np.concatenate([np.zeros((len(t_rows), 1)), np.cumsum((dx[:, 1:] + dx[:, :-1]) / 2, axis=1)], axis=1)
    z = np.concatenate([np.zeros((len(t_rows), 1)), np.cumsum((dz[:, 1:] + dz[:, :-1]) / 2, axis=1)], axis=1)
    y = np.repeat(((t_rows - 0.5) * height)[:, None], cols, axis=1)
    lift = LIFT * (1 + 4 * np.sin(np.pi * progress))
    positions = np.stack([side * x, y, z + lift], axis=-1).reshape(-1, 3)
    normals = np.stack([-side * np.sin(angle), np.zeros_like(angle), np.cos(angle)], axis=-1).reshape(-1, 3)
    return positions, normals


def face_uvs(s: np.ndarray, t: np.ndarray, side: int, back: bool) -> np.ndarray:
    """Texture coordinates so each face reads correctly from above: the front on its starting side, the back
    once the leaf lies on the other side (its image is mirrored across the spine)."""
    u = s if side > 0 else 1 - s
    if back:
        u = 1 - u
    return np.stack([u, t], axis=1)
