"""The rollup job: folds new statements into the wall tables in `seq` order behind a persisted watermark.

Runs in a process of its own beside the server (server/wall/worker.py), on a timer in the server process
(WALL_ROLLUP_MODE "thread"), and synchronously from tests and benches (job.run()).
Ingest never waits for it. A voiding statement takes its target's counts back out; presence (first seen, last
heard) keeps them, since the statement was received either way. Changing the library time zone rebuilds.
"""
from __future__ import annotations

import json
import threading
from collections import Counter
from datetime import datetime, timezone
from typing import Iterable
from zoneinfo import ZoneInfo

import orjson
from sqlalchemy import case, delete, select, tuple_
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection, Engine

from server.analytics.events import Event, event_from_statement, extensions_by_name
from server.db import write_transaction
from server.models import Statement
from server.wall import tables as T
from server.wall.deltas import Deltas, Presence, basket_changes, pair_changes

VOIDED_VERB = "http://adlnet.gov/expapi/verbs/voided"
ALL_TABLES = (T.WallSession, T.WallCount, T.WallLaunch, T.WallReading, T.WallPackage, T.WallKiosk,
              T.WallKioskPackage, T.WallSessionItem, T.WallItem, T.WallPair, T.WallPoemSessionItem, T.WallPoemItem,
              T.WallPoemPair, T.WallPoem, T.WallVoided, T.WallState)


def as_utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)


def naive_utc(moment: datetime) -> datetime:
    return as_utc(moment).replace(tzinfo=None)


def _ext(extensions: dict, name: str) -> str:
    value = extensions_by_name(extensions).get(name)
    return "" if value is None else str(value)


def presence_of(statement: dict) -> Presence:
    """The package's kind and titles as this statement tells them (the object, or its parent for an item)."""
    context = statement.get("context") or {}
    obj = statement.get("object") or {}
    if len(obj.get("id", "").split("/activities/", 1)[-1].split("/")) >= 3:  # an item: its parent is the package
        parents = (context.get("contextActivities") or {}).get("parent") or []
        obj = parents[0] if parents and isinstance(parents[0], dict) else {}
    names = (obj.get("definition") or {}).get("name") or {}
    if not isinstance(names, dict):
        names = {}
    return Presence(kind=_ext(context.get("extensions") or {}, "kind"),
                    title_zh=str(names.get("zh-CN") or names.get("zh") or "")[:200],
                    title_en=str(names.get("en-US") or names.get("en") or "")[:200])


def statement_event(full: str, stored: datetime) -> tuple[Event | None, dict]:
    try:
        statement = orjson.loads(full)  # ~40% faster than json.loads; stored statements are valid JSON
    except orjson.JSONDecodeError:  # orjson's edge (e.g. integers past 64 bits): the json module reads all
        statement = json.loads(full)
    return event_from_statement(statement, as_utc(stored)), statement


class RollupJob:
    """Folds statements past the watermark into the rollups; `changed` is notified whenever it advanced."""

    def __init__(self, engine: Engine, tz_name: str = "Asia/Shanghai", batch: int = 5000):
        self.engine = engine
        self.tz_name = tz_name
        self.tz = ZoneInfo(tz_name)
        self.batch = batch
        self.changed = threading.Condition()
        self.version = 0
        self._seen_mark: int | None = None  # the watermark notice() saw last
        self._lock = threading.Lock()

    def watermark(self) -> int:
        with self.engine.connect() as conn:
            value = conn.execute(select(T.WallState.value).where(T.WallState.key == "watermark")).scalar()
        return int(value or 0)

    def notice(self) -> bool:
        """When another process runs the job: advance `version` if the watermark moved since last seen."""
        mark = self.watermark()
        if mark == self._seen_mark:
            return False
        self._seen_mark = mark
        with self.changed:
            self.version += 1
            self.changed.notify_all()
        return True

    def run(self, max_batches: int | None = None) -> int:
        """Fold in everything new (or at most `max_batches` batches); returns how many statements were read."""
        done = 0
        with self._lock:
            self._check_time_zone()
            batches = 0
            while max_batches is None or batches < max_batches:
                read = self._one_batch()
                if not read:
                    break
                done += read
                batches += 1
        if done:
            with self.changed:
                self.version += 1
                self.changed.notify_all()
        return done

    def wait_for_change(self, seen_version: int, timeout: float) -> int:
        """Block until the rollups advance past `seen_version` or `timeout` passes; returns the current version."""
        with self.changed:
            self.changed.wait_for(lambda: self.version != seen_version, timeout=timeout)
            return self.version

    def _check_time_zone(self) -> None:
        with write_transaction(self.engine) as conn:
            stored = conn.execute(select(T.WallState.value).where(T.WallState.key == "time_zone")).scalar()
            if stored == self.tz_name:
                return
            for table in ALL_TABLES:  # days were cut in another zone: start over
                conn.execute(delete(table))
            _put_state(conn, "time_zone", self.tz_name)
            _put_state(conn, "watermark", "0")

    def _one_batch(self) -> int:
        # Statements are read and parsed without the write lock (ingest keeps going); only the folded
        # counts are written under it, and only if no other process moved the watermark meanwhile.
        with self.engine.connect() as conn:
            mark = int(conn.execute(select(T.WallState.value).where(T.WallState.key == "watermark")).scalar() or 0)
            rows = conn.execute(select(Statement.seq, Statement.stored, Statement.verb_id, Statement.object_statement_id,
                                       Statement.full).where(Statement.seq > mark).order_by(Statement.seq)
                                .limit(self.batch)).all()
            if not rows:
                return 0
            deltas = Deltas(self.tz)
            voidings = []
            for row in rows:
                if row.verb_id == VOIDED_VERB:
                    if row.object_statement_id:
                        voidings.append((row.seq, row.object_statement_id))
                    continue
                event, statement = statement_event(row.full, row.stored)
                if event is not None:
                    deltas.add(event, row.seq, 1, presence_of(statement))
            self._take_out_voided(conn, deltas, voidings)
        with write_transaction(self.engine) as conn:
            now_mark = int(conn.execute(select(T.WallState.value).where(T.WallState.key == "watermark")).scalar() or 0)
            if now_mark != mark:
                return len(rows)  # folded elsewhere: nothing to write, read on from the new watermark
            write_deltas(conn, deltas)
            _put_state(conn, "watermark", str(rows[-1].seq))
        return len(rows)

    def _take_out_voided(self, conn: Connection, deltas: Deltas, voidings: list[tuple[int, str]]) -> None:
        if not voidings:
            return
        ids = [target for _seq, target in voidings]
        already = set(conn.execute(select(T.WallVoided.statement_id).where(T.WallVoided.statement_id.in_(ids))).scalars())
        for voiding_seq, target in voidings:
            if target in already:
                continue
            # Only a statement stored before its voiding is voided (the LRS marks existing ones only).
            row = conn.execute(select(Statement.seq, Statement.stored, Statement.full).where(
                Statement.statement_id == target, Statement.verb_id != VOIDED_VERB,
                Statement.seq < voiding_seq)).first()
            if row is None:
                continue
            already.add(target)
            deltas.voided_ids.append(target)
            event, _statement = statement_event(row.full, row.stored)
            if event is not None:
                deltas.add(event, row.seq, -1)


def _put_state(conn: Connection, key: str, value: str) -> None:
    _upsert(conn, T.WallState, [{"key": key, "value": value}], ["key"], lambda ex, t: {"value": ex.value})


def _upsert(conn: Connection, model, rows: list[dict], keys: list[str], set_fn) -> None:
    if not rows:
        return
    insert = sqlite_insert if conn.dialect.name == "sqlite" else pg_insert
    stmt = insert(model.__table__)
    if set_fn is None:
        stmt = stmt.on_conflict_do_nothing(index_elements=keys)
    else:
        stmt = stmt.on_conflict_do_update(index_elements=keys, set_=set_fn(stmt.excluded, model.__table__.c))
    conn.execute(stmt, rows)


def _add_counts(conn: Connection, model, counter, keys: list[str]) -> bool:
    """Upsert signed counts; returns whether any went down (so emptied rows must be dropped)."""
    rows = [{**dict(zip(keys, key)), "n": n} for key, n in counter.items() if n]
    _upsert(conn, model, rows, keys, lambda ex, c: {"n": c.n + ex.n})
    negative = any(n < 0 for n in counter.values())
    if negative:
        conn.execute(delete(model).where(model.n <= 0))
    return negative


def _repeat_changes(conn: Connection, launches: Counter) -> Counter:
    """How the repeat plays of each (day, branch) change: launches of a package beyond a session's first."""
    launch = T.WallLaunch
    keys = [key for key, n in launches.items() if n]
    before: dict[tuple, int] = {}
    for chunk in _chunks(keys, 300):
        rows = conn.execute(select(launch.day, launch.branch, launch.session, launch.package, launch.n).where(
            tuple_(launch.day, launch.branch, launch.session, launch.package).in_(chunk)))
        before.update({(r.day, r.branch, r.session, r.package): r.n for r in rows})
    change: Counter = Counter()
    for key in keys:
        old = before.get(key, 0)
        new = old + launches[key]
        extra = max(new - 1, 0) - max(old - 1, 0)
        if extra:
            change[(key[0], key[1], "repeat", "")] += extra
    return change


def write_deltas(conn: Connection, d: Deltas) -> None:
    _add_counts(conn, T.WallSession, d.sessions, ["day", "session", "branch", "kiosk", "age_band"])
    counts = Counter(d.counts)
    counts.update(_repeat_changes(conn, d.launches))  # update(), not +: a + drops the negative (voided) counts
    _add_counts(conn, T.WallCount, counts, ["day", "branch", "metric", "key"])
    _add_counts(conn, T.WallLaunch, d.launches, ["day", "branch", "session", "package"])
    _write_baskets(conn, d)
    _write_poem_baskets(conn, d)
    if d.readings_added:
        _upsert(conn, T.WallReading, [{"seq": seq, "day": r[0], "branch": r[1], "score": r[2], "nickname": r[3][:200],
                                       "poem": r[4][:200]} for seq, r in d.readings_added.items()], ["seq"], None)
    if d.readings_removed:
        conn.execute(delete(T.WallReading).where(T.WallReading.seq.in_(list(d.readings_removed))))
    _upsert(conn, T.WallPackage, [
        {"package": p, "kind": pr.kind, "title_zh": pr.title_zh, "title_en": pr.title_en, "first_at": naive_utc(at)}
        for p, (pr, at) in d.packages.items()], ["package"], lambda ex, c: {
            "first_at": case((ex.first_at < c.first_at, ex.first_at), else_=c.first_at),
            "kind": case((c.kind == "", ex.kind), else_=c.kind),
            "title_zh": case((c.title_zh == "", ex.title_zh), else_=c.title_zh),
            "title_en": case((c.title_en == "", ex.title_en), else_=c.title_en)})
    _upsert(conn, T.WallKiosk, [{"kiosk": k, "branch": b, "last_stored": naive_utc(at),
                                 "name": d.kiosk_names.get(k, "")} for k, (b, at) in d.kiosks.items()],
            ["kiosk"], lambda ex, c: {"last_stored": case((ex.last_stored > c.last_stored, ex.last_stored),
                                                          else_=c.last_stored),
                                      "branch": case((ex.branch != "", ex.branch), else_=c.branch),
                                      # batches fold in seq order: a later batch's name is the newer one
                                      "name": case((ex.name != "", ex.name), else_=c.name)})
    _upsert(conn, T.WallKioskPackage, [{"kiosk": k, "package": p} for k, p in d.kiosk_packages],
            ["kiosk", "package"], None)
    _upsert(conn, T.WallVoided, [{"statement_id": s} for s in d.voided_ids], ["statement_id"], None)


def _chunks(items: list, size: int = 500) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _basket_change(before_counts: dict[str, int], change: dict[str, int]) -> tuple[set[str], set[str], Counter]:
    """A basket's stored counts plus `change`: the members that entered and left, and the signed pair changes."""
    after_counts = dict(before_counts)
    for member, n in change.items():
        after_counts[member] = after_counts.get(member, 0) + n
    before = {m for m, n in before_counts.items() if n > 0}
    after = {m for m, n in after_counts.items() if n > 0}
    entered, left = basket_changes(before, after)
    return entered, left, pair_changes(before, after)


def _write_baskets(conn: Connection, d: Deltas) -> None:
    """Session baskets, and from how each basket changed, the per-item and per-pair session counts."""
    by_session: dict[str, dict[str, int]] = {}
    for (session, package), n in d.session_items.items():
        if n:
            by_session.setdefault(session, {})[package] = n
    if not by_session:
        return
    current: dict[str, dict[str, int]] = {}
    bands: dict[str, str] = {}
    for chunk in _chunks(sorted(by_session)):
        for row in conn.execute(select(T.WallSessionItem.session, T.WallSessionItem.package, T.WallSessionItem.n,
                                       T.WallSessionItem.age_band).where(T.WallSessionItem.session.in_(chunk))):
            current.setdefault(row.session, {})[row.package] = row.n
            bands[row.session] = row.age_band
    items, pairs, rows = Counter(), Counter(), []
    for session, change in by_session.items():
        band = bands.get(session, d.session_bands.get(session, ""))
        entered, left, pair_change = _basket_change(current.get(session, {}), change)
        for package in entered:
            items[(package, band)] += 1
        for package in left:
            items[(package, band)] -= 1
        pairs.update(pair_change)
        rows += [{"session": session, "package": p, "age_band": band, "n": n} for p, n in change.items()]
    _upsert(conn, T.WallSessionItem, rows, ["session", "package"], lambda ex, c: {"n": c.n + ex.n})
    if any(r["n"] < 0 for r in rows):
        conn.execute(delete(T.WallSessionItem).where(T.WallSessionItem.n <= 0))
    _add_counts(conn, T.WallItem, items, ["package", "age_band"])
    _add_counts(conn, T.WallPair, pairs, ["a", "b"])


def _write_poem_baskets(conn: Connection, d: Deltas) -> None:
    """Poems read per session, and from how each (session, package) basket changed, per-poem and pair counts."""
    _upsert(conn, T.WallPoem, [{"package": p, "poem": poem, "title": title} for (p, poem), title in d.poem_titles.items()],
            ["package", "poem"], lambda ex, c: {"title": case((c.title == "", ex.title), else_=c.title)})
    by_basket: dict[tuple[str, str], dict[str, int]] = {}
    for (session, package, poem), n in d.poem_items.items():
        if n:
            by_basket.setdefault((session, package), {})[poem] = n
    if not by_basket:
        return
    table = T.WallPoemSessionItem
    current: dict[tuple[str, str], dict[str, int]] = {}
    for chunk in _chunks(sorted({session for session, _ in by_basket})):
        for row in conn.execute(select(table.session, table.package, table.poem, table.n).where(table.session.in_(chunk))):
            current.setdefault((row.session, row.package), {})[row.poem] = row.n
    items, pairs, rows = Counter(), Counter(), []
    for (session, package), change in by_basket.items():
        entered, left, pair_change = _basket_change(current.get((session, package), {}), change)
        items.update({(package, poem): 1 for poem in entered})
        items.update({(package, poem): -1 for poem in left})
        pairs.update({(package, a, b): n for (a, b), n in pair_change.items()})
        rows += [{"session": session, "package": package, "poem": p, "n": n} for p, n in change.items()]
    _add_counts(conn, table, Counter({(r["session"], r["package"], r["poem"]): r["n"] for r in rows}),
                ["session", "package", "poem"])
    _add_counts(conn, T.WallPoemItem, items, ["package", "poem"])
    _add_counts(conn, T.WallPoemPair, pairs, ["package", "a", "b"])
