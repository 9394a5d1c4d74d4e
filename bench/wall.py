"""Smart-wall latency: p95 per wall endpoint from the rollups beside the same answers from raw statements.

Loads N generated statements straight into the statements table (no HTTP), folds them with the rollup job,
then times each endpoint through the Flask app and one raw scan of all statements (which answers every endpoint
at once: the per-endpoint raw cost), checks the answers agree and prints the ratio. Goal: p95 ≤ 50 ms on SQLite.
Usage: .venv/bin/python bench/wall.py [--statements 1000000] [--reps 60] [--raw-reps 2] [--db PATH]
"""
from __future__ import annotations

import argparse
import base64
import statistics
import sys
import tempfile
import time
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import delete, func, select  # noqa: E402

from server import create_app  # noqa: E402
from server.models import Statement  # noqa: E402
from server.wall.tables import WallState  # noqa: E402
from server.auth import create_credential  # noqa: E402
from server.wall import generate  # noqa: E402
from server.wall.queries import raw_figures, rollup_figures  # noqa: E402
from server.wall.routes import PARTS, wall_services  # noqa: E402

NOW = datetime(2026, 11, 25, 9, 30, tzinfo=timezone.utc)
TOKEN = "bench"


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def timed(call, reps: int) -> tuple[list[float], object]:
    samples, result = [], None
    for _ in range(reps):
        started = time.perf_counter()
        result = call()
        samples.append((time.perf_counter() - started) * 1000)
    return samples, result


def agree(part: str, body: dict, raw: dict) -> bool:
    """Whether an endpoint's JSON says what the raw scan says."""
    pairs = lambda rows: [tuple(r) for r in rows]  # noqa: E731
    checks = {
        "visitors": lambda: (body["today"], body["week"], body["repeat_plays_week"]) ==
        (raw["visitors_today"], raw["visitors_week"], raw["repeat_plays_week"]),
        "plays": lambda: body["week"] == raw["plays_week"] and body["today"] == raw["plays_today"],
        "idioms": lambda: pairs(body["right"]) == raw["idioms_right"] and pairs(body["missed"]) == raw["idioms_missed"],
        "poems": lambda: pairs(body["recited"]) == raw["poems_recited"] and
        [(r["score"], r["nickname"], r["poem"]) for r in body["best_readings"]] == raw["best_readings"],
        "hours": lambda: body["launches_per_hour"] == raw["busiest_hours"],
        "places": lambda: body["branches_week"] == raw["branches_week"] and body["kiosks_today"] == raw["kiosks_today"],
        "ages": lambda: body["age_bands_week"] == raw["age_bands_week"],
        "content": lambda: body["new_content"] == raw["new_content"],
    }
    return checks[part]()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--statements", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=60)
    parser.add_argument("--reps", type=int, default=60)
    parser.add_argument("--raw-reps", type=int, default=2)
    parser.add_argument("--db", default=None, help="SQLite file (default: a temporary one)")
    parser.add_argument("--reuse", action="store_true",
                        help="keep the statements already in --db (skip loading) and rebuild the rollups from them")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="yuedu-wall-bench-"))
    db = Path(args.db) if args.db else folder / "lrs.sqlite3"
    app = create_app({"DATABASE_URL": f"sqlite:///{db}", "TESTING": True, "WALL_TOKEN": TOKEN,
                      "WALL_CLOCK": lambda: NOW, "SQLITE_SYNCHRONOUS": "NORMAL"})
    engine = app.extensions["yuedu"].engine
    job = wall_services(app).job
    tz = wall_services(app).tz

    started = time.perf_counter()
    with engine.begin() as conn:
        present = conn.execute(select(func.count()).select_from(Statement)).scalar()
        if args.reuse:
            conn.execute(delete(WallState))  # no recorded zone: the job rebuilds every rollup
    if args.reuse and present:
        print(f"reusing {present} statements in {db}")
    else:
        loaded = generate.bulk_insert(engine, generate.generate(args.statements, NOW, days=args.days))
        print(f"loaded {loaded} statements in {time.perf_counter() - started:.1f} s (bulk insert, no HTTP)", flush=True)
    started = time.perf_counter()
    folded = job.run()
    print(f"rollup job folded {folded} statements in {time.perf_counter() - started:.1f} s "
          f"({folded / max(time.perf_counter() - started, 1e-9):.0f}/s)", flush=True)

    client = app.test_client()
    made = create_credential(engine, "bench-kiosk", "kiosk")
    kiosk = {"Authorization": "Basic " + base64.b64encode(f"{made.principal.key}:{made.secret}".encode()).decode()}
    raw_samples, raw = timed(lambda: raw_figures(engine, NOW, tz), args.raw_reps)
    raw = asdict(raw)
    raw_p95 = p95(raw_samples)
    assert asdict(rollup_figures(engine, NOW, tz)) == raw, "rollups and raw statements disagree"
    print(f"\nraw scan of all statements (answers every endpoint): p95 {raw_p95:.0f} ms over {args.raw_reps} runs\n")
    print(f"{'endpoint':34} {'p50 ms':>8} {'p95 ms':>8} {'raw ms':>9} {'raw/rollup':>11}  same answer  ≤50 ms")
    worst = 0.0
    for part in PARTS:
        path = f"/wall/api/{part}?token={TOKEN}"
        samples, response = timed(lambda: client.get(path), args.reps)
        same = agree(part, response.get_json(), raw)
        worst = max(worst, p95(samples))
        print(f"{'GET /wall/api/' + part:34} {statistics.median(samples):8.1f} {p95(samples):8.1f} {raw_p95:9.0f} "
              f"{raw_p95 / p95(samples):10.0f}x  {'yes' if same else 'NO':>11}  {'yes' if p95(samples) <= 50 else 'no'}")
    for label, path, headers in (
            ("GET /wall/api/all", f"/wall/api/all?token={TOKEN}", {}),
            ("GET /api/recommendations", "/api/recommendations?after=poems-recital&age_band=6-8&kiosk=kiosk-a1", kiosk),
            ("GET /wall (page; panels cached)", f"/wall?token={TOKEN}", {})):
        samples, response = timed(lambda: client.get(path, headers=headers), max(10, args.reps // 3))
        assert response.status_code == 200, (path, response.status_code)
        print(f"{label:34} {statistics.median(samples):8.1f} {p95(samples):8.1f} {raw_p95:9.0f} "
              f"{raw_p95 / p95(samples):10.0f}x  {'—':>11}  {'yes' if p95(samples) <= 50 else 'no'}")
    print(f"\nworst p95 over the per-part endpoints: {worst:.1f} ms (goal ≤ 50 ms)")
    engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
