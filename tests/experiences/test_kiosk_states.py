"""The kiosk state machine: idle warning and reset, busy experiences, error recovery, sessions, statements."""
from __future__ import annotations

import itertools

from experiences.engagement import VERBS, ListSink, Place
from experiences.kiosk.states import (ATTRACT, ERROR, IDLE_WARNING, MENU, RUNNING, KioskStateMachine,
                                      RunInfo)
from experiences.runtime import ManualClock

RUN = RunInfo("org.yuedu.test.poems", "recitation", "1.0.0", {"zh-CN": "诗", "en": "Poems"})


def make(**kwargs):
    clock = ManualClock(1000.0)
    sink = ListSink()
    ids = (f"session-{n}" for n in itertools.count(1))
    machine = KioskStateMachine(sink, Place(activity_base="https://lib.example.org/"), clock,
                                new_session_id=lambda: next(ids), **kwargs)
    return machine, clock, sink


def verbs(sink):
    reverse = {iri: name for name, (iri, _) in VERBS.items()}
    return [reverse[s["verb"]["id"]] for s in sink.statements]


def run_until(machine, clock, seconds, step=0.5, busy=False):
    """Tick every `step` seconds for `seconds`, collecting what the machine asked the shell to do."""
    events = []
    for _ in range(int(seconds / step)):
        clock.advance(step)
        events += machine.tick(busy=busy)
    return events


def test_first_touch_opens_the_menu_and_is_consumed():
    machine, _, _ = make()
    assert machine.state == ATTRACT and machine.session is None
    assert machine.on_input() is False
    assert machine.state == MENU and machine.session.session_id == "session-1"
    assert machine.on_input() is True  # in the menu, input goes on to the cards


def test_warning_at_90_s_and_reset_at_100_s():
    machine, clock, _ = make()
    machine.on_input()
    assert run_until(machine, clock, 89.5) == []
    assert machine.state == MENU
    assert run_until(machine, clock, 0.5) == ["idle_warning"]
    assert machine.state == IDLE_WARNING and machine.warning_seconds_left() == 10
    clock.advance(3.2)
    assert machine.warning_seconds_left() == 7
    assert run_until(machine, clock, 6.5) == []  # 99.7 s
    assert run_until(machine, clock, 0.5) == ["reset"]  # 100.2 s
    assert machine.state == ATTRACT and machine.session is None


def test_idle_seconds_come_from_config():
    machine, clock, _ = make(idle_seconds=30, warning_seconds=5)
    machine.on_input()
    assert run_until(machine, clock, 30) == ["idle_warning"]
    assert run_until(machine, clock, 5) == ["reset"]


def test_input_cancels_the_warning_and_restarts_the_idle_time():
    machine, clock, _ = make()
    machine.on_input()
    machine.launch(RUN)
    run_until(machine, clock, 95)
    assert machine.state == IDLE_WARNING
    assert machine.on_input() is False  # consumed: the experience does not see "I am still here"
    assert machine.state == RUNNING
    assert run_until(machine, clock, 89.5) == []
    assert run_until(machine, clock, 1) == ["idle_warning"]


def test_voice_activity_keeps_the_session_alive():
    machine, clock, _ = make()
    machine.on_input()
    machine.launch(RUN)
    for _ in range(10):  # 10 × 60 s with a voice every minute: never warned
        assert run_until(machine, clock, 60) == []
        machine.mark_activity()
    run_until(machine, clock, 92)
    assert machine.state == IDLE_WARNING
    machine.mark_activity()
    assert machine.state == RUNNING


def test_busy_experience_postpones_the_reset():
    machine, clock, sink = make()
    machine.on_input()
    machine.launch(RUN)
    assert run_until(machine, clock, 300, busy=True) == []
    assert machine.state == RUNNING
    # warned, then the experience turns busy (a recording starts): warning withdrawn, no reset
    run_until(machine, clock, 95)
    assert machine.state == IDLE_WARNING
    assert run_until(machine, clock, 1, busy=True) == ["warning_cancelled"]
    assert machine.state == RUNNING
    assert "abandoned" not in verbs(sink)
    # once no longer busy, the idle time counts again from the last busy tick
    assert run_until(machine, clock, 89.5) == []
    assert run_until(machine, clock, 11) == ["idle_warning", "reset"]


def test_error_returns_to_menu_within_two_seconds():
    machine, clock, sink = make()
    machine.on_input()
    machine.launch(RUN)
    machine.initialized()
    machine.fail()
    assert machine.state == ERROR and not machine.has_run
    events = []
    elapsed = 0.0
    while machine.state != MENU:
        clock.advance(0.1)
        elapsed += 0.1
        events += machine.tick()
        assert elapsed <= 2.0
    assert events == ["menu"]
    assert verbs(sink) == ["launched", "initialized", "abandoned"]
    assert machine.session.session_id == "session-1"  # the visitor keeps their session after an error


def test_session_ids_change_at_reset():
    machine, clock, sink = make()
    machine.on_input()
    machine.launch(RUN)
    machine.finish()
    first = machine.session.session_id
    run_until(machine, clock, 100)
    assert machine.state == ATTRACT
    machine.on_input()
    machine.launch(RUN)
    second = machine.session.session_id
    assert first != second
    actors = [s["actor"]["account"]["name"] for s in sink.statements]
    registrations = [s["context"]["registration"] for s in sink.statements]
    assert actors == registrations == [first, first, second]


def test_statements_of_a_finished_and_an_idle_run():
    machine, clock, sink = make()
    machine.on_input()
    machine.launch(RUN)
    machine.initialized()
    clock.advance(42)
    machine.finish()
    assert machine.state == MENU
    assert verbs(sink) == ["launched", "initialized", "terminated"]
    assert sink.statements[-1]["result"]["duration"] == "PT42.00S"
    assert sink.statements[0]["object"]["id"] == "https://lib.example.org/activities/org.yuedu.test.poems"

    machine.launch(RUN)
    machine.initialized()
    run_until(machine, clock, 100)
    assert machine.state == ATTRACT
    assert verbs(sink)[3:] == ["launched", "initialized", "abandoned"]
    assert sink.statements[-1]["result"]["duration"] == "PT100.00S"


def test_reset_from_menu_writes_no_statement_and_shutdown_abandons():
    machine, clock, sink = make()
    machine.on_input()
    run_until(machine, clock, 100)
    assert machine.state == ATTRACT and sink.statements == []
    machine.on_input()
    machine.launch(RUN)
    machine.shutdown()
    assert verbs(sink) == ["launched", "abandoned"]


def test_attract_never_warns():
    machine, clock, _ = make()
    assert run_until(machine, clock, 1000) == []
    assert machine.state == ATTRACT
