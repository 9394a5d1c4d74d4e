"""`GET /api/recommendations`: 3–5 「what next?」 picks for a kiosk, with the reason in zh-CN and en.

The co-occurrence counts come from the rollups (sessions that launched both packages), so a request reads a few
small tables; server.analytics.recommend does the ranking.
"""
from __future__ import annotations

from collections import Counter

from flask import jsonify, request
from sqlalchemy import select
from sqlalchemy.engine import Connection

from experiences.i18n import t
from server.analytics.events import split_activity_id
from server.analytics.recommend import CoOccurrence, Pick, recommend
from server.wall import queries
from server.wall import tables as T
from server.wall.access import kiosk_required
from server.wall.poem_picks import poem_model, poem_pick_json, poem_picks, poem_titles
from server.wall.routes import wall_bp, wall_services

BAND_SHARE = 0.25  # an age band "fits" an item when at least this share of its banded sessions were that band


def package_of(after: str) -> str:
    """A package id from a package id, or a package's or item's activity IRI."""
    if "/activities/" in after:
        return split_activity_id(after)[0]
    return after.strip()


def model_for(conn: Connection, package: str) -> tuple[CoOccurrence, dict[str, list[str]]]:
    """Item session counts, the one row of pair counts the ranking needs, and the age bands items fit."""
    model = CoOccurrence()
    banded: dict[str, Counter] = {}
    for item, band, n in conn.execute(select(T.WallItem.package, T.WallItem.age_band, T.WallItem.n)):
        model.item_sessions[item] += n
        if band:
            banded.setdefault(item, Counter())[band] += n
    for other, n in conn.execute(select(T.WallPair.b, T.WallPair.n).where(T.WallPair.a == package)):
        model.pair_sessions[package][other] = n
    bands = {item: sorted(b for b, n in counts.items() if n >= BAND_SHARE * sum(counts.values()))
             for item, counts in banded.items()}
    return model, bands


def candidates_for(conn: Connection, kiosk: str) -> set[str]:
    """What the kiosk has been seen playing; every known package when the kiosk is new or not given."""
    if kiosk:
        at_kiosk = set(conn.execute(select(T.WallKioskPackage.package).where(T.WallKioskPackage.kiosk == kiosk)).scalars())
        if at_kiosk:
            return at_kiosk
    return set(conn.execute(select(T.WallPackage.package)).scalars())


def _verb(kind: str, popular: bool = False) -> str:
    base = "read" if kind == "recitation" else "visited" if kind.startswith("exhibit") else "played"
    return f"recommend.verb_{base}{'_popular' if popular else ''}"


def reason_text(pick: Pick, titles: dict[str, dict[str, str]], lang: str) -> str:
    info = titles.get(pick.item, {})
    title = info.get(lang, pick.item)
    kind = info.get("kind", "")
    if pick.reason == "also_enjoyed":
        because = titles.get(pick.because_of, {}).get(lang, pick.because_of)
        return t("recommend.also_enjoyed", lang, because=because, title=title, verb=t(_verb(kind), lang))
    if pick.reason == "for_your_age":
        return t("recommend.for_your_age", lang, title=title)
    return t("recommend.popular", lang, title=title, verb=t(_verb(kind, popular=True), lang))


@wall_bp.get("/api/recommendations")
@kiosk_required
def recommendations():
    raw_after = request.args.get("after", "")
    after = package_of(raw_after)
    _package, item_type, item_id = split_activity_id(raw_after) if "/activities/" in raw_after else ("", "", "")
    if not after:
        return jsonify(error="give ?after=<package id or activity IRI> (what was just played)"), 400
    try:
        k = min(5, max(3, int(request.args.get("k", 5))))
    except ValueError:
        k = 5
    age_band = request.args.get("age_band") or None
    with wall_services().job.engine.connect() as conn:
        model, bands = model_for(conn, after)
        pool = candidates_for(conn, request.args.get("kiosk", ""))
        titles = queries.package_titles(conn)
        poems = poem_picks(poem_model(conn, after, item_id), item_id) if item_type == "poem" and item_id else []
        names = poem_titles(conn, after) if poems else {}
    picks = recommend(model, after, k=k, age_band=age_band, item_age_bands=bands, candidates=pool)
    # Poems read with this one come first; package picks fill the rest (all of them when data is thin).
    poem_cards = [poem_pick_json(p, after, names, titles.get(after, {})) for p in poems[:max(0, k - 1)]]
    return jsonify(after=after, picks=poem_cards + [{
        "package": p.item,
        "title": {lang: titles.get(p.item, {}).get(lang, p.item) for lang in ("zh-CN", "en")},
        "kind": titles.get(p.item, {}).get("kind", ""),
        "reason": p.reason,
        "because_of": p.because_of,
        "text": {lang: reason_text(p, titles, lang) for lang in ("zh-CN", "en")},
        "score": p.score,
    } for p in picks][:k - len(poem_cards)])
