"""从体验到书架 bench (issue #19): what the wall's panel costs to compute from N `was recommended` statements
(default 100,000 — three cards a visit, ~370 visits a day for 90 days), with QR `scanned` statements and loans, beside
the bare read of the same statement rows (SELECT and JSON parse, nothing counted) in the same run.

Run: .venv/bin/python bench/wall_shelf.py [--statements 100000] [--repeat 2] [--db URL]
Prints both times (best of --repeat), their ratio, and the share of one core the wall spends on it when it reads the
figures again every WALL_SHELF_SECONDS (60 s).
"""
from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import tempfile
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import orjson  # noqa: E402
from sqlalchemy import insert, text  # noqa: E402

from server.catalogue.marc import Parsed  # noqa: E402
from server.catalogue.model import Holding, Record  # noqa: E402
from server.catalogue.scans import SCANNED_VERB, scan_statement  # noqa: E402
from server.catalogue.store import RECOMMENDED_VERB, CatalogueStore  # noqa: E402
from server.db import make_engine, upgrade_schema, write_transaction  # noqa: E402
from server.models import Statement  # noqa: E402
from server.wall.settings import DEFAULTS  # noqa: E402

BASE = "https://lib.example.org/"
EXT = "https://w3id.org/yuedu/xapi/extensions/"
PACKAGES = ["idiom-chain", "idioms-children", "poems-recital", "exhibit-book", "exhibit-treasure", "exhibit-panorama"]


def books(count: int = 2000) -> list[Record]:
    return [Record(f"B{n:05d}", f"书{n}", isbn=f"978{n:010d}" if n % 3 else "",
                   holdings=[Holding(f"I222/{n}", "少儿阅览室", f"C{n:05d}", "available")]) for n in range(count)]


def recommended(rng: random.Random, record: Record, package: str, day: dt.date) -> dict:
    at = dt.datetime.combine(day, dt.time(rng.randrange(24), rng.randrange(60)), dt.timezone.utc)
    return {"id": str(uuid.uuid4()), "actor": {"objectType": "Agent", "account": {"homePage": BASE,
                                                                                 "name": str(uuid.uuid4())}},
            "verb": {"id": RECOMMENDED_VERB, "display": {"en-US": "was recommended"}},
            "object": {"objectType": "Activity", "id": f"urn:isbn:{record.isbn}" if record.isbn else
                       f"https://lrs.example/c/{record.id}"},
            "context": {"registration": str(uuid.uuid4()),
                        "contextActivities": {"parent": [{"objectType": "Activity", "id": f"{BASE}activities/{package}"}]},
                        "extensions": {EXT + "book-record": record.id, EXT + "kiosk": "kiosk-a1"}},
            "timestamp": at.isoformat().replace("+00:00", "Z")}


def row(statement: dict) -> dict:
    at = dt.datetime.fromisoformat(statement["timestamp"].replace("Z", "+00:00")).replace(tzinfo=None)
    return {"statement_id": statement["id"], "stored": at, "timestamp": at, "verb_id": statement["verb"]["id"],
            "object_activity_id": statement["object"]["id"], "object_statement_id": None,
            "registration": statement["context"].get("registration"), "voided": False, "credential_id": None,
            "actor_key": f"account:{statement['actor']['account']['homePage']}|{statement['actor']['account']['name']}",
            "full": orjson.dumps(statement).decode()}


def load(store: CatalogueStore, count: int, today: dt.date, seed: int = 5) -> tuple[int, int]:
    rng = random.Random(seed)
    catalogue = books()
    store.import_records([Parsed(i + 1, r) for i, r in enumerate(catalogue)])
    rows, scans, loans = [], 0, set()
    for _ in range(count):
        record, package = rng.choice(catalogue), rng.choice(PACKAGES)
        day = today - dt.timedelta(days=rng.randrange(90))
        rows.append(row(recommended(rng, record, package, day)))
        if rng.random() < 0.05:
            now = dt.datetime.combine(day, dt.time(12), dt.timezone.utc)
            rows.append(row(scan_statement(record, f"https://lrs.example/c/{record.id}", "https://lrs.example/",
                                           f"{BASE}activities/{package}", now)))
            scans += 1
        if rng.random() < 0.03:
            loans.add((record.holdings[0].barcode, min(today, day + dt.timedelta(days=rng.randrange(20)))))
    with write_transaction(store.engine) as conn:
        for start in range(0, len(rows), 20000):
            conn.execute(insert(Statement), rows[start:start + 20000])
    store.import_loans((n, barcode, day, "") for n, (barcode, day) in enumerate(sorted(loans)))
    return scans, len(loans)


def bare_read(store: CatalogueStore, since: dt.date) -> int:
    """The rows the panel must read, read and parsed, nothing counted: the floor under any way of counting them."""
    n = 0
    with store.engine.connect() as conn:
        for (full,) in conn.execute(text("SELECT \"full\" FROM statements WHERE verb_id IN (:r, :s) AND voided = :f "
                                         "AND timestamp >= :since"),
                                    {"r": RECOMMENDED_VERB, "s": SCANNED_VERB, "f": False,
                                     "since": dt.datetime.combine(since, dt.time())}):
            orjson.loads(full)
            n += 1
    return n


def best(repeat: int, call) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - start)
    return min(times), result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--db", default="")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="yuedu-bench-shelf-") as tmp:
        engine = make_engine(args.db or f"sqlite:///{Path(tmp) / 'lrs.sqlite3'}")
        upgrade_schema(engine)
        store = CatalogueStore(engine)
        today = dt.date.today()
        start = time.perf_counter()
        scans, loans = load(store, args.statements, today)
        print(f"loaded {args.statements:,} recommendations, {scans:,} scans, {loans:,} loans "
              f"in {time.perf_counter() - start:.1f} s")
        since = today - dt.timedelta(days=90)
        bare, rows = best(args.repeat, lambda: bare_read(store, since))
        figures, (funnels, top, _known) = best(args.repeat, lambda: store.shelf_figures(since=since, top=4))
        every = float(DEFAULTS["WALL_SHELF_SECONDS"])
        print(f"bare read of the {rows:,} rows: {bare:.2f} s")
        print(f"从体验到书架 figures: {figures:.2f} s ({figures / bare:.2f}x the bare read); "
              f"{len(funnels)} experiences, top book {top[0].record if top else '-'} borrowed {top[0].borrowed if top else 0}")
        print(f"read every {every:g} s: {100 * figures / every:.1f}% of one core on the wall's server")
        engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
