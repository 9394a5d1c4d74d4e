"""Wall figures read from the rollup tables (fast) and from raw statements (the reference the tests and bench use).

Each part of the wall is its own small query so an endpoint reads only what it shows.
"""
from __future__ import annotations

import json
from collections import Counter
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.engine import Connection, Engine

from server.analytics.events import event_from_statement
from server.analytics.wall import BEST_N, WallFigures, _best, _top, compute_wall, local_day
from server.models import Statement
from server.wall import tables as T
from server.wall.rollup import as_utc, naive_utc


class Window:
    """Today and this week (Monday to today) in the library's time zone."""

    def __init__(self, now: datetime, tz: ZoneInfo):
        self.now = as_utc(now)
        self.today: date = local_day(self.now, tz)
        self.monday: date = self.today - timedelta(days=self.today.weekday())


def visitors(conn: Connection, w: Window) -> tuple[int, int]:
    s = T.WallSession
    today = conn.execute(select(func.count(s.session.distinct())).where(s.day == w.today)).scalar() or 0
    week = conn.execute(select(func.count(s.session.distinct())).where(s.day.between(w.monday, w.today))).scalar() or 0
    return today, week


def _counts(conn: Connection, metric: str, start: date, end: date, branch: str | None = None) -> Counter:
    c = T.WallCount
    query = select(c.key, func.sum(c.n)).where(c.metric == metric, c.day.between(start, end))
    if branch is not None:
        query = query.where(c.branch == branch)
    return Counter({key: int(n) for key, n in conn.execute(query.group_by(c.key)) if n})


def plays(conn: Connection, w: Window) -> tuple[dict[str, int], dict[str, int]]:
    return dict(_counts(conn, "plays", w.today, w.today)), dict(_counts(conn, "plays", w.monday, w.today))


def idioms(conn: Connection, w: Window) -> tuple[list, list]:
    return _top(_counts(conn, "right", w.monday, w.today)), _top(_counts(conn, "missed", w.monday, w.today))


def poems(conn: Connection, w: Window) -> tuple[list, list]:
    r = T.WallReading
    in_week = r.day.between(w.monday, w.today)
    fifth = conn.execute(select(r.score).where(in_week).order_by(r.score.desc()).limit(1).offset(BEST_N - 1)).scalar()
    query = select(r.score, r.nickname, r.poem).where(in_week)
    if fifth is not None:
        query = query.where(r.score >= fifth)  # ties at the boundary are ordered by name, as in the reference
    best = _best((float(score), nickname, poem) for score, nickname, poem in conn.execute(query))
    return _top(_counts(conn, "recited", w.monday, w.today)), best


def hours(conn: Connection, w: Window) -> list[int]:
    counts = _counts(conn, "hour", w.monday, w.today)
    return [counts.get(f"{h:02d}", 0) for h in range(24)]


def places(conn: Connection, w: Window) -> tuple[dict[str, int], dict[str, int]]:
    s = T.WallSession
    branches = conn.execute(select(s.branch, func.count(s.session.distinct())).where(
        s.day.between(w.monday, w.today)).group_by(s.branch)).all()
    kiosks = conn.execute(select(s.kiosk, func.count(s.session.distinct())).where(s.day == w.today)
                          .group_by(s.kiosk)).all()
    return {b: n for b, n in branches}, {k: n for k, n in kiosks}


def age_bands(conn: Connection, w: Window) -> dict[str, int]:
    s = T.WallSession
    rows = conn.execute(select(s.age_band, func.count(s.session.distinct())).where(
        s.day.between(w.monday, w.today), s.age_band != "").group_by(s.age_band)).all()
    return {band: n for band, n in rows}


def repeat_plays(conn: Connection, w: Window) -> int:
    """Launches of a package beyond a session's first that day (kept as a counter by the rollup job)."""
    return sum(_counts(conn, "repeat", w.monday, w.today).values())


def new_content(conn: Connection, w: Window) -> list[str]:
    cutoff = naive_utc(w.now - timedelta(days=7))
    return sorted(conn.execute(select(T.WallPackage.package).where(T.WallPackage.first_at >= cutoff)).scalars())


def kiosk_last_seen(conn: Connection) -> dict[str, datetime]:
    return {k: as_utc(at) for k, at in conn.execute(select(T.WallKiosk.kiosk, T.WallKiosk.last_stored))}


def kiosk_names(conn: Connection) -> dict[str, str]:
    """Kiosk id → the name staff gave it in kiosk.toml (only kiosks that sent one)."""
    return {k: name for k, name in conn.execute(select(T.WallKiosk.kiosk, T.WallKiosk.name)) if name}


def package_titles(conn: Connection) -> dict[str, dict[str, str]]:
    rows = conn.execute(select(T.WallPackage.package, T.WallPackage.kind, T.WallPackage.title_zh, T.WallPackage.title_en))
    return {p: {"kind": kind, "zh-CN": zh or en or p, "en": en or zh or p} for p, kind, zh, en in rows}


def rollup_figures(engine: Engine, now: datetime, tz: ZoneInfo) -> WallFigures:
    """Every wall figure, from the rollups."""
    w = Window(now, tz)
    f = WallFigures()
    with engine.connect() as conn:
        f.visitors_today, f.visitors_week = visitors(conn, w)
        f.plays_today, f.plays_week = plays(conn, w)
        f.idioms_right, f.idioms_missed = idioms(conn, w)
        f.poems_recited, f.best_readings = poems(conn, w)
        f.busiest_hours = hours(conn, w)
        f.branches_week, f.kiosks_today = places(conn, w)
        f.age_bands_week = age_bands(conn, w)
        f.repeat_plays_week = repeat_plays(conn, w)
        f.new_content = new_content(conn, w)
        f.kiosk_last_seen = kiosk_last_seen(conn)
    return f


def raw_figures(engine: Engine, now: datetime, tz: ZoneInfo) -> WallFigures:
    """The reference: every statement parsed again and counted by analytics.wall.compute_wall.

    Voided statements are left out of the counts but, like the rollups, still show the package and kiosk alive.
    """
    first_seen: dict[str, datetime] = {}
    last_seen: dict[str, datetime] = {}

    def counted():
        with engine.connect() as conn:
            result = conn.execution_options(yield_per=5000).execute(
                select(Statement.stored, Statement.voided, Statement.full).order_by(Statement.seq))
            for stored, voided, full in result:
                event = event_from_statement(json.loads(full), as_utc(stored))
                if event is None:
                    continue
                first_seen[event.package_id] = min(first_seen.get(event.package_id, event.at), event.at)
                if event.kiosk_id:
                    last_seen[event.kiosk_id] = max(last_seen.get(event.kiosk_id, event.stored), event.stored)
                if not voided:
                    yield event

    figures = compute_wall(counted(), as_utc(now), tz)
    cutoff = as_utc(now) - timedelta(days=7)
    figures.new_content = sorted(p for p, seen in first_seen.items() if seen >= cutoff)
    figures.kiosk_last_seen = last_seen
    return figures
