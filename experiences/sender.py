"""The background sender: posts the outbox's statements in batches to the LRS (xAPI 1.0.3) with retry and backoff.

Statement ids make every resend idempotent, so the rule is simple: mark sent only after the LRS said 2xx (or after a
409 was verified to be our own statement), and otherwise keep the rows and try again later.

How each answer is handled (xAPI Communication 2.1.2, 3.2):
- 2xx: the batch is stored; mark it sent.
- 400 / 413 / 422 for a batch: bisect until the single statements the LRS refuses are found; only those are
  dead-lettered (kept with the reason, never retried automatically). Batches are all-or-nothing at the LRS.
- 409: the LRS already holds a statement with one of these ids. A conformant LRS answers a matching resend with
  200/204 and keeps 409 for a *different* statement under the same id; some LRSs answer 409 to every duplicate.
  So 409 is never taken as "delivered" for a batch: it is bisected like a 400, and for a single statement the
  sender GETs `statements?statementId=` and compares (statement_match): same statement → sent (our earlier post
  got through); different → dead letter "conflict"; not readable → dead letter "conflict, unverified".
- 401 / 403: credentials refused; back off and log a configuration error (kiosk.toml [server] key/secret).
- 404 / 405 / other 4xx: wrong URL; back off and log a configuration error.
- 408 / 429 / 5xx / network error / timeout: back off exponentially with jitter (1 s … 5 min), honouring Retry-After.
"""
from __future__ import annotations

import base64
import http.client
import json
import logging
import random
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Callable

from experiences.i18n import both
from experiences.outbox import Outbox, OutboxRow
from experiences.statement_match import statements_match

log = logging.getLogger("yuedu.sender")

XAPI_VERSION = "1.0.3"
MAX_RETRY_AFTER = 3600.0  # never let one header park the kiosk for more than an hour


def statements_endpoint(server_url: str) -> str:
    """`https://lrs.example.org` → `https://lrs.example.org/xapi/statements`; a full endpoint is kept as is."""
    url = server_url.rstrip("/")
    return url if url.endswith("/statements") else url + "/xapi/statements"


@dataclass(frozen=True)
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    def text(self, limit: int = 500) -> str:
        return self.body[:limit].decode("utf-8", "replace").strip()


class Backoff:
    """Exponential backoff with "equal jitter": the n-th failure waits in [step/2, step], step = base·2^(n-1),
    never less than base nor more than cap. Jitter keeps a room full of kiosks from retrying in lock-step."""

    def __init__(self, base: float = 1.0, cap: float = 300.0, rng: Callable[[], float] = random.random):
        self.base, self.cap, self.rng = float(base), float(cap), rng

    def delay(self, failures: int) -> float:
        step = min(self.cap, self.base * (2 ** max(0, failures - 1)))
        return min(self.cap, max(self.base, step / 2 + self.rng() * step / 2))


@dataclass
class _Failure:
    kind: str  # "network", "server", "auth", "config"
    detail: str
    retry_after: float | None = None


@dataclass
class SenderStatus:
    """What an operator screen shows: is the kiosk delivering, and if not why."""

    state: str = "idle"  # idle | ok | offline | server_error | auth_error | config_error | error
    last_error: str = ""
    failures: int = 0
    next_attempt_in: float = 0.0
    last_success_at: float | None = None
    delivered: int = 0
    dead_lettered: int = 0
    extra: dict = field(default_factory=dict)


class _Stop(Exception):
    """The flush deadline passed in the middle of a bisection."""


class Sender:
    """Delivers `outbox` to the LRS at `url` from a background thread; `wake()` after a put to send soon."""

    def __init__(self, outbox: Outbox, url: str, key: str = "", secret: str = "", *,
                 batch_size: int = 50, timeout: float = 15.0, idle_interval: float = 30.0,
                 backoff: Backoff | None = None, clock: Callable[[], float] = time.monotonic,
                 wall_clock: Callable[[], float] = time.time, keep_sent_days: float = 30.0,
                 purge_interval: float = 86400.0):
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        if not url.startswith(("http://", "https://")):
            raise ValueError(f"LRS url must start with http:// or https://, got {url!r}")
        self.outbox = outbox
        self.endpoint = statements_endpoint(url)
        self.batch_size = batch_size
        self.timeout = timeout
        self.idle_interval = idle_interval
        self.backoff = backoff or Backoff()
        self.clock = clock
        self.wall_clock = wall_clock
        self.keep_sent_days = keep_sent_days
        self.purge_interval = purge_interval
        self._auth = ("Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode()) if (key or secret) else None
        self._opener = urllib.request.build_opener(_NoRedirect)
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._deadline: float | None = None
        self._next_purge = clock()
        self._retry_at = 0.0  # after a failure: no attempt before this (clock), whatever wake() says
        self.status = SenderStatus()

    @classmethod
    def from_config(cls, outbox: Outbox, config, url: str | None = None, **kwargs) -> "Sender":
        """The kiosk's sender: kiosk.toml [server] url, key and secret (`url` overrides, e.g. the embedded service)."""
        return cls(outbox, url or config.server.url, config.server.key, config.server.secret, **kwargs)

    # --- thread control ------------------------------------------------------------------------------------------
    def start(self) -> "Sender":
        """Deliver in a background thread; every put into the outbox wakes it (`wake()` by hand is also fine)."""
        if self._thread is None:
            self.outbox.subscribe(self.wake)
            self._thread = threading.Thread(target=self._run, name="yuedu-sender", daemon=True)
            self._thread.start()
        return self

    def wake(self) -> None:
        """Something was put: send soon (unless backing off after a failure; the LRS is not hammered)."""
        self._wake.set()

    def stop(self, timeout: float = 5.0) -> bool:
        """Stop the thread after one last delivery attempt bounded by `timeout` seconds. True if nothing unsent."""
        self._deadline = self.clock() + max(0.0, timeout)
        self.outbox.unsubscribe(self.wake)
        self._stopping.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout + 1.0)
            self._thread = None
        try:
            return self.outbox.unsent_count() == 0
        except RuntimeError:  # the outbox was closed under us
            return False

    def _run(self) -> None:
        wait = 0.0
        while not self._stopping.is_set():
            if wait > 0:
                self._wake.wait(timeout=wait)
            if self._stopping.is_set():
                break
            self._wake.clear()
            if self.status.failures and self.clock() < self._retry_at:
                # Woken by a put while backing off: the LRS is not hammered; wait out the backoff.
                wait = self._retry_at - self.clock()
                continue
            wait = self._safe_send_once()
        # Clean stop: one last delivery attempt, bounded by the deadline stop() set.
        self._safe_send_once()

    def _safe_send_once(self) -> float:
        try:
            return self.send_once()
        except Exception:  # a broken disk or a bug must not kill delivery for the rest of the day
            log.exception("sender: unexpected error; retrying later")
            self.status.state, self.status.last_error = "error", "unexpected error (see the log)"
            self.status.failures += 1
            delay = self.backoff.delay(self.status.failures)
            self._retry_at = self.clock() + delay
            return delay

    # --- one delivery pass (what the thread runs; tests call it directly) ----------------------------------------
    def send_once(self) -> float:
        """Deliver what can be delivered now; return how many seconds to wait before the next pass."""
        self._maybe_purge()
        try:
            while True:
                if self._past_deadline():
                    return 0.0
                rows = self.outbox.take_batch(self.batch_size)
                if not rows:
                    self._succeeded(idle=True)
                    return self.idle_interval
                refused_before = self.status.dead_lettered
                failure = self._deliver(rows)
                if len(rows) > 1 and self.status.dead_lettered - refused_before == len(rows):
                    # Every statement refused: more likely the LRS or a proxy than the statements themselves.
                    log.error("sender: the LRS refused all %d statements of a batch; if it refuses every statement, "
                              "check the LRS and then `launcher.py outbox --requeue`", len(rows))
                if failure is not None:
                    return self._failed(failure)
                self._succeeded(idle=False)
        except _Stop:
            return 0.0

    def _deliver(self, rows: list[OutboxRow]) -> _Failure | None:
        """Post `rows`; on a refusal of the batch, bisect so only the statements the LRS refuses are dead-lettered."""
        if self._past_deadline():
            raise _Stop()
        ids = [row.statement_id for row in rows]
        self.outbox.count_attempt(ids)
        body = ("[" + ",".join(row.body for row in rows) + "]").encode("utf-8")
        response = self._request("POST", self.endpoint, body)
        if isinstance(response, _Failure):
            return response
        status = response.status
        if 200 <= status < 300:
            self.outbox.mark_sent(ids)
            self.status.delivered += len(ids)
            return None
        if status in (400, 409, 413, 422):
            if len(rows) > 1:
                middle = len(rows) // 2
                return self._deliver(rows[:middle]) or self._deliver(rows[middle:])
            if status == 409:
                return self._settle_conflict(rows[0], response)
            reason = f"HTTP {status}: {response.text()}"
            log.warning("sender: LRS refused statement %s for good (%s); kept as a dead letter", ids[0], reason)
            self.outbox.mark_rejected(ids, reason)
            self.status.dead_lettered += 1
            return None
        return self._classify(response)

    def _settle_conflict(self, row: OutboxRow, conflict: Response) -> _Failure | None:
        """A 409 for one statement: delivered if the LRS holds this very statement, else a dead letter."""
        query = urllib.parse.urlencode({"statementId": row.statement_id})
        response = self._request("GET", f"{self.endpoint}?{query}", None)
        if isinstance(response, _Failure):
            return response
        if response.status == 200:
            try:
                theirs = json.loads(response.body.decode("utf-8"))
            except ValueError:
                theirs = None
            if statements_match(row.statement, theirs):
                log.info("sender: LRS already had statement %s (409); counted as delivered", row.statement_id)
                self.outbox.mark_sent([row.statement_id])
                self.status.delivered += 1
                return None
            reason = f"HTTP 409: the LRS holds a different statement with id {row.statement_id}"
        elif response.status >= 500 or response.status in (408, 429):
            return self._classify(response)
        else:
            reason = (f"HTTP 409: {conflict.text()} (could not verify the stored statement: "
                      f"GET answered HTTP {response.status})")
        log.warning("sender: %s; kept as a dead letter", reason)
        self.outbox.mark_rejected([row.statement_id], reason)
        self.status.dead_lettered += 1
        return None

    def _classify(self, response: Response) -> _Failure:
        status = response.status
        if status in (401, 403):
            return _Failure("auth", f"HTTP {status}: {response.text(200)}")
        if status in (408, 429) or status >= 500:
            return _Failure("server", f"HTTP {status}: {response.text(200)}",
                            _retry_after(response.headers.get("retry-after"), self.wall_clock()))
        return _Failure("config", f"HTTP {status}: {response.text(200)}")

    def _request(self, method: str, url: str, body: bytes | None) -> Response | _Failure:
        headers = {"X-Experience-API-Version": XAPI_VERSION, "Accept": "application/json"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        if self._auth:
            headers["Authorization"] = self._auth
        request = urllib.request.Request(url, data=body, headers=headers, method=method)
        timeout = self.timeout
        if self._deadline is not None:
            timeout = max(0.1, min(timeout, self._deadline - self.clock()))
        try:
            with self._opener.open(request, timeout=timeout) as reply:
                return Response(reply.status, {k.lower(): v for k, v in reply.headers.items()}, reply.read())
        except urllib.error.HTTPError as error:
            with error:
                return Response(error.code, {k.lower(): v for k, v in (error.headers or {}).items()}, error.read())
        except (OSError, http.client.HTTPException, ValueError) as error:
            # URLError, refused, reset, timeout; a truncated or garbled answer; ValueError: a malformed URL
            return _Failure("network", f"{type(error).__name__}: {getattr(error, 'reason', error)}")

    # --- bookkeeping ---------------------------------------------------------------------------------------------
    def _failed(self, failure: _Failure) -> float:
        self.status.failures += 1
        delay = self.backoff.delay(self.status.failures)
        if failure.retry_after is not None:
            delay = min(MAX_RETRY_AFTER, max(self.backoff.base, failure.retry_after))
        self._retry_at = self.clock() + delay
        previous = self.status.state
        self.status.state = {"network": "offline", "server": "server_error",
                             "auth": "auth_error", "config": "config_error"}[failure.kind]
        self.status.last_error = failure.detail
        self.status.next_attempt_in = delay
        if failure.kind in ("auth", "config"):
            key = "sender.auth_error" if failure.kind == "auth" else "sender.config_error"
            log.error("%s (%s)", both(key, url=self.endpoint), failure.detail)
        elif previous != self.status.state:
            log.warning("sender: cannot deliver to %s (%s); retrying in %.0f s", self.endpoint, failure.detail, delay)
        else:
            log.debug("sender: still failing (%s); retry %d in %.1f s", failure.detail, self.status.failures, delay)
        return delay

    def _succeeded(self, idle: bool) -> None:
        if self.status.failures:
            log.info("sender: delivering to %s again after %d failed attempts", self.endpoint, self.status.failures)
        self.status.failures = 0
        self.status.last_error = ""
        self.status.next_attempt_in = self.idle_interval if idle else 0.0
        self.status.state = "idle" if idle else "ok"
        self.status.last_success_at = self.wall_clock()
        self._retry_at = 0.0

    def _past_deadline(self) -> bool:
        return self._deadline is not None and self.clock() >= self._deadline

    def _maybe_purge(self) -> None:
        if self.clock() >= self._next_purge:
            self._next_purge = self.clock() + self.purge_interval
            removed = self.outbox.purge_sent(self.keep_sent_days)
            if removed:
                log.info("sender: purged %d statements delivered over %g days ago", removed, self.keep_sent_days)


def _retry_after(value: str | None, now: float) -> float | None:
    """Retry-After as seconds from now: delta-seconds or an HTTP-date (RFC 9110 10.2.3); None if absent or bad."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - now)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect would turn our POST into a GET (urllib's behaviour); surface it as a configuration error."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None
