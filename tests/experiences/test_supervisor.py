"""The built-in supervisor restarts a kiosk that crashes (exit code or signal) or hangs (stale heartbeat)."""
from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time

from experiences.kiosk.supervisor import Supervisor
from tests.conftest import REPO_ROOT

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


def _until(condition, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"waited {seconds} s"
        time.sleep(0.02)


@contextlib.contextmanager
def supervised(tmp_path, command: list[str], **options):
    """`run_supervised` (the --supervise entry, with its SIGTERM/SIGINT handlers) in a process of its own, its log
    on stderr; a failed test leaves neither it nor its kiosk running."""
    code = ("import logging, sys; logging.basicConfig(level=logging.INFO); "
            "from experiences.kiosk.supervisor import run_supervised; "
            f"sys.exit(run_supervised({command!r}, {str(tmp_path / 'hb')!r}, **{options!r}))")
    process = subprocess.Popen([sys.executable, "-c", code], cwd=REPO_ROOT, stderr=subprocess.PIPE, text=True)
    try:
        yield process
    finally:
        process.stderr.close()
        if process.poll() is None:
            process.kill()
            process.wait()
            kiosk = tmp_path / "runs.ready"  # its pid, written by the kiosks that wait to be stopped
            if kiosk.exists():
                try:
                    os.killpg(int(kiosk.read_text()), signal.SIGKILL)
                except ProcessLookupError:
                    pass


def wait_for_log(process: subprocess.Popen, text: str) -> None:
    for line in process.stderr:  # bounded by the test timeout; a supervisor that ended closes it
        if text in line:
            return
    raise AssertionError(f"the supervisor ended (code {process.wait()}) before it logged {text!r}")


def test_sigterm_stops_the_supervisor_and_its_kiosk(tmp_path):
    command = child(tmp_path, """
        signal.signal(signal.SIGTERM, lambda *a: (pathlib.Path(str(counter) + ".terminated").touch(), sys.exit(0)))
        pathlib.Path(str(counter) + ".ready").write_text(str(os.getpid()))
        while True:
            os.utime(beat); time.sleep(0.05)
    """)
    with supervised(tmp_path, command, hang_seconds=30.0, poll_seconds=0.05) as process:
        _until(lambda: (tmp_path / "runs.ready").exists() or process.poll() is not None)
        process.send_signal(signal.SIGTERM)  # systemd's stop, or a shutdown
        assert process.wait(30) == 0
    assert (tmp_path / "runs.terminated").exists()  # the kiosk was asked to end, not killed


def test_sigterm_during_a_long_backoff_ends_the_supervisor_at_once(tmp_path):
    command = child(tmp_path, "sys.exit(3)\n")
    with supervised(tmp_path, command, poll_seconds=0.05, backoff_initial=300.0, backoff_max=300.0) as process:
        wait_for_log(process, "restart 1 in 300.0 s")  # it crashed and the supervisor waits to start it again
        process.send_signal(signal.SIGTERM)
        assert process.wait(30) == 0  # not after the 300 s wait
    assert (tmp_path / "runs").read_text() == "1"
