"""TUIO input: the pure frame parser, a real UDP round trip through python-osc, and the kiosk shell woken by it."""
from __future__ import annotations

import logging
import socket

import pytest
from pythonosc import osc_bundle_builder, osc_message_builder
from pythonosc.udp_client import SimpleUDPClient

from experiences.input_tuio import TuioReceiver
from experiences.runtime import InputEvent
from experiences.tuio_frames import TuioFormatError, TuioFrames

SIZE = (1000, 500)
CUR = "/tuio/2Dcur"
UDP_WAIT = 5.0  # the bounded wait for a datagram on the loopback


def frame(parser, alive, sets=(), fseq=1, address=CUR):
    """One TUIO frame as a sender writes it: alive, set per moved cursor, fseq."""
    events = parser.feed(address, ["alive", *alive])
    for session, x, y in sets:
        args = [session, x, y, 0.0, 0.0, 0.0] if address == CUR else [session, 7, x, y, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]
        events += parser.feed(address, ["set", *args])
    assert events == [], "events come out at fseq, not before"
    return parser.feed(address, ["fseq", fseq])


def kinds(events):
    return [(e.type, e.pointer_id) for e in events]


# --- the pure parser ------------------------------------------------------------------------------------------
def test_a_cursor_goes_down_moves_and_goes_up_in_surface_pixels():
    parser = TuioFrames(SIZE, aim=False)
    down = frame(parser, [5], [(5, 0.25, 0.5)], fseq=1)
    assert down == [InputEvent("pointer_down", 250.0, 250.0, source="tuio", pointer_id=5)]
    move = frame(parser, [5], [(5, 0.5, 0.1)], fseq=2)
    assert move == [InputEvent("pointer_move", 500.0, 50.0, source="tuio", pointer_id=5)]
    assert frame(parser, [5], [], fseq=3) == []  # still alive, not moved: nothing to say
    up = frame(parser, [], [], fseq=4)
    assert up == [InputEvent("pointer_up", 500.0, 50.0, source="tuio", pointer_id=5)]
    assert parser.alive() == {}


def test_several_cursors_keep_their_own_ids():
    parser = TuioFrames(SIZE, aim=False)
    assert kinds(frame(parser, [3, 4], [(3, 0.1, 0.1), (4, 0.9, 0.9)], fseq=10)) == [
        ("pointer_down", 3), ("pointer_down", 4)]
    events = frame(parser, [4, 6], [(4, 0.8, 0.8), (6, 0.5, 0.5)], fseq=11)
    assert kinds(events) == [("pointer_up", 3), ("pointer_move", 4), ("pointer_down", 6)]
    assert events[0].x == pytest.approx(100) and events[1].x == pytest.approx(800)
    assert set(parser.alive()) == {4, 6}


def test_aim_follows_the_primary_cursor_normalised():
    parser = TuioFrames(SIZE)
    events = frame(parser, [7], [(7, 0.2, 0.6)], fseq=1)
    assert [e.type for e in events] == ["pointer_down", "aim"]
    assert (events[1].x, events[1].y, events[1].source) == (0.2, 0.6, "tuio")
    # a second cursor is not the primary: no aim for it
    assert [e.type for e in frame(parser, [7, 8], [(8, 0.9, 0.9)], fseq=2)] == ["pointer_down"]
    # the primary leaves: the next oldest becomes the aim
    events = frame(parser, [8], [], fseq=3)
    assert [e.type for e in events] == ["pointer_up", "aim"] and (events[1].x, events[1].y) == (0.9, 0.9)


def test_late_frames_are_dropped_and_a_restarted_sender_is_followed():
    parser = TuioFrames(SIZE, aim=False)
    frame(parser, [1], [(1, 0.5, 0.5)], fseq=500)
    assert frame(parser, [1], [(1, 0.1, 0.1)], fseq=499) == []  # arrived after frame 500: stale
    assert parser.alive()[1] == (0.5, 0.5)
    assert kinds(frame(parser, [1], [(1, 0.6, 0.6)], fseq=500)) == [("pointer_move", 1)]  # same frame again is fine
    # a sender that restarted counts from 1 again: far behind, so it is a new sequence, not a late packet
    assert kinds(frame(parser, [], [], fseq=1)) == [("pointer_up", 1)]
    # fseq -1: the sender does not number frames; always applied
    assert kinds(frame(parser, [2], [(2, 0.3, 0.3)], fseq=-1)) == [("pointer_down", 2)]


def test_lost_packets_heal_with_the_next_frame():
    parser = TuioFrames(SIZE, aim=False)
    # the set of cursor 9 was lost: alive names it, but with no position it waits
    assert frame(parser, [9], [], fseq=1) == []
    assert kinds(frame(parser, [9], [(9, 0.4, 0.4)], fseq=2)) == [("pointer_down", 9)]
    # the frame with the release was lost entirely; the next alive list no longer has 9: up
    assert kinds(frame(parser, [10], [(10, 0.1, 0.2)], fseq=4)) == [("pointer_up", 9), ("pointer_down", 10)]
    # a set for an id not in the alive list is ignored (half a frame)
    assert frame(parser, [10], [(11, 0.3, 0.3)], fseq=5) == []
    # a frame whose alive message was lost only moves what is already down
    parser.feed(CUR, ["set", 10, 0.2, 0.2, 0.0, 0.0, 0.0])
    assert kinds(parser.feed(CUR, ["fseq", 6])) == [("pointer_move", 10)]


@pytest.mark.parametrize("args", [
    [],
    [42],
    ["wiggle"],
    ["alive", "a"],
    ["alive", -1],
    ["alive", 1.5],
    ["set", 1, 0.5],
    ["set", "x", 0.5, 0.5],
    ["set", 1, "left", 0.5],
    ["set", 1, float("nan"), 0.5],
    ["set", 1, True, 0.5],
    ["fseq"],
    ["fseq", "one"],
    ["fseq", 1, 2],
])
def test_malformed_messages_raise_a_format_error_and_keep_the_frame(args):
    parser = TuioFrames(SIZE, aim=False)
    parser.feed(CUR, ["alive", 1])
    parser.feed(CUR, ["set", 1, 0.5, 0.5, 0.0, 0.0, 0.0])
    with pytest.raises(TuioFormatError):
        parser.feed(CUR, args)
    assert kinds(parser.feed(CUR, ["fseq", 1])) == [("pointer_down", 1)]


def test_objects_and_other_profiles():
    parser = TuioFrames(SIZE, aim=False)
    events = frame(parser, [20], [(20, 0.5, 1.4)], fseq=1, address="/tuio/2Dobj")
    assert events == [InputEvent("pointer_down", 500.0, 500.0, source="tuio", pointer_id=20)]  # y clamped to 1
    assert parser.feed("/tuio/2Dblb", ["alive", 1]) == []
    assert parser.feed(CUR, ["source", "kinect@10.0.0.2"]) == []
    assert kinds(parser.release_all()) == [("pointer_up", 20)]


def test_jitter_below_the_threshold_is_not_a_move_and_resizing_rescales():
    parser = TuioFrames(SIZE, aim=False)
    frame(parser, [1], [(1, 0.5, 0.5)], fseq=1)
    assert frame(parser, [1], [(1, 0.50001, 0.5)], fseq=2) == []
    parser.size = (200, 100)
    assert frame(parser, [1], [(1, 0.25, 0.25)], fseq=3) == [
        InputEvent("pointer_move", 50.0, 25.0, source="tuio", pointer_id=1)]


# --- the UDP edge ---------------------------------------------------------------------------------------------
def bundle(*messages):
    builder = osc_bundle_builder.OscBundleBuilder(osc_bundle_builder.IMMEDIATELY)
    for args in messages:
        message = osc_message_builder.OscMessageBuilder(address=CUR)
        for value in args:
            message.add_arg(value)
        builder.add_content(message.build())
    return builder.build()


def collect(receiver, count):
    """Exactly the events that `count` says are coming (a bounded wait, no fixed sleeps)."""
    assert receiver.wait(UDP_WAIT, count), f"not all {count} events arrived: {receiver.drain()}"
    return receiver.drain()


@pytest.fixture
def receiver():
    receiver = TuioReceiver(SIZE, "127.0.0.1", 0).start()
    yield receiver
    receiver.stop()


def test_udp_round_trip_of_tuio_bundles(receiver):
    host, port = receiver.address
    assert host == "127.0.0.1" and port != 0 and receiver.running
    client = SimpleUDPClient(host, port)
    client.send(bundle(["source", "test@127.0.0.1"], ["alive", 12], ["set", 12, 0.1, 0.2, 0.0, 0.0, 0.0],
                       ["fseq", 1]))
    client.send(bundle(["alive", 12], ["set", 12, 0.3, 0.4, 0.0, 0.0, 0.0], ["fseq", 2]))
    client.send(bundle(["alive"], ["fseq", 3]))
    events = collect(receiver, 5)
    assert [(e.type, e.pointer_id, e.source) for e in events] == [
        ("pointer_down", 12, "tuio"), ("aim", 12, "tuio"), ("pointer_move", 12, "tuio"), ("aim", 12, "tuio"),
        ("pointer_up", 12, "tuio")]
    assert (events[0].x, events[0].y) == pytest.approx((100, 100))
    assert (events[2].x, events[2].y) == pytest.approx((300, 200))
    assert (events[1].x, events[1].y) == pytest.approx((0.1, 0.2))
    assert receiver.drain() == []


def test_unbundled_messages_as_in_the_docs(receiver):
    client = SimpleUDPClient(*receiver.address)
    client.send_message(CUR, ["alive", 1])
    client.send_message(CUR, ["set", 1, 0.5, 0.5, 0.0, 0.0, 0.0])
    client.send_message(CUR, ["fseq", 1])
    client.send_message(CUR, ["alive"])
    client.send_message(CUR, ["fseq", 2])
    assert kinds(collect(receiver, 3)) == [("pointer_down", 1), ("aim", 1), ("pointer_up", 1)]


def test_garbage_is_logged_and_the_receiver_carries_on(receiver, caplog):
    caplog.set_level(logging.WARNING, logger="yuedu.input.tuio")
    host, port = receiver.address
    raw = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        raw.sendto(b"/tuio/2Dcur\x00\x00\x00\x00,s", (host, port))  # not OSC: no type tags where expected
        raw.sendto(b"#bundle\x00\x00\x00", (host, port))  # a bundle header with no time tag
    finally:
        raw.close()
    client = SimpleUDPClient(host, port)
    client.send(bundle(["alive", 1], ["set", 1, "left", 0.5, 0.0, 0.0, 0.0], ["fseq", 1]))  # not TUIO
    client.send(bundle(["alive", 2], ["set", 2, 0.5, 0.5, 0.0, 0.0, 0.0], ["fseq", 2]))
    events = collect(receiver, 2)
    assert kinds(events) == [("pointer_down", 2), ("aim", 2)]
    assert receiver.errors == 3  # the cut message, the bundle stub, the set with a word for x
    assert "malformed TUIO" in caplog.text


def test_stop_releases_cursors_still_down(receiver):
    client = SimpleUDPClient(*receiver.address)
    client.send(bundle(["alive", 4], ["set", 4, 0.5, 0.5, 0.0, 0.0, 0.0], ["fseq", 1]))
    assert kinds(collect(receiver, 2)) == [("pointer_down", 4), ("aim", 4)]
    receiver.stop()
    assert not receiver.running
    assert kinds(receiver.drain()) == [("pointer_up", 4)]
    receiver.stop()  # twice is harmless


def test_a_taken_port_is_logged_not_fatal(receiver, caplog):
    from experiences.config import KioskConfig
    from experiences.input_tuio import start_from_config

    config = KioskConfig()
    assert start_from_config(config, SIZE) is None  # disabled by default
    config.input.tuio_enabled, config.input.tuio_port = True, receiver.address[1]
    assert start_from_config(config, SIZE) is None
    assert "TUIO input not started" in caplog.text


# --- the kiosk shell ------------------------------------------------------------------------------------------
@pytest.fixture
def tuio_shell(tmp_path):
    from experiences.catalog import Catalog
    from experiences.config import KioskConfig
    from experiences.engagement import ListSink
    from experiences.kiosk import testing
    from experiences.kiosk.shell import KioskShell
    from experiences.package import open_package
    from experiences.runtime import ManualClock

    folder = testing.write_test_package(tmp_path / "pkg", "org.yuedu.test.tuio", title="体感测试")
    config = KioskConfig()
    config.input.tuio_enabled, config.input.tuio_port = True, 0
    config.kiosk.ask_age_band = False  # straight to the menu (the age question: test_kiosk_ageband.py)
    shell = KioskShell(config, catalog=Catalog([open_package(folder)]), registry=testing.registry_with_test_kind(),
                       headless=True, size=(960, 600), clock=ManualClock(), sink=ListSink(),
                       data_dir=tmp_path / "data")
    shell.open()
    yield shell
    shell.close()


def tap(shell, session, x, y, fseq):
    """A tap from the sensor: the cursor appears in one bundle and is gone in the next; then a frame drains it."""
    client = SimpleUDPClient(*shell.tuio.address)
    client.send(bundle(["alive", session], ["set", session, x, y, 0.0, 0.0, 0.0], ["fseq", fseq]))
    client.send(bundle(["alive"], ["fseq", fseq + 1]))
    assert shell.tuio.wait(UDP_WAIT, count=3), "the tap (down, aim, up) did not arrive"
    shell.frame(1 / 60)


def test_a_tuio_tap_wakes_the_attract_screen_and_a_second_tap_launches(tuio_shell):
    from experiences.kiosk.states import ATTRACT, MENU, RUNNING

    shell = tuio_shell
    assert shell.tuio is None  # not before the attract screen is up
    shell.frame(1 / 60)
    assert shell.machine.state == ATTRACT and shell.tuio is not None and shell.tuio.running
    tap(shell, 1, 0.01, 0.01, fseq=1)
    assert shell.machine.state == MENU
    card = next(t for t in shell.menu.targets() if t.kind == "card")
    cx, cy = card.rect.center
    tap(shell, 2, cx / 960, cy / 600, fseq=3)
    assert shell.machine.state == RUNNING and shell.host is not None
    shell.clock.advance(60)  # TUIO counts as activity: the idle clock restarts with every tap
    tap(shell, 3, 0.5, 0.5, fseq=5)
    shell.frame(1 / 60)
    inputs = shell.host.experience.inputs
    assert [(e.type, e.source, e.pointer_id) for e in inputs] == [
        ("pointer_down", "tuio", 3), ("aim", "tuio", 3), ("pointer_up", "tuio", 3)]
    assert (inputs[0].x, inputs[0].y) == pytest.approx((480, 300))
    shell.clock.advance(60)
    shell.frame(1 / 60)
    assert shell.machine.state == RUNNING  # 120 s since launch, but only 60 s since the last tap
    receiver = shell.tuio
    shell.close()
    assert not receiver.running and shell.tuio is None
