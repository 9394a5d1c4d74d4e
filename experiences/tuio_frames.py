"""TUIO 1.1 cursor and object frames (alive / set / fseq) turned into device-free InputEvents. Pure: no sockets.

`TuioFrames.feed(address, args)` takes one OSC message and returns the InputEvents its frame produced (events
come out when a frame's `fseq` arrives); the UDP edge is `experiences.input_tuio.TuioReceiver`.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from experiences.runtime import InputEvent

# Profiles handled, with the index of x in a "set" message's arguments after the session id
# (2Dcur: s x y X Y m; 2Dobj: s i x y a X Y A m r).
PROFILES = {"/tuio/2Dcur": 0, "/tuio/2Dobj": 1}
# A frame this far behind the newest is a sender that restarted its counter, not a late packet (as TUIO's
# reference clients do).
LATE_FRAME_WINDOW = 100
# Movement smaller than this (normalised) is sensor noise, not a move: no event, no activity.
MOVE_EPSILON = 1e-4


class TuioFormatError(ValueError):
    """An OSC message that is not valid TUIO 1.1; the receiver logs it and carries on."""


@dataclass
class _Profile:
    """One profile's committed state plus the frame being assembled."""

    positions: dict[int, tuple[float, float]] = field(default_factory=dict)  # session id → normalised x, y
    pending_alive: list[int] | None = None
    pending_sets: dict[int, tuple[float, float]] = field(default_factory=dict)
    frame: int = 0  # the last accepted fseq

    def discard_pending(self) -> None:
        self.pending_alive = None
        self.pending_sets = {}


class TuioFrames:
    """Per-profile TUIO state → pointer_down / pointer_move / pointer_up (pixels) and aim (normalised).

    A new session id is a pointer_down, a changed position a pointer_move, an id gone from the alive list a
    pointer_up; `pointer_id` is the session id, `source` "tuio". With `aim=True` the primary cursor (the oldest
    one alive) also gives an "aim" event after each of its downs and moves, for kinds that aim a whole frame by
    a normalised pointer (the VR courtyard maps it to yaw and pitch). Lost UDP packets heal by themselves: every
    frame carries the full alive list, and an alive id whose position never came waits for its next "set".
    """

    def __init__(self, size: tuple[int, int], *, aim: bool = True, profiles=tuple(PROFILES)):
        self.size = size
        self.aim = aim
        self.profiles = {address: _Profile() for address in profiles if address in PROFILES}

    def alive(self, address: str = "/tuio/2Dcur") -> dict[int, tuple[float, float]]:
        """The committed cursors (or objects) of one profile: session id → normalised (x, y)."""
        return dict(self.profiles[address].positions)

    def feed(self, address: str, args) -> list[InputEvent]:
        """One OSC message. Raises TuioFormatError for a malformed one (the frame being built is kept)."""
        profile = self.profiles.get(address)
        if profile is None:
            return []  # other profiles (2Dblb, 25D, custom) are not inputs here
        args = list(args)
        if not args or not isinstance(args[0], str):
            raise TuioFormatError(f"{address}: the first argument must be a command string, got {args[:1]!r}")
        command, rest = args[0], args[1:]
        if command == "alive":
            profile.pending_alive = [_session_id(address, value) for value in rest]
            return []
        if command == "set":
            session, position = _parse_set(address, rest, PROFILES[address])
            profile.pending_sets[session] = position
            return []
        if command == "fseq":
            if len(rest) != 1:
                raise TuioFormatError(f"{address} fseq: expected one frame number, got {rest!r}")
            return self._commit(profile, _frame_number(address, rest[0]))
        if command == "source":
            return []  # TUIO 1.1 names the sender; one receiver per port, so nothing to tell apart
        raise TuioFormatError(f"{address}: unknown command {command!r}")

    def release_all(self) -> list[InputEvent]:
        """pointer_up for everything still down (the receiver stops, the sender went silent)."""
        events = []
        for profile in self.profiles.values():
            for session, position in sorted(profile.positions.items()):
                events.append(self._pointer("pointer_up", session, position))
            profile.positions.clear()
            profile.discard_pending()
        return events

    # --- frames -------------------------------------------------------------------------------------------
    def _commit(self, profile: _Profile, frame: int) -> list[InputEvent]:
        if frame >= 0:  # -1: the sender does not number its frames
            if frame < profile.frame and profile.frame - frame <= LATE_FRAME_WINDOW:
                profile.discard_pending()  # a late packet: newer state is already committed
                return []
            profile.frame = frame
        alive = profile.pending_alive
        sets = profile.pending_sets
        profile.discard_pending()
        if alive is None:
            alive = list(profile.positions)  # a frame without "alive" only moves what is already there
        alive_ids = set(alive)
        primary_before = min(profile.positions, default=None)
        events = [self._pointer("pointer_up", session, profile.positions.pop(session))
                  for session in sorted(profile.positions) if session not in alive_ids]
        moved_or_new: set[int] = set()
        for session in sorted(alive_ids):
            position = sets.get(session)
            if position is None:
                continue  # unchanged, or new but its "set" was lost: it comes with a later frame
            previous = profile.positions.get(session)
            if previous is None:
                events.append(self._pointer("pointer_down", session, position))
            elif math.dist(previous, position) > MOVE_EPSILON:
                events.append(self._pointer("pointer_move", session, position))
            else:
                continue
            profile.positions[session] = position
            moved_or_new.add(session)
        primary = min(profile.positions, default=None)
        if self.aim and primary is not None and (primary in moved_or_new or primary != primary_before):
            x, y = profile.positions[primary]
            events.append(InputEvent("aim", x, y, source="tuio", pointer_id=primary))
        return events

    def _pointer(self, kind: str, session: int, position: tuple[float, float]) -> InputEvent:
        width, height = self.size
        return InputEvent(kind, position[0] * width, position[1] * height, source="tuio", pointer_id=session)


def _session_id(address: str, value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise TuioFormatError(f"{address}: a session id must be a non-negative integer, got {value!r}")
    return value


def _frame_number(address: str, value) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TuioFormatError(f"{address} fseq: the frame number must be an integer, got {value!r}")
    return value


def _parse_set(address: str, rest: list, x_index: int) -> tuple[int, tuple[float, float]]:
    if len(rest) < x_index + 3:
        raise TuioFormatError(f"{address} set: too few arguments ({len(rest)}) for a session id and x, y")
    session = _session_id(address, rest[0])
    coords = []
    for value in rest[1 + x_index: 3 + x_index]:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise TuioFormatError(f"{address} set: x and y must be finite numbers, got {value!r}")
        coords.append(min(1.0, max(0.0, float(value))))  # sensors overshoot their frame a little
    return session, (coords[0], coords[1])
