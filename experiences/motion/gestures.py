"""Body gestures → the runtime's InputEvents (source "motion"). Pure: landmark frames in, events out.

- aim: the raised hand through a box fitted to the player's own shoulder width ("box"), or the pointing arm's
  direction shoulder → wrist ("point"); mirrored like a looking-glass; One Euro smoothed. → pointer_move.
- shoot (6+, `bow=True`): draw the bow — the other hand comes back to its shoulder, then lets go → a tap
  (pointer_down + pointer_up) where the aim is.
- dwell (everyone; 3–5 shoot this way): hold the aim still for `dwell_seconds` → a tap; `dwell` (0..1) is
  the filling ring. One arm or seated: aim + dwell reach everything, the home button included.
- swipe: a hand sweeps sideways fast → action "right" when it sweeps to the left (like pushing a page), "left"
  when it sweeps to the right (the touch-screen convention).
- both hands up above the head, held 1 s → action "back" (pause / home); with one arm: that hand stretched
  straight up above the head, held 1.5 s (`reach_up`, 0..1, fills a ring meanwhile) — seated, small or tall,
  either hand.
Kinds never learn where these came from; the shell treats them like touch.
"""
from __future__ import annotations

import collections

from experiences.motion.body import Body, LandmarkFrame, seen, shoulder_width
from experiences.motion.filters import OneEuro
from experiences.motion.player import PlayerPicker
from experiences.runtime import InputEvent

MOTION_POINTER = 90  # pointer_id of the motion cursor (touch fingers keep their own ids)
LOST_SECONDS = 0.5  # nobody seen this long: 我看不到你啦
DWELL_RADIUS = 0.045  # of the screen: the aim may wander this much and still count as holding still...
DWELL_WINDOW = 0.5  # ...within this many seconds
REARM = 0.1  # of the screen: after a pick, the aim must leave it by this much before holding picks again
RAISED = 0.7  # a wrist above shoulder + this × shoulder width is raised (aiming)
DRAWN, OPEN = 0.55, 0.9  # bow: the draw wrist within DRAWN shoulder widths of its shoulder is drawn; OPEN: away
SWIPE_DISTANCE, SWIPE_WINDOW, SWIPE_COOLDOWN = 1.4, 0.4, 0.8  # shoulder widths, seconds, seconds
HANDS_UP, HANDS_UP_SECONDS = 0.9, 1.0  # both wrists this many shoulder widths above the shoulders, this long
# one arm: the wrist this high above its shoulder, the elbow this high too, the arm this near vertical (shoulder
# widths); held longer than both hands, since one raised hand is also how the aim starts
ONE_HAND_UP, ONE_HAND_ELBOW, ONE_HAND_SIDEWAYS, ONE_HAND_SECONDS = 1.3, 0.5, 0.6, 1.5
SIDES = ("left", "right")


def mirrored(point: tuple[float, float] | None) -> tuple[float, float] | None:
    return None if point is None else (1.0 - point[0], point[1])


class MotionGestures:
    def __init__(self, size: tuple[int, int], *, bow: bool = True, dwell_seconds: float = 1.2,
                 aim_mode: str = "box", swipe: bool = True):
        if aim_mode not in ("box", "point"):
            raise ValueError(f"aim_mode must be 'box' or 'point', not {aim_mode!r}")
        self.size = size
        self.bow, self.dwell_seconds, self.aim_mode, self.swipe = bow, dwell_seconds, aim_mode, swipe
        self.picker = PlayerPicker()
        self.state = "searching"  # "searching" (nobody yet) | "tracking" | "lost" (was here, stepped out)
        self.body: Body | None = None  # the player, for the stick figure (camera coordinates)
        self.cursor: tuple[float, float] | None = None  # normalised 0..1, mirrored
        self.dwell = 0.0  # 0..1: the hover-and-hold ring
        self.drawn = False  # the bow is drawn (shown on screen)
        self.reach_up = 0.0  # 0..1: hands held up towards "back" (the ring fills; 1: sent)
        self._filters = (OneEuro(1.0, 2.0), OneEuro(1.0, 2.0))
        self._last_seen: float | None = None
        self._aim_side: str | None = None
        self._dwell_anchor: tuple[float, float] | None = None
        self._dwell_recent: collections.deque = collections.deque()
        self._tapped_at: tuple[float, float] | None = None
        self._dwell_since = 0.0
        self._dwell_armed = True
        self._bow_open = False
        self._wrists = {side: collections.deque() for side in SIDES}
        self._swipe_after = 0.0
        self._hands_up_since: float | None = None
        self._hands_up_armed = True
        self._hands_up = False

    def set_size(self, size: tuple[int, int]) -> None:
        self.size = size

    # --- one frame ----------------------------------------------------------------------------------------
    def feed(self, frame: LandmarkFrame) -> list[InputEvent]:
        t = frame.t
        body = self.picker.pick(t, frame.people)
        sw = shoulder_width(body) if body is not None else None
        if body is None or sw is None:
            if self._last_seen is not None and t - self._last_seen >= LOST_SECONDS and self.state == "tracking":
                self._lose()
            return []
        self._last_seen, self.state, self.body = t, "tracking", body
        events: list[InputEvent] = []
        events += self._hands_up_gesture(t, body, sw)
        events += self._swipe(t, body, sw)
        events += self._aim(t, body, sw)
        events += self._shoot(t, body, sw)
        return events

    def _lose(self) -> None:
        self.state, self.body, self.cursor, self._aim_side = "lost", None, None, None
        self.dwell, self.drawn, self._bow_open, self.reach_up = 0.0, False, False, 0.0
        self._dwell_anchor, self._hands_up_since, self._tapped_at = None, None, None
        self._dwell_armed = True
        for f in self._filters:
            f.reset()
        for history in self._wrists.values():
            history.clear()
        self.picker.reset()

    # --- aim ----------------------------------------------------------------------------------------------
    def _raised(self, body: Body, side: str, sw: float) -> bool:
        wrist, shoulder = seen(body, f"{side}_wrist"), seen(body, f"{side}_shoulder")
        return wrist is not None and shoulder is not None and wrist[1] < shoulder[1] + RAISED * sw

    def _extension(self, body: Body, side: str) -> float:
        wrist, shoulder = seen(body, f"{side}_wrist"), seen(body, f"{side}_shoulder")
        if wrist is None or shoulder is None:
            return -1.0
        return abs(wrist[0] - shoulder[0]) + abs(wrist[1] - shoulder[1])

    def _aim(self, t: float, body: Body, sw: float) -> list[InputEvent]:
        if self._aim_side is None or not self._raised(body, self._aim_side, sw):
            raised = [side for side in SIDES if self._raised(body, side, sw)]
            self._aim_side = max(raised, key=lambda side: self._extension(body, side)) if raised else None
        if self._aim_side is None:
            self.dwell, self._dwell_anchor = 0.0, None
            return []
        wrist = mirrored(seen(body, f"{self._aim_side}_wrist"))
        shoulder = mirrored(seen(body, f"{self._aim_side}_shoulder"))
        if self.aim_mode == "box":
            # a box around where this hand reaches comfortably, sized by the child's own shoulders
            outward = 1 if shoulder[0] > 1.0 - _mid_x(body) else -1  # the hand's own side of the body (mirrored)
            cx, cy = shoulder[0] + outward * 0.4 * sw, shoulder[1] - 0.5 * sw
            x, y = 0.5 + (wrist[0] - cx) / (3.0 * sw), 0.5 + (wrist[1] - cy) / (2.2 * sw)
        else:
            reach = 1.6 * sw
            x, y = 0.5 + 0.5 * (wrist[0] - shoulder[0]) / (0.8 * reach), 0.5 + 0.5 * (wrist[1] - shoulder[1]) / (0.8 * reach)
        x, y = self._filters[0](t, x), self._filters[1](t, y)
        x, y = min(1.0, max(0.0, x)), min(1.0, max(0.0, y))
        self.cursor = (x, y)
        events = [self._pointer("pointer_move")]
        events += self._dwell(t)
        return events

    def _pointer(self, kind: str) -> InputEvent:
        x, y = self.cursor
        return InputEvent(kind, x * self.size[0], y * self.size[1], source="motion", pointer_id=MOTION_POINTER)

    def _tap(self) -> list[InputEvent]:
        return [self._pointer("pointer_down"), self._pointer("pointer_up")]

    def _dwell(self, t: float) -> list[InputEvent]:
        """Holding still: the aim stayed within DWELL_RADIUS of where it was over the last DWELL_WINDOW seconds
        (a slow drift of a tired arm still counts; a move does not)."""
        recent = self._dwell_recent
        recent.append((t, *self.cursor))
        while recent and t - recent[0][0] > DWELL_WINDOW:
            recent.popleft()
        moved = self._dwell_anchor is None or any(
            max(abs(self.cursor[0] - x), abs(self.cursor[1] - y)) > DWELL_RADIUS for _, x, y in recent)
        if moved:  # moving on (clearly away from the last pick) re-arms the hold
            tapped = self._tapped_at
            if tapped is None or max(abs(self.cursor[0] - tapped[0]), abs(self.cursor[1] - tapped[1])) > REARM:
                self._dwell_armed, self._tapped_at = True, None
            self._dwell_anchor, self._dwell_since, self.dwell = self.cursor, t, 0.0
            recent.clear()
            recent.append((t, *self.cursor))
            return []
        if self.drawn or self._hands_up or not self._dwell_armed:
            self._dwell_since, self.dwell = t, 0.0
            return []
        self.dwell = min(1.0, (t - self._dwell_since) / self.dwell_seconds)
        if self.dwell < 1.0:
            return []
        self._dwell_armed, self.dwell, self._tapped_at = False, 0.0, self.cursor  # one tap; move away to pick again
        return self._tap()

    # --- shoot by drawing the bow -------------------------------------------------------------------------
    def _shoot(self, t: float, body: Body, sw: float) -> list[InputEvent]:
        if not self.bow or self._aim_side is None or self.cursor is None:
            self.drawn = False
            return []
        draw_side = "right" if self._aim_side == "left" else "left"
        wrist, shoulder = seen(body, f"{draw_side}_wrist"), seen(body, f"{draw_side}_shoulder")
        if wrist is None or shoulder is None:  # one arm: dwell shoots instead
            self.drawn, self._bow_open = False, False
            return []
        reach = ((wrist[0] - shoulder[0]) ** 2 + (wrist[1] - shoulder[1]) ** 2) ** 0.5 / sw
        if self.drawn:
            if reach > OPEN * 0.9:
                self.drawn, self._bow_open = False, reach > OPEN
                return self._tap()  # let go: the arrow flies
            return []
        if reach > OPEN:
            self._bow_open = True
        elif reach < DRAWN and self._bow_open and wrist[1] < shoulder[1] + 0.6 * sw:
            self.drawn, self._bow_open = True, False
            self.dwell = 0.0
        return []

    # --- swipe and both hands up --------------------------------------------------------------------------
    def _swipe(self, t: float, body: Body, sw: float) -> list[InputEvent]:
        if not self.swipe:
            return []
        for side in SIDES:
            history = self._wrists[side]
            wrist = mirrored(seen(body, f"{side}_wrist"))
            if wrist is None:
                history.clear()
                continue
            history.append((t, wrist[0], wrist[1]))
            while history and t - history[0][0] > SWIPE_WINDOW:
                history.popleft()
            if t < self._swipe_after or self.drawn:
                continue
            for t0, x0, y0 in history:
                dx, dy = wrist[0] - x0, wrist[1] - y0
                if abs(dx) >= SWIPE_DISTANCE * sw and abs(dy) < 0.6 * abs(dx):
                    self._swipe_after = t + SWIPE_COOLDOWN
                    for h in self._wrists.values():
                        h.clear()
                    self._dwell_anchor = None  # a sweep is not a hold
                    return [InputEvent("action", action="right" if dx < 0 else "left", source="motion")]
        return []

    def _hands_up_gesture(self, t: float, body: Body, sw: float) -> list[InputEvent]:
        """Both hands above the head for HANDS_UP_SECONDS, or one arm stretched straight up (wrist and elbow
        high, the arm near vertical) for ONE_HAND_SECONDS → action "back", once until the hands come down."""
        up = 0
        for side in SIDES:
            wrist, shoulder = seen(body, f"{side}_wrist"), seen(body, f"{side}_shoulder")
            up += wrist is not None and shoulder is not None and wrist[1] < shoulder[1] - HANDS_UP * sw
        needed = HANDS_UP_SECONDS if up == 2 else ONE_HAND_SECONDS if self._one_arm_up(body, sw) else None
        self._hands_up = needed is not None
        if needed is None:
            self._hands_up_since, self._hands_up_armed, self.reach_up = None, True, 0.0
            return []
        if self._hands_up_since is None:
            self._hands_up_since = t
        held = t - self._hands_up_since
        self.reach_up = min(1.0, held / needed) if self._hands_up_armed else 0.0
        if self._hands_up_armed and held >= needed:
            self._hands_up_armed, self.reach_up = False, 0.0
            self._dwell_anchor = None
            return [InputEvent("action", action="back", source="motion")]
        return []

    @staticmethod
    def _one_arm_up(body: Body, sw: float) -> bool:
        for side in SIDES:
            wrist, elbow, shoulder = (seen(body, f"{side}_{part}") for part in ("wrist", "elbow", "shoulder"))
            if wrist is None or shoulder is None:
                continue
            high = wrist[1] < shoulder[1] - ONE_HAND_UP * sw
            elbow_high = elbow is None or elbow[1] < shoulder[1] - ONE_HAND_ELBOW * sw
            if high and elbow_high and abs(wrist[0] - shoulder[0]) < ONE_HAND_SIDEWAYS * sw:
                return True
        return False


def _mid_x(body: Body) -> float:
    left, right = seen(body, "left_shoulder"), seen(body, "right_shoulder")
    return (left[0] + right[0]) / 2
