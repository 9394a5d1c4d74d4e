"""The real `launcher.py serve` with lobby screens open, some of them never reading what they are sent: /healthz
and a statement POST still answer at once (each open wall page used to hold one of the 4 worker threads)."""
from __future__ import annotations

import base64
import http.client
import json
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid

import pytest

from tests.conftest import REPO_ROOT

TOKEN = "lobby-token-for-the-test"


@pytest.fixture
def served(tmp_path, data_dir):
    from server.auth import create_credential
    from server.commands import _engine

    db_url = f"sqlite:///{tmp_path / 'lrs.sqlite3'}"
    engine = _engine(db_url)
    made = create_credential(engine, "kiosk-1", "kiosk")
    engine.dispose()
    env = {**__import__("os").environ, "YUEDU_WALL_TOKEN": TOKEN}
    process = subprocess.Popen([sys.executable, "launcher.py", "serve", "--port", "0", "--db", db_url], cwd=REPO_ROOT,
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        match = re.search(r"http://127\.0\.0\.1:(\d+)/xapi/", process.stdout.readline())
        assert match, "serve did not start"
        wall_line = process.stdout.readline()  # stdout is a pipe here, not a terminal: no token
        assert f":{match.group(1)}/wall?token=…" in wall_line and TOKEN not in wall_line
        yield int(match.group(1)), f"{made.principal.key}:{made.secret}"
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


def _never_reading(port: int, path: str) -> socket.socket:
    """A lobby screen that went away without closing: it asked, and never reads the answer."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # its buffers fill after a few answers
    sock.sendall(f"GET {path} HTTP/1.1\r\nHost: lobby\r\n\r\n".encode() * 3)
    return sock


def _timed(connection: http.client.HTTPConnection, method: str, path: str, **kwargs) -> tuple[int, float]:
    started = time.perf_counter()
    connection.request(method, path, **kwargs)
    response = connection.getresponse()
    response.read()
    return response.status, time.perf_counter() - started


def test_health_and_ingest_answer_with_many_wall_screens_open(served):
    port, credential = served
    stuck = [_never_reading(port, f"/wall/stream?token={TOKEN}") for _ in range(6)]  # pages from before the upgrade
    stuck += [_never_reading(port, f"/wall/panels?token={TOKEN}&screen=s{n}") for n in range(4)]
    stuck += [_never_reading(port, f"/wall?token={TOKEN}") for _ in range(2)]
    stop = threading.Event()
    answers: list[int] = []

    def screen(n: int) -> None:  # an open wall page, asking as often as a page would every few seconds
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        version = ""
        while not stop.is_set() and len(answers) < 10_000:
            connection.request("GET", f"/wall/panels?token={TOKEN}&screen=live{n}&have={version}")
            response = connection.getresponse()
            body = response.read()
            answers.append(response.status)
            if response.status == 200:
                version = json.loads(body)["version"]
            stop.wait(0.2)
        connection.close()

    readers = [threading.Thread(target=screen, args=(n,), daemon=True) for n in range(4)]
    for thread in readers:
        thread.start()
    try:
        deadline = time.monotonic() + 20
        while answers.count(204) < 4 and time.monotonic() < deadline:  # every screen has its panels and asked again
            time.sleep(0.05)
        monitor = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        health = [_timed(monitor, "GET", "/healthz") for _ in range(10)]
        statement = {"id": str(uuid.uuid4()), "actor": {"mbox": "mailto:reader@example.org"},
                     "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced"},
                     "object": {"id": "https://lib.example.org/activities/poems"}}
        headers = {"Content-Type": "application/json", "X-Experience-API-Version": "1.0.3",
                   "Authorization": "Basic " + base64.b64encode(credential.encode()).decode()}
        posted = _timed(monitor, "POST", "/xapi/statements", body=json.dumps(statement), headers=headers)
        screens = json.loads(_get(port, f"/wall/api/screens?token={TOKEN}"))["screens"]
        monitor.close()
    finally:
        stop.set()
        for thread in readers:
            thread.join(timeout=10)
        for sock in stuck:
            sock.close()
    assert all(status == 200 for status, _ in health)
    assert max(seconds for _, seconds in health) < 1.0  # a held pool made these wait for minutes
    assert posted[0] == 200 and posted[1] < 1.0
    assert answers and set(answers) <= {200, 204} and 204 in answers
    assert {f"live{n}" for n in range(4)} <= {s["screen"] for s in screens}


def _get(port: int, path: str) -> str:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path)
    body = connection.getresponse().read().decode()
    connection.close()
    return body
