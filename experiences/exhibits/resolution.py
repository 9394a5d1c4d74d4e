"""Adaptive render resolution: a software rasteriser slows down with the pixel count, so when frames run over
budget the offscreen stage renders fewer pixels and upscales. Pure logic, fed with measured times."""
from __future__ import annotations

import math


class ResolutionGovernor:
    """Chooses a render scale from measured render times: down a step when the median of a window is over
    budget, up a step when even the larger scale would fit comfortably. Pure logic; times are injected."""

    SCALES = (1.0, 0.85, 0.7, 0.55)

    def __init__(self, budget: float, current: float = 1.0, window: int = 20, ceiling: float = 1.0):
        self.budget, self.window = budget, window
        # A ceiling below 1 (more pixels would add no detail) caps every step.
        self.scales = tuple(sorted({min(scale, ceiling) for scale in self.SCALES}, reverse=True))
        self.index = min(range(len(self.scales)), key=lambda i: abs(self.scales[i] - current))
        self.samples: list[float] = []

    @property
    def scale(self) -> float:
        return self.scales[self.index]

    def observe(self, seconds: float) -> float | None:
        """Record one render time; returns a new scale when it should change, else None."""
        self.samples.append(seconds)
        if len(self.samples) < self.window:
            return None
        median = sorted(self.samples)[len(self.samples) // 2]
        self.samples = []
        if median > self.budget and self.index < len(self.scales) - 1:
            self.index += 1
            return self.scale
        if self.index > 0:
            # Cost grows with the pixel count: the larger scale must fit with a margin left.
            growth = (self.scales[self.index - 1] / self.scale) ** 2
            if median * growth < self.budget * 0.8:
                self.index -= 1
                return self.scale
        return None


def texel_matched_scale(image_width: int, vertical_fov: float, size: tuple[int, int], margin: float = 1.15) -> float:
    """The render scale at which an equirectangular image of `image_width` texels (360°) is still magnified at
    the centre of a `size` view with this vertical field of view: rendering more pixels adds no detail, only
    cost, since every extra pixel interpolates between the same texels. At most 1."""
    texels_per_radian = image_width / (2 * math.pi)
    pixels_per_radian = (size[1] / 2) / math.tan(math.radians(vertical_fov) / 2)
    return min(1.0, texels_per_radian / pixels_per_radian * margin)
