"""Adaptive render resolution: a software rasteriser slows down with the pixel count, so when frames run over
budget the offscreen stage renders fewer pixels and upscales. Pure logic, fed with measured times."""
from __future__ import annotations


class ResolutionGovernor:
    """Chooses a render scale from measured render times: down a step when the median of a window is over
    budget, up a step when even the larger scale would fit comfortably. Pure logic; times are injected."""

    SCALES = (1.0, 0.85, 0.7, 0.55)

    def __init__(self, budget: float, current: float = 1.0, window: int = 20):
        self.budget, self.window = budget, window
        self.index = min(range(len(self.SCALES)), key=lambda i: abs(self.SCALES[i] - current))
        self.samples: list[float] = []

    @property
    def scale(self) -> float:
        return self.SCALES[self.index]

    def observe(self, seconds: float) -> float | None:
        """Record one render time; returns a new scale when it should change, else None."""
        self.samples.append(seconds)
        if len(self.samples) < self.window:
            return None
        median = sorted(self.samples)[len(self.samples) // 2]
        self.samples = []
        if median > self.budget and self.index < len(self.SCALES) - 1:
            self.index += 1
            return self.scale
        if self.index > 0:
            # Cost grows with the pixel count: the larger scale must fit with a margin left.
            growth = (self.SCALES[self.index - 1] / self.scale) ** 2
            if median * growth < self.budget * 0.8:
                self.index -= 1
                return self.scale
        return None
