"""Pure geometry between OpenXR and our scenes.

OpenXR: x right, y up, -z forward, quaternions (x, y, z, w). Our scenes (panda3d): x right, y forward, z up;
yaw > 0 turns right, pitch > 0 looks up, in degrees (games.lanterns.vr.courtyard.aim_direction).
The change of axes (x, y, z) -> (x, -z, y) is a proper rotation, so a quaternion's vector part maps the same way.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

Vec3 = tuple[float, float, float]
Quat = tuple[float, float, float, float]  # x, y, z, w


def to_scene(v: Vec3) -> Vec3:
    """An OpenXR position or direction in scene axes."""
    return (v[0], -v[2], v[1])


def quat_to_scene(q: Quat) -> Quat:
    """An OpenXR orientation as a scene quaternion, still (x, y, z, w)."""
    x, y, z, w = q
    return (x, -z, y, w)


def rotate(q: Quat, v: Vec3) -> Vec3:
    """v turned by the unit quaternion q (both in the same axes)."""
    x, y, z, w = q
    # v + 2w(q×v) + 2 q×(q×v)
    cx, cy, cz = y * v[2] - z * v[1], z * v[0] - x * v[2], x * v[1] - y * v[0]
    dx, dy, dz = y * cz - z * cy, z * cx - x * cz, x * cy - y * cx
    return (v[0] + 2 * (w * cx + dx), v[1] + 2 * (w * cy + dy), v[2] + 2 * (w * cz + dz))


def forward(q: Quat) -> Vec3:
    """Where an OpenXR pose points (its -z axis), in scene axes."""
    return to_scene(rotate(q, (0.0, 0.0, -1.0)))


def yaw_pitch(direction: Vec3) -> tuple[float, float]:
    """Scene direction -> (yaw, pitch) in degrees: the inverse of aim_direction."""
    x, y, z = direction
    return math.degrees(math.atan2(x, y)), math.degrees(math.atan2(z, math.hypot(x, y)))


@dataclass(frozen=True)
class Pose:
    """A tracked pose in scene axes: position (metres, from the reference space's origin) and orientation."""

    position: Vec3
    orientation: Quat  # scene axes, (x, y, z, w)

    @classmethod
    def from_openxr(cls, position: Vec3, orientation: Quat) -> "Pose":
        return cls(to_scene(position), quat_to_scene(orientation))

    @property
    def direction(self) -> Vec3:
        return rotate(self.orientation, (0.0, 1.0, 0.0))

    @property
    def yaw_pitch(self) -> tuple[float, float]:
        return yaw_pitch(self.direction)


@dataclass(frozen=True)
class Fov:
    """One eye's field of view: angles in radians from the view axis (left and down are negative)."""

    left: float
    right: float
    up: float
    down: float

    def film(self) -> tuple[float, float, float, float]:
        """The lens's film edges at unit distance (tangents): left, right, bottom, top."""
        return math.tan(self.left), math.tan(self.right), math.tan(self.down), math.tan(self.up)

    def project(self, direction_in_view: Vec3) -> tuple[float, float] | None:
        """Where a view-space direction (scene axes: y forward) lands on the eye's image, as fractions 0..1 from
        the top left; None when it is behind the eye."""
        x, y, z = direction_in_view
        if y <= 1e-9:
            return None
        left, right, bottom, top = self.film()
        return ((x / y - left) / (right - left), (top - z / y) / (top - bottom))
