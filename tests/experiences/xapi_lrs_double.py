"""A small real HTTP LRS for sender tests: stores statements by id like an xAPI 1.0.3 LRS and counts deliveries.

Runs http.server on 127.0.0.1 (port 0) in a thread. Batches are all-or-nothing, as at a real LRS.
"""
from __future__ import annotations

import base64
import json
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

REQUIRED = ("id", "actor", "verb", "object")


class LrsDouble:
    def __init__(self, key: str = "kiosk", secret: str = "s3cret", *, conflict_on_duplicate: bool = False,
                 listen: bool = True):
        self.key, self.secret = key, secret
        self.conflict_on_duplicate = conflict_on_duplicate  # answer 409 to every known id (some LRSs do)
        self.stored: dict[str, dict] = {}
        self.deliveries: Counter[str] = Counter()  # id -> times it arrived in an accepted POST
        self.requests: list[tuple[str, int, int]] = []  # (method, statements in the body, status answered)
        self.scripted: list[tuple[int, dict]] = []  # answers to give first, in order: (status, headers)
        self.hold_responses = threading.Event()  # when set, POST answers wait for `release` after storing
        self.release = threading.Event()
        self.first_store = threading.Event()
        self.stored_changed = threading.Condition()
        self.bad_headers: list[str] = []
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler(), bind_and_activate=False)
        self.server.daemon_threads = True
        self.server.allow_reuse_address = True
        self.server.server_bind()  # the port is reserved now; until listen() a connection is refused
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread: threading.Thread | None = None
        if listen:
            self.listen()

    def listen(self) -> None:
        self.server.server_activate()
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)
        self._thread.start()

    def close(self) -> None:
        self.release.set()
        if self._thread is not None:
            self.server.shutdown()
        self.server.server_close()

    def wait_stored(self, count: int, timeout: float = 30.0) -> bool:
        with self.stored_changed:
            return self.stored_changed.wait_for(lambda: len(self.stored) >= count, timeout=timeout)

    def wait_requests(self, count: int, timeout: float = 30.0) -> bool:
        with self.stored_changed:
            return self.stored_changed.wait_for(lambda: len(self.requests) >= count, timeout=timeout)

    @property
    def duplicates(self) -> int:
        return sum(n - 1 for n in self.deliveries.values() if n > 1)

    def _handler(self):
        lrs = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # keep test output quiet
                pass

            def _answer(self, status: int, payload=None, headers: dict | None = None) -> None:
                body = json.dumps(payload).encode() if payload is not None else b""
                try:
                    self.send_response(status)
                    for name, value in (headers or {}).items():
                        self.send_header(name, value)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:
                    pass  # the client was killed while we held the answer

            def _authorized(self) -> bool:
                expected = "Basic " + base64.b64encode(f"{lrs.key}:{lrs.secret}".encode()).decode()
                return self.headers.get("Authorization") == expected

            def do_GET(self):
                parsed = urlparse(self.path)
                query = parse_qs(parsed.query)
                if not self._authorized():
                    return self._answer(401, {"error": "bad credentials"})
                statement = lrs.stored.get(query.get("statementId", [""])[0])
                if statement is None:
                    return self._answer(404, {"error": "no such statement"})
                # What an LRS returns: its own properties added, the timestamp in another serialization.
                served = dict(statement, stored="2026-11-23T10:00:00.000Z", version="1.0.3",
                              authority={"objectType": "Agent", "account": {"homePage": lrs.url, "name": lrs.key}})
                if "timestamp" in served:
                    served["timestamp"] = served["timestamp"].replace("Z", "+00:00")
                served["verb"] = {"id": statement["verb"]["id"]}
                self._answer(200, served)

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                status, payload, headers = self._post(raw)
                with lrs.stored_changed:
                    lrs.requests.append(("POST", _count(raw), status))
                    lrs.stored_changed.notify_all()
                if status == 200 and lrs.hold_responses.is_set():
                    lrs.release.wait(60)
                self._answer(status, payload, headers)

            def _post(self, raw: bytes):
                if urlparse(self.path).path != "/xapi/statements":
                    return 404, {"error": "not found"}, {}
                with lrs._lock:
                    if lrs.scripted:
                        status, headers = lrs.scripted.pop(0)
                        return status, {"error": "scripted"}, headers
                if not self._authorized():
                    return 401, {"error": "bad credentials"}, {}
                if self.headers.get("X-Experience-API-Version") != "1.0.3":
                    lrs.bad_headers.append("X-Experience-API-Version")
                    return 400, {"error": "missing X-Experience-API-Version"}, {}
                if self.headers.get("Content-Type") != "application/json":
                    lrs.bad_headers.append("Content-Type")
                    return 400, {"error": "Content-Type must be application/json"}, {}
                try:
                    statements = json.loads(raw.decode("utf-8"))
                except ValueError:
                    return 400, {"error": "malformed JSON"}, {}
                if isinstance(statements, dict):
                    statements = [statements]
                ids = [s.get("id") for s in statements]
                if any(not all(k in s for k in REQUIRED) for s in statements):
                    return 400, {"error": "statement lacks actor, verb or object"}, {}
                if len(set(ids)) != len(ids):
                    return 400, {"error": "duplicate ids in one batch"}, {}
                with lrs._lock:
                    known = [s for s in statements if s["id"] in lrs.stored]
                    if known and lrs.conflict_on_duplicate:
                        return 409, {"error": "statement id already exists"}, {}
                    if any(lrs.stored[s["id"]] != s for s in known):
                        return 409, {"error": "a different statement with this id exists"}, {}
                    for s in statements:
                        lrs.deliveries[s["id"]] += 1
                        lrs.stored.setdefault(s["id"], s)
                with lrs.stored_changed:
                    lrs.stored_changed.notify_all()
                lrs.first_store.set()
                return 200, ids, {}

        return Handler


def _count(raw: bytes) -> int:
    try:
        body = json.loads(raw.decode("utf-8"))
    except ValueError:
        return 0
    return len(body) if isinstance(body, list) else 1
