"""Only the newest frame on both sides of the tracking process (experiences.motion.latest). Layers: frames at the
camera edge (a video file read like a camera, in real time) and landmark frames in shared memory."""
from __future__ import annotations

import multiprocessing
import threading
import time

from experiences.motion.latest import RING, SIZE, LandmarkSlot, LatestFrame
from experiences.motion.stage import Decided, in_order
from experiences.motion.synthetic import body
from experiences.runtime import InputEvent
from tests.motion.photos import write_video


def _decided(t, index, moves, cursor=(0.5, 0.5), events=(), body_=None, state="tracking"):
    return Decided(t, index, state, body_ or body(), cursor, 0.25, False, 0.0, moves, 0.1, list(events))


def test_the_slot_gives_the_kiosk_the_newest_decision_once_and_every_tap():
    slot = LandmarkSlot(multiprocessing.get_context("spawn").RawArray("d", SIZE))
    assert slot.read() is None  # nothing written yet
    tap = [InputEvent("pointer_down", 0.2, 0.3, source="motion"), InputEvent("pointer_up", 0.2, 0.3, source="motion")]
    slot.write(_decided(1.0, 1, 1, (0.2, 0.3), tap), 2.0, 20.0, 19.0)
    slot.write(_decided(1.05, 2, 2, (0.7, 0.6), [InputEvent("action", action="back", source="motion")],
                        body(cx=0.7)), 1.0, 21.0, 19.5)  # the kiosk was busy: frame 1's state is gone...
    decided, stages = slot.read()
    assert decided.index == 2 and decided.t == 1.05 and stages["ms"] == 21.0 and slot.missed == 1
    assert decided.cursor == (0.7, 0.6) and decided.moves == 2 and decided.state == "tracking" and decided.dwell == 0.25
    assert decided.body["left_wrist"] == body(cx=0.7)["left_wrist"]
    # ...but not its tap: every tap and action is kept, in order
    assert [(e.type, e.x, e.y, e.action) for e in decided.events] == [
        ("pointer_down", 0.2, 0.3, ""), ("pointer_up", 0.2, 0.3, ""), ("action", 0.0, 0.0, "back")]
    assert slot.read() is None  # read once
    slot.write(_decided(1.1, 3, 2, None, state="lost"), 0.0, 20.0, 19.0)
    decided, _ = slot.read()
    assert decided.cursor is None and decided.moves == 2 and decided.state == "lost" and decided.events == []
    assert slot.statuses == 0
    slot.status_sent()
    assert slot.statuses == 1


def test_the_slot_carries_the_kiosks_settings_and_says_when_taps_were_lost(caplog):
    slot = LandmarkSlot(multiprocessing.get_context("spawn").RawArray("d", SIZE))
    slot.set_settings(False, 1.2)
    assert slot.settings() == (False, 1.2)
    taps = [InputEvent("pointer_down", 0.5, 0.5, source="motion")]
    for n in range(RING + 5):  # a kiosk stalled for longer than the ring holds
        slot.write(_decided(n / 20, n, n, events=taps), 0.0, 20.0, 19.0)
    decided, _ = slot.read()
    assert len(decided.events) == RING and slot.lost_events == 5 and "5 taps or gestures were lost" in caplog.text


def test_decided_events_reach_the_screen_in_the_gestures_order():
    decided = _decided(1.0, 1, 1, (0.25, 0.5), [InputEvent("action", action="left", source="motion"),
                                                InputEvent("pointer_down", 0.25, 0.5, source="motion"),
                                                InputEvent("pointer_up", 0.25, 0.5, source="motion")])
    events = in_order(decided, True, (1280, 720))
    assert [(e.type, e.x, e.y) for e in events] == [("action", 0, 0), ("pointer_move", 320, 360),
                                                    ("pointer_down", 320, 360), ("pointer_up", 320, 360)]
    assert all(e.source == "motion" for e in events)
    assert in_order(decided, False, (1280, 720))[1].type == "pointer_down"  # the aim did not move: no move


def test_a_slow_detector_always_gets_a_fresh_frame_and_stale_ones_are_dropped(tmp_path):
    from experiences.motion.camera import Camera

    video = write_video(tmp_path / "room.mp4", [("coffee", 3.0)], fps=30)
    camera = Camera(str(video), loop=True, realtime=True)  # paced like a 30 fps camera
    stop = threading.Event()
    frames = LatestFrame(camera, stop).start()
    try:
        ages = []
        for _ in range(8):
            time.sleep(0.12)  # a detector slower than the camera
            got = frames.take(timeout=1.0)
            assert got is not None
            ages.append(time.monotonic() - got[1])
        assert frames.dropped >= 8 * 2  # frames it had no time for went, never queued
        assert sorted(ages)[len(ages) // 2] < 1 / 30 + 0.02  # the one it takes is the newest
    finally:
        stop.set()
        frames.join()
        camera.close()


def test_a_file_read_as_fast_as_it_decodes_loses_no_frame(tmp_path):
    from experiences.motion.camera import Camera

    video = write_video(tmp_path / "clip.mp4", [("coffee", 1.0)], fps=15)
    camera = Camera(str(video), loop=False, realtime=False)
    stop = threading.Event()
    frames = LatestFrame(camera, stop, keep_all=True).start()
    taken = 0
    while (got := frames.take(timeout=2.0)) is not None:
        taken += 1
        time.sleep(0.005)
    frames.join()
    camera.close()
    assert frames.ended and taken == 15 and frames.dropped == 0


def test_frames_the_detector_will_not_take_are_not_decoded(tmp_path):
    """A 30 fps camera, a detector taking 10 a second: the frames between its slots are grabbed from the camera
    (its queue never fills) but not decoded; every frame it takes is still fresh and arrived in its slot."""
    from experiences.motion.camera import Camera

    video = write_video(tmp_path / "room.mp4", [("coffee", 3.0)], fps=30)
    camera = Camera(str(video), loop=True, realtime=True)

    stop = threading.Event()
    frames = LatestFrame(camera, stop).start()
    try:
        next_at, taken = 0.0, []
        for _ in range(12):
            got = frames.take(next_at, timeout=1.0)
            assert got is not None
            arrived = got[1]
            assert arrived >= next_at and time.monotonic() - arrived < 1 / 30 + 0.03  # in its slot, fresh
            next_at = max(next_at + 0.1, arrived + 0.05)
            frames.not_before(next_at)
            taken.append(arrived)
            time.sleep(0.03)  # the detector's work
        assert frames.skipped >= 12  # about 2 of every 3 pictures never decoded (21 of 36 here)...
        assert frames.dropped < frames.skipped / 2  # ...and few decoded for nothing (0 on a quiet machine)
    finally:
        stop.set()
        frames.join()
        camera.close()
