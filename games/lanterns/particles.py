"""Burst particles for a hit lantern (numpy state, drawn as small squares and sparks) and a flash limiter."""
from __future__ import annotations

from collections import deque

import numpy as np

PALETTE = np.array([(255, 214, 102), (255, 140, 60), (255, 90, 70), (255, 244, 200)], dtype=np.int32)
GRAVITY = 420.0
MAX_PARTICLES = 600


class Particles:
    def __init__(self, seed: int = 0):
        self.rng = np.random.default_rng(seed)
        self.pos = np.zeros((0, 2), np.float32)
        self.vel = np.zeros((0, 2), np.float32)
        self.life = np.zeros(0, np.float32)   # seconds left
        self.color = np.zeros(0, np.int32)    # index into PALETTE

    def __len__(self) -> int:
        return len(self.life)

    def burst(self, x: float, y: float, count: int = 80, power: float = 260.0) -> None:
        angle = self.rng.uniform(0, 2 * np.pi, count)
        speed = self.rng.uniform(0.3, 1.0, count) * power
        vel = np.stack([np.cos(angle) * speed, np.sin(angle) * speed - power * 0.35], axis=1)
        self.pos = np.concatenate([self.pos, np.tile((x, y), (count, 1))]).astype(np.float32)[-MAX_PARTICLES:]
        self.vel = np.concatenate([self.vel, vel]).astype(np.float32)[-MAX_PARTICLES:]
        self.life = np.concatenate([self.life, self.rng.uniform(0.6, 1.3, count)]).astype(np.float32)[-MAX_PARTICLES:]
        self.color = np.concatenate([self.color, self.rng.integers(0, len(PALETTE), count)])[-MAX_PARTICLES:]

    def update(self, dt: float) -> None:
        if not len(self):
            return
        self.vel[:, 1] += GRAVITY * dt
        self.vel *= 1.0 - 1.2 * dt  # air drag: paper scraps slow quickly
        self.pos += self.vel * dt
        self.life -= dt
        alive = self.life > 0
        if not alive.all():
            self.pos, self.vel, self.life, self.color = (self.pos[alive], self.vel[alive], self.life[alive],
                                                         self.color[alive])

    def draw(self, surface) -> None:
        fill = surface.fill
        sizes = np.clip(self.life * 6, 1, 6).astype(np.int32)
        for (x, y), size, c in zip(self.pos.astype(np.int32).tolist(), sizes.tolist(), self.color.tolist()):
            fill(PALETTE[c].tolist(), (x, y, size, size))


class FlashLimiter:
    """At most `per_second` flashes in any one-second window (children: photosensitivity guidance)."""

    def __init__(self, per_second: int = 3):
        self.per_second = per_second
        self.times: deque[float] = deque()

    def allow(self, now: float) -> bool:
        while self.times and now - self.times[0] >= 1.0:
            self.times.popleft()
        if len(self.times) >= self.per_second:
            return False
        self.times.append(now)
        return True
