"""Difficulty by age band: which character is hidden, how many lanterns, how fast, pinyin, time pressure.

Packages may override any field per band in [content.levels] (see games/schemas/idiom-lanterns.schema.json).
"""
from __future__ import annotations

from dataclasses import dataclass, replace

PINYIN_ALL, PINYIN_AFTER_MISS, PINYIN_NONE = "all", "hidden", "none"


@dataclass(frozen=True)
class Level:
    band: str
    hidden: tuple[int, ...]   # positions 0..3 that may be blank; the last character is easiest to recall
    lanterns: int             # lanterns in a fresh round (one is the answer)
    speed: float              # sway and drift, 1.0 = normal
    pinyin: str               # PINYIN_ALL, PINYIN_AFTER_MISS or PINYIN_NONE
    time_limit: float         # seconds per idiom, 0 = no time pressure

    @property
    def timed(self) -> bool:
        return self.time_limit > 0


DEFAULT_LEVELS: dict[str, Level] = {
    # The youngest: the last character, few slow lanterns, pinyin everywhere, never a clock.
    "3-5": Level("3-5", hidden=(3,), lanterns=5, speed=0.4, pinyin=PINYIN_ALL, time_limit=0),
    "6-8": Level("6-8", hidden=(2, 3), lanterns=8, speed=0.7, pinyin=PINYIN_ALL, time_limit=0),
    "9-12": Level("9-12", hidden=(1, 2, 3), lanterns=12, speed=1.0, pinyin=PINYIN_AFTER_MISS, time_limit=40),
    "13+": Level("13+", hidden=(0, 1, 2, 3), lanterns=12, speed=1.3, pinyin=PINYIN_NONE, time_limit=25),
    "all": Level("all", hidden=(2, 3), lanterns=10, speed=0.8, pinyin=PINYIN_ALL, time_limit=0),
}
MIN_LANTERNS = 3


def age_band_of(ctx, package) -> str:
    """The age band a run plays at: the visitor's answer at the kiosk (`ctx.age_band`), a band given as a service
    or kept in the session, else the package's only band, else "all"."""
    band = (getattr(ctx, "age_band", None) or ctx.services.get("age_band")
            or getattr(getattr(ctx.reporter, "session", None), "age_band", None))
    if not band and len(package.manifest.age_bands) == 1:
        band = package.manifest.age_bands[0]
    return band or "all"


def shows_pinyin(level: Level) -> bool:
    """Whether the level's labels, messages and status lines carry pinyin (not only the idiom's)."""
    return level.pinyin == PINYIN_ALL


def level_for(band: str | None, overrides: dict | None = None) -> Level:
    """The level of an age band (unknown or missing: "all"), with a package's [content.levels] applied."""
    band = band if band in DEFAULT_LEVELS else "all"
    level = DEFAULT_LEVELS[band]
    changes = dict((overrides or {}).get(band, {}))
    if "hidden" in changes:
        changes["hidden"] = tuple(sorted(set(int(p) for p in changes["hidden"])))
    if "lanterns" in changes:
        changes["lanterns"] = max(MIN_LANTERNS, int(changes["lanterns"]))
    known = {k: v for k, v in changes.items() if k in Level.__dataclass_fields__ and k != "band"}
    return replace(level, **known)
