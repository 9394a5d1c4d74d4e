"""Comfort for children in a headset (pure: no pygame, no panda3d): every VR run ends kindly after a set time.

`SessionLimit(minutes)` counts a run's playing time (the kiosk does not count while the headset is off) and
goes "play" → "warn" (the last minute) → "fade" (the world darkens over FADE_SECONDS, eased, never brighter
again) → "rest" (the rest message alone on the dark for REST_SECONDS) → "done" (the run ends, its terminated
statement saying `end`: vr-time-limit). The minutes: a package's `[content] vr_minutes`, else the kiosk's
`[vr] session_minutes` (`limit_minutes`).
"""
from __future__ import annotations

FADE_SECONDS = 2.0  # the end of a VR session: the world darkens this slowly (one smooth fade: no flashing)
REST_SECONDS = 6.0  # the kind "rest your eyes" message stays this long before the run ends
WARN_SECONDS = 60.0  # a quiet notice in the last minute
MIN_MINUTES = 1.0
END_EXTENSION = "vr-time-limit"  # the terminated statement's result extension `end`


def fade_darkness(seconds: float, length: float = FADE_SECONDS) -> float:
    """How dark the world is `seconds` into the closing fade: 0 (lit) to 1 (black), eased at both ends, never
    brightening again (photosensitivity: one change in two seconds, far under 3 flashes a second)."""
    x = min(1.0, max(0.0, seconds / length))
    return x * x * (3 - 2 * x)


def limit_minutes(content: dict | None, default: float) -> float:
    """A package's `vr_minutes` (its `[content]`), else the kiosk's default; never under a minute."""
    value = (content or {}).get("vr_minutes", default)
    try:
        minutes = float(value)
    except (TypeError, ValueError):
        minutes = float(default)
    return max(MIN_MINUTES, minutes)


class SessionLimit:
    def __init__(self, minutes: float):
        self.limit = max(MIN_MINUTES, float(minutes)) * 60.0
        self.elapsed = 0.0

    def update(self, dt: float) -> str:
        self.elapsed += max(0.0, dt)
        return self.state

    @property
    def state(self) -> str:
        over = self.elapsed - self.limit
        if over >= FADE_SECONDS + REST_SECONDS:
            return "done"
        if over >= FADE_SECONDS:
            return "rest"
        if over >= 0:
            return "fade"
        if over >= -WARN_SECONDS:
            return "warn"
        return "play"

    @property
    def ending(self) -> bool:
        """The run no longer plays: it fades, rests or is done."""
        return self.elapsed >= self.limit

    @property
    def darkness(self) -> float:
        """0 while playing, rising to 1 over the fade, 1 after it."""
        return fade_darkness(self.elapsed - self.limit) if self.elapsed >= self.limit else 0.0

    @property
    def rest_fraction(self) -> float:
        """How far into the rest message (0..1): its words fade in over its first second."""
        return min(1.0, max(0.0, self.elapsed - self.limit - FADE_SECONDS))

    @property
    def remaining(self) -> float:
        return max(0.0, self.limit - self.elapsed)
