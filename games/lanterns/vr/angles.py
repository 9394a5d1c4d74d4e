"""Text sizes in VR as visual angles (issue #13): what a child's eye sees is the angle a text subtends, not its
pixels. Characters >= 1.5°, pinyin >= 1.5° × 22/32 and prompts >= 1.5° × 48/32 (the 2D rules' proportions).

Two kinds of text are in the headset: TextNodes in the courtyard (a world height at a distance from the eye) and
the overlay drawn into each eye's image (a pixel height through the eye camera's lens). Pure: no panda3d.
"""
from __future__ import annotations

import math

HAN_DEG = 1.5
PINYIN_DEG = HAN_DEG * 22 / 32
PROMPT_DEG = HAN_DEG * 48 / 32


def min_angle(role: str) -> float | None:
    """The least visual angle of a text of this drawlog role (None: no rule, as for "staff" and "deco")."""
    return {"prompt": PROMPT_DEG, "text": HAN_DEG, "pinyin": PINYIN_DEG, "code": HAN_DEG}.get(role)


def world_angle(height: float, distance: float) -> float:
    """Degrees subtended by something `height` metres tall, `distance` metres from the eye, facing it."""
    return math.degrees(2 * math.atan(height / 2 / max(distance, 1e-6)))


def world_height(angle: float, distance: float) -> float:
    """The height in metres that subtends `angle` degrees at `distance` metres (the inverse of world_angle)."""
    return 2 * distance * math.tan(math.radians(angle) / 2)


def focal_px(eye_height_px: int, vertical_fov: float) -> float:
    """The eye camera's focal length in pixels: half the image height over tan(half the vertical field of view)."""
    return eye_height_px / 2 / math.tan(math.radians(vertical_fov) / 2)


def pixel_angle(size_px: float, eye_height_px: int, vertical_fov: float) -> float:
    """Degrees subtended by a text `size_px` pixels tall drawn at the centre of an eye's image (the overlay sits
    at screen depth: its angle is fixed by the lens, whatever the headset's distance)."""
    return math.degrees(2 * math.atan(size_px / 2 / focal_px(eye_height_px, vertical_fov)))


def pixels_for(angle: float, eye_height_px: int, vertical_fov: float) -> int:
    """The smallest whole pixel size whose text subtends at least `angle` degrees."""
    return math.ceil(2 * focal_px(eye_height_px, vertical_fov) * math.tan(math.radians(angle) / 2))
