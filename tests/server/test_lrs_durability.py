"""SIGKILL the service in the middle of a 10,000-statement ingest: every acknowledged statement survives the
restart, none is stored twice, and resending the unacknowledged (as the kiosk outbox does) completes the set."""
from __future__ import annotations

import base64
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import threading
import uuid

from server import create_app
from server.auth import create_credential

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOTAL, BATCH, KILL_AFTER = 10_000, 100, 40  # kill once 40 batches (4,000 statements) are acknowledged


def _start_server(database_url: str) -> tuple[subprocess.Popen, int]:
    process = subprocess.Popen([sys.executable, "launcher.py", "serve", "--port", "0", "--db", database_url],
                               cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = process.stdout.readline()  # printed once the socket listens
    match = re.search(r"http://127\.0\.0\.1:(\d+)/xapi/", line)
    assert match, f"the server did not start: {line!r}"
    return process, int(match.group(1))


class Sender:
    """Posts batches over one keep-alive connection and records what the server acknowledged."""

    def __init__(self, port: int, key: str, secret: str):
        self.port = port
        self.headers = {"Content-Type": "application/json", "X-Experience-API-Version": "1.0.3",
                        "Authorization": "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode()}

    def post_all(self, batches: list[list[dict]], acknowledged: list[str], on_ack=None) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            for batch in batches:
                connection.request("POST", "/xapi/statements", body=json.dumps(batch), headers=self.headers)
                response = connection.getresponse()
                body = response.read()
                assert response.status == 200, body
                acknowledged.extend(json.loads(body))
                if on_ack:
                    on_ack()
        except (ConnectionError, http.client.HTTPException, OSError):
            return  # the server was killed mid-request: that batch was never acknowledged
        finally:
            connection.close()


def _stored(database_url: str) -> tuple[int, set[str]]:
    app = create_app({"DATABASE_URL": database_url})
    try:
        with app.extensions["yuedu"].engine.connect() as conn:
            ids = [row[0] for row in conn.exec_driver_sql("SELECT statement_id FROM statements")]
    finally:
        app.extensions["yuedu"].engine.dispose()
    return len(ids), set(ids)


def test_sigkill_during_ingest_loses_no_acknowledged_statement(tmp_path, make_statement):
    # SQLite, the default store: PostgreSQL's own durability is not what this test is about.
    database_url = f"sqlite:///{tmp_path / 'lrs.sqlite3'}"
    app = create_app({"DATABASE_URL": database_url})
    made = create_credential(app.extensions["yuedu"].engine, "kiosk-durability")
    app.extensions["yuedu"].engine.dispose()
    statements = [make_statement(n, id=str(uuid.uuid4())) for n in range(TOTAL)]
    batches = [statements[i:i + BATCH] for i in range(0, TOTAL, BATCH)]

    process, port = _start_server(database_url)
    acknowledged: list[str] = []
    killed = threading.Event()

    def kill_when_far_enough():
        if len(acknowledged) >= KILL_AFTER * BATCH and not killed.is_set():
            killed.set()
            process.send_signal(signal.SIGKILL)  # the other sender is mid-request now

    senders = [threading.Thread(target=Sender(port, made.principal.key, made.secret).post_all,
                                args=(batches[part::2], acknowledged, kill_when_far_enough)) for part in range(2)]
    for thread in senders:
        thread.start()
    for thread in senders:
        thread.join(timeout=120)
    process.wait(timeout=30)
    assert killed.is_set() and process.returncode == -signal.SIGKILL
    assert KILL_AFTER * BATCH <= len(acknowledged) < TOTAL

    rows, stored = _stored(database_url)
    assert set(acknowledged) <= stored, "an acknowledged statement was lost"
    assert rows == len(stored), "a statement was stored twice"
    assert len(stored) % BATCH == 0, "a batch was stored in part (each batch is one transaction)"

    # After a restart the outbox resends what was never acknowledged (the batch in flight at the kill may be
    # stored already); the server accepts it all and keeps each id once.
    acknowledged_ids = set(acknowledged)
    unacknowledged = [b for b in batches if not {s["id"] for s in b} <= acknowledged_ids]
    process, port = _start_server(database_url)
    try:
        resent: list[str] = []
        Sender(port, made.principal.key, made.secret).post_all(unacknowledged, resent)
        assert len(resent) == TOTAL - len(acknowledged)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
    rows, stored = _stored(database_url)
    assert rows == TOTAL and stored == {s["id"] for s in statements}
