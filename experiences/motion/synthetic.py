"""Generated landmark streams (the landmarks layer) for tests, benches and demos: bodies of any size, anywhere,
and the pose that aims at a given point of the screen. Pure."""
from __future__ import annotations

import random

from experiences.motion.body import LandmarkFrame


def body(cx=0.5, cy=0.4, sw=0.15, right=(1.0, 1.5), left=(-1.0, 1.5), hips=True, noise=0.0, rng=None):
    """A person facing the camera. `right`/`left`: that wrist relative to its own shoulder in shoulder widths,
    as the child sees it in the mirror (+x to the screen's right, +y down); None: that arm is not seen."""
    rng = rng or random.Random(0)
    pts = {}

    def put(name, mx, y, vis=0.95):
        jitter = (rng.gauss(0, noise), rng.gauss(0, noise)) if noise else (0.0, 0.0)
        pts[name] = (1.0 - mx + jitter[0], y + jitter[1], vis)  # back to camera (unmirrored) coordinates

    for side, sign, hand in (("right", 1, right), ("left", -1, left)):
        sx = cx + sign * sw / 2
        put(f"{side}_shoulder", sx, cy)
        put(f"{side}_hip", cx + sign * sw * 0.35, cy + 1.6 * sw, 0.95 if hips else 0.05)
        if hand is None:
            put(f"{side}_wrist", sx, cy + 2 * sw, 0.05)
            put(f"{side}_elbow", sx, cy + sw, 0.05)
        else:
            wx, wy = sx + hand[0] * sw, cy + hand[1] * sw
            put(f"{side}_wrist", wx, wy)
            put(f"{side}_elbow", (sx + wx) / 2, (cy + wy) / 2)
    return pts


def aiming_at(x: float, y: float) -> tuple[float, float]:
    """The right hand (relative to its shoulder, in shoulder widths, mirrored) that aims at screen point (x, y)
    (0..1) with the gestures' "box" aim: the inverse of MotionGestures' mapping."""
    return 0.4 + (x - 0.5) * 3.0, -0.5 + (y - 0.5) * 2.2


def stream(poses, fps=30.0, start=0.0, drop=0.0, seed=1):
    """LandmarkFrames from a list of pose lists (each: the people in that frame); `drop`: share of frames lost."""
    rng = random.Random(seed)
    frames = []
    for i, people in enumerate(poses):
        if drop and rng.random() < drop:
            continue
        frames.append(LandmarkFrame(start + i / fps, list(people), i))
    return frames


def feed(gestures, frames):
    out = []
    for frame in frames:
        out += gestures.feed(frame)
    return out


def kinds(events):
    return [e.type if e.type != "action" else f"action:{e.action}" for e in events]
