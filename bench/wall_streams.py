"""Lobby screens against the service: /healthz latency and batched ingest with 50 wall connections open, 10 of
them never reading what they are sent, beside the same server with no wall connection, in the same run.

Run: .venv/bin/python bench/wall_streams.py [--screens 50] [--stuck 10] [--poll 5] [--statements 60000] [--rounds 2]
[--warmup 1]. One `launcher.py serve` (4 worker threads, SQLite) on 127.0.0.1; after a warm-up pair that is not
counted, runs alternate without / with screens (ABBA: the order flips each pair, as the database grows). The open
screens ask for their panels every --poll seconds as the wall page does (5 s); the stuck ones keep asking for full
panels and never read, so their socket buffers fill. Prints /healthz p50/p99/max (asked every 20 ms during ingest)
and statements/s per run, and the ratios; target: p99 <= 100 ms and ingest within 10 % with screens open.
"""
from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import signal
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ingest import add_credential, cpu_seconds, kiosk_statements, percentile, post_all, start_server  # noqa: E402

TOKEN = "bench-lobby-token"
HEALTH_EVERY = 0.02
MAX_HEALTH_SAMPLES = 50_000


def probe_health(port: int, stop: threading.Event, latencies: list[float]) -> None:
    """/healthz every 20 ms on one kept-alive connection, as monitoring would, until `stop`."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    while not stop.is_set() and len(latencies) < MAX_HEALTH_SAMPLES:
        started = time.perf_counter()
        connection.request("GET", "/healthz")
        response = connection.getresponse()
        response.read()
        if response.status != 200:
            raise SystemExit(f"/healthz answered {response.status}")
        latencies.append(time.perf_counter() - started)
        stop.wait(HEALTH_EVERY)
    connection.close()


class Screens:
    """`reading` wall pages polling like the real page, and `stuck` connections that ask and never read."""

    def __init__(self, port: int, reading: int, stuck: int, poll: float, stop) -> None:
        self.port, self.poll, self.stop = port, poll, stop
        self.statuses: list[int] = []
        self.stuck_requests = 0
        self.stuck: list[socket.socket] = []
        for _ in range(stuck):
            sock = socket.create_connection(("127.0.0.1", port), timeout=10)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            sock.setblocking(False)
            self.stuck.append(sock)
        self.threads = [threading.Thread(target=self._page, args=(n, reading), daemon=True) for n in range(reading)]
        self.threads.append(threading.Thread(target=self._never_read, daemon=True))

    def run(self) -> tuple[list[int], int]:
        for thread in self.threads:
            thread.start()
        for thread in self.threads:
            thread.join()
        for sock in self.stuck:
            sock.close()
        return self.statuses, self.stuck_requests

    def _page(self, n: int, count: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        version = ""
        self.stop.wait(self.poll * n / count)  # pages opened at different moments
        while not self.stop.is_set() and len(self.statuses) < 1_000_000:
            connection.request("GET", f"/wall/panels?token={TOKEN}&screen=bench{n}&have={version}")
            response = connection.getresponse()
            body = response.read()
            self.statuses.append(response.status)
            if response.status == 200:
                version = json.loads(body)["version"]
            self.stop.wait(self.poll)
        connection.close()

    def _never_read(self) -> None:
        request = f"GET /wall/panels?token={TOKEN}&screen=stuck HTTP/1.1\r\nHost: lobby\r\n\r\n".encode()
        while not self.stop.is_set():
            for sock in self.stuck:
                try:
                    sock.send(request)
                    self.stuck_requests += 1
                except BlockingIOError:  # its buffers are full both ways: the server has stopped reading it
                    pass
            self.stop.wait(self.poll)


def screens_process(port: int, reading: int, stuck: int, poll: float, stop, results) -> None:
    """The screens in a process of their own: their threads must not take the prober's GIL (or its CPU time)."""
    results.put(Screens(port, reading, stuck, poll, stop).run())


def one_run(port: int, headers: dict, bodies: list[bytes], pid: int, screens: tuple | None) -> dict:
    stop = threading.Event()
    health: list[float] = []
    prober = threading.Thread(target=probe_health, args=(port, stop, health), daemon=True)
    child = None
    if screens is not None:
        context = multiprocessing.get_context("spawn")
        screens_stop, results = context.Event(), context.Queue()
        child = context.Process(target=screens_process, args=(port, *screens, screens_stop, results), daemon=True)
        child.start()
        time.sleep(screens[2] + 1)  # every screen open and asking before ingest starts
    cpu = cpu_seconds(pid)
    prober.start()
    try:
        elapsed, _ = post_all(port, headers, bodies)
    finally:
        stop.set()
        prober.join(timeout=60)
        statuses, stuck_requests = [], 0
        if child is not None:
            screens_stop.set()
            statuses, stuck_requests = results.get(timeout=120)
            child.join(timeout=30)
    count = sum(len(json.loads(body)) for body in bodies)
    return {"rate": count / elapsed, "count": count, "health": health, "cpu": cpu_seconds(pid) - cpu,
            "statuses": statuses, "stuck_requests": stuck_requests}


def describe(name: str, run: dict) -> str:
    h = run["health"]
    line = (f"{name:>15}: ingest {run['rate']:,.0f} statements/s; /healthz n={len(h)} p50 "
            f"{statistics.median(h) * 1000:.1f} ms, p99 {percentile(h, 0.99) * 1000:.1f} ms, "
            f"max {max(h) * 1000:.1f} ms; "
            f"service CPU {run['cpu'] / run['count'] * 1e6:.0f} µs/statement")
    if run["statuses"]:
        line += (f"; wall answers {run['statuses'].count(200)}×200 (new panels) {run['statuses'].count(204)}×204, "
                 f"{run['stuck_requests']} requests from never-reading connections")
    return line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--screens", type=int, default=50, help="open wall connections in all")
    parser.add_argument("--stuck", type=int, default=10, help="of them, connections that never read")
    parser.add_argument("--poll", type=float, default=5.0, help="seconds between a page's asks (the page's: 5)")
    parser.add_argument("--statements", type=int, default=60_000, help="statements per run, batches of --batch")
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=2, help="pairs of runs (without, with screens)")
    parser.add_argument("--warmup", type=int, default=1, help="pairs run first and not counted (the database's first "
                        "statements, the first panels and screens' connections are slower than the steady state)")
    args = parser.parse_args(argv)

    folder = Path(tempfile.mkdtemp(prefix="yuedu-wall-streams-"))
    env = dict(os.environ, YUEDU_DATA_DIR=str(folder / "data"), YUEDU_WALL_TOKEN=TOKEN)
    db_url = f"sqlite:///{folder / 'lrs.sqlite3'}"
    headers = add_credential(db_url, env)
    statements = kiosk_statements(args.statements * 2 * (args.warmup + args.rounds))
    chunks = [statements[i:i + args.statements] for i in range(0, len(statements), args.statements)]
    process, port = start_server(db_url, env, "FULL")
    runs: dict[str, list[dict]] = {"without screens": [], "with screens": []}
    try:
        for n, chunk in enumerate(chunks):
            bodies = [json.dumps(chunk[i:i + args.batch]).encode() for i in range(0, len(chunk), args.batch)]
            # within a pair the order alternates (without first, then with first, ...): the database grows run by
            # run, and a fixed order would charge that growth to one side
            pair = n // 2
            with_screens = (n % 2 == 1) != (pair % 2 == 1)
            screens = (args.screens - args.stuck, args.stuck, args.poll) if with_screens else None
            run = one_run(port, headers, bodies, process.pid, screens)
            name = "with screens" if with_screens else "without screens"
            counted = pair >= args.warmup
            if counted:
                runs[name].append(run)
            print(describe(name if counted else f"warm-up, {name}", run), flush=True)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)

    print(f"{args.screens} wall connections ({args.stuck} never reading, the others asking every {args.poll:g} s); "
          f"{args.statements} statements per run in batches of {args.batch}; SQLite, 4 worker threads")
    for without, with_ in zip(runs["without screens"], runs["with screens"]):
        p99 = percentile(with_["health"], 0.99) * 1000
        print(f"pair: ingest with/without screens {with_['rate'] / without['rate']:.2f} "
              f"(target >= 0.90); /healthz p99 {p99:.1f} ms with screens (target <= 100 ms) beside "
              f"{percentile(without['health'], 0.99) * 1000:.1f} ms without; service CPU per statement "
              f"{with_['cpu'] / with_['count'] / (without['cpu'] / without['count']):.2f}×")
    print(f"machine load average (1 min) at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    return 0


if __name__ == "__main__":
    sys.exit(main())
