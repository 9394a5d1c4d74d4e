"""Only the newest frame on both sides of the tracking process (experiences.motion.latest). Layers: frames at the
camera edge (a video file read like a camera, in real time) and landmark frames in shared memory."""
from __future__ import annotations

import multiprocessing
import threading
import time

from experiences.motion.latest import SIZE, LandmarkSlot, LatestFrame
from experiences.motion.synthetic import body
from tests.motion.photos import write_video


def test_the_slot_gives_the_kiosk_the_newest_landmarks_once():
    slot = LandmarkSlot(multiprocessing.get_context("spawn").RawArray("d", SIZE))
    assert slot.read() is None  # nothing written yet
    slot.write(1.0, 1, [body()], 2.0, 20.0, 19.0)
    slot.write(1.05, 2, [body(cx=0.3), body(cx=0.7)], 1.0, 21.0, 19.5)  # the kiosk was busy: frame 1 is gone
    message = slot.read()
    assert message["i"] == 2 and message["t"] == 1.05 and message["ms"] == 21.0 and slot.missed == 1
    assert len(message["people"]) == 2
    assert message["people"][1]["left_wrist"] == list(body(cx=0.7)["left_wrist"])
    assert slot.read() is None  # read once
    slot.write(1.1, 3, [], 0.0, 20.0, 19.0)
    assert slot.read()["people"] == []
    assert slot.statuses == 0
    slot.status_sent()
    assert slot.statuses == 1


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
