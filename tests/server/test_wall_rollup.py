"""The wall's rollup tables, kept by the job, give the same figures as a scan of the raw statements."""
from __future__ import annotations

from dataclasses import asdict
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import json

import pytest
from sqlalchemy import select

from server.analytics.events import EXTENSION_NAMESPACE, event_from_statement
from server.analytics.recommend import build_model
from server.models import Statement
from server.wall.tables import WallItem, WallPackage, WallPair

from server.auth import create_credential
from server.db import make_engine, upgrade_schema
from server.wall import generate
from server.wall.queries import raw_figures, rollup_figures
from server.wall.rollup import RollupJob
from server.xapi.store import StatementStore

NOW = datetime(2026, 11, 25, 9, 30, tzinfo=timezone.utc)  # a Wednesday
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def engine(database_url):
    engine = make_engine(database_url)
    upgrade_schema(engine)
    yield engine
    engine.dispose()


def same(engine, tz=SHANGHAI, now=NOW):
    rolled, raw = asdict(rollup_figures(engine, now, tz)), asdict(raw_figures(engine, now, tz))
    assert rolled == raw
    assert rolled_baskets(engine) == raw_baskets(engine)
    return rolled


def raw_baskets(engine):
    """Sessions per package and per package pair, from the statements that are not voided."""
    sessions = {}
    with engine.connect() as conn:
        for full, voided in conn.execute(select(Statement.full, Statement.voided)):
            event = event_from_statement(json.loads(full))
            if event is not None and event.event == "launched" and not voided:
                sessions.setdefault(event.session, set()).add(event.package_id)
    model = build_model(sessions.values())
    pairs = {(a, b): n for a, others in model.pair_sessions.items() for b, n in others.items() if n}
    return dict(model.item_sessions), pairs


def rolled_baskets(engine):
    with engine.connect() as conn:
        items = {}
        for package, n in conn.execute(select(WallItem.package, WallItem.n)):
            items[package] = items.get(package, 0) + n
        pairs = {(a, b): n for a, b, n in conn.execute(select(WallPair.a, WallPair.b, WallPair.n))}
    return items, pairs


def store(engine, statements):
    admin = create_credential(engine, "staff", "admin").principal
    return StatementStore(engine, "https://lrs.example.org").store(statements, principal=admin, version="1.0.3")


def test_rollups_equal_raw_scan_in_one_go_and_in_steps(engine):
    pairs = list(generate.generate(900, NOW, days=12, seed=3))
    generate.bulk_insert(engine, pairs[:400])
    job = RollupJob(engine, "Asia/Shanghai", batch=150)
    assert job.run() == 400
    same(engine)
    generate.bulk_insert(engine, pairs[400:])
    assert job.run() == 500
    figures = same(engine)
    assert job.run() == 0
    assert figures["visitors_week"] > 0 and figures["plays_week"] and figures["best_readings"]
    assert figures["repeat_plays_week"] > 0 and sum(figures["busiest_hours"]) == sum(figures["plays_week"].values())
    # Other moments read the same rollups: last week's Sunday, and a day with nothing yet.
    same(engine, now=NOW - timedelta(days=3))
    same(engine, now=NOW + timedelta(days=9))


def test_voided_statements_drop_out_once(engine):
    rng = __import__("random").Random(5)
    place = generate.PLACES[0]
    now = datetime.now(timezone.utc)  # stored through the LRS, so stored is now
    session = generate.session_statements(rng, now - timedelta(hours=2), place)
    extra = generate.session_statements(rng, now - timedelta(hours=1), place)
    store(engine, session + extra)
    job = RollupJob(engine, "Asia/Shanghai")
    job.run()
    before = same(engine, now=now)
    targets = [s for s in session if s["verb"]["id"].endswith(("launched", "scored", "answered", "completed"))]
    voiding = [{"actor": {"mbox": "mailto:staff@lib.example.org"}, "verb": {"id": "http://adlnet.gov/expapi/verbs/voided"},
                "object": {"objectType": "StatementRef", "id": s["id"]}} for s in targets]
    store(engine, voiding)
    job.run()
    after = same(engine, now=now)
    assert sum(after["plays_week"].values()) < sum(before["plays_week"].values())
    # A second voiding of the same statements changes nothing.
    store(engine, [dict(v) for v in voiding[:2]])
    job.run()
    assert same(engine, now=now) == after


def test_day_boundary_follows_the_library_time_zone(engine):
    rng = __import__("random").Random(9)
    # 00:30 on Wednesday in Shanghai is 16:30 on Tuesday in UTC.
    at = datetime(2026, 11, 24, 16, 30, tzinfo=timezone.utc)
    early = generate.session_statements(rng, at - timedelta(seconds=20))
    generate.bulk_insert(engine, [(early[0], at + timedelta(seconds=50))])
    job = RollupJob(engine, "Asia/Shanghai")
    job.run()
    assert same(engine)["visitors_today"] == 1
    utc_job = RollupJob(engine, "UTC")  # the zone changed in the config: the rollups are rebuilt in it
    utc_job.run()
    figures = same(engine, tz=ZoneInfo("UTC"))
    assert figures["visitors_today"] == 0 and figures["visitors_week"] == 1
    assert figures["busiest_hours"][16] == 1


def test_implausible_timestamp_counts_at_stored_time(engine):
    rng = __import__("random").Random(11)
    session = generate.session_statements(rng, NOW - timedelta(minutes=30))
    for s in session:  # the kiosk's clock was a year behind
        s["timestamp"] = generate.iso(datetime.fromisoformat(s["timestamp"].replace("Z", "+00:00")) - timedelta(days=365))
    store(engine, session)
    RollupJob(engine, "Asia/Shanghai").run()
    assert same(engine, now=datetime.now(timezone.utc))["visitors_today"] == 1


def with_old_keys(statement: dict, base: str = "https://old-library.example.org/yuedu/") -> dict:
    """The statement as a kiosk before the extension namespace keyed it: `<activity_base>/extensions/<name>`."""
    old = json.loads(json.dumps(statement))
    for part in (old.get("context") or {}, old.get("result") or {}):
        if "extensions" in part:
            part["extensions"] = {base + "extensions/" + key[len(EXTENSION_NAMESPACE):]: value
                                  for key, value in part["extensions"].items()}
    return old


def package_kinds(engine):
    with engine.connect() as conn:
        return dict(conn.execute(select(WallPackage.package, WallPackage.kind)).all())


def wall_tables(engine) -> dict:
    """Every row of every rollup table (what the wall, its reports and the recommendations read)."""
    from server.wall.rollup import ALL_TABLES

    with engine.connect() as conn:
        return {table.__tablename__: sorted(tuple(str(v) for v in row) for row in conn.execute(select(table)).all())
                for table in ALL_TABLES if table.__tablename__ != "wall_state"}


def test_statements_stored_with_old_and_new_extension_keys_roll_up_alike(engine, tmp_path):
    pairs = list(generate.generate(600, NOW, days=8, seed=12))
    assert all(key.startswith(EXTENSION_NAMESPACE) for s, _ in pairs for key in s["context"]["extensions"])
    reference = make_engine(f"sqlite:///{tmp_path / 'new-keys.sqlite3'}")
    upgrade_schema(reference)
    generate.bulk_insert(reference, pairs)
    RollupJob(reference, "Asia/Shanghai").run()
    new = same(reference)
    # The field's database: statements stored before the upgrade (old keys), then after it (new keys), mixed.
    generate.bulk_insert(engine, [(with_old_keys(s) if i % 2 else s, stored) for i, (s, stored) in enumerate(pairs)])
    RollupJob(engine, "Asia/Shanghai").run()
    assert same(engine) == new
    tables = wall_tables(engine)
    assert tables == wall_tables(reference)
    assert all(tables[name] for name in ("wall_kiosks", "wall_kiosk_packages", "wall_readings", "wall_sessions"))
    assert package_kinds(engine) == package_kinds(reference) and set(package_kinds(engine).values()) >= {
        "idiom-lanterns", "idiom-chain", "recitation"}
    assert new["branches_week"] and new["kiosks_today"] and new["age_bands_week"]
    assert {name for _, name, _ in new["best_readings"]} - {""}  # nicknames read from result extensions
    reference.dispose()
