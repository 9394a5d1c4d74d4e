"""Smart-wall figures from engagement events: a direct scan (the reference) and an incremental rollup.

Both answer the same questions for a given moment and library time zone; tests hold them equal.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Iterable
from zoneinfo import ZoneInfo

from server.analytics.events import Event

TOP_N = 10
BEST_N = 5


@dataclass
class WallFigures:
    visitors_today: int = 0
    visitors_week: int = 0
    plays_today: dict[str, int] = field(default_factory=dict)
    plays_week: dict[str, int] = field(default_factory=dict)
    idioms_right: list[tuple[str, int]] = field(default_factory=list)
    idioms_missed: list[tuple[str, int]] = field(default_factory=list)
    poems_recited: list[tuple[str, int]] = field(default_factory=list)
    best_readings: list[tuple[float, str, str]] = field(default_factory=list)  # (score, nickname, poem)
    busiest_hours: list[int] = field(default_factory=lambda: [0] * 24)  # launches per local hour, this week
    branches_week: dict[str, int] = field(default_factory=dict)  # sessions per branch
    kiosks_today: dict[str, int] = field(default_factory=dict)  # sessions per kiosk
    age_bands_week: dict[str, int] = field(default_factory=dict)
    repeat_plays_week: int = 0  # launches of a package a session had already launched
    new_content: list[str] = field(default_factory=list)  # packages first seen in the last 7 days
    kiosk_last_seen: dict[str, datetime] = field(default_factory=dict)


def local_day(moment: datetime, tz: ZoneInfo) -> date:
    return moment.astimezone(tz).date()


def week_days(today: date) -> list[date]:
    monday = today - timedelta(days=today.weekday())
    return [monday + timedelta(days=i) for i in range((today - monday).days + 1)]


def _top(counter: Counter, n: int = TOP_N) -> list[tuple[str, int]]:
    return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:n]


def _best(readings: Iterable[tuple[float, str, str]]) -> list[tuple[float, str, str]]:
    return sorted(readings, key=lambda r: (-r[0], r[1], r[2]))[:BEST_N]


def compute_wall(events: Iterable[Event], now: datetime, tz: ZoneInfo) -> WallFigures:
    """The reference answer: one pass over every event."""
    today = local_day(now, tz)
    week = set(week_days(today))
    figures = WallFigures()
    sessions_today, sessions_week = set(), set()
    plays_today, plays_week, right, missed, recited = Counter(), Counter(), Counter(), Counter(), Counter()
    readings, hours = [], [0] * 24
    branch_sessions, kiosk_sessions, band_sessions = defaultdict(set), defaultdict(set), defaultdict(set)
    launches: Counter = Counter()
    first_seen: dict[str, datetime] = {}
    for ev in events:
        first_seen[ev.package_id] = min(first_seen.get(ev.package_id, ev.at), ev.at)
        if ev.kiosk_id:
            figures.kiosk_last_seen[ev.kiosk_id] = max(figures.kiosk_last_seen.get(ev.kiosk_id, ev.stored), ev.stored)
        day = local_day(ev.at, tz)
        if day not in week:
            continue
        is_today = day == today
        sessions_week.add(ev.session)
        branch_sessions[ev.branch].add(ev.session)
        if ev.age_band:
            band_sessions[ev.age_band].add(ev.session)
        if is_today:
            sessions_today.add(ev.session)
            kiosk_sessions[ev.kiosk_id].add(ev.session)
        if ev.event == "launched":
            plays_week[ev.package_id] += 1
            plays_today[ev.package_id] += is_today
            hours[ev.at.astimezone(tz).hour] += 1
            launches[(day, ev.session, ev.package_id)] += 1
        elif ev.event == "answered" and ev.item_type == "idiom" and ev.success is not None:
            (right if ev.success else missed)[ev.item_name] += 1
        elif ev.event == "completed" and ev.item_type == "poem":
            recited[ev.item_name] += 1
        elif ev.event == "scored" and ev.item_type == "poem" and ev.score is not None:
            readings.append((round(ev.score * 100, 1), ev.nickname, ev.item_name))
    figures.visitors_today, figures.visitors_week = len(sessions_today), len(sessions_week)
    figures.plays_today = {k: v for k, v in plays_today.items() if v}
    figures.plays_week = dict(plays_week)
    figures.idioms_right, figures.idioms_missed, figures.poems_recited = _top(right), _top(missed), _top(recited)
    figures.best_readings = _best(readings)
    figures.busiest_hours = hours
    figures.branches_week = {k: len(v) for k, v in branch_sessions.items()}
    figures.kiosks_today = {k: len(v) for k, v in kiosk_sessions.items()}
    figures.age_bands_week = {k: len(v) for k, v in band_sessions.items()}
    figures.repeat_plays_week = sum(n - 1 for n in launches.values() if n > 1)
    cutoff = now - timedelta(days=7)
    figures.new_content = sorted(p for p, seen in first_seen.items() if seen >= cutoff)
    return figures


class WallRollup:
    """Counters per local day, updated one event at a time; a wall query sums at most seven days."""

    def __init__(self, tz: ZoneInfo):
        self.tz = tz
        self.sessions: dict[date, set[str]] = defaultdict(set)
        self.plays: dict[date, Counter] = defaultdict(Counter)
        self.right: dict[date, Counter] = defaultdict(Counter)
        self.missed: dict[date, Counter] = defaultdict(Counter)
        self.recited: dict[date, Counter] = defaultdict(Counter)
        self.readings: dict[date, list] = defaultdict(list)
        self.hours: dict[date, list[int]] = defaultdict(lambda: [0] * 24)
        self.branch_sessions: dict[date, dict[str, set]] = defaultdict(lambda: defaultdict(set))
        self.kiosk_sessions: dict[date, dict[str, set]] = defaultdict(lambda: defaultdict(set))
        self.band_sessions: dict[date, dict[str, set]] = defaultdict(lambda: defaultdict(set))
        self.launches: dict[date, Counter] = defaultdict(Counter)
        self.first_seen: dict[str, datetime] = {}
        self.kiosk_last_seen: dict[str, datetime] = {}

    def add(self, ev: Event) -> None:
        seen = self.first_seen.get(ev.package_id)
        self.first_seen[ev.package_id] = ev.at if seen is None else min(seen, ev.at)
        if ev.kiosk_id:
            last = self.kiosk_last_seen.get(ev.kiosk_id)
            self.kiosk_last_seen[ev.kiosk_id] = ev.stored if last is None else max(last, ev.stored)
        day = local_day(ev.at, self.tz)
        self.sessions[day].add(ev.session)
        self.branch_sessions[day][ev.branch].add(ev.session)
        self.kiosk_sessions[day][ev.kiosk_id].add(ev.session)
        if ev.age_band:
            self.band_sessions[day][ev.age_band].add(ev.session)
        if ev.event == "launched":
            self.plays[day][ev.package_id] += 1
            self.hours[day][ev.at.astimezone(self.tz).hour] += 1
            self.launches[day][(ev.session, ev.package_id)] += 1
        elif ev.event == "answered" and ev.item_type == "idiom" and ev.success is not None:
            (self.right if ev.success else self.missed)[day][ev.item_name] += 1
        elif ev.event == "completed" and ev.item_type == "poem":
            self.recited[day][ev.item_name] += 1
        elif ev.event == "scored" and ev.item_type == "poem" and ev.score is not None:
            best = self.readings[day]
            best.append((round(ev.score * 100, 1), ev.nickname, ev.item_name))
            best[:] = _best(best)  # a day keeps only its top few: enough for any week's top few

    def figures(self, now: datetime) -> WallFigures:
        today = local_day(now, self.tz)
        days = week_days(today)
        f = WallFigures()
        f.visitors_today = len(self.sessions.get(today, ()))
        f.visitors_week = len(set().union(*(self.sessions.get(d, set()) for d in days)))
        f.plays_today = {k: v for k, v in self.plays.get(today, Counter()).items() if v}
        f.plays_week = dict(sum((self.plays.get(d, Counter()) for d in days), Counter()))
        f.idioms_right = _top(sum((self.right.get(d, Counter()) for d in days), Counter()))
        f.idioms_missed = _top(sum((self.missed.get(d, Counter()) for d in days), Counter()))
        f.poems_recited = _top(sum((self.recited.get(d, Counter()) for d in days), Counter()))
        f.best_readings = _best(r for d in days for r in self.readings.get(d, ()))
        f.busiest_hours = [sum(self.hours[d][h] for d in days if d in self.hours) for h in range(24)]
        f.branches_week = _union_sizes(self.branch_sessions, days)
        f.kiosks_today = {k: len(v) for k, v in self.kiosk_sessions.get(today, {}).items()}
        f.age_bands_week = _union_sizes(self.band_sessions, days)
        f.repeat_plays_week = sum(n - 1 for d in days for n in self.launches.get(d, Counter()).values() if n > 1)
        cutoff = now - timedelta(days=7)
        f.new_content = sorted(p for p, seen in self.first_seen.items() if seen >= cutoff)
        f.kiosk_last_seen = dict(self.kiosk_last_seen)
        return f


def _union_sizes(per_day: dict[date, dict[str, set]], days: list[date]) -> dict[str, int]:
    merged: dict[str, set] = defaultdict(set)
    for d in days:
        for key, sessions in per_day.get(d, {}).items():
            merged[key] |= sessions
    return {k: len(v) for k, v in merged.items()}


def silent_kiosks(last_seen: dict[str, datetime], now: datetime, after: timedelta = timedelta(minutes=30)) -> list[str]:
    """Kiosks that have sent nothing for `after`: shown on the wall so staff can look."""
    return sorted(k for k, seen in last_seen.items() if now - seen > after)
