"""The e-book waterfall (电子书瀑布流) as pure geometry: which packages it shows, how covers are laid out in columns
at slightly different depths, where each cover is at a given flow time, and which cover a point falls on.

No pygame or panda3d: world units with X right, Y away from the camera, Z up (panda3d's axes), camera at the origin.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

BASE_DEPTH = 10.0  # distance from the camera to the middle plane of the wall
DEPTH_OFFSETS = (0.0, 1.4, -0.9, 0.8, -0.5, 1.1, -1.2, 0.4)  # per column, repeating: slight parallax
GAP = 0.22  # between cards in a column, in world units at the base depth
CARD_FILL = 0.78  # share of a column's width a card takes
MIN_ASPECT, MAX_ASPECT = 0.55, 1.6  # card height / width: very wide or tall covers are cropped to these
TILTS = (-6.0, 4.0, -3.0, 7.0, -5.0, 3.0, -7.0, 5.0)  # degrees each column's cards turn about Z: depth cues


def select_packages(packages, choose: str | list[str] = "all", tags: list[str] = (), exclude: list[str] = (),
                    own_kind: str = "") -> list:
    """The packages a waterfall shows, in a stable order.

    choose: "all" installed packages, or a list of ids (in that order; unknown ids are skipped: packages come
    and go). tags: also (or, with choose = [], only) packages whose kind equals a tag or starts with it and '-'
    ("exhibit" matches exhibit-book), or whose age bands contain it ("6-8"). Never the waterfall kind itself."""
    by_id = {p.id: p for p in packages if p.kind != own_kind}
    if choose == "all":
        chosen = sorted(by_id)
    else:
        chosen = [pid for pid in dict.fromkeys(choose) if pid in by_id]
    if tags and choose != "all":
        chosen += [pid for pid in sorted(by_id) if pid not in chosen and _tagged(by_id[pid], tags)]
    elif tags:
        chosen = [pid for pid in chosen if _tagged(by_id[pid], tags)]
    skip = set(exclude)
    return [by_id[pid] for pid in chosen if pid not in skip]


def _tagged(package, tags) -> bool:
    kind = package.kind
    bands = set(package.manifest.age_bands or ())
    return any(kind == tag or kind.startswith(tag + "-") or tag in bands for tag in tags)


@dataclass(frozen=True)
class CardSlot:
    """One card on a column's strip: which package (index into the shown list), its height, its offset from
    the strip's top edge (all world units)."""

    package: int
    height: float
    offset: float


@dataclass(frozen=True)
class Column:
    index: int
    x: float  # world X of the column's centre
    depth: float  # world Y of its plane
    tilt: float  # degrees about Z
    half_height: float  # half the visible height at this depth
    card_width: float
    slots: tuple[CardSlot, ...]
    length: float  # the strip repeats every `length` units
    phase: float  # strip offset at flow time 0, so columns do not line up


@dataclass(frozen=True)
class Placement:
    """A card at one moment: centre (x, y=depth, z), size, tilt, package index, and a key that stays the same
    while the card crosses the screen (for focus and gaze)."""

    key: tuple[int, int, int]  # (column, slot, lap)
    package: int
    center: tuple[float, float, float]
    width: float
    height: float
    tilt: float


class WaterfallLayout:
    """Columns of cover cards that fall at `speed` screen heights per minute (at the base depth).

    aspects: card height / width of each shown package (clamped). fov: the lens's (horizontal, vertical) degrees.
    span: the part of the screen's width the columns share, from left to right (-1: the left edge, 1: the right),
    so the wall can leave a strip for the kiosk's home button.
    """

    def __init__(self, aspects: list[float], columns: int, fov: tuple[float, float], speed: float = 2.0,
                 span: tuple[float, float] = (-1.0, 1.0)):
        if not aspects:
            raise ValueError("a waterfall needs at least one cover")
        if not -1.0 <= span[0] < span[1] <= 1.0:
            raise ValueError(f"span must be within -1..1, left < right: {span}")
        self.aspects = [min(MAX_ASPECT, max(MIN_ASPECT, a)) for a in aspects]
        self.columns_count = columns
        self.span = span
        self.tan_h = math.tan(math.radians(fov[0]) / 2)
        self.tan_v = math.tan(math.radians(fov[1]) / 2)
        base_half_height = BASE_DEPTH * self.tan_v
        self.velocity = speed * 2 * base_half_height / 60.0  # world units per second, the same for every column
        base_width = (span[1] - span[0]) * BASE_DEPTH * self.tan_h / columns
        self.card_width = base_width * CARD_FILL
        self.columns = [self._column(c, base_width) for c in range(columns)]

    def _column(self, c: int, base_width: float) -> Column:
        depth = BASE_DEPTH + DEPTH_OFFSETS[c % len(DEPTH_OFFSETS)]
        half_height = depth * self.tan_v
        # Columns sit evenly across the screen whatever their depth, so the wall reads as one picture.
        u = self.span[0] + (c + 0.5) / self.columns_count * (self.span[1] - self.span[0])
        x = u * depth * self.tan_h
        sequence = column_sequence(c, self.columns_count, len(self.aspects))
        slots, offset = [], 0.0
        # The strip must be longer than what is visible plus the tallest card, so it never shows a hole.
        needed = 2 * half_height + self.card_width * MAX_ASPECT + GAP
        k = 0
        while offset < needed or k < len(sequence):
            package = sequence[k % len(sequence)]
            height = self.card_width * self.aspects[package]
            slots.append(CardSlot(package, height, offset))
            offset += height + GAP
            k += 1
        phase = offset * ((c * 0.381966) % 1.0)  # golden-ratio steps: neighbouring columns never align
        return Column(c, x, depth, TILTS[c % len(TILTS)], half_height, self.card_width, tuple(slots), offset, phase)

    def placements(self, flow_time: float) -> list[Placement]:
        """Every card that is at least partly on screen at `flow_time` (seconds of flowing)."""
        out = []
        travelled = flow_time * self.velocity
        for column in self.columns:
            top = column.half_height  # world Z of the screen's top edge at this depth
            for s, slot in enumerate(column.slots):
                # Distance of this card's top edge below the screen top; the strip wraps every `length`.
                along = slot.offset - column.phase + travelled
                lap, below = divmod(along + slot.height + GAP, column.length)
                below -= slot.height + GAP  # cards enter from above the top edge
                z_top = top - below
                z_center = z_top - slot.height / 2
                if z_top < -column.half_height or z_top - slot.height > column.half_height:
                    continue
                out.append(Placement((column.index, s, int(lap)), slot.package, (column.x, column.depth, z_center),
                                     column.card_width, slot.height, column.tilt))
        return out


def column_sequence(column: int, columns: int, count: int) -> list[int]:
    """Package indices a column cycles through: every package once, starting at the column's own index and
    stepping by the number of columns, so neighbouring columns side by side show different covers."""
    group = math.gcd(count, columns)
    # With a common factor the plain stride would visit only count/group packages: shift by one each round.
    return [(column + k * columns + k // (count // group)) % count for k in range(count)]


def card_corners(placement: Placement) -> list[tuple[float, float, float]]:
    """The four corners (top left, top right, bottom right, bottom left) of a card turned by its tilt about Z."""
    x, y, z = placement.center
    half_w, half_h = placement.width / 2, placement.height / 2
    angle = math.radians(placement.tilt)
    dx, dy = math.cos(angle) * half_w, math.sin(angle) * half_w
    return [(x - dx, y - dy, z + half_h), (x + dx, y + dy, z + half_h),
            (x + dx, y + dy, z - half_h), (x - dx, y - dy, z - half_h)]


def point_in_polygon(point: tuple[float, float], polygon: list[tuple[float, float]]) -> bool:
    """Even-odd rule; the polygon's corners in order (screen pixels)."""
    x, y = point
    inside = False
    for i, (x1, y1) in enumerate(polygon):
        x2, y2 = polygon[i - 1]
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def next_focus(current, candidates: list[tuple[tuple, float, float]], action: str):
    """Keyboard/gamepad focus moving among cards on screen: candidates are (key, x, y) screen centres.

    left/right go to the nearest card in that direction (mostly sideways), up/down likewise; no current focus:
    the card nearest the screen's centre (the first candidate sorted by the caller)."""
    if not candidates:
        return None
    positions = {key: (x, y) for key, x, y in candidates}
    if current not in positions:
        return candidates[0][0]
    cx, cy = positions[current]
    direction = {"left": (-1, 0), "right": (1, 0), "up": (0, -1), "down": (0, 1)}[action]
    best, best_score = current, math.inf
    for key, x, y in candidates:
        dx, dy = x - cx, y - cy
        along = dx * direction[0] + dy * direction[1]
        if key == current or along <= 1:
            continue
        across = abs(dx * direction[1]) + abs(dy * direction[0])
        score = along + 2 * across
        if score < best_score:
            best, best_score = key, score
    return best
