"""Pure 3D geometry of the VR courtyard: where lanterns hang, where a head pose points, how the arrow flies,
and how long a VR session may last. Axes as in panda3d: x right, y forward, z up; metres and degrees.
"""
from __future__ import annotations

import math
import random
from dataclasses import dataclass

EYE = (0.0, 0.0, 1.25)   # a child's eye height
IPD = 0.06               # distance between the eyes (children: 5–6 cm)
ASSIST = 1.5             # a ray within this many radii of a lantern counts as aimed at it


def normalise(v):
    length = math.sqrt(sum(c * c for c in v)) or 1.0
    return tuple(c / length for c in v)


def aim_direction(yaw: float, pitch: float) -> tuple[float, float, float]:
    """Unit vector of a head or pointer pose: yaw > 0 turns right, pitch > 0 looks up."""
    y, p = math.radians(yaw), math.radians(pitch)
    return (math.sin(y) * math.cos(p), math.cos(y) * math.cos(p), math.sin(p))


def pose_towards(point, origin=EYE) -> tuple[float, float]:
    """The (yaw, pitch) that looks from origin at point: what a scripted head does to aim."""
    dx, dy, dz = (point[i] - origin[i] for i in range(3))
    return math.degrees(math.atan2(dx, dy)), math.degrees(math.atan2(dz, math.hypot(dx, dy)))


def eye_positions(yaw: float, head=EYE, ipd: float = IPD):
    """Left and right eye centres for a head turned by yaw (stereo pair, side-by-side output)."""
    y = math.radians(yaw)
    right = (math.cos(y), -math.sin(y), 0.0)  # the head's right vector
    half = ipd / 2
    return (tuple(head[i] - right[i] * half for i in range(3)), tuple(head[i] + right[i] * half for i in range(3)))


@dataclass(frozen=True)
class Hanging:
    char: str
    x: float
    y: float
    z: float
    radius: float


class Courtyard:
    """Lanterns on an arc in front of the player; they sway slowly (speed from the level)."""

    def __init__(self, chars: list[str], speed: float, rng: random.Random, distance: float = 5.0,
                 spread: float = 70.0):
        self.speed = speed
        n = len(chars)
        rows = 1 if n <= 5 else 2 if n <= 10 else 3
        cols = math.ceil(n / rows)
        self.radius = 0.32
        self.base = []
        for i, char in enumerate(chars):
            row, col = divmod(i, cols)
            in_row = min(cols, n - row * cols)
            angle = math.radians(-spread / 2 + spread * (col + 0.5 + (0.25 if row % 2 else 0)) / max(in_row, 1))
            d = distance + 0.6 * row + rng.uniform(-0.2, 0.2)
            z = 1.6 + 0.75 * row + rng.uniform(-0.1, 0.1)
            self.base.append((char, d * math.sin(angle), d * math.cos(angle), z, rng.uniform(0, 2 * math.pi)))

    def placed(self, t: float) -> list[Hanging]:
        w = 0.9 * max(self.speed, 0.05)
        out = []
        for char, x, y, z, phase in self.base:
            out.append(Hanging(char, x + 0.12 * math.sin(w * t + phase) * min(self.speed, 1.5), y,
                               z + 0.05 * math.sin(0.63 * w * t + 2 * phase), self.radius))
        return out

    def find(self, t: float, char: str) -> Hanging | None:
        return next((h for h in self.placed(t) if h.char == char), None)

    def pick(self, t: float, origin, direction) -> Hanging | None:
        """The lantern a ray points at; None for empty sky.

        A ray through a lantern hits the nearest such lantern (as an arrow would); a near miss within the
        aim-assist cone goes to the lantern closest in angle.
        """
        direction = normalise(direction)
        hits, near = [], []
        for h in self.placed(t):
            to = (h.x - origin[0], h.y - origin[1], h.z - origin[2])
            along = sum(to[i] * direction[i] for i in range(3))
            if along <= 0:
                continue
            closest = sum((to[i] - direction[i] * along) ** 2 for i in range(3)) ** 0.5
            if closest <= h.radius:
                hits.append((along, h))
            elif closest <= h.radius * ASSIST:
                near.append((closest / along, h))
        if hits:
            return min(hits, key=lambda pair: pair[0])[1]
        return min(near, key=lambda pair: pair[0])[1] if near else None

    def remove(self, keep: set[str]) -> None:
        self.base = [b for b in self.base if b[0] in keep]


@dataclass
class Arrow3D:
    """An arrow from the bow (just below the eye) to a lantern or a point in the sky, on a visible arc."""

    start: tuple[float, float, float]
    end: tuple[float, float, float]
    target: str | None
    duration: float = 0.7
    elapsed: float = 0.0

    @property
    def done(self) -> bool:
        return self.elapsed >= self.duration

    @property
    def progress(self) -> float:
        return min(1.0, self.elapsed / self.duration)

    def point(self, s: float) -> tuple[float, float, float]:
        lift = 0.12 * math.dist(self.start, self.end)
        base = tuple(self.start[i] + (self.end[i] - self.start[i]) * s for i in range(3))
        return (base[0], base[1], base[2] + lift * 4 * s * (1 - s))


class VRSession:
    """A VR session ends kindly after a curator-set time (default 10 minutes) for young eyes.

    state: "play" → "warn" (the last minute: a gentle notice) → "ended" (the game shows a rest message).
    """

    WARN_BEFORE = 60.0

    def __init__(self, minutes: float = 10.0):
        self.limit = max(1.0, minutes) * 60.0
        self.elapsed = 0.0

    def update(self, dt: float) -> str:
        self.elapsed += dt
        return self.state

    @property
    def state(self) -> str:
        if self.elapsed >= self.limit:
            return "ended"
        if self.elapsed >= self.limit - self.WARN_BEFORE:
            return "warn"
        return "play"

    @property
    def remaining(self) -> float:
        return max(0.0, self.limit - self.elapsed)


# the closing fade is the kiosk-wide one (experiences/xr/comfort.py)
from experiences.xr.comfort import FADE_SECONDS, fade_darkness  # noqa: E402,F401 (re-exported)
