"""What was actually drawn on a screen: texts with their pixel sizes and boxes, and the layout boxes around them.

Text renderers (experiences.text, the exhibits' HUD) and layouts call `note_text` / `note_box` while they draw;
nothing is kept unless a `recording()` is open, so the cost outside tests and `launcher.py shots` is one global
read. `experiences.screencheck` judges what was recorded (sizes, Latin letters, overlaps, cuts).

Roles of a text (`role=`):
  "prompt"  what the screen asks of a child (选一个成语; 射中了！); >= 48 px at 1080p
  "text"    anything else a child or family reads (the default); Han characters >= 32 px
  "pinyin"  a syllable row drawn on its own (the ruby rows of `draw(pinyin=True)` are recorded with their text)
  "code"    call numbers, ISBNs, delete codes: Latin letters allowed
  "staff"   text meant for library staff on a kiosk screen (a maintenance badge): exempt from the child rules
  "deco"    decoration that is not read (a seal's glyph, a big watermark character): exempt from every rule

Pure: no pygame; boxes are (x, y, w, h) tuples.
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Iterator

ROLES = ("prompt", "text", "pinyin", "code", "staff", "deco")

Box = tuple[int, int, int, int]


@dataclass(frozen=True)
class DrawnText:
    text: str
    size: int  # pixel size of the body font
    box: Box  # the drawn box (pinyin row included when there is one)
    role: str = "text"
    ruby_size: int | None = None  # pixel size of the pinyin row above the Han characters, if drawn
    clip: Box | None = None  # the surface's clip/extent the text was drawn into, in screen pixels
    cells: tuple[tuple[int, int], ...] = ()  # with a pinyin row: each Han character's centre x and its syllable's width


@dataclass(frozen=True)
class DrawnBox:
    label: str  # what it is: "card", "lantern", "button:再来一次"
    box: Box
    group: str = ""  # boxes of one group must not overlap each other (lanterns; cards); "" : no rule among them


@dataclass
class DrawLog:
    texts: list[DrawnText] = field(default_factory=list)
    boxes: list[DrawnBox] = field(default_factory=list)
    offset: tuple[int, int] = (0, 0)  # added to every noted box (a sub-surface drawn into the screen later)

    def clear(self) -> None:
        self.texts.clear()
        self.boxes.clear()


_active: DrawLog | None = None


def active() -> DrawLog | None:
    return _active


@contextmanager
def recording() -> Iterator[DrawLog]:
    """Record every noted text and box until the block ends (nesting: the inner block records alone)."""
    global _active
    previous, log = _active, DrawLog()
    _active = log
    try:
        yield log
    finally:
        _active = previous


@contextmanager
def offset(dx: int, dy: int) -> Iterator[None]:
    """Boxes noted inside the block are drawn onto an off-screen surface later blitted at (dx, dy)."""
    log = _active
    if log is None:
        yield
        return
    before = log.offset
    log.offset = (before[0] + int(dx), before[1] + int(dy))
    try:
        yield
    finally:
        log.offset = before


def _shift(box: Box, log: DrawLog) -> Box:
    x, y, w, h = box
    return (int(x) + log.offset[0], int(y) + log.offset[1], int(w), int(h))


def note_text(text: str, size: int, box: Box, role: str = "text", ruby_size: int | None = None,
              clip: Box | None = None, cells: tuple[tuple[int, int], ...] = ()) -> None:
    log = _active
    if log is None or not text.strip():
        return
    if role not in ROLES:
        raise ValueError(f"text role must be one of {ROLES}, not {role!r}")
    log.texts.append(DrawnText(text, int(size), _shift(box, log), role, ruby_size,
                               _shift(clip, log) if clip else None,
                               tuple((int(x) + log.offset[0], int(w)) for x, w in cells)))


def note_box(label: str, box: Box, group: str = "") -> None:
    log = _active
    if log is None:
        return
    log.boxes.append(DrawnBox(label, _shift(box, log), group))
