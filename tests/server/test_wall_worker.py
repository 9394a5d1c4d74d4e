"""The wall's rollup worker process: it folds what the server stores, the server notices, and it never outlives
the server (not even one killed with SIGKILL)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from server.wall import generate, worker
from server.wall.routes import wall_services
from tests.server.wall_fixtures import NOW, make_app

REPO = Path(__file__).resolve().parents[2]


def _until(condition, seconds: float = 30.0, what: str = "the condition") -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"waited {seconds} s for {what}"
        time.sleep(0.05)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(") ")[-1][0] != "Z"  # a zombie has exited
    except FileNotFoundError:
        return False


def test_worker_folds_what_is_stored_and_the_server_notices(tmp_path):
    app = make_app(tmp_path, WALL_ROLLUP_MODE="watch")
    engine = app.extensions["yuedu"].engine
    generate.bulk_insert(engine, list(generate.generate(300, NOW, days=3, seed=9)))
    job = wall_services(app).job
    assert job.notice() and job.watermark() == 0  # the first look sees the empty watermark
    version = job.version
    with engine.connect() as conn:
        last_seq = conn.exec_driver_sql("SELECT max(seq) FROM statements").scalar()

    process = worker.spawn(app.config["DATABASE_URL"], app.config["WALL_TIMEZONE"], batch=100, seconds=0.2)
    try:
        _until(lambda: job.watermark() == last_seq, what="the worker to fold every statement")
        assert job.notice() and job.version == version + 1
        assert not job.notice()  # nothing new: the live page is not pushed again
        with engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM wall_counts").scalar() > 0
    finally:
        worker.stop_worker(process)
    assert process.returncode == 0  # SIGTERM ends the loop cleanly


def test_worker_ends_when_its_parent_is_killed(tmp_path):
    url = f"sqlite:///{tmp_path / 'lrs.sqlite3'}"
    parent_code = (
        "import sys; from server.wall import worker; "
        f"p = worker.spawn({url!r}, 'Asia/Shanghai', 100, 0.2); "
        "print(p.pid, flush=True); sys.stdin.read()"
    )
    make_app(tmp_path)  # the schema exists before the worker reads it
    parent = subprocess.Popen([sys.executable, "-c", parent_code], cwd=REPO, stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    worker_pid = int(parent.stdout.readline())
    assert _alive(worker_pid)
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    _until(lambda: not _alive(worker_pid), seconds=10, what="the orphaned worker to exit")


def _catches(pid: int, signum: int) -> bool:
    """Whether process `pid` has a handler for `signum` (not its default, not "ignore")."""
    with open(f"/proc/{pid}/status") as status:
        caught = next(line for line in status if line.startswith("SigCgt:")).split()[1]
    return bool(int(caught, 16) >> (signum - 1) & 1)


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM])
def test_serve_starts_a_worker_and_stops_it(tmp_path, stop_signal):
    env = {**os.environ, "YUEDU_DATA_DIR": str(tmp_path / "data")}
    # Ctrl-C as a terminal gives it: SIGINT at its default in the child. A shell without job control starts a
    # background job (`pytest ... &`, two suites at once) with SIGINT ignored; exec passes "ignore" on, Python then
    # leaves it ignored, and serve never saw this test's Ctrl-C (it failed so, waiting 20 s, every time).
    serve = subprocess.Popen([sys.executable, "launcher.py", "serve", "--port", "0", "--db",
                              f"sqlite:///{tmp_path / 'lrs.sqlite3'}"], cwd=REPO, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                             preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    with serve:
        try:
            serve.stdout.readline()  # "serving ..." once the worker has been started

            def children() -> list[int]:
                with open(f"/proc/{serve.pid}/task/{serve.pid}/children") as listing:
                    return [int(pid) for pid in listing.read().split()]

            _until(lambda: children(), what="serve's worker")
            [worker_pid] = children()
            with open(f"/proc/{worker_pid}/cmdline", "rb") as cmdline:
                assert b"server.wall.worker" in cmdline.read()
            # Its handlers are in place before the worker starts: a stop from here on is never lost.
            assert _catches(serve.pid, stop_signal), f"serve does not catch signal {stop_signal}"
            serve.send_signal(stop_signal)  # Ctrl-C, or systemd's stop
            serve.wait(20)
        finally:
            if serve.poll() is None:  # the test failed: leave no server (nor, by its death signal, a worker) behind
                serve.kill()
                serve.wait()
    assert serve.returncode == 0
    _until(lambda: not _alive(worker_pid), seconds=10, what="the worker to stop with serve")


def test_a_worker_that_dies_is_started_again(tmp_path):
    make_app(tmp_path)
    url = f"sqlite:///{tmp_path / 'lrs.sqlite3'}"
    supervised = worker.SupervisedWorker(lambda: worker.spawn(url, "Asia/Shanghai", 100, 0.2), check_seconds=0.05)
    try:
        first = supervised.process
        _until(lambda: _alive(first.pid), what="the first worker")
        os.kill(first.pid, signal.SIGKILL)  # e.g. the kernel's OOM killer
        _until(lambda: supervised.restarts == 1, seconds=15, what="a second worker")
        assert supervised.process.pid != first.pid and supervised.process.poll() is None
    finally:
        supervised.stop()
    assert supervised.process.poll() is not None
