"""Catalogue records as the link rules see them: bibliographic data plus holdings (索书号, location, status).

Pure: no Flask, no database, no pymarc.
"""
from __future__ import annotations

from dataclasses import dataclass, field

AVAILABLE = "available"  # on the shelf now
STATUSES = (AVAILABLE, "on_loan", "missing", "processing", "unknown")


@dataclass
class Holding:
    call_number: str = ""  # 索书号, e.g. I222.742/123
    location: str = ""  # where it stands, e.g. 少儿阅览室
    barcode: str = ""
    status: str = "unknown"

    @property
    def on_shelf(self) -> bool:
        return self.status == AVAILABLE


@dataclass
class Record:
    id: str  # the record's control number (001) in the library system
    title: str
    author: str = ""
    isbn: str = ""
    clc: list[str] = field(default_factory=list)  # 中图法 classes, e.g. ["I222.742"]
    subjects: list[str] = field(default_factory=list)
    audience: str = ""  # "juvenile" when the record says so (008/22, UNIMARC 100/17), else ""
    cover: str = ""  # a cover URL the record names (fetched by the server, never by a kiosk)
    holdings: list[Holding] = field(default_factory=list)
    datestamp: str = ""  # when the library system last changed it (OAI-PMH), if known

    def as_json(self) -> dict:
        data = dict(self.__dict__)  # by hand: dataclasses.asdict's deep copy is a third of an import's time
        data["holdings"] = [dict(h.__dict__) for h in self.holdings]
        return data

    @classmethod
    def from_json(cls, data: dict) -> "Record":
        data = dict(data)
        data["holdings"] = [Holding(**h) for h in data.get("holdings") or []]
        return cls(**data)

    @property
    def on_shelf(self) -> bool:
        return any(h.on_shelf for h in self.holdings)

    def best_holding(self, children: bool = False) -> Holding | None:
        """The copy to send a visitor to: on the shelf first, a children's room first for young visitors."""
        if not self.holdings:
            return None
        return min(self.holdings, key=lambda h: (not h.on_shelf, not (children and is_childrens_location(h.location))))


CHILDREN_LOCATION_WORDS = ("少儿", "儿童", "绘本", "亲子", "children", "juvenile", "kids")


def is_childrens_location(location: str) -> bool:
    low = location.lower()
    return any(word in low for word in CHILDREN_LOCATION_WORDS)


def normalise_isbn(raw: str) -> str:
    """The ISBN digits of a 020$a / 010$a value ("978-7-02-000220-7 (精装) : CNY25.00" -> 9787020002207)."""
    out = []
    for char in raw.strip():
        if char.isdigit() or (char in "xX" and len(out) == 9):
            out.append(char.upper())
        elif out and char not in "- ":
            break
    digits = "".join(out)
    return digits if len(digits) in (10, 13) else ""
