"""Judge a recorded screen (experiences.drawlog) the way a child two metres away and a designer would.

`check_screen(log, size, language)` returns a list of `Finding`s (empty: the screen passes):
- size: prompts >= 48 px, Han text >= 32 px, pinyin rows >= 22 px at 1080p, scaled by the window's shorter
  side (min(w, h) / 1080) so a 1024×768 screen needs 32 × 768/1080 ≈ 23 px;
- latin: a zh-CN screen shows no Latin letters except pinyin (role "pinyin" or a ruby row), digits, call numbers
  and ISBNs (role "code"); English belongs to the `en` kiosk language only;
- cut: every text and box lies inside the window (and inside the surface it was drawn into), no text ends in "…";
- overlap: two texts never overlap; boxes of one group never overlap; a text never straddles a box's edge
  (it is inside the box or clear of it).
Roles "staff" and "deco" are exempt from the size and Latin rules (deco from all of them).

Pure: no pygame; the thresholds are the issue's numbers.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from experiences.drawlog import Box, DrawLog, DrawnText

PROMPT_PX, HAN_PX, PINYIN_PX = 48, 32, 22
REFERENCE_SIDE = 1080
# Boxes include the font's padding above and below the glyphs: overlaps smaller than this share of the smaller
# box's height (and any overlap narrower than OVERLAP_X_PX) are padding touching padding, not ink over ink.
OVERLAP_Y_SHARE = 0.25
OVERLAP_X_PX = 2
_CODE = re.compile(r"^(ISBN[\s:：]*)?[0-9Xx\-]{10,17}$|^[A-Z]{1,2}\d[\d.\-/:A-Za-z]*$")


@dataclass(frozen=True)
class Finding:
    rule: str  # "size" | "latin" | "cut" | "overlap"
    what: str
    detail: str

    def __str__(self) -> str:
        return f"{self.rule}: {self.what} — {self.detail}"


def scale_for(size: tuple[int, int]) -> float:
    return min(size) / REFERENCE_SIDE


def has_han(text: str) -> bool:
    return any("\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff" for c in text)


def latin_letters(text: str) -> str:
    """The Latin letters in `text` (a-z, A-Z and accented ones such as the pinyin tone marks)."""
    out = []
    for char in text:
        if char.isascii():
            if char.isalpha():
                out.append(char)
        elif char.isalpha() and unicodedata.name(char, "").startswith("LATIN"):
            out.append(char)
    return "".join(out)


def _min_px(item: DrawnText) -> int | None:
    if item.role == "prompt":
        return PROMPT_PX
    if item.role == "pinyin":
        return PINYIN_PX
    if item.role == "text" and (has_han(item.text) or any(c.isdigit() for c in item.text)):
        return HAN_PX
    if item.role == "text" and latin_letters(item.text):
        return HAN_PX
    return None


def check_sizes(log: DrawLog, size: tuple[int, int], scale: float | None = None) -> list[Finding]:
    scale = scale_for(size) if scale is None else scale
    found = []
    for item in log.texts:
        need = _min_px(item)
        if need is not None and item.size < need * scale - 0.5:
            found.append(Finding("size", repr(item.text), f"{item.size} px < {need * scale:.1f} px ({item.role})"))
        if item.ruby_size is not None and item.role in ("prompt", "text") and item.ruby_size < PINYIN_PX * scale - 0.5:
            found.append(Finding("size", repr(item.text), f"pinyin {item.ruby_size} px < {PINYIN_PX * scale:.1f} px"))
    return found


def check_latin(log: DrawLog, language: str = "zh-CN") -> list[Finding]:
    if not language.startswith("zh"):
        return []
    found = []
    for item in log.texts:
        if item.role in ("pinyin", "code", "staff", "deco"):
            continue
        letters = latin_letters(item.text)
        if letters and not any(_CODE.match(word) for word in item.text.split()):
            found.append(Finding("latin", repr(item.text), f"Latin letters {letters!r} on a {language} screen"))
    return found


def _inside(inner: Box, outer: Box, slack: int = 1) -> bool:
    x, y, w, h = inner
    ox, oy, ow, oh = outer
    return x >= ox - slack and y >= oy - slack and x + w <= ox + ow + slack and y + h <= oy + oh + slack


def _intersection(a: Box, b: Box) -> tuple[int, int]:
    w = min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0])
    h = min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1])
    return max(0, w), max(0, h)


def _overlaps(a: Box, b: Box) -> bool:
    w, h = _intersection(a, b)
    return w > OVERLAP_X_PX and h > OVERLAP_Y_SHARE * min(a[3], b[3])


def check_cuts(log: DrawLog, size: tuple[int, int]) -> list[Finding]:
    screen = (0, 0, size[0], size[1])
    found = []
    for item in log.texts:
        if item.role == "deco":
            continue
        if not _inside(item.box, screen):
            found.append(Finding("cut", repr(item.text), f"box {item.box} leaves the {size[0]}×{size[1]} screen"))
        elif item.clip is not None and not _inside(item.box, item.clip):
            found.append(Finding("cut", repr(item.text), f"box {item.box} leaves its surface {item.clip}"))
        if item.text.rstrip().endswith(("…", "...")) and item.role in ("prompt", "text"):
            found.append(Finding("cut", repr(item.text), "ends in an ellipsis: the text was cut"))
    for box in log.boxes:
        if not _inside(box.box, screen):
            found.append(Finding("cut", box.label, f"box {box.box} leaves the {size[0]}×{size[1]} screen"))
    return found


def check_overlaps(log: DrawLog) -> list[Finding]:
    found = []
    texts = [t for t in log.texts if t.role != "deco"]
    for i, a in enumerate(texts):
        for b in texts[i + 1:]:
            if _overlaps(a.box, b.box):
                found.append(Finding("overlap", f"{a.text!r} / {b.text!r}", f"{a.box} overlaps {b.box}"))
    boxes = log.boxes
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            if a.group and a.group == b.group and _overlaps(a.box, b.box):
                found.append(Finding("overlap", f"{a.label} / {b.label}", f"{a.box} overlaps {b.box}"))
    for text in texts:
        for box in boxes:
            if _overlaps(text.box, box.box) and not _inside(text.box, box.box, slack=2):
                found.append(Finding("overlap", f"{text.text!r} / {box.label}",
                                     f"text {text.box} straddles the edge of {box.box}"))
    return found


def check_screen(log: DrawLog, size: tuple[int, int], language: str = "zh-CN",
                 rules: tuple[str, ...] = ("size", "latin", "cut", "overlap")) -> list[Finding]:
    found: list[Finding] = []
    if "size" in rules:
        found += check_sizes(log, size)
    if "latin" in rules:
        found += check_latin(log, language)
    if "cut" in rules:
        found += check_cuts(log, size)
    if "overlap" in rules:
        found += check_overlaps(log)
    return found


def report(findings: list[Finding], limit: int = 30) -> str:
    lines = [str(f) for f in findings[:limit]]
    if len(findings) > limit:
        lines.append(f"... and {len(findings) - limit} more")
    return "\n".join(lines)
