"""The sender delivers the outbox to a real local HTTP LRS: batching, retries, backoff, bisection of refusals, 409s."""
from __future__ import annotations

import base64
import logging
import signal
import subprocess
import sys
import uuid
from email.utils import formatdate
from pathlib import Path

import pytest

from experiences.outbox import Outbox
from experiences.sender import Backoff, Sender, statements_endpoint
from experiences.statement_match import statements_match
from xapi_lrs_double import LrsDouble


class FakeClock:
    def __init__(self, now: float = 1000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


def statement(n: int = 0) -> dict:
    return {"id": str(uuid.uuid4()), "actor": {"objectType": "Agent",
                                               "account": {"homePage": "https://lib.example.org/", "name": "s-1"}},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/answered", "display": {"en-US": "answered"}},
            "object": {"objectType": "Activity", "id": f"https://lib.example.org/activities/item/{n}",
                       "definition": {"name": {"zh-CN": "画蛇添足"}}},
            "timestamp": "2026-11-23T10:00:00.000Z", "result": {"duration": "PT4.20S"}}


@pytest.fixture
def lrs():
    server = LrsDouble()
    yield server
    server.close()


@pytest.fixture
def outbox(tmp_path):
    box = Outbox(tmp_path / "outbox.sqlite3")
    yield box
    box.close()


def make_sender(outbox, url, clock=None, rng=lambda: 1.0, **kwargs) -> Sender:
    return Sender(outbox, url, "kiosk", "s3cret", clock=clock or FakeClock(), backoff=Backoff(rng=rng),
                  timeout=10.0, **kwargs)


def fill(outbox, n: int) -> list[dict]:
    statements = [statement(i) for i in range(n)]
    for s in statements:
        outbox.put(s)
    return statements


def test_endpoint_is_the_standard_statements_resource():
    assert statements_endpoint("https://lrs.example.org/") == "https://lrs.example.org/xapi/statements"
    assert statements_endpoint("https://lrs.example.org/lrs/xapi/statements") == \
        "https://lrs.example.org/lrs/xapi/statements"


def test_batches_of_50_delivered_in_order_with_xapi_headers(outbox, lrs):
    statements = fill(outbox, 120)
    sender = make_sender(outbox, lrs.url, idle_interval=30.0)
    assert sender.send_once() == 30.0
    assert [(method, n, status) for method, n, status in lrs.requests] == \
        [("POST", 50, 200), ("POST", 50, 200), ("POST", 20, 200)]
    assert set(lrs.stored) == {s["id"] for s in statements}
    assert lrs.stored[statements[0]["id"]] == statements[0]  # stored exactly as put
    assert lrs.duplicates == 0 and lrs.bad_headers == []
    assert outbox.unsent_count() == 0 and outbox.sent_count() == 120
    assert sender.status.state == "idle" and sender.status.delivered == 120


def test_retry_after_503_honours_retry_after_and_loses_nothing(outbox, lrs):
    statements = fill(outbox, 30)
    lrs.scripted = [(503, {"Retry-After": "7"})]
    clock = FakeClock()
    sender = make_sender(outbox, lrs.url, clock=clock)
    assert sender.send_once() == 7.0
    assert sender.status.state == "server_error" and outbox.unsent_count() == 30
    clock.now += 7
    sender.send_once()
    assert set(lrs.stored) == {s["id"] for s in statements}
    assert lrs.duplicates == 0 and outbox.unsent_count() == 0 and sender.status.failures == 0


def test_retry_after_as_http_date(outbox, lrs):
    fill(outbox, 1)
    wall = 1_800_000_000.0
    lrs.scripted = [(429, {"Retry-After": formatdate(wall + 120, usegmt=True)})]
    sender = make_sender(outbox, lrs.url, wall_clock=lambda: wall)
    assert sender.send_once() == 120.0


def test_connection_refused_then_server_comes_up(outbox):
    lrs = LrsDouble(listen=False)  # port bound but not listening: connections are refused
    try:
        statements = fill(outbox, 10)
        sender = make_sender(outbox, lrs.url)
        assert sender.send_once() == 1.0
        assert sender.status.state == "offline" and "refused" in sender.status.last_error.lower()
        assert outbox.unsent_count() == 10
        lrs.listen()
        sender.send_once()
        assert set(lrs.stored) == {s["id"] for s in statements} and lrs.duplicates == 0
    finally:
        lrs.close()


def test_a_timed_out_answer_is_resent_by_the_same_ids_and_stored_once(outbox, lrs):
    statements = fill(outbox, 10)
    lrs.hold_responses.set()  # stored, but the answer never comes in time
    sender = Sender(outbox, lrs.url, "kiosk", "s3cret", timeout=0.3, clock=FakeClock(),
                    backoff=Backoff(rng=lambda: 1.0))
    assert sender.send_once() == 1.0
    assert sender.status.state == "offline" and "timed out" in sender.status.last_error
    assert outbox.unsent_count() == 10 and len(lrs.stored) == 10
    lrs.hold_responses.clear()
    lrs.release.set()
    sender.send_once()
    assert outbox.unsent_count() == 0
    assert set(lrs.stored) == {s["id"] for s in statements}
    assert all(lrs.deliveries[s["id"]] == 2 for s in statements)  # posted twice, stored once


def test_backoff_schedule_doubles_to_five_minutes_with_jitter_and_resets(outbox, lrs):
    fill(outbox, 3)
    lrs.scripted = [(500, {})] * 12
    high = make_sender(outbox, lrs.url, rng=lambda: 1.0)
    assert [high.send_once() for _ in range(12)] == [1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300]
    lrs.scripted = [(500, {})] * 12
    low = make_sender(outbox, lrs.url, rng=lambda: 0.0)
    assert [low.send_once() for _ in range(12)] == [1, 1, 2, 4, 8, 16, 32, 64, 128, 150, 150, 150]
    # Success resets the schedule: the next failure waits the base delay again.
    assert low.send_once() == low.idle_interval and low.status.failures == 0
    fill(outbox, 1)
    lrs.scripted = [(502, {})]
    assert low.send_once() == 1.0
    assert lrs.duplicates == 0


def test_backoff_jitter_stays_inside_its_band():
    values = iter([0.0, 0.25, 0.5, 0.75, 1.0])
    backoff = Backoff(base=1.0, cap=300.0, rng=lambda: next(values))
    assert [backoff.delay(5) for _ in range(5)] == [8.0, 10.0, 12.0, 14.0, 16.0]


def test_a_bad_batch_is_bisected_and_only_bad_statements_dead_lettered(outbox, lrs):
    statements = [statement(i) for i in range(50)]
    bad = {statements[7]["id"], statements[33]["id"]}
    for s in statements:
        if s["id"] in bad:
            del s["verb"]  # a kind's bug: the LRS refuses these for good
        outbox.put(s)
    sender = make_sender(outbox, lrs.url)
    sender.send_once()
    assert set(lrs.stored) == {s["id"] for s in statements} - bad
    assert {row.statement_id for row in outbox.rejected()} == bad
    assert all(row.reason.startswith("HTTP 400") and "verb" in row.reason for row in outbox.rejected())
    assert outbox.unsent_count() == 0 and sender.status.dead_lettered == 2
    # Bisection is logarithmic: far fewer posts than one per statement.
    assert len(lrs.requests) <= 1 + 2 * 2 * 6
    # Dead letters are never retried automatically.
    posts = len(lrs.requests)
    sender.send_once()
    assert len(lrs.requests) == posts and lrs.duplicates == 0


def test_refused_credentials_back_off_and_log_a_configuration_error(outbox, lrs, caplog):
    fill(outbox, 5)
    sender = Sender(outbox, lrs.url, "kiosk", "wrong", clock=FakeClock(), backoff=Backoff(rng=lambda: 1.0))
    with caplog.at_level(logging.ERROR, logger="yuedu.sender"):
        assert sender.send_once() == 1.0
        assert sender.send_once() == 2.0
    assert sender.status.state == "auth_error" and outbox.unsent_count() == 5
    assert "kiosk.toml" in caplog.text and "[server]" in caplog.text and "HTTP 401" in caplog.text


def test_wrong_url_is_a_configuration_error(outbox, lrs):
    fill(outbox, 1)
    sender = make_sender(outbox, lrs.url + "/wrong/statements")
    assert sender.send_once() == 1.0
    assert sender.status.state == "config_error" and "404" in sender.status.last_error
    assert outbox.unsent_count() == 1


def test_409_for_ids_the_lrs_already_holds_counts_as_delivered_after_checking(outbox, lrs):
    lrs.conflict_on_duplicate = True  # an LRS that answers 409 to every known id
    statements = fill(outbox, 6)
    for s in statements[:4]:  # delivered before, but the answer was lost
        lrs.stored[s["id"]] = s
    sender = make_sender(outbox, lrs.url)
    sender.send_once()
    assert outbox.unsent_count() == 0 and outbox.rejected_count() == 0
    assert set(lrs.stored) == {s["id"] for s in statements}
    assert lrs.duplicates == 0


def test_409_for_a_different_statement_under_our_id_is_dead_lettered(outbox, lrs):
    statements = fill(outbox, 3)
    lrs.stored[statements[1]["id"]] = dict(statements[1], verb={"id": "http://adlnet.gov/expapi/verbs/failed"})
    sender = make_sender(outbox, lrs.url)
    sender.send_once()
    assert [row.statement_id for row in outbox.rejected()] == [statements[1]["id"]]
    assert "different statement" in outbox.rejected()[0].reason
    assert {statements[0]["id"], statements[2]["id"]} <= set(lrs.stored)
    assert lrs.stored[statements[1]["id"]]["verb"]["id"].endswith("/failed")  # the LRS's copy untouched


def test_statement_comparison_ignores_what_the_spec_lets_an_lrs_change():
    ours = statement(1)
    theirs = dict(ours, stored="2026-11-23T11:00:00Z", version="1.0.3", authority={"mbox": "mailto:a@b.org"},
                  timestamp="2026-11-23T18:00:00.000+08:00", verb={"id": ours["verb"]["id"]},
                  object={"id": ours["object"]["id"]})
    assert statements_match(ours, theirs)
    assert not statements_match(ours, dict(theirs, timestamp="2026-11-23T10:00:01Z"))
    assert not statements_match(ours, dict(theirs, result={"duration": "PT4.2S"}))  # duration is a string
    assert not statements_match(ours, dict(theirs, id=str(uuid.uuid4())))


def test_thread_delivers_soon_after_puts_and_stops_cleanly(outbox, lrs):
    sender = Sender(outbox, lrs.url, "kiosk", "s3cret", idle_interval=3600.0).start()
    statements = fill(outbox, 75)  # each put wakes the sender: no hour-long idle wait
    assert lrs.wait_stored(75)
    more = fill(outbox, 5)
    assert sender.stop(timeout=10.0) is True  # the last flush delivers what came in since
    assert set(lrs.stored) == {s["id"] for s in statements + more} and lrs.duplicates == 0
    assert sender._thread is None


def test_puts_during_backoff_do_not_hammer_the_lrs(outbox, lrs):
    lrs.scripted = [(503, {})] * 10
    fill(outbox, 2)
    sender = Sender(outbox, lrs.url, "kiosk", "s3cret", backoff=Backoff(base=3600.0, cap=3600.0)).start()
    sender.wake()
    assert lrs.wait_requests(1)
    for _ in range(100):  # a busy kiosk keeps putting and waking while the LRS is down
        fill(outbox, 1)
        sender.wake()
    assert sender.stop(timeout=5.0) is False
    # One attempt, then the backoff held; stop() made its one bounded flush attempt.
    assert [status for _, _, status in lrs.requests] == [503, 503]
    assert outbox.unsent_count() == 102


def test_stop_is_bounded_when_the_lrs_hangs(outbox, lrs):
    lrs.hold_responses.set()  # the LRS stores, then never answers
    fill(outbox, 3)
    sender = Sender(outbox, lrs.url, "kiosk", "s3cret", idle_interval=3600.0, timeout=60.0)
    thread_sender = sender.start()
    sender.wake()
    assert lrs.first_store.wait(30)
    assert thread_sender.stop(timeout=0.2) is False  # could not confirm: the rows stay unsent
    assert outbox.unsent_count() == 3
    lrs.release.set()


def test_sender_purges_old_delivered_rows(tmp_path, lrs):
    wall = [2_000_000_000.0]
    box = Outbox(tmp_path / "o.sqlite3", wall_clock=lambda: wall[0])
    fill(box, 2)
    sender = make_sender(box, lrs.url, keep_sent_days=30, wall_clock=lambda: wall[0])
    sender.send_once()
    assert box.sent_count() == 2
    wall[0] += 31 * 86400
    sender.clock.now += 86400
    sender.send_once()
    assert box.sent_count() == 0
    box.close()


def test_basic_auth_header_is_key_and_secret(outbox, lrs):
    fill(outbox, 1)
    lrs.key, lrs.secret = "库:1", "密钥"
    sender = Sender(outbox, lrs.url, "库:1", "密钥", clock=FakeClock())
    sender.send_once()
    assert outbox.unsent_count() == 0
    assert base64.b64decode(sender._auth.split()[1]).decode() == "库:1:密钥"


# --- a kiosk killed with SIGKILL loses nothing and delivers nothing twice (issue #2, "Done when") --------------
CHILD = str(Path(__file__).with_name("outbox_child.py"))


@pytest.fixture
def refused_url():
    """Bound, never listening: every connection is refused, for the whole test (a port let go could be taken by
    another process's server meanwhile, e.g. a second test run's)."""
    closed = LrsDouble(listen=False)
    yield closed.url
    closed.close()


def start_child(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, CHILD, *args], stdout=subprocess.PIPE, text=True)


def kill(child: subprocess.Popen) -> None:
    child.send_signal(signal.SIGKILL)
    child.wait(30)
    assert child.returncode == -signal.SIGKILL


def deliver_in_a_new_process(path, lrs) -> None:
    child = start_child("send", str(path), lrs.url)
    out, _ = child.communicate(timeout=120)
    assert child.returncode == 0, out
    assert out.strip() == "UNSENT 0"


@pytest.mark.parametrize("kill_after", [None, 400], ids=["after-1000-puts", "in-the-middle-of-putting"])
def test_sigkill_with_unsent_statements_loses_none(tmp_path, lrs, refused_url, kill_after):
    path = tmp_path / "outbox.sqlite3"
    child = start_child("put", str(path), "1000", refused_url)
    put_ids = []
    for line in child.stdout:
        if line.strip() == "READY" or (kill_after and len(put_ids) == kill_after):
            break
        put_ids.append(line.strip())
    kill(child)
    assert len(put_ids) == (kill_after or 1000)
    deliver_in_a_new_process(path, lrs)
    # Every statement whose put had returned arrives, and each was delivered (and stored) exactly once.
    assert set(put_ids) <= set(lrs.stored)
    assert kill_after or set(lrs.stored) == set(put_ids)
    assert all(count == 1 for count in lrs.deliveries.values())


@pytest.mark.parametrize("conflict_on_duplicate", [False, True], ids=["conformant-lrs", "lrs-answering-409"])
def test_sigkill_while_sending_resends_without_storing_twice(tmp_path, lrs, conflict_on_duplicate):
    lrs.conflict_on_duplicate = conflict_on_duplicate
    path = tmp_path / "outbox.sqlite3"
    with Outbox(path) as box:
        statements = fill(box, 1000)
    lrs.hold_responses.set()  # the LRS stores the first batch, then answers slowly: the kiosk dies waiting
    child = start_child("send", str(path), lrs.url)
    assert lrs.first_store.wait(60)
    kill(child)
    lrs.hold_responses.clear()
    lrs.release.set()
    stored_before_restart = set(lrs.stored)
    assert len(stored_before_restart) == 50  # one batch stored, its answer never received
    deliver_in_a_new_process(path, lrs)
    assert set(lrs.stored) == {s["id"] for s in statements}
    assert all(lrs.stored[s["id"]] == s for s in statements)
    # Only the batch whose answer was lost is posted again, by the same ids; the LRS never stores an id twice.
    resent = {sid for sid, count in lrs.deliveries.items() if count > 1}
    assert resent == (set() if conflict_on_duplicate else stored_before_restart)
    assert all(n <= 2 for n in lrs.deliveries.values())
    with Outbox(path) as box:
        assert box.unsent_count() == 0 and box.rejected_count() == 0 and box.sent_count() == 1000
