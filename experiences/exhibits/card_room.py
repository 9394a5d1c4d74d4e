"""Making room for what the visitor looks at: the picture slides and shrinks so the HUD never covers it.

A treasure's card stands on the right of a landscape window and in the band below the object in portrait; its
label (展签) sits in the top left. When either would cover the object (its outline on screen, with the open
hotspot's marker), the rendered picture is moved into the free part of the window — shifted through the lens's
film offset and, if it does not fit there, made smaller by widening the field of view — so the camera, the orbit
and picking stay as they are. The change eases in and out (`FilmShift`).

`free_region`, `fit` and `fit_clear` are pure: boxes are (x, y, w, h) tuples in window pixels.
"""
from __future__ import annotations

import math

Box = tuple[float, float, float, float]
EASE_PER_SECOND = 9.0  # closes ~90% of the distance in a quarter of a second


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def free_region(size: tuple[int, int], margin: float, label: Box | None, card: Box | None,
                beside: bool = False, floor: float | None = None) -> Box:
    """Where the object may stand: the window less its margin, below the label (`beside`: right of it), beside
    (landscape: left of) or above (portrait) the card, and above `floor` (the top of a caption along the bottom)."""
    left, top, right, bottom = margin, margin, size[0] - margin, size[1] - margin
    if label is not None:
        if beside:
            left = max(left, label[0] + label[2] + margin)
        else:
            top = max(top, label[1] + label[3] + margin)
    if card is not None:
        if size[0] >= size[1]:
            right = min(right, card[0] - margin)
        else:
            bottom = min(bottom, card[1] - margin)
    if floor is not None:
        bottom = min(bottom, floor - margin)
    return left, top, max(1.0, right - left), max(1.0, bottom - top)


def fit(subject: Box, free: Box, size: tuple[int, int], least: float = 0.6) -> tuple[float, float, float]:
    """(dx, dy, k): scale the picture by k about the window's centre (never below `least`, never above 1), then
    shift it by (dx, dy) pixels, so that `subject` lies inside `free`, moving it as little as it can. A subject
    already inside stays where it is: (0, 0, 1)."""
    sx, sy, sw, sh = subject
    fx, fy, fw, fh = free
    if sx >= fx and sy >= fy and sx + sw <= fx + fw and sy + sh <= fy + fh:
        return 0.0, 0.0, 1.0
    k = max(least, min(1.0, fw / max(sw, 1.0), fh / max(sh, 1.0)))
    cx, cy = size[0] / 2, size[1] / 2
    left, top = cx + k * (sx - cx), cy + k * (sy - cy)
    width, height = k * sw, k * sh

    def slide(start: float, extent: float, low: float, room: float) -> float:
        if extent > room:  # still too big at the least scale: keep its near edge in
            return low - start if start < low else 0.0
        return min(max(0.0, low - start), low + room - (start + extent))

    return slide(left, width, fx, fw), slide(top, height, fy, fh), k


def moved(box: Box, change: tuple[float, float, float], size: tuple[int, int]) -> Box:
    """Where `box` is drawn after `fit`'s (dx, dy, k)."""
    dx, dy, k = change
    cx, cy = size[0] / 2, size[1] / 2
    return cx + k * (box[0] - cx) + dx, cy + k * (box[1] - cy) + dy, k * box[2], k * box[3]


def _inside(box: Box, region: Box, slack: float = 1.0) -> bool:
    return box[0] >= region[0] - slack and box[1] >= region[1] - slack \
        and box[0] + box[2] <= region[0] + region[2] + slack and box[1] + box[3] <= region[1] + region[3] + slack


def fit_clear(subject: Box, size: tuple[int, int], margin: float, label: Box | None,
              card: Box | None, floor: float | None = None) -> tuple[float, float, float]:
    """`fit` the subject beside the card and above `floor`; clear of the label too if it would otherwise end up
    under it (the label holds only the top left corner: a subject beside it may stay as high as it is). Clear of
    the label means right of it or below it, whichever keeps the subject bigger (then: moves it less); a place
    where it fits whole is preferred to one where it does not."""
    change = fit(subject, free_region(size, margin, None, card, floor=floor), size)
    if label is None or not _overlap(moved(subject, change, size), label):
        return change
    options = []
    for beside in (True, False):
        region = free_region(size, margin, label, card, beside, floor)
        option = fit(subject, region, size)
        shown = moved(subject, option, size)
        options.append((not _inside(shown, region), _overlap(shown, label), -option[2], math.hypot(*option[:2]),
                        option))
    return min(options)[-1]


class FilmShift:
    """The picture's shift (pixels) and scale, eased towards a target and applied to the lens."""

    def __init__(self) -> None:
        self.current = (0.0, 0.0, 1.0)
        self.target = (0.0, 0.0, 1.0)

    def aim(self, target: tuple[float, float, float]) -> None:
        self.target = tuple(float(v) for v in target)

    def step(self, dt: float) -> bool:
        """Move towards the target; True when the picture changed (the frame must be rendered anew)."""
        if self.current == self.target:
            return False
        keep = math.exp(-EASE_PER_SECOND * max(0.0, dt))
        moved = tuple(t + (c - t) * keep for c, t in zip(self.current, self.target))
        if math.dist(moved[:2], self.target[:2]) < 0.5 and abs(moved[2] - self.target[2]) < 0.002:
            moved = self.target
        self.current = moved
        return True

    def unshifted(self, x: float, y: float, size: tuple[int, int]) -> tuple[float, float]:
        """Where a point drawn at (x, y) now would be without the shift and scale."""
        dx, dy, k = self.current
        return size[0] / 2 + (x - dx - size[0] / 2) / k, size[1] / 2 + (y - dy - size[1] / 2) / k

    def apply(self, lens, size: tuple[int, int], vertical_fov: float) -> None:
        """Set `lens` (its unscaled vertical field of view given) so the picture is scaled and shifted."""
        from experiences.exhibits.offscreen import set_vertical_fov

        dx, dy, k = self.current
        set_vertical_fov(lens, math.degrees(2 * math.atan(math.tan(math.radians(vertical_fov) / 2) / k)), size)
        film = lens.get_film_size()
        lens.set_film_offset(-dx / size[0] * film[0], dy / size[1] * film[1])
