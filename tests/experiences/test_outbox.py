"""The outbox keeps statements durably and in order, marks them sent or dead-lettered, and never loses unsent ones."""
from __future__ import annotations

import sqlite3
import threading
import uuid

import pytest

from experiences import datadir
from experiences.engagement import Item, Place, SessionReporter
from experiences.outbox import Outbox


def statement(n: int) -> dict:
    return {"id": str(uuid.uuid4()), "actor": {"account": {"homePage": "https://lib.example.org/", "name": "s"}},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/answered"},
            "object": {"id": f"https://lib.example.org/activities/item/{n}"}}


@pytest.fixture
def outbox(tmp_path):
    box = Outbox(tmp_path / "outbox.sqlite3")
    yield box
    box.close()


def test_default_path_is_in_the_data_directory(data_dir):
    with Outbox() as box:
        assert box.path == datadir.outbox_path()
        assert box.path.parent == data_dir


def test_wal_and_full_sync(outbox):
    assert outbox._db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    other = sqlite3.connect(outbox.path)
    assert other.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    other.close()


def test_batches_come_in_put_order_and_sent_rows_leave_the_queue(outbox):
    statements = [statement(i) for i in range(7)]
    for s in statements:
        outbox.put(s)
    assert outbox.unsent_count() == 7
    batch = outbox.take_batch(3)
    assert [row.statement_id for row in batch] == [s["id"] for s in statements[:3]]
    assert batch[0].statement == statements[0]
    assert outbox.take_batch(3) == batch  # taking changes nothing until marked
    outbox.mark_sent([row.statement_id for row in batch])
    assert outbox.unsent_count() == 4 and outbox.sent_count() == 3
    assert [row.statement_id for row in outbox.take_batch(50)] == [s["id"] for s in statements[3:]]


def test_rejected_statements_are_kept_with_the_reason_and_not_retried(outbox):
    a, b = statement(1), statement(2)
    outbox.put(a)
    outbox.put(b)
    outbox.mark_rejected([a["id"]], "HTTP 400: verb missing")
    assert [row.statement_id for row in outbox.take_batch(10)] == [b["id"]]
    dead = outbox.rejected()
    assert [(row.statement_id, row.reason) for row in dead] == [(a["id"], "HTTP 400: verb missing")]
    assert outbox.rejected_count() == 1 and outbox.unsent_count() == 1
    # Marking sent does not resurrect a dead letter; only the operator's requeue does.
    outbox.mark_sent([a["id"]])
    assert outbox.state_of(a["id"]) == "rejected"
    assert outbox.requeue_rejected() == 1
    assert [row.statement_id for row in outbox.take_batch(10)] == [a["id"], b["id"]]


def test_same_id_twice_is_stored_once_and_missing_id_is_assigned(outbox):
    s = statement(1)
    outbox.put(s)
    outbox.put(dict(s, verb={"id": "http://adlnet.gov/expapi/verbs/completed"}))
    rows = outbox.take_batch(10)
    assert len(rows) == 1 and rows[0].statement["verb"]["id"].endswith("/answered")
    no_id = statement(2)
    del no_id["id"]
    outbox.put(no_id)
    assigned = outbox.take_batch(10)[1]
    uuid.UUID(assigned.statement_id)
    assert assigned.statement["id"] == assigned.statement_id


def test_bad_input_is_refused_loudly(outbox):
    with pytest.raises(TypeError):
        outbox.put(["not", "a", "statement"])
    with pytest.raises(ValueError):
        outbox.put(dict(statement(1), result={"score": {"raw": float("nan")}}))
    assert outbox.unsent_count() == 0


def test_purge_removes_only_old_delivered_rows(tmp_path):
    now = [1_000_000.0]
    box = Outbox(tmp_path / "o.sqlite3", wall_clock=lambda: now[0])
    old, recent, unsent, dead = (statement(i) for i in range(4))
    for s in (old, recent, unsent, dead):
        box.put(s)
    box.mark_sent([old["id"]])
    box.mark_rejected([dead["id"]], "HTTP 400")
    now[0] += 10 * 86400
    box.mark_sent([recent["id"]])
    now[0] += 86400
    assert box.purge_sent(older_than_days=7) == 1
    assert box.state_of(old["id"]) is None
    assert [box.state_of(s["id"]) for s in (recent, unsent, dead)] == ["sent", "unsent", "rejected"]
    box.close()


def test_statements_survive_reopening(tmp_path):
    path = tmp_path / "o.sqlite3"
    with Outbox(path) as box:
        ids = [statement(i) for i in range(5)]
        box.put_many(ids)
    with Outbox(path) as box:
        assert [row.statement_id for row in box.take_batch(50)] == [s["id"] for s in ids]


def test_concurrent_puts_and_sending_lose_nothing(outbox):
    per_thread, threads = 150, 4
    put_ids: list[str] = []
    lock = threading.Lock()

    def producer():
        for i in range(per_thread):
            s = statement(i)
            outbox.put(s)
            with lock:
                put_ids.append(s["id"])

    sent: list[str] = []
    done = threading.Event()

    def consumer():
        while not done.is_set() or outbox.unsent_count():
            batch = outbox.take_batch(20)
            outbox.mark_sent([row.statement_id for row in batch])
            sent.extend(row.statement_id for row in batch)

    workers = [threading.Thread(target=producer) for _ in range(threads)]
    sender = threading.Thread(target=consumer)
    sender.start()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    done.set()
    sender.join()
    assert sorted(sent) == sorted(put_ids) and len(set(sent)) == per_thread * threads
    assert outbox.unsent_count() == 0


def test_engagement_reports_go_through_the_outbox(outbox):
    session = SessionReporter(outbox, Place(kiosk_id="k-1"))
    run = session.experience("org.example.idioms", "idiom-lanterns", "1.0.0")
    first = run.report("answered", Item("idiom", "画蛇添足"))
    last = run.close()
    assert [row.statement_id for row in outbox.take_batch(10)] == [first["id"], last["id"]]


def test_closed_outbox_refuses_work(tmp_path):
    box = Outbox(tmp_path / "o.sqlite3")
    box.close()
    box.close()  # twice is fine
    with pytest.raises(RuntimeError):
        box.put(statement(1))


def test_outbox_command_shows_dead_letters_requeues_and_sends(capsys):
    import json

    from launcher import main
    from experiences.config import load_config, save_config
    from xapi_lrs_double import LrsDouble

    with Outbox() as box:
        good, bad = statement(1), statement(2)
        box.put(good)
        box.put(bad)
        box.mark_rejected([bad["id"]], "HTTP 400: verb missing")
    assert main(["outbox", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert (shown["unsent"], shown["sent"], shown["rejected"]) == (1, 0, 1)
    assert shown["dead_letters"] == [{"id": bad["id"], "attempts": 0, "reason": "HTTP 400: verb missing"}]
    assert main(["outbox", "--lang", "en"]) == 0
    text = capsys.readouterr().out
    assert "1 unsent, 0 sent, 1 rejected" in text and "HTTP 400: verb missing" in text

    config = load_config()
    config.server.key, config.server.secret = "kiosk", "s3cret"
    save_config(config)
    lrs = LrsDouble()
    try:
        assert main(["outbox", "--requeue", "--send", "--url", lrs.url, "--lang", "en"]) == 0
        out = capsys.readouterr().out
        assert "Put 1 rejected statements back" in out and "2 sent, 0 rejected" in out
        assert set(lrs.stored) == {good["id"], bad["id"]}
    finally:
        lrs.close()


def test_listeners_hear_every_put_after_it_is_stored(outbox):
    heard = []
    listener = lambda: heard.append(outbox.unsent_count())  # noqa: E731 — runs outside the outbox lock
    outbox.subscribe(listener)
    outbox.put(statement(1))
    outbox.put_many([statement(2), statement(3)])
    outbox.unsubscribe(listener)
    outbox.put(statement(4))
    assert heard == [1, 3]
