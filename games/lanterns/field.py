"""Where lanterns float and where the arrow flies: pure geometry in screen pixels, no pygame.

Lanterns sway on slow sines (speed from the level); the arrow follows a visible quadratic arc from the bow.
"""
from __future__ import annotations

import math
import random
from dataclasses import dataclass

ASSIST = 1.35  # a shot within this many radii of a lantern counts as aimed at it (small hands, shaky sensors)


@dataclass(frozen=True)
class Floating:
    char: str
    base_x: float
    base_y: float
    phase: float
    radius: float


@dataclass(frozen=True)
class Placed:
    char: str
    x: float
    y: float
    angle: float  # degrees of tilt, from the sway
    radius: float


class LanternField:
    def __init__(self, chars: list[str], size: tuple[int, int], speed: float, rng: random.Random,
                 area: tuple[int, int, int, int] | None = None, max_radius: float | None = None):
        """`area`: the (x, y, w, h) the lanterns hang in (default: below the banner, above the roofs and the bow).
        Cells come from games.lanterns.layout.lantern_grid: wide enough that swaying lanterns never touch."""
        from games.lanterns.layout import lantern_grid

        self.size = size
        self.speed = speed
        width, height = size
        if area is None:
            area = (0, round(height * 0.30), width, round(height * 0.50))
        grid = lantern_grid(len(chars), area, speed, max_radius or min(size) * 0.12)
        self.radius = grid.radius
        self.lanterns: list[Floating] = []
        for char, (x, y) in zip(chars, grid.centres):
            self.lanterns.append(Floating(char, x, y, rng.uniform(0, 2 * math.pi), self.radius))

    def placed(self, t: float) -> list[Placed]:
        """Every lantern at time t: a slow sway (≈0.15–0.3 Hz), a little bob, a tilt that follows the sway."""
        out = []
        w = 0.9 * max(self.speed, 0.05)
        for f in self.lanterns:
            sway = math.sin(w * t + f.phase)
            out.append(Placed(f.char, f.base_x + sway * f.radius * 0.55 * min(self.speed, 1.5),
                              f.base_y + math.sin(0.63 * w * t + 2 * f.phase) * f.radius * 0.2,
                              -math.cos(w * t + f.phase) * 7 * min(self.speed, 1.5), f.radius))
        return out

    def at(self, t: float, x: float, y: float) -> Placed | None:
        """The lantern a shot at (x, y) is aimed at, with aim assist; the nearest when several are close."""
        best, best_d = None, float("inf")
        for p in self.placed(t):
            d = math.hypot(p.x - x, (p.y - y) * 0.9)
            if d <= p.radius * ASSIST and d < best_d:
                best, best_d = p, d
        return best

    def find(self, t: float, char: str) -> Placed | None:
        return next((p for p in self.placed(t) if p.char == char), None)

    def neighbour(self, t: float, char: str | None, step: int) -> Placed | None:
        """For arrow keys: the next lantern left (-1) or right (+1) of `char`, wrapping around; None when no
        lantern hangs (after a hit they burst or drift off)."""
        ordered = sorted(self.placed(t), key=lambda p: (p.x, p.y))
        if not ordered:
            return None
        chars = [p.char for p in ordered]
        index = chars.index(char) + step if char in chars else (0 if step > 0 else -1)
        return ordered[index % len(ordered)]

    def remove(self, keep: set[str]) -> None:
        self.lanterns = [f for f in self.lanterns if f.char in keep]


@dataclass
class Arrow:
    """An arrow in flight from the bow to a target lantern (or a point in the sky) along an arc."""

    start: tuple[float, float]
    end: tuple[float, float]
    target: str | None  # the lantern's character, or None when shot at empty sky
    duration: float = 0.55
    elapsed: float = 0.0

    @property
    def done(self) -> bool:
        return self.elapsed >= self.duration

    def control(self) -> tuple[float, float]:
        (x0, y0), (x1, y1) = self.start, self.end
        lift = 0.35 * math.hypot(x1 - x0, y1 - y0)
        return ((x0 + x1) / 2, min(y0, y1) - lift)

    def point(self, s: float) -> tuple[float, float]:
        """Position at arc parameter s in [0, 1] (quadratic Bézier)."""
        (x0, y0), (cx, cy), (x1, y1) = self.start, self.control(), self.end
        a, b, c = (1 - s) ** 2, 2 * (1 - s) * s, s * s
        return (a * x0 + b * cx + c * x1, a * y0 + b * cy + c * y1)

    def heading(self, s: float) -> float:
        """Direction of flight in degrees (0 = right, 90 = up)."""
        (x0, y0), (cx, cy), (x1, y1) = self.start, self.control(), self.end
        dx = 2 * (1 - s) * (cx - x0) + 2 * s * (x1 - cx)
        dy = 2 * (1 - s) * (cy - y0) + 2 * s * (y1 - cy)
        return math.degrees(math.atan2(-dy, dx))

    @property
    def progress(self) -> float:
        return min(1.0, self.elapsed / self.duration)

    def trail(self, steps: int = 14) -> list[tuple[float, float]]:
        """The arc flown so far (drawn dotted, so the child sees the path)."""
        s_now = self.progress
        return [self.point(s_now * i / steps) for i in range(steps + 1)]

    def retarget(self, end: tuple[float, float]) -> None:
        self.end = end  # the lantern swayed: the arrow homes in on where it is now
