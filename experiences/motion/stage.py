"""The gestures run where the landmarks are made — in the tracking process, beside the detector — so that the
kiosk's frame only reads what they decided: the events and what the overlay draws. Pure (no pygame, no
devices): a landmark frame in, a `Decided` out; the tracking process and the landmark-file source both use it.

Coordinates stay normalised (0..1, mirrored) until the kiosk scales them to its own screen: the tracking
process never needs to know the window's size. The aim is newest-only — `moves` counts the frames that moved
it, so a kiosk that missed frames still moves the aim once, to where it is now — while taps and actions are
each kept (experiences.motion.latest's event ring): a pick is never lost because the kiosk was busy.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field

from experiences.motion.body import Body, LandmarkFrame
from experiences.motion.gestures import MOTION_POINTER, MotionGestures
from experiences.runtime import InputEvent

STATES = ("searching", "tracking", "lost")
BOW_DWELL = 2.0  # s: hover-and-hold when the bow shoots (6+: a hold is a menu pick, not the lanterns' shot)
YOUNG_DWELL = 1.2  # s: 3–5 shoot and pick by holding still


def age_settings(band: str | None) -> tuple[bool, float]:
    """(bow, dwell seconds) for an age band: 3–5 shoot by holding still 1.2 s; older draw the bow and hover 2 s
    to pick."""
    return (False, YOUNG_DWELL) if band == "3-5" else (True, BOW_DWELL)


@dataclass
class Decided:
    """What the gestures made of one landmark frame, for the kiosk: `events` are the taps and actions (x, y
    normalised), each one kept; the rest is the newest state, for the aim and the overlay."""

    t: float
    index: int = 0
    state: str = "searching"
    body: Body | None = None  # the player, for the stick figure (camera coordinates)
    cursor: tuple[float, float] | None = None  # normalised, mirrored
    dwell: float = 0.0
    drawn: bool = False
    reach_up: float = 0.0
    moves: int = 0  # frames that moved the aim so far
    gestures_ms: float = 0.0
    events: list[InputEvent] = field(default_factory=list)


class GestureStage:
    def __init__(self, bow: bool = True, dwell_seconds: float = BOW_DWELL):
        self.gestures = MotionGestures((1.0, 1.0), bow=bow, dwell_seconds=dwell_seconds)
        self.moves = 0

    def configure(self, bow: bool, dwell_seconds: float) -> None:
        self.gestures.bow, self.gestures.dwell_seconds = bool(bow), float(dwell_seconds)

    def feed(self, frame: LandmarkFrame) -> Decided:
        started = time.perf_counter()
        events = self.gestures.feed(frame)
        kept = [event for event in events if event.type != "pointer_move"]
        self.moves += len(kept) < len(events)
        g = self.gestures
        return Decided(frame.t, frame.index, g.state, g.body, g.cursor, g.dwell, g.drawn, g.reach_up, self.moves,
                       (time.perf_counter() - started) * 1000, kept)


def on_screen(event: InputEvent, size: tuple[int, int]) -> InputEvent:
    """A decided event (normalised) in the kiosk's screen pixels, from the motion corner."""
    if event.type == "action":
        return InputEvent("action", action=event.action, source="motion")
    return InputEvent(event.type, event.x * size[0], event.y * size[1], source="motion", pointer_id=MOTION_POINTER)


def in_order(decided: Decided, moved: bool, size: tuple[int, int]) -> list[InputEvent]:
    """The kiosk's events for one decided frame, in the gestures' own order: actions, the aim's move (when it
    moved since the kiosk last looked), then the taps."""
    events, move = [], None
    if moved and decided.cursor is not None:
        move = on_screen(InputEvent("pointer_move", *decided.cursor), size)
    for event in decided.events:
        if move is not None and event.type != "action":
            events.append(move)
            move = None
        events.append(on_screen(event, size))
    if move is not None:
        events.append(move)
    return events
