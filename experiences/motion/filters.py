"""The One Euro filter (Casiez, Roussel, Vogel 2012): smooth when still, little lag when moving fast."""
from __future__ import annotations

import math


class OneEuro:
    def __init__(self, min_cutoff: float = 1.0, beta: float = 1.5, d_cutoff: float = 1.0):
        self.min_cutoff, self.beta, self.d_cutoff = min_cutoff, beta, d_cutoff
        self.x: float | None = None
        self.dx = 0.0
        self.t: float | None = None

    @staticmethod
    def _alpha(cutoff: float, dt: float) -> float:
        tau = 1.0 / (2 * math.pi * cutoff)
        return 1.0 / (1.0 + tau / dt)

    def reset(self) -> None:
        self.x, self.t, self.dx = None, None, 0.0

    def __call__(self, t: float, x: float) -> float:
        if self.x is None or self.t is None or t <= self.t:
            if self.x is None:
                self.x, self.t = x, t
            return self.x
        dt = t - self.t
        dx = (x - self.x) / dt
        a_d = self._alpha(self.d_cutoff, dt)
        self.dx = a_d * dx + (1 - a_d) * self.dx
        cutoff = self.min_cutoff + self.beta * abs(self.dx)
        a = self._alpha(cutoff, dt)
        self.x = a * x + (1 - a) * self.x
        self.t = t
        return self.x
