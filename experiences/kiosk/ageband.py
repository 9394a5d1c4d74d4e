"""The visitor's age band, asked once per session: the bands offered, and what the menu does with the answer.

Pure: no pygame. The answer lives only in the visitor's session (`SessionReporter.age_band`) and each run's
`RunContext.age_band`; nothing about it is written anywhere but the statements' age-band extension.
"""
from __future__ import annotations

from typing import Iterable, Sequence, TypeVar

# The answers offered, youngest first; the same values as package manifests' age_bands and the games' levels.
BANDS = ("3-5", "6-8", "9-12", "13+")
YOUNG_BANDS = frozenset({"3-5", "6-8"})  # readers still learning characters: titles carry pinyin
ALL_AGES = "all"

P = TypeVar("P")


def check_band(band: str | None) -> str | None:
    """The band itself, or None for "skipped"; anything else is a programming error, not a visitor's answer."""
    if band is not None and band not in BANDS:
        raise ValueError(f"unknown age band {band!r}; use one of {BANDS} or None")
    return band


def band_rank(package_bands: Sequence[str], band: str | None) -> int:
    """0: the package names the visitor's band; 1: it is for all ages (or names none); 2: it is for others."""
    bands = set(package_bands or ())
    if band is None:
        return 0
    if band in bands:
        return 0
    if not bands or ALL_AGES in bands:
        return 1
    return 2


def order_for_band(packages: Iterable[P], band: str | None, bands_of=lambda p: p.manifest.age_bands) -> list[P]:
    """Packages for `band` first, then those for all ages, then the rest, each group in its given order.

    Nothing is hidden: a 9-year-old may still want the picture book. No band (skipped): the order is unchanged."""
    packages = list(packages)
    if band is None:
        return packages
    return sorted(packages, key=lambda p: band_rank(bands_of(p), band))  # sorted() is stable


def title_gets_pinyin(package_bands: Sequence[str], band: str | None) -> bool:
    """Pinyin above a card's title: when the visitor said they are young; with no answer, when the package is
    (also) for the young bands (the rule before the kiosk asked)."""
    if band is not None:
        return band in YOUNG_BANDS
    return bool(YOUNG_BANDS.intersection(package_bands or ()))
