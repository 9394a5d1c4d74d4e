"""The kiosk's own screens in the headset (menu, age question, goodbye, 去书架找一找, what next) sit on a flat panel
in front of the child; the controllers point at it like a finger on the touch screen. Pure: no OpenXR, no pygame.

`PanelGeometry` is where the panel hangs (metres, scene axes: x right, y forward, z up, from the reference
origin) and which pixel of the screen a ray meets. `PanelInputs.events(tracked)` turns a frame's controllers into
the pointer InputEvents the screens already take from a touch screen: the trigger pressed is "pointer_down" where
the aiming hand's ray meets the panel, moving while held is "pointer_move", released is "pointer_up" (a tap);
the menu button is "back" and the thumbstick left/right. With no controller tracked, the head's gaze points
and resting on one spot for DWELL_SECONDS taps there (headsets without controllers).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from experiences.runtime import InputEvent
from experiences.xr.inputs import Buttons, Tracked

PANEL_DISTANCE = 2.0  # metres ahead of the reference origin
PANEL_WIDTH_DEGREES = 60.0  # the panel spans this much of the view across (a 1080p screen: ~32 px a degree)
PANEL_HEIGHT_DEGREES = 45.0  # ...and at most this much up to down (a portrait kiosk)
STANDING_EYE_HEIGHT = 1.2  # metres above the floor: a child's eyes (standing reference space)
DWELL_SECONDS = 1.5
DWELL_RADIUS = 0.04  # of the panel's width: a gaze resting within it is one spot


@dataclass(frozen=True)
class PanelGeometry:
    pixels: tuple[int, int]  # the screen's size
    centre: tuple[float, float, float]
    size_m: tuple[float, float]

    @classmethod
    def for_screen(cls, pixels: tuple[int, int], floor_level: bool = False,
                   distance: float = PANEL_DISTANCE) -> "PanelGeometry":
        width = 2 * distance * math.tan(math.radians(PANEL_WIDTH_DEGREES / 2))
        height = width * pixels[1] / pixels[0]
        tallest = 2 * distance * math.tan(math.radians(PANEL_HEIGHT_DEGREES / 2))
        if height > tallest:
            width, height = width * tallest / height, tallest
        return cls(tuple(pixels), (0.0, distance, STANDING_EYE_HEIGHT if floor_level else 0.0), (width, height))

    def pixel_of_ray(self, origin, yaw: float, pitch: float) -> tuple[float, float] | None:
        """The screen pixel a ray (from `origin`, towards yaw/pitch in degrees) meets, or None if it misses."""
        y, p = math.radians(yaw), math.radians(pitch)
        direction = (math.sin(y) * math.cos(p), math.cos(y) * math.cos(p), math.sin(p))
        ox, oy, oz = origin or (0.0, 0.0, 0.0)
        if direction[1] <= 1e-6:
            return None
        t = (self.centre[1] - oy) / direction[1]
        if t <= 0:
            return None
        x, z = ox + direction[0] * t - self.centre[0], oz + direction[2] * t - self.centre[2]
        width, height = self.size_m
        px, py = (x / width + 0.5) * self.pixels[0], (0.5 - z / height) * self.pixels[1]
        if not (0 <= px < self.pixels[0] and 0 <= py < self.pixels[1]):
            return None
        return px, py


class PanelInputs:
    def __init__(self, geometry: PanelGeometry):
        self.geometry = geometry
        self.buttons = Buttons()
        self.aiming = "right"
        self.pointer: tuple[float, float] | None = None  # where the aiming ray meets the panel now (the ring)
        self.held = False  # a trigger is down on the panel
        self.source = "controller"
        self._dwell: tuple[float, float, float] | None = None  # (x, y, seconds) of a resting gaze

    def events(self, tracked: Tracked | None, dt: float = 0.0) -> list[InputEvent]:
        out: list[InputEvent] = []
        if tracked is None:
            return out
        hands = {side: hand for side, hand in tracked.hands.items() if hand.aim is not None}
        presses, releases = [], []
        for side, hand in sorted(tracked.hands.items()):
            was, now = self.buttons.step(side, hand, out)
            if now and not was and side in hands:
                presses.append(side)
            elif was and not now:
                releases.append(side)
        if presses and self.aiming not in presses:
            self.aiming = presses[-1]
        if hands:
            side = self.aiming if self.aiming in hands else sorted(hands)[-1]
            self.aiming, self.source, self._dwell = side, "controller", None
            aim = hands[side].aim
            point = self.geometry.pixel_of_ray(aim.position, *aim.yaw_pitch)
            if point is not None:
                self.pointer = point
            else:
                self.pointer = None
            if side in presses and point is not None:
                self.held = True
                out.append(InputEvent("pointer_down", *point, source="controller"))
            elif self.held and side in releases:
                self.held = False
                last = point or self._last
                out.append(InputEvent("pointer_up", *last, source="controller"))
            elif self.held and point is not None and point != self._last:
                out.append(InputEvent("pointer_move", *point, source="controller"))
            if point is not None:
                self._last = point
            return out
        if self.held:  # the hand left the tracking while pressing: let go where it was
            self.held = False
            out.append(InputEvent("pointer_up", *self._last, source="controller"))
        if tracked.head is not None:
            self.source = "head"
            self.pointer = self.geometry.pixel_of_ray(tracked.head.position, *tracked.head.yaw_pitch)
            out += self._gaze(dt)
        return out

    _last: tuple[float, float] = (0.0, 0.0)

    def _gaze(self, dt: float) -> list[InputEvent]:
        """Gaze and dwell: a gaze resting DWELL_SECONDS on one spot taps there (once, until it moves)."""
        if self.pointer is None:
            self._dwell = None
            return []
        x, y = self.pointer
        radius = DWELL_RADIUS * self.geometry.pixels[0]
        if self._dwell is None or math.hypot(x - self._dwell[0], y - self._dwell[1]) > radius:
            self._dwell = (x, y, 0.0)
            return []
        seconds = self._dwell[2] + dt
        if self._dwell[2] < DWELL_SECONDS <= seconds:
            self._dwell = (self._dwell[0], self._dwell[1], seconds)
            return [InputEvent("pointer_down", x, y, source="head"), InputEvent("pointer_up", x, y, source="head")]
        self._dwell = (self._dwell[0], self._dwell[1], seconds)
        return []

    @property
    def dwell_progress(self) -> float:
        """0..1: how far a resting gaze is towards its tap (the ring fills)."""
        if self._dwell is None or self.source != "head":
            return 0.0
        return min(1.0, self._dwell[2] / DWELL_SECONDS)
