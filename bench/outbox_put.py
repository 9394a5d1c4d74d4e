"""What a durable put costs the kiosk's frame loop: Outbox.put (WAL, synchronous=FULL, one fsync per statement)
against a baseline of the same insert with synchronous=OFF (no fsync), in the same run and directory.

    .venv/bin/python bench/outbox_put.py [N]
"""
from __future__ import annotations

import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

from experiences.outbox import Outbox


def statement(n: int) -> dict:
    return {"id": str(uuid.uuid4()),
            "actor": {"objectType": "Agent", "account": {"homePage": "https://lib.example.org/", "name": "s"}},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/answered", "display": {"zh-CN": "作答"}},
            "object": {"objectType": "Activity", "id": f"https://lib.example.org/activities/idiom/{n}"},
            "context": {"registration": str(uuid.uuid4()), "platform": "Yuedu kiosk"},
            "timestamp": "2026-11-23T10:00:00.000Z"}


def measure(box: Outbox, n: int) -> list[float]:
    times = []
    for i in range(n):
        s = statement(i)
        start = time.perf_counter()
        box.put(s)
        times.append((time.perf_counter() - start) * 1000)
    return times


def summary(times: list[float]) -> str:
    ordered = sorted(times)
    return (f"median {statistics.median(ordered):.3f} ms, p99 {ordered[int(len(ordered) * 0.99) - 1]:.3f} ms, "
            f"max {ordered[-1]:.3f} ms")


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    with tempfile.TemporaryDirectory(dir=Path.cwd()) as folder:
        durable = Outbox(Path(folder) / "durable.sqlite3")
        baseline = Outbox(Path(folder) / "baseline.sqlite3")
        baseline._db.execute("PRAGMA synchronous=OFF")
        full = measure(durable, n)
        off = measure(baseline, n)
        durable.close()
        baseline.close()
    print(f"Outbox.put, synchronous=FULL ({n}): {summary(full)}")
    print(f"baseline put, synchronous=OFF ({n}): {summary(off)}")
    print(f"ratio of medians FULL/OFF: {statistics.median(full) / statistics.median(off):.1f}x")


if __name__ == "__main__":
    main()
