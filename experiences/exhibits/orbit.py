"""Orbit camera of a turntable viewer: yaw/pitch/distance/pan within curator limits, and an auto-rotate that
pauses on interaction and resumes after a delay. Pure math (no panda3d): the runner applies `pose()`.

Coordinates are panda3d's: Z up, the camera at yaw 0 looks along +Y.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

DEGREES_PER_PIXEL = 0.3


@dataclass
class OrbitLimits:
    min_distance: float = 0.5
    max_distance: float = 10.0
    min_pitch: float = -10.0
    max_pitch: float = 60.0
    max_pan: float = 0.5


@dataclass
class OrbitView:
    """Where the camera starts; `reset()` returns here."""

    target: tuple[float, float, float] = (0.0, 0.0, 0.0)
    distance: float = 3.0
    yaw: float = 0.0
    pitch: float = 15.0


def clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


@dataclass
class OrbitCamera:
    view: OrbitView = field(default_factory=OrbitView)
    limits: OrbitLimits = field(default_factory=OrbitLimits)
    auto_rotate: float = 12.0  # degrees per second; 0 = off
    resume_after: float = 3.0  # seconds without interaction before auto-rotate resumes

    def __post_init__(self):
        self.last_interaction = -math.inf
        self.reset()

    def reset(self) -> None:
        self.yaw = self.view.yaw
        self.pitch = clamp(self.view.pitch, self.limits.min_pitch, self.limits.max_pitch)
        self.distance = clamp(self.view.distance, self.limits.min_distance, self.limits.max_distance)
        self.pan = [0.0, 0.0, 0.0]

    def touch(self, now: float) -> None:
        """Any interaction: auto-rotate pauses until `resume_after` seconds of quiet."""
        self.last_interaction = now

    def rotating(self, now: float) -> bool:
        return self.auto_rotate > 0 and now - self.last_interaction >= self.resume_after

    def drag(self, dx: float, dy: float, now: float) -> None:
        """Pointer drag in pixels: right turns the object to the right (camera yaws left), up tilts it."""
        self.touch(now)
        self.yaw = (self.yaw - dx * DEGREES_PER_PIXEL) % 360
        self.pitch = clamp(self.pitch + dy * DEGREES_PER_PIXEL, self.limits.min_pitch, self.limits.max_pitch)

    def zoom(self, factor: float, now: float) -> None:
        """factor > 1 moves closer."""
        self.touch(now)
        self.distance = clamp(self.distance / factor, self.limits.min_distance, self.limits.max_distance)

    def pan_by(self, dx: float, dy: float, now: float, pixels_per_unit: float = 400.0) -> None:
        """Move the target in the camera's screen plane, limited to `max_pan` from the curator's target."""
        self.touch(now)
        right, up = self._screen_axes()
        scale = self.distance / pixels_per_unit
        for i in range(3):
            self.pan[i] += (-dx * right[i] + dy * up[i]) * scale
        length = math.sqrt(sum(p * p for p in self.pan))
        if length > self.limits.max_pan:
            k = self.limits.max_pan / length
            self.pan = [p * k for p in self.pan]

    def tick(self, dt: float, now: float) -> None:
        if self.rotating(now):
            self.yaw = (self.yaw + self.auto_rotate * dt) % 360

    def target(self) -> tuple[float, float, float]:
        return tuple(t + p for t, p in zip(self.view.target, self.pan))

    def _forward(self) -> tuple[float, float, float]:
        yaw, pitch = math.radians(self.yaw), math.radians(self.pitch)
        # Looking at the target from above (positive pitch) means the view direction points down.
        return (-math.sin(yaw) * math.cos(pitch), math.cos(yaw) * math.cos(pitch), -math.sin(pitch))

    def _screen_axes(self):
        yaw, pitch = math.radians(self.yaw), math.radians(self.pitch)
        right = (math.cos(yaw), math.sin(yaw), 0.0)
        up = (-math.sin(yaw) * math.sin(pitch), math.cos(yaw) * math.sin(pitch), math.cos(pitch))
        return right, up

    def pose(self) -> tuple[tuple[float, float, float], tuple[float, float, float]]:
        """(camera position, point looked at)."""
        target = self.target()
        forward = self._forward()
        position = tuple(t - f * self.distance for t, f in zip(target, forward))
        return position, target
