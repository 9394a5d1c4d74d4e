"""Poem-level 「what next?」 picks: after a poem, other poems of its package that the same sessions read.

Reads the item-level rollups (wall_poem_items, wall_poem_pairs, wall_poems) and ranks with the same
CoOccurrence cosine as package picks; with too little data it returns nothing and package picks stand alone.
"""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.engine import Connection

from experiences.i18n import t
from server.analytics.recommend import CoOccurrence, Pick, recommend
from server.wall import tables as T

MIN_SHARED_SESSIONS = 3  # a pair seen in fewer sessions is chance, not a taste
MAX_POEM_PICKS = 3  # the rest of the cards stay package picks (something other than the booth)


def poem_model(conn: Connection, package: str, poem: str) -> CoOccurrence:
    """Sessions per poem of the package, and the one row of pair counts the ranking needs."""
    model = CoOccurrence()
    for item, n in conn.execute(select(T.WallPoemItem.poem, T.WallPoemItem.n).where(T.WallPoemItem.package == package)):
        model.item_sessions[item] = n
    pairs = select(T.WallPoemPair.b, T.WallPoemPair.n).where(T.WallPoemPair.package == package, T.WallPoemPair.a == poem)
    for other, n in conn.execute(pairs):
        model.pair_sessions[poem][other] = n
    return model


def poem_picks(model: CoOccurrence, poem: str, k: int = MAX_POEM_PICKS) -> list[Pick]:
    """Up to k poems read in at least MIN_SHARED_SESSIONS sessions with `poem`, by cosine; never `poem`."""
    strong = [other for other, n in model.pair_sessions.get(poem, {}).items() if n >= MIN_SHARED_SESSIONS]
    if not strong:
        return []
    return [p for p in recommend(model, poem, k=k, candidates=strong) if p.reason == "also_enjoyed"]


def poem_titles(conn: Connection, package: str) -> dict[str, str]:
    rows = conn.execute(select(T.WallPoem.poem, T.WallPoem.title).where(T.WallPoem.package == package))
    return {poem: title or poem for poem, title in rows}


def poem_pick_json(pick: Pick, package: str, titles: dict[str, str], package_info: dict[str, str]) -> dict:
    """One card's answer: the package to open, the poem to open it on, the poem's title, the reason naming it."""
    title = titles.get(pick.item, pick.item)
    because = titles.get(pick.because_of, pick.because_of)
    return {
        "package": package,
        "item_type": "poem",
        "item_id": pick.item,
        "title": {"zh-CN": title, "en": title},  # poems keep their Chinese title in both languages
        "package_title": {lang: package_info.get(lang, package) for lang in ("zh-CN", "en")},
        "kind": package_info.get("kind", ""),
        "reason": pick.reason,
        "because_of": because,
        "text": {lang: t("poemrec.also_read", lang, because=because, title=title) for lang in ("zh-CN", "en")},
        "score": pick.score,
    }
