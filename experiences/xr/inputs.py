"""Headset and controllers as the runtime's InputEvents, so kinds never know where an aim came from.

Each frame the OpenXR edge gives a `Tracked` snapshot; `XrInputs.events()` turns it into InputEvents:
- a controller's aim pose: "aim" with yaw/pitch and `origin` (the ray's start), source "controller";
- a trigger pulled (past PRESS, released below RELEASE): "action" select, source "controller";
- the menu button: "action" back; a thumbstick pushed sideways: "action" left/right (page turns, rotation);
- with no controller tracked, the head pose: "aim" with source "head" (gaze and dwell, as before).
The hand that last pulled its trigger aims (the right hand until then). Pure: no OpenXR, no pygame.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from experiences.runtime import InputEvent
from experiences.xr.poses import Pose

PRESS, RELEASE = 0.7, 0.3  # trigger values: hysteresis so a trembling finger is one shot
STICK = 0.7  # thumbstick x past this is a left/right action (again after it comes back under STICK / 2)


@dataclass
class Hand:
    aim: Pose | None = None  # None: not tracked this frame
    trigger: float = 0.0
    menu: bool = False
    stick_x: float = 0.0


@dataclass
class Tracked:
    """What the runtime reported for one frame (poses in scene axes, from the reference space's origin)."""

    head: Pose | None = None
    hands: dict[str, Hand] = field(default_factory=dict)  # "left", "right"


class Buttons:
    """A controller's buttons frame to frame, per hand: the trigger with hysteresis (PRESS/RELEASE), the menu
    button's press ("back") and the thumbstick pushed sideways ("left"/"right", again once it came back)."""

    def __init__(self):
        self.pressed: dict[str, bool] = {}
        self.menu: dict[str, bool] = {}
        self.stick: dict[str, int] = {}

    def step(self, side: str, hand: Hand, out: list[InputEvent]) -> tuple[bool, bool]:
        """(trigger held before, held now) for this hand; its button actions are appended to `out`."""
        was = self.pressed.get(side, False)
        now = hand.trigger >= PRESS or (was and hand.trigger > RELEASE)
        self.pressed[side] = now
        if hand.menu and not self.menu.get(side, False):
            out.append(InputEvent("action", action="back", source="controller"))
        self.menu[side] = hand.menu
        held = self.stick.get(side, 0)
        if held and abs(hand.stick_x) < STICK / 2:
            self.stick[side] = 0
        elif not held and abs(hand.stick_x) >= STICK:
            self.stick[side] = 1 if hand.stick_x > 0 else -1
            out.append(InputEvent("action", action="right" if hand.stick_x > 0 else "left", source="controller"))
        return was, now


class XrInputs:
    def __init__(self):
        self.buttons = Buttons()
        self.aiming = "right"  # the hand whose aim is sent; the last one to pull its trigger

    def events(self, tracked: Tracked) -> list[InputEvent]:
        out: list[InputEvent] = []
        presses = []
        for side, hand in sorted(tracked.hands.items()):
            was, now = self.buttons.step(side, hand, out)
            if now and not was and hand.aim is not None:
                presses.append(side)
        if presses:
            self.aiming = presses[-1] if self.aiming not in presses else self.aiming
        tracked_hands = {side: hand for side, hand in tracked.hands.items() if hand.aim is not None}
        if tracked_hands:
            side = self.aiming if self.aiming in tracked_hands else sorted(tracked_hands)[-1]
            self.aiming = side
            aim = tracked_hands[side].aim
            yaw, pitch = aim.yaw_pitch
            # the aim first, then the shot: a kind shoots where the hand points now
            out.insert(0, InputEvent("aim", yaw=yaw, pitch=pitch, source="controller", origin=aim.position))
            if side in presses:
                out.append(InputEvent("action", action="select", source="controller"))
        elif tracked.head is not None:
            yaw, pitch = tracked.head.yaw_pitch
            out.insert(0, InputEvent("aim", x=0.5, y=0.5, yaw=yaw, pitch=pitch, source="head",
                                     origin=tracked.head.position))
        return out
