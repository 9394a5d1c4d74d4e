"""Floor plans with shelves marked on them, and which shelf a copy of a book stands on.

A curator uploads a plan (an image) and marks shelves on it: a rectangle in fractions of the plan's width and
height (0..1, so the mark survives the image being shown at any size), with a location code (the holding's
location, 852$b / 905$c, e.g. 少儿阅览室) and/or a call-number range (索书号, e.g. I222 … I222.9). A copy is on a
shelf when every condition the shelf gives holds; the first such shelf (in the order they were marked) wins.

Call numbers of 中图法 sort as written once the dots are dropped (I2 < I207 < I22 < I222.742 < I23): the class
is hierarchical like a decimal fraction, and the author number after "/" sorts below any further digit. The upper
end of a range includes everything under it (I222.9 includes I222.9/L33 and I222.95).

Pure: no Flask, no database, no image library.
"""
from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field

MAX_PLANS = 50
MAX_SHELVES = 500


class PlanError(ValueError):
    """A shelf or plan the curator must fix: the reason in 中文 and English."""

    def __init__(self, zh: str, en: str):
        super().__init__(f"{zh} / {en}")
        self.zh, self.en = zh, en


def call_key(call_number: str) -> str:
    """A call number as it sorts: upper case, no dots or spaces."""
    return re.sub(r"[.\s．]", "", call_number.upper())


@dataclass
class Shelf:
    id: str
    x: float  # left edge, fraction of the plan's width
    y: float  # top edge, fraction of the plan's height
    w: float
    h: float
    label: str = ""  # what the shelf is called in the library (A3, 少儿绘本架)
    location: str = ""  # the holdings' location code this shelf holds, "" for any
    call_from: str = ""  # the first call number on it, "" for no lower end
    call_to: str = ""  # the last (everything under it included), "" for no upper end

    def holds(self, call_number: str, location: str) -> bool:
        if not (self.location or self.call_from or self.call_to):
            return False
        if self.location and self.location.strip().lower() != location.strip().lower():
            return False
        key = call_key(call_number)
        if (self.call_from or self.call_to) and not key:
            return False
        if self.call_from and key < call_key(self.call_from):
            return False
        if self.call_to:
            upper = call_key(self.call_to)
            if key > upper and not key.startswith(upper):
                return False
        return True

    def as_json(self) -> dict:
        return dict(self.__dict__)


@dataclass
class FloorPlan:
    id: str
    name: str
    image: str  # the stored image's file name (sha256 + extension), served by the catalogue routes
    width: int  # the image's size in pixels
    height: int
    shelves: list[Shelf] = field(default_factory=list)

    def as_json(self) -> dict:
        return {**{k: v for k, v in self.__dict__.items() if k != "shelves"},
                "shelves": [s.as_json() for s in self.shelves]}

    @classmethod
    def from_json(cls, data: dict) -> "FloorPlan":
        shelves = [Shelf(**s) for s in data.get("shelves") or []]
        return cls(data["id"], data["name"], data["image"], int(data["width"]), int(data["height"]), shelves)


def new_id() -> str:
    return secrets.token_hex(6)


def make_shelf(x: str | float, y: str | float, w: str | float, h: str | float, label: str = "",
               location: str = "", call_from: str = "", call_to: str = "", shelf_id: str = "") -> Shelf:
    """A shelf from a form (numbers in per cent of the plan, 0–100); raises PlanError saying what to fix."""
    try:
        box = [float(str(v).strip()) for v in (x, y, w, h)]
    except ValueError:
        raise PlanError("位置和大小要写数字（占平面图的百分比）",
                        "position and size are numbers (per cent of the plan)") from None
    if any(v != v for v in box):  # NaN
        raise PlanError("位置和大小要写数字", "position and size are numbers")
    bx, by, bw, bh = box
    if bw <= 0.3 or bh <= 0.3:
        raise PlanError("书架的框太小了：在平面图上拖出一个框", "the shelf's box is too small: drag a box on the plan")
    if bx < 0 or by < 0 or bx + bw > 100.01 or by + bh > 100.01:
        raise PlanError("书架的框超出了平面图", "the shelf's box reaches past the plan")
    location, call_from, call_to, label = (v.strip()[:200] for v in (location, call_from, call_to, label))
    if not (location or call_from or call_to):
        raise PlanError("写上位置代码或索书号范围，才知道哪些书在这个书架上",
                        "give a location code or a call-number range, so the shelf knows its books")
    if call_from and call_to and call_key(call_from) > call_key(call_to):
        raise PlanError("索书号范围的起点比终点大", "the call-number range starts after it ends")
    return Shelf(shelf_id or new_id(), round(bx / 100, 5), round(by / 100, 5), round(bw / 100, 5),
                 round(bh / 100, 5), label, location, call_from, call_to)


def find_shelf(plans: list[FloorPlan], call_number: str, location: str) -> tuple[FloorPlan, Shelf] | None:
    for plan in plans:
        for shelf in plan.shelves:
            if shelf.holds(call_number, location):
                return plan, shelf
    return None


def card_map(plans: list[FloorPlan], call_number: str, location: str, image_url) -> dict | None:
    """What a card carries about where the book stands: the plan's image (a path on our server) and size, and
    the shelf's rectangle in fractions of it; None when no shelf is marked for this copy."""
    found = find_shelf(plans, call_number, location)
    if found is None:
        return None
    plan, shelf = found
    return {"plan": image_url(plan.image), "plan_name": plan.name, "width": plan.width, "height": plan.height,
            "shelf": [shelf.x, shelf.y, shelf.w, shelf.h], "label": shelf.label}
