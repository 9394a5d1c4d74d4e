"""Which characters the Kai font draws, and which of them look alike (precomputed by scripts/build_lookalikes.py)."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

TABLE = Path(__file__).resolve().parent.parent / "data" / "lookalikes.json"


class Glyphs:
    def __init__(self, chars: str, lookalikes: dict[str, str]):
        self.chars = frozenset(chars)
        self._lookalikes = lookalikes
        self._drawable: dict[str, bool] = {}

    def drawable(self, text: str) -> bool:
        """True when every character of `text` is in the font (so it renders in Kai, not a fallback)."""
        known = self._drawable.get(text)
        if known is None:
            known = self._drawable[text] = all(c in self.chars for c in text)
        return known

    def lookalikes(self, char: str) -> str:
        """Characters that look like `char`, most similar first (may be empty)."""
        return self._lookalikes.get(char, "")


@lru_cache(maxsize=1)
def default_glyphs() -> Glyphs:
    data = json.loads(TABLE.read_text(encoding="utf-8"))
    return Glyphs(data["chars"], data["lookalikes"])
