"""The gesture recognisers on generated landmark sequences (layer: landmarks → events). No camera, no model."""
from __future__ import annotations

import random

import pytest

from experiences.motion.gestures import MOTION_POINTER, MotionGestures
from experiences.motion.synthetic import body, feed, kinds, stream

SIZE = (1280, 720)
AIM = (0.8, -0.3)  # the right hand raised to the side, a bit above the shoulder


def hold(seconds, fps=30, **kw):
    return [[body(**kw)]] * int(seconds * fps)


def taps(events):
    return [e for e in events if e.type == "pointer_down"]


def test_aim_follows_the_raised_hand_mirrored_and_smoothed():
    g = MotionGestures(SIZE)
    xs = []
    for i in range(60):  # the right hand sweeps from the body's middle out to the right
        events = g.feed(stream([[body(right=(-0.5 + i / 30, -0.3))]], start=i / 30)[0])
        xs.append(events[0].x)
        assert events[0].type == "pointer_move" and events[0].source == "motion"
        assert events[0].pointer_id == MOTION_POINTER
    assert xs[-1] > xs[0] + 500  # to the child's right is the screen's right (a mirror)
    assert all(b >= a - 1 for a, b in zip(xs, xs[1:]))  # smooth: never jumps back


@pytest.mark.parametrize("sw", [0.07, 0.15, 0.26])
def test_aim_is_fitted_to_the_childs_own_size(sw):
    """A small child far away and a tall one close reach the same screen spot with the same pose."""
    g = MotionGestures(SIZE)
    events = feed(g, stream(hold(1.0, sw=sw, right=AIM)))
    ref = feed(MotionGestures(SIZE), stream(hold(1.0, sw=0.15, right=AIM)))
    assert abs(events[-1].x - ref[-1].x) < 0.02 * SIZE[0] and abs(events[-1].y - ref[-1].y) < 0.02 * SIZE[1]


def test_left_handed_children_aim_with_the_left_hand():
    g = MotionGestures(SIZE)
    right = feed(MotionGestures(SIZE), stream(hold(0.5, right=(0.8, -0.3))))[-1]
    left = feed(g, stream(hold(0.5, right=(1.0, 1.5), left=(-0.8, -0.3))))[-1]
    assert left.x < SIZE[0] / 2 < right.x


def test_dwell_taps_once_after_1_2_s_despite_noise():
    g = MotionGestures(SIZE, bow=False, dwell_seconds=1.2)
    rng = random.Random(5)
    frames = stream([[body(right=AIM, noise=0.003, rng=rng)] for _ in range(90)])  # 3 s at 30 fps
    seen_at = []
    for frame in frames:
        for e in g.feed(frame):
            if e.type == "pointer_down":
                seen_at.append(frame.t)
    assert len(seen_at) == 1 and 1.2 <= seen_at[0] <= 1.6


def test_dwell_ring_fills_and_moving_away_resets_it():
    g = MotionGestures(SIZE, bow=False)
    feed(g, stream(hold(0.6, right=AIM)))
    assert 0.3 < g.dwell < 0.7
    feed(g, stream([[body(right=(0.0, -0.8))]], start=0.7))
    assert g.dwell == 0.0


def test_dropped_frames_still_dwell_and_never_lose_the_child():
    g = MotionGestures(SIZE, bow=False)
    events = feed(g, stream(hold(2.0, right=AIM), drop=0.4))
    assert len(taps(events)) == 1 and g.state == "tracking"


def _bow_sequence(pull=(-0.1, 0.05)):
    """Left arm points at the target (the bow); the right hand hangs, comes back to its shoulder, lets go."""
    bow_arm = (-1.4, -0.3)
    return (hold(0.3, left=bow_arm, right=(0.3, 2.0)) + hold(0.4, left=bow_arm, right=pull)
            + hold(0.3, left=bow_arm, right=(1.3, 0.3)))


def test_drawing_the_bow_and_letting_go_shoots_once_where_the_aim_is():
    g = MotionGestures(SIZE, bow=True, dwell_seconds=5.0)
    events = feed(g, stream(_bow_sequence()))
    down = taps(events)
    assert len(down) == 1 and down[0].x < SIZE[0] / 2  # aimed with the left arm: the left of the screen
    assert kinds(events).count("pointer_up") == 1


def test_bow_needs_the_pull_and_is_off_for_the_youngest():
    assert not taps(feed(MotionGestures(SIZE, bow=True, dwell_seconds=5.0),
                         stream(_bow_sequence(pull=(0.3, 2.0)))))  # the hand never came back: no shot
    assert not taps(feed(MotionGestures(SIZE, bow=False, dwell_seconds=5.0), stream(_bow_sequence())))


def test_swipe_left_and_right_but_not_slow_aiming():
    g = MotionGestures(SIZE, bow=False)
    sweep = [[body(right=(1.2 - 3.0 * i / 8, 0.2))] for i in range(9)]  # 0.27 s, right to left
    assert "action:right" in kinds(feed(g, stream(sweep)))
    g = MotionGestures(SIZE, bow=False)
    back = [[body(right=(-1.8 + 3.0 * i / 8, 0.2))] for i in range(9)]
    assert "action:left" in kinds(feed(g, stream(back)))
    g = MotionGestures(SIZE, bow=False)
    slow = [[body(right=(1.2 - 3.0 * i / 60, 0.2))] for i in range(61)]  # 2 s: aiming, not a swipe
    assert not [k for k in kinds(feed(g, stream(slow))) if k.startswith("action")]


def test_both_hands_up_held_means_back_once():
    g = MotionGestures(SIZE, bow=False)
    events = feed(g, stream(hold(2.5, right=(0.2, -1.5), left=(-0.2, -1.5))))
    assert kinds(events).count("action:back") == 1
    assert not taps(events)  # hands up is not a hover


def test_stepping_out_is_noticed_and_coming_back_tracks_again():
    g = MotionGestures(SIZE)
    assert g.state == "searching"
    feed(g, stream(hold(0.5, right=AIM)))
    assert g.state == "tracking" and g.cursor is not None
    feed(g, stream([[]] * 30, start=0.6))
    assert g.state == "lost" and g.cursor is None and g.body is None
    feed(g, stream(hold(0.2, right=AIM), start=2.0))
    assert g.state == "tracking"


def test_seated_and_one_armed_children_aim_and_pick_by_dwell():
    g = MotionGestures(SIZE, bow=True, dwell_seconds=1.2)  # 6+, but the other arm is not seen: dwell shoots
    events = feed(g, stream(hold(1.6, right=AIM, left=None, hips=False)))
    assert len(taps(events)) == 1


def test_the_person_nearest_the_centre_plays_and_a_passer_by_does_not_take_over():
    g = MotionGestures(SIZE, bow=False)
    player = body(cx=0.52, right=AIM)
    side = body(cx=0.15, right=(-1.0, -0.5))  # someone at the edge, also waving
    feed(g, stream([[side, player]] * 10))
    first = g.cursor
    frames = []
    for i in range(60):  # a passer-by walks across the whole picture, arm up
        walker = body(cx=0.05 + 0.9 * i / 59, sw=0.17, right=(0.5, -1.0))
        frames.append([walker, player] if i % 2 else [player, walker])
    events = feed(g, stream(frames, start=0.5))
    moves = [e for e in events if e.type == "pointer_move"]
    assert max(abs(e.x - first[0] * SIZE[0]) for e in moves) < 0.03 * SIZE[0]


def test_point_mode_aims_along_the_arm():
    g = MotionGestures(SIZE, aim_mode="point")
    straight = feed(g, stream(hold(0.5, right=(1.6, 0.0))))[-1]
    assert straight.x > 0.9 * SIZE[0] and abs(straight.y - SIZE[1] / 2) < 0.1 * SIZE[1]
    with pytest.raises(ValueError):
        MotionGestures(SIZE, aim_mode="eyes")


def test_a_slow_drift_of_a_tired_arm_still_counts_as_holding():
    g = MotionGestures(SIZE, bow=False, dwell_seconds=1.2)
    drift = [[body(right=(AIM[0], AIM[1] + 0.12 * i / 30))] for i in range(60)]  # ~0.1 of the screen in 2 s
    assert len(taps(feed(g, stream(drift)))) == 1


# --- "back" with one arm: one hand stretched straight up, held 1.5 s ---------------------------------------------
UP = (0.1, -1.6)  # the hand straight up above its shoulder (the elbow half way: synthetic.body)
ONE_ARM_BODIES = {
    "standing, right hand": dict(right=UP),
    "standing, left-handed": dict(right=(1.0, 1.5), left=(-0.1, -1.6)),
    "seated (hips unseen, low in the picture)": dict(cy=0.62, hips=False, right=UP),
    "small, far away": dict(sw=0.07, right=UP),
    "tall, close": dict(sw=0.26, cy=0.3, right=UP),
    "only one arm seen": dict(right=UP, left=None),
    "left arm only, seated": dict(cy=0.6, hips=False, right=None, left=(-0.1, -1.6)),
}


def backs(events):
    return [e for e in events if e.type == "action" and e.action == "back"]


@pytest.mark.parametrize("who", ONE_ARM_BODIES)
def test_one_hand_held_straight_up_means_back_once(who):
    g = MotionGestures(SIZE, bow=False, dwell_seconds=1.2)  # the youngest: hover-and-hold picks at 1.2 s
    rng = random.Random(7)
    frames = stream([[body(**ONE_ARM_BODIES[who], noise=0.002, rng=rng)] for _ in range(90)], drop=0.1)
    events, sent_at = [], []
    for frame in frames:
        got = g.feed(frame)
        sent_at += [frame.t for _ in backs(got)]
        events += got
        if not sent_at:
            assert g.reach_up <= min(1.0, frame.t / 1.5 + 0.05)  # the ring fills as the hand stays up
    assert len(sent_at) == 1 and 1.5 <= sent_at[0] <= 1.75  # held 1.5 s, sent once while the hand stays up
    assert not taps(events)  # the hand up there never picks what the aim rests on


def test_one_hand_up_for_1_second_or_aiming_high_is_not_back():
    short = MotionGestures(SIZE)
    assert not backs(feed(short, stream(hold(1.0, right=UP) + hold(1.0)))) and short.reach_up == 0.0
    for aim in [(0.8, -0.3), (0.4, -0.9), (1.5, -1.2), (-0.8, -0.6)]:  # aiming up to the top lantern row
        events = feed(MotionGestures(SIZE, bow=False, dwell_seconds=1.2), stream(hold(3.0, right=aim)))
        assert not backs(events) and len(taps(events)) == 1  # a hover-and-hold pick, as ever


def test_lowering_the_hand_rearms_and_coming_back_up_sends_back_again():
    events = feed(MotionGestures(SIZE), stream(hold(2.0, right=UP) + hold(0.5) + hold(2.0, right=UP)))
    assert len(backs(events)) == 2


def test_one_child_seen_twice_is_one_person_and_two_side_by_side_are_two():
    """Pure: the centre crop's partial look at the tracked child (mid-shoulders half a shoulder width off, the
    shoulders narrower) is the same person; a second child shoulder to shoulder (1.3 widths) or further is not."""
    from experiences.motion.body import same_person

    child = body(cx=0.3, sw=0.18)
    assert same_person(body(cx=0.39, cy=0.36, sw=0.06), child)  # as the cameraman's crop gave it
    assert same_person(child, child)
    assert not same_person(body(cx=0.3 + 1.3 * 0.18, sw=0.18), child)
    assert not same_person(body(cx=0.5, sw=0.12), child)  # a smaller child in the middle
