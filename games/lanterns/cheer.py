"""Showing a child how to play and cheering a hit: the first round's pointing hand, and stars with a big word.

Nothing here flashes: the hand glides and taps (a ring grows once a second), the stars fly out and fade once
per hit (the experience limits hit flashes to 3 per second with particles.FlashLimiter).
"""
from __future__ import annotations

import math
import random

import pygame

from games.ui.widgets import GOLD, INK, PAPER

HAND_STEP = 1.6  # seconds the hand rests on each place it points at


def hand_surface(height: int) -> pygame.Surface:
    """A cartoon hand with the index finger up (its fingertip at the top centre of the surface)."""
    w, h = int(height * 0.72), height
    surf = pygame.Surface((w, h), pygame.SRCALPHA)
    line = max(2, height // 28)
    finger = pygame.Rect(0, 0, int(w * 0.28), int(h * 0.55))
    finger.midtop = (w // 2, 0)
    palm = pygame.Rect(int(w * 0.14), int(h * 0.42), int(w * 0.78), int(h * 0.56))
    thumb = pygame.Rect(0, int(h * 0.5), int(w * 0.36), int(h * 0.22))
    for shape, rect, radius in (("rect", palm, int(w * 0.22)), ("rect", finger, finger.w // 2),
                                ("ellipse", thumb, 0)):
        if shape == "rect":
            pygame.draw.rect(surf, PAPER, rect, border_radius=radius)
            pygame.draw.rect(surf, INK, rect, line, border_radius=radius)
        else:
            pygame.draw.ellipse(surf, PAPER, rect)
            pygame.draw.ellipse(surf, INK, rect, line)
    pygame.draw.rect(surf, PAPER, finger.inflate(-2 * line, -2 * line).move(0, line * 2), border_radius=finger.w // 2)
    for k in (0.55, 0.72):  # knuckles of the folded fingers
        x = palm.left + palm.w * k
        pygame.draw.line(surf, INK, (x, palm.top + line), (x, palm.top + palm.h * 0.35), line)
    return surf


class PointingHand:
    """Glides between targets (the blank in the banner, then each lantern in turn), taps, and shows a ring."""

    def __init__(self, height: int):
        self.image = hand_surface(height)
        self.height = height

    def target(self, t: float, places: list[tuple[float, float]]) -> tuple[int, tuple[float, float], float]:
        """(index of the place pointed at, where the fingertip is, tap phase 0..1) at time t."""
        n = len(places)
        step = int(t // HAND_STEP)
        k = (t % HAND_STEP) / HAND_STEP
        i = step % n
        glide = min(1.0, k / 0.35)  # the first third glides from the last place, then it rests and taps
        ease = glide * glide * (3 - 2 * glide)
        (x0, y0), (x1, y1) = places[(step - 1) % n] if step else places[i], places[i]
        pos = (x0 + (x1 - x0) * ease, y0 + (y1 - y0) * ease)
        tap = max(0.0, (k - 0.35) / 0.65)
        return i, pos, tap

    def draw(self, surface: pygame.Surface, tip: tuple[float, float], tap: float) -> None:
        """The fingertip at `tip` (pressed a little while tapping) and a ring growing from it once per place."""
        press = math.sin(math.pi * min(1.0, tap * 2)) * self.height * 0.08
        if tap > 0:
            radius = int(self.height * (0.15 + 0.35 * tap))
            pygame.draw.circle(surface, PAPER, tip, radius, max(2, self.height // 24))
        rect = self.image.get_rect(midtop=(round(tip[0]), round(tip[1] + press)))
        surface.blit(self.image, rect)


def star_points(cx: float, cy: float, r: float, turn: float = 0.0) -> list[tuple[float, float]]:
    out = []
    for k in range(10):
        a = turn + math.pi / 2 + k * math.pi / 5
        rr = r if k % 2 == 0 else r * 0.45
        out.append((cx + math.cos(a) * rr, cy - math.sin(a) * rr))
    return out


class Stars:
    """Gold stars bursting from a hit lantern, turning and fading out over about a second."""

    def __init__(self, seed: int = 0):
        self.rng = random.Random(seed)
        self.stars: list[list[float]] = []  # x, y, vx, vy, size, life, turn

    def burst(self, x: float, y: float, unit: float, count: int = 14, ring: tuple[float, float] = (0, 0)) -> None:
        """Stars flying out from (x, y), or from an ellipse of radii `ring` around it (leaving a word clear)."""
        for i in range(count):
            a = 2 * math.pi * i / count + self.rng.uniform(-0.2, 0.2)
            speed = self.rng.uniform(260, 520) * unit
            sx, sy = x + math.cos(a) * ring[0], y + math.sin(a) * ring[1]
            self.stars.append([sx, sy, math.cos(a) * speed, math.sin(a) * speed - 120 * unit,
                               self.rng.uniform(18, 34) * unit, 1.2, self.rng.uniform(0, 6.28)])

    def update(self, dt: float, unit: float) -> None:
        for s in self.stars:
            s[0] += s[2] * dt
            s[1] += s[3] * dt
            s[3] += 420 * unit * dt  # a little gravity
            s[5] -= dt
            s[6] += 2.5 * dt
        self.stars = [s for s in self.stars if s[5] > 0]

    def draw(self, surface: pygame.Surface) -> None:
        for x, y, _, _, size, life, turn in self.stars:
            r = size * min(1.0, life / 0.4)
            if r >= 2:
                points = star_points(x, y, r, turn)
                pygame.draw.polygon(surface, GOLD, points)
                pygame.draw.polygon(surface, PAPER, points, max(1, int(r / 8)))


def pop_scale(elapsed: float) -> float:
    """The big word grows in: 0.6 → 1.1 → 1.0 over the first 0.35 s, then stays."""
    if elapsed >= 0.35:
        return 1.0
    k = elapsed / 0.35
    return 0.6 + 0.5 * math.sin(k * math.pi * 0.5) * (1.1 if k < 0.8 else 1.0)
