"""The gestures where the landmarks are made (experiences.motion.stage; layer: landmarks → decided → events):
what the kiosk gets from the tracking process is what the gestures in the kiosk gave before — the same events in
the same order, scaled to the screen — whether the kiosk reads every frame or misses some."""
from __future__ import annotations

import random

from experiences.motion.gestures import MotionGestures
from experiences.motion.stage import GestureStage, age_settings, in_order
from experiences.motion.synthetic import aiming_at, body, stream

SIZE = (1280, 720)
DOWN = (-1.0, 1.5)


def a_visit():
    """Step in, aim and hold on a point, draw the bow and let go, swipe, both hands up, step out."""
    poses = [[body(right=aiming_at(0.3, 0.4), left=DOWN, noise=0.002, rng=random.Random(k))] for k in range(80)]
    poses += [[body(right=aiming_at(0.7, 0.5), left=(-0.9 + k * 0.15, -0.2))] for k in range(12)]  # the pull
    poses += [[body(right=aiming_at(0.7, 0.5), left=(-0.3, 0.1))] for _ in range(3)]  # drawn
    poses += [[body(right=aiming_at(0.7, 0.5), left=(-1.3, -0.1))] for _ in range(5)]  # let go
    poses += [[body(right=(2.0 - k * 0.5, -0.2), left=DOWN)] for k in range(8)]  # a sweep to the left: "right", a page pushed on
    poses += [[body(right=(0.2, -1.5), left=(-0.2, -1.5))] for _ in range(40)]  # both hands up
    poses += [[]] * 30  # gone
    return stream(poses)


def described(events):
    return [(e.type, round(e.x, 6), round(e.y, 6), e.action, e.source, e.pointer_id) for e in events]


def test_the_kiosk_gets_the_same_events_as_gestures_run_in_its_own_process():
    frames = a_visit()
    here = MotionGestures(SIZE, bow=True, dwell_seconds=2.0)
    before = [described(here.feed(frame)) for frame in frames]
    stage = GestureStage(*age_settings(None))
    moves, after = 0, []
    for frame in frames:
        decided = stage.feed(frame)
        after.append(described(in_order(decided, decided.moves != moves, SIZE)))
        moves = decided.moves
    assert after == before
    kinds = {e[0] if e[0] != "action" else e[3] for frame in before for e in frame}
    assert {"pointer_move", "pointer_down", "pointer_up", "right", "back"} <= kinds  # the visit did it all
    assert decided.state == "lost" and decided.body is None and decided.cursor is None


def test_a_kiosk_that_misses_frames_moves_the_aim_once_and_keeps_every_tap():
    stage = GestureStage(*age_settings("3-5"))  # 3–5: a hold of 1.2 s picks
    decided_frames = [stage.feed(frame) for frame in a_visit()[:80]]
    taps = sum(e.type == "pointer_down" for d in decided_frames for e in d.events)
    assert taps == 1
    # the kiosk reads every 4th frame only: it gets the taps of the frames it missed and the newest aim
    got, moves = [], 0
    for k in range(3, len(decided_frames), 4):
        missed = [e for d in decided_frames[k - 3:k] for e in d.events]
        newest = decided_frames[k]
        newest.events = missed + newest.events
        got += in_order(newest, newest.moves != moves, SIZE)
        moves = newest.moves
    assert sum(e.type == "pointer_down" for e in got) == 1
    assert sum(e.type == "pointer_move" for e in got) == 20  # one per read, never one per missed frame


def test_a_landmark_file_with_a_bad_line_skips_it_and_goes_on(tmp_path, caplog):
    """`[input] camera = "landmarks:FILE"` (an external tracker, a demo): a line that is not a landmark frame is
    skipped with a warning, never the kiosk stopped; the gestures run on the good lines as in the tracker."""
    import json

    from experiences.motion.body import LandmarkFrame, to_wire
    from experiences.motion.replay import LandmarkFileTracker

    path = tmp_path / "stream.jsonl"
    good = [json.dumps(to_wire(LandmarkFrame(k / 30, [body(right=aiming_at(0.5, 0.5))], k))) for k in range(3)]
    path.write_text("\n".join([good[0], "{not json", '{"t": 0.05, "people": [{"left_wrist": 3}]}', "[1, 2]",
                               good[1], good[2]]) + "\n", encoding="utf-8")
    tracker = LandmarkFileTracker(path)
    messages = tracker.messages()
    frames = [m for m in messages if m["kind"] == "frame"]
    assert len(frames) == 3 and tracker.bad_lines == 3 and "a line skipped" in caplog.text
    assert [m["decided"].index for m in frames] == [0, 1, 2] and [m["decided"].moves for m in frames] == [1, 2, 3]
    assert frames[-1]["decided"].state == "tracking" and frames[-1]["decided"].cursor is not None
