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
