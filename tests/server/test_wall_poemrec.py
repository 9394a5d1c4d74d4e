"""Item-level 「what next?」: the rollup counts poems read together per session (voiding takes them back out),
and /api/recommendations?after=<poem IRI> answers poem picks with reasons naming the poem in zh-CN and en."""
from __future__ import annotations

import base64
import json
import uuid
from collections import Counter
from datetime import datetime, timedelta, timezone
from urllib.parse import quote

import pytest
from sqlalchemy import select

from server.analytics.events import event_from_statement
from server.auth import create_credential
from server.db import make_engine, upgrade_schema
from server.models import Statement
from server.wall import generate
from server.wall.rollup import RollupJob
from server.wall.routes import wall_services
from server.wall.tables import WallPoem, WallPoemItem, WallPoemPair
from server.xapi.store import StatementStore
from wall_fixtures import credentials, make_app

RECITAL = ("poems-recital", "recitation", "唐诗朗诵", "Tang poem recital")
IDIOMS = ("idiom-chain", "idiom-chain", "成语接龙", "Idiom chain")
TITLES = {"jys": "静夜思", "cx": "春晓", "dgql": "登鹳雀楼", "ye": "咏鹅", "jx": "江雪"}
PLACE = generate.PLACES[0]


def poem_iri(poem: str, package: str = RECITAL[0]) -> str:
    return f"{generate.BASE}activities/{package}/poem/{quote(poem)}"


def visit(at: datetime, poems: list[str], *, also: tuple | None = None) -> list[dict]:
    """One session: the booth launched, each poem attempted and completed; optionally another package too."""
    session = str(uuid.uuid4())
    out = [generate.statement("launched", session, PLACE, "6-8", at, RECITAL)]
    for i, poem in enumerate(poems):
        for verb in ("attempted", "completed"):
            s = generate.statement(verb, session, PLACE, "6-8", at + timedelta(seconds=10 * i + 1), RECITAL,
                                   ("poem", poem))
            s["object"]["definition"]["name"] = {"zh-CN": TITLES[poem]}
            out.append(s)
    if also:
        out.append(generate.statement("launched", session, PLACE, "6-8", at + timedelta(minutes=5), also))
    return out


def raw_poem_counts(engine) -> tuple[Counter, Counter]:
    """Sessions per poem and per ordered poem pair, straight from the statements that are not voided."""
    baskets: dict[tuple[str, str], set[str]] = {}
    with engine.connect() as conn:
        for full, voided in conn.execute(select(Statement.full, Statement.voided)):
            event = event_from_statement(json.loads(full))
            if event is not None and event.item_type == "poem" and not voided:
                baskets.setdefault((event.session, event.package_id), set()).add(event.item_id)
    items, pairs = Counter(), Counter()
    for (_session, package), poems in baskets.items():
        items.update((package, p) for p in poems)
        pairs.update((package, a, b) for a in poems for b in poems if a != b)
    return items, pairs


def rolled_poem_counts(engine) -> tuple[Counter, Counter]:
    with engine.connect() as conn:
        items = Counter({(p, poem): n for p, poem, n in conn.execute(select(WallPoemItem.package, WallPoemItem.poem,
                                                                            WallPoemItem.n))})
        pairs = Counter({(p, a, b): n for p, a, b, n in conn.execute(select(WallPoemPair.package, WallPoemPair.a,
                                                                            WallPoemPair.b, WallPoemPair.n))})
    return items, pairs


@pytest.fixture
def engine(database_url):
    engine = make_engine(database_url)
    upgrade_schema(engine)
    yield engine
    engine.dispose()


def test_poem_pairs_are_counted_per_session_and_voiding_takes_them_out(engine):
    now = datetime.now(timezone.utc)
    visits = [visit(now - timedelta(hours=3), ["jys", "cx", "jys"]),  # a poem read twice counts once
              visit(now - timedelta(hours=2), ["jys", "cx", "dgql"]),
              visit(now - timedelta(hours=1), ["ye"], also=IDIOMS)]
    admin = create_credential(engine, "staff", "admin").principal
    lrs = StatementStore(engine, "https://lrs.example.org")
    lrs.store([s for v in visits for s in v], principal=admin, version="1.0.3")
    job = RollupJob(engine, "Asia/Shanghai", batch=7)  # several batches: a basket grows across them
    job.run()
    items, pairs = rolled_poem_counts(engine)
    assert (items, pairs) == raw_poem_counts(engine)
    r = RECITAL[0]
    assert items == Counter({(r, "jys"): 2, (r, "cx"): 2, (r, "dgql"): 1, (r, "ye"): 1})
    assert pairs[(r, "jys", "cx")] == pairs[(r, "cx", "jys")] == 2 and pairs[(r, "cx", "dgql")] == 1
    with engine.connect() as conn:
        assert dict(conn.execute(select(WallPoem.poem, WallPoem.title)).all()) == {p: TITLES[p] for p in
                                                                               ("jys", "cx", "dgql", "ye")}
    # Void every statement about 登鹳雀楼 and 春晓 in the second visit: the pair counts drop with them.
    targets = [s["id"] for s in visits[1] if s["object"]["id"].endswith(("/dgql", "/cx"))]
    voiding = [{"actor": {"mbox": "mailto:staff@lib.example.org"}, "verb": {"id": "http://adlnet.gov/expapi/verbs/voided"},
                "object": {"objectType": "StatementRef", "id": target}} for target in targets]
    lrs.store(voiding, principal=admin, version="1.0.3")
    job.run()
    items, pairs = rolled_poem_counts(engine)
    assert (items, pairs) == raw_poem_counts(engine)
    assert items == Counter({(r, "jys"): 2, (r, "cx"): 1, (r, "ye"): 1})
    assert pairs == Counter({(r, "jys", "cx"): 1, (r, "cx", "jys"): 1})
    lrs.store([dict(v, id=str(uuid.uuid4())) for v in voiding[:1]], principal=admin, version="1.0.3")
    job.run()  # voiding the same statement again changes nothing
    assert rolled_poem_counts(engine) == (items, pairs)


def seeded_app(tmp_path, visits):
    app = make_app(tmp_path)
    stored = datetime(2026, 11, 25, 9, 0, tzinfo=timezone.utc)
    generate.bulk_insert(app.extensions["yuedu"].engine, [(s, stored) for v in visits for s in v])
    wall_services(app).job.run()
    return app


def ask(app, after: str, k: int = 5) -> dict:
    key, secret = credentials(app, "kiosk")
    auth = {"Authorization": "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode()}
    response = app.test_client().get(f"/api/recommendations?after={quote(after, safe='')}&k={k}", headers=auth)
    assert response.status_code == 200
    return response.get_json()


def test_after_a_poem_the_poems_read_with_it_come_first_with_their_titles(tmp_path):
    start = datetime(2026, 11, 25, 2, 0, tzinfo=timezone.utc)
    visits = [visit(start + timedelta(minutes=10 * n), ["jys", "cx"], also=IDIOMS) for n in range(4)]
    visits += [visit(start + timedelta(minutes=50 + 10 * n), ["jys", "jx"]) for n in range(3)]
    visits += [visit(start + timedelta(minutes=90), ["jys", "ye"])]  # once only: chance, not a pick
    visits += [visit(start + timedelta(minutes=100 + n), ["dgql"], also=IDIOMS) for n in range(3)]
    app = seeded_app(tmp_path, visits)
    try:
        body = ask(app, poem_iri("jys"))
        assert body["after"] == RECITAL[0]
        picks = body["picks"]
        poems = [p for p in picks if p.get("item_type") == "poem"]
        assert [p["item_id"] for p in poems] == ["cx", "jx"]  # 4 shared sessions before 3; 咏鹅 (1) left out
        assert picks[:2] == poems and all(p["package"] == RECITAL[0] for p in poems)
        first = poems[0]
        assert first["title"] == {"zh-CN": "春晓", "en": "春晓"}
        assert first["text"] == {"zh-CN": "读了《静夜思》的小朋友也读了《春晓》",
                                 "en": "Children who read 《静夜思》 also read 《春晓》"}
        assert first["reason"] == "also_enjoyed" and first["package_title"]["en"] == "Tang poem recital"
        assert first["score"] >= poems[1]["score"] > 0
        rest = picks[2:]
        assert [p["package"] for p in rest] == [IDIOMS[0]] and "item_id" not in rest[0]  # package picks as before
        assert len(ask(app, poem_iri("jys"), k=3)["picks"]) <= 3
    finally:
        app.extensions["yuedu"].engine.dispose()


def test_too_little_poem_data_falls_back_to_package_picks(tmp_path):
    start = datetime(2026, 11, 25, 2, 0, tzinfo=timezone.utc)
    visits = [visit(start, ["jys", "cx"], also=IDIOMS), visit(start + timedelta(minutes=20), ["jys", "cx"])]
    app = seeded_app(tmp_path, visits)
    try:
        by_poem = ask(app, poem_iri("jys"))
        by_package = ask(app, RECITAL[0])
        assert by_poem == by_package  # two shared sessions are not enough for a poem pick
        assert [p["package"] for p in by_poem["picks"]] == [IDIOMS[0]]
        assert all("item_id" not in p for p in by_poem["picks"])
    finally:
        app.extensions["yuedu"].engine.dispose()
