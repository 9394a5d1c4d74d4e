"""Who plays when several people are in view: the one nearest the centre, kept while they stay."""
from __future__ import annotations

from experiences.motion.body import Body, centre, distance

SWITCH_SECONDS = 1.0  # someone else must be clearly nearer the centre this long before they take over
KEEP_DISTANCE = 1.5  # shoulder widths: the player's body in the next frame is within this of where it was


class PlayerPicker:
    def __init__(self):
        self.position: tuple[float, float] | None = None
        self._challenger_since: float | None = None

    def reset(self) -> None:
        self.position, self._challenger_since = None, None

    def pick(self, t: float, people: list[Body]) -> Body | None:
        found = [(centre(b), b) for b in people]
        found = [(c, b) for c, b in found if c is not None]
        if not found:
            return None
        nearest = min(found, key=lambda cb: abs(cb[0][0] - 0.5))
        if self.position is None:
            self.position = nearest[0]
            return nearest[1]
        current = min(found, key=lambda cb: distance(cb[0], self.position))
        width = _width(current[1])
        if distance(current[0], self.position) > KEEP_DISTANCE * width:
            current = None  # the player left (or the tracker jumped to someone else)
        if current is None or current is nearest:
            self._challenger_since = None
            chosen = nearest if current is None else current
        elif abs(nearest[0][0] - 0.5) + 0.1 < abs(current[0][0] - 0.5):
            if self._challenger_since is None:
                self._challenger_since = t
            if t - self._challenger_since >= SWITCH_SECONDS:
                chosen, self._challenger_since = nearest, None
            else:
                chosen = current
        else:
            self._challenger_since = None
            chosen = current
        self.position = chosen[0]
        return chosen[1]


def _width(body: Body) -> float:
    from experiences.motion.body import shoulder_width

    return shoulder_width(body) or 0.1
