"""Kinds' warm hooks run once in the background after the attract screen is up; a failing one is only logged."""
from __future__ import annotations

import sys
import types

from experiences.kinds import Kind
from experiences.kiosk.warmup import warm_kinds

CALLS: list[str] = []


def test_warm_hooks_run_once_each_and_failures_are_logged(tmp_path, monkeypatch, caplog):
    module = types.ModuleType("yuedu_test_warm")
    module.ok = lambda: CALLS.append("ok")

    def broken():
        raise RuntimeError("no model today")

    module.broken = broken
    monkeypatch.setitem(sys.modules, "yuedu_test_warm", module)
    schema = tmp_path / "s.json"
    schema.write_text("{}")
    kinds = [Kind("a", schema, runner="x:y", warm="yuedu_test_warm:broken"),
             Kind("b", schema, runner="x:y"),
             Kind("c", schema, runner="x:y", warm="yuedu_test_warm:ok")]
    CALLS.clear()
    thread = warm_kinds(kinds)
    thread.join(10)
    assert CALLS == ["ok"]
    assert "warming kind a failed" in caplog.text
    assert warm_kinds([kinds[1]]) is None  # nothing to warm: no thread


def test_the_recitation_kind_warms_its_scorer():
    from recitation.kinds import RECITATION
    from recitation.scoring.warm import is_warm

    warm_kinds([RECITATION], background=False)
    assert is_warm()


def test_exit_waits_for_a_warm_up_still_running(tmp_path, monkeypatch):
    """A native model load cut off by the process's exit aborts it (SIGABRT): close() lets the warm-up finish."""
    import threading
    import time

    from experiences.kiosk.warmup import warm_kinds_finished

    release = threading.Event()
    module = types.ModuleType("yuedu_test_slow_warm")
    module.slow = lambda: (release.wait(10), time.sleep(0.2), CALLS.append("slow done"))
    monkeypatch.setitem(sys.modules, "yuedu_test_slow_warm", module)
    schema = tmp_path / "s.json"
    schema.write_text("{}")
    CALLS.clear()
    thread = warm_kinds([Kind("slow", schema, runner="x:y", warm="yuedu_test_slow_warm:slow")])
    assert not warm_kinds_finished(thread, timeout=0.05)  # still loading: a bounded wait says so
    release.set()
    assert warm_kinds_finished(thread) and CALLS == ["slow done"]
    assert warm_kinds_finished(None)
