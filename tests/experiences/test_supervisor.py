"""The built-in supervisor restarts a kiosk that crashes (exit code or signal) or hangs (stale heartbeat)."""
from __future__ import annotations

import sys
import textwrap
import threading
import time

from experiences.kiosk.supervisor import Supervisor

FAST = dict(poll_seconds=0.02, backoff_initial=0.01, backoff_max=0.05, startup_grace=5.0, max_restarts=5)


def child(tmp_path, body: str) -> list[str]:
    """A child process that counts its runs in tmp_path/runs and then does `body` (with `run` = 1, 2, ...)."""
    script = tmp_path / "child.py"
    script.write_text(textwrap.dedent(f"""
        import os, pathlib, signal, sys, time
        counter = pathlib.Path({str(tmp_path / "runs")!r})
        run = int(counter.read_text()) + 1 if counter.exists() else 1
        counter.write_text(str(run))
        beat = pathlib.Path(os.environ["YUEDU_HEARTBEAT"])
    """) + textwrap.dedent(body), encoding="utf-8")
    return [sys.executable, str(script)]


def test_crashed_child_is_restarted_until_it_exits_cleanly(tmp_path):
    command = child(tmp_path, """
        if run == 1:
            sys.exit(3)                          # an uncaught exception's exit code
        if run == 2:
            os.kill(os.getpid(), signal.SIGKILL)  # killed by the OOM killer, say
        sys.exit(0)
    """)
    supervisor = Supervisor(command, tmp_path / "hb", hang_seconds=5.0, **FAST)
    assert supervisor.run() == 0
    assert supervisor.history == ["exit 3", "signal SIGKILL", "exit 0"]
    assert supervisor.restarts == 2


def test_hung_child_is_killed_and_restarted(tmp_path):
    command = child(tmp_path, """
        if run == 1:
            beat.touch(); os.utime(beat)   # one heartbeat, then the loop hangs
            time.sleep(120)
        sys.exit(0)
    """)
    supervisor = Supervisor(command, tmp_path / "hb", hang_seconds=0.4, **FAST)
    assert supervisor.run() == 0
    assert supervisor.history == ["hang", "exit 0"]
    assert (tmp_path / "runs").read_text() == "2"


def test_child_that_never_beats_is_killed_after_the_startup_grace(tmp_path):
    command = child(tmp_path, """
        if run == 1:
            time.sleep(120)
        sys.exit(0)
    """)
    options = dict(FAST, startup_grace=0.4)
    supervisor = Supervisor(command, tmp_path / "hb", hang_seconds=60.0, **options)
    assert supervisor.run() == 0
    assert supervisor.history == ["hang", "exit 0"]


def test_a_child_that_keeps_beating_is_left_alone_and_gives_up_after_max_restarts(tmp_path):
    command = child(tmp_path, """
        for _ in range(25):                # beats every 0.05 s for 1.25 s: longer than hang_seconds
            os.utime(beat); time.sleep(0.05)
        sys.exit(7)
    """)
    options = dict(FAST, max_restarts=0)
    supervisor = Supervisor(command, tmp_path / "hb", hang_seconds=1.0, **options)
    assert supervisor.run() == 1
    assert supervisor.history == ["exit 7"]  # not killed as hung; not restarted (no restarts allowed)


def test_stop_terminates_the_child(tmp_path):
    command = child(tmp_path, """
        signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))
        pathlib.Path(str(counter) + ".ready").touch()
        while True:
            os.utime(beat); time.sleep(0.05)
    """)
    supervisor = Supervisor(command, tmp_path / "hb", hang_seconds=5.0, **FAST)
    ready = tmp_path / "runs.ready"

    def stop_when_ready():
        while not ready.exists():
            time.sleep(0.01)
        supervisor.stop()

    threading.Thread(target=stop_when_ready, daemon=True).start()
    assert supervisor.run() == 0
    assert supervisor.history == ["stopped"]
    assert supervisor.child.returncode == 0
