"""Ingest benchmark of the engagement service: 20,000 statements in batches of 100 from a second process, then
one statement per POST, beside the storage's own limit (the same statements into a bare SQLite table).

Run: .venv/bin/python bench/ingest.py [--statements 20000] [--batch 100] [--single 2000] [--db URL]
Prints statements/s, p50/p99 request latency, and the ratio to the bare-SQLite insert measured in the same run.
"""
from __future__ import annotations

import argparse
import base64
import http.client
import json
import os
import re
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from server.db import WAL_AUTOCHECKPOINT_PAGES  # noqa: E402


def kiosk_statements(count: int) -> list[dict]:
    """Realistic statements: idiom-game sessions reported through the engagement API."""
    from experiences.engagement import Item, ListSink, Place, SessionReporter, build_result

    sink = ListSink()
    place = Place(activity_base="https://lib.example.org/", library="悦读图书馆", branch="main",
                  kiosk_id="bench-kiosk", kiosk_name="kiosk-1")
    clock = [1_790_000_000.0]
    while len(sink.statements) < count:
        session = SessionReporter(sink, place, wall_clock=lambda: clock[0], age_band="6-8")
        run = session.experience("org.example.library.idioms-children", "idiom-lanterns", "1.0.0",
                                 {"zh-CN": "成语灯笼", "en": "Idiom lanterns"}, monotonic=lambda: clock[0])
        run.report("launched")
        for n in range(20):
            clock[0] += 3.5
            item = Item("idiom", f"{n:04d}", {"zh-CN": "画蛇添足"}, "question")
            run.report("answered", item, build_result(score=n % 5, score_max=5, success=n % 3 != 0, duration=3.5))
        run.close()
    return sink.statements[:count]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def bare_sqlite_rate(statements: list[dict], batch: int, folder: Path, synchronous: str) -> float:
    """Statements/s into one bare table (id, indexed columns, JSON), same pragmas, one transaction per batch."""
    db = sqlite3.connect(folder / "bare.sqlite3", isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute(f"PRAGMA synchronous={synchronous}")
    db.execute(f"PRAGMA wal_autocheckpoint={WAL_AUTOCHECKPOINT_PAGES}")  # as the service does
    db.execute("CREATE TABLE s (id TEXT PRIMARY KEY, verb TEXT, object TEXT, registration TEXT, full TEXT)")
    start = time.perf_counter()
    for i in range(0, len(statements), batch):
        db.execute("BEGIN IMMEDIATE")
        db.executemany("INSERT INTO s VALUES (?, ?, ?, ?, ?)", [
            (s["id"], s["verb"]["id"], s["object"]["id"], s["context"]["registration"],
             json.dumps(s, ensure_ascii=False)) for s in statements[i:i + batch]])
        db.execute("COMMIT")
    elapsed = time.perf_counter() - start
    db.close()
    return len(statements) / elapsed


def start_server(db_url: str, env: dict, synchronous: str) -> tuple[subprocess.Popen, int]:
    process = subprocess.Popen([sys.executable, str(REPO / "launcher.py"), "serve", "--port", "0", "--db", db_url,
                                "--sqlite-synchronous", synchronous],
                               cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    match = re.search(r"http://127\.0\.0\.1:(\d+)/xapi/", process.stdout.readline())
    if not match:
        process.kill()
        raise SystemExit("the server did not start")
    return process, int(match.group(1))


def add_credential(db_url: str, env: dict) -> dict:
    """A kiosk credential made by the launcher; returns the JSON POST headers that use it."""
    output = subprocess.run([sys.executable, str(REPO / "launcher.py"), "kiosk-credentials", "add", "bench",
                             "--db", db_url], cwd=REPO, env=env, capture_output=True, text=True, check=True).stdout
    key, secret = output.strip().splitlines()[-1].split(":")
    return {"Content-Type": "application/json", "X-Experience-API-Version": "1.0.3",
            "Authorization": "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode()}


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (Linux /proc): the service's own cost, whatever else loads the machine."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def children_cpu_seconds(pid: int) -> float:
    """CPU time of a process's children (the wall's rollup worker that serve starts)."""
    listing = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return sum(cpu_seconds(int(child)) for child in listing)


def post_all(port: int, headers: dict, bodies: list[bytes]) -> tuple[float, list[float]]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    latencies = []
    start = time.perf_counter()
    for body in bodies:
        sent = time.perf_counter()
        connection.request("POST", "/xapi/statements", body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        latencies.append(time.perf_counter() - sent)
        if response.status != 200:
            raise SystemExit(f"POST failed: {response.status}")
    elapsed = time.perf_counter() - start
    connection.close()
    return elapsed, latencies


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--single", type=int, default=2_000, help="statements sent one per POST")
    parser.add_argument("--db", default=None, help="database URL (default: a fresh SQLite file)")
    parser.add_argument("--sqlite-synchronous", choices=("NORMAL", "FULL"), default="FULL",
                        help="SQLite durability for the LRS and the bare baseline alike (default FULL, "
                             "the service's own default)")
    args = parser.parse_args(argv)

    folder = Path(tempfile.mkdtemp(prefix="yuedu-ingest-"))
    env = dict(os.environ, YUEDU_DATA_DIR=str(folder / "data"))
    db_url = args.db or f"sqlite:///{folder / 'lrs.sqlite3'}"
    headers = add_credential(db_url, env)

    statements = kiosk_statements(args.statements + args.single)
    batched, singles = statements[:args.statements], statements[args.statements:]
    baseline = bare_sqlite_rate(batched, args.batch, folder, args.sqlite_synchronous)

    process, port = start_server(db_url, env, args.sqlite_synchronous)
    try:
        bodies = [json.dumps(batched[i:i + args.batch]).encode() for i in range(0, len(batched), args.batch)]
        cpu_before = cpu_seconds(process.pid)
        elapsed, latencies = post_all(port, headers, bodies)
        batch_cpu = cpu_seconds(process.pid) - cpu_before
        batch_rate = len(batched) / elapsed
        cpu_before = cpu_seconds(process.pid)
        single_elapsed, single_latencies = post_all(port, headers, [json.dumps(s).encode() for s in singles])
        single_cpu = cpu_seconds(process.pid) - cpu_before
        worker_cpu = children_cpu_seconds(process.pid)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)

    db_name = "SQLite" if db_url.startswith("sqlite") else db_url.split(":")[0]
    if db_name == "SQLite":
        db_name += f" (WAL, synchronous={args.sqlite_synchronous})"
    print(f"database: {db_name}; {len(batched)} statements in batches of {args.batch}, {len(singles)} one per POST")
    print(f"bare SQLite insert (same statements, batches of {args.batch}): {baseline:,.0f} statements/s")
    print(f"LRS batched:  {batch_rate:,.0f} statements/s; per batch p50 {statistics.median(latencies) * 1000:.1f} ms, "
          f"p99 {percentile(latencies, 0.99) * 1000:.1f} ms; ratio to bare SQLite {batch_rate / baseline:.2f}; "
          f"service CPU {batch_cpu / len(batched) * 1e6:.0f} µs/statement")
    print(f"LRS single:   {len(singles) / single_elapsed:,.0f} statements/s; per POST p50 "
          f"{statistics.median(single_latencies) * 1000:.1f} ms, p99 {percentile(single_latencies, 0.99) * 1000:.1f} ms; "
          f"service CPU {single_cpu / max(1, len(singles)) * 1e6:.0f} µs/statement")
    print(f"wall rollup worker (a process of its own, niced): {worker_cpu / len(statements) * 1e6:.0f} µs CPU per "
          f"statement stored, over the whole run")
    print(f"machine load average (1 min) at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    sys.exit(main())
