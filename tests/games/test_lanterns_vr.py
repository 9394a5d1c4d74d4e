"""成语论箭 in 3D/VR: head-pose aiming (a scripted head), side-by-side stereo, the kind time limit."""
from __future__ import annotations

import math
import os
import random

import pygame
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from experiences.engagement import extension_iri
from experiences.runtime import InputEvent, create_experience
from games.lanterns.vr.courtyard import EYE, IPD, Courtyard, VRSession, aim_direction, eye_positions, pose_towards

SHOTS = os.environ.get("YUEDU_SHOTS")


@settings(max_examples=60, deadline=None)
@given(yaw=st.floats(-80, 80), pitch=st.floats(-60, 60))
def test_pose_and_direction_round_trip(yaw, pitch):
    d = aim_direction(yaw, pitch)
    assert math.isclose(sum(c * c for c in d), 1.0, rel_tol=1e-9)
    point = tuple(EYE[i] + d[i] * 4 for i in range(3))
    back = pose_towards(point)
    assert math.isclose(back[0], yaw, abs_tol=1e-6) and math.isclose(back[1], pitch, abs_tol=1e-6)


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10_000), count=st.integers(3, 12), t=st.floats(0, 100))
def test_looking_at_a_lantern_picks_it(seed, count, t):
    chars = list("画龙点睛一心意气风发春秋")[:count]
    court = Courtyard(chars, 1.0, random.Random(seed))
    for hanging in court.placed(t):
        yaw, pitch = pose_towards((hanging.x, hanging.y, hanging.z))
        assert court.pick(t, EYE, aim_direction(yaw, pitch)).char == hanging.char
    assert court.pick(t, EYE, aim_direction(0, -60)) is None  # at the ground: nothing


def test_stereo_eyes_and_session_limit():
    left, right = eye_positions(30.0)
    assert math.isclose(math.dist(left, right), IPD)
    session = VRSession(minutes=10)
    assert session.update(8 * 60) == "play" and session.update(61) == "warn" and session.update(60) == "ended"


@pytest.fixture
def surface():
    pygame.init()
    return pygame.Surface((1280, 720))


def head_looking_at(exp, char):
    """The scripted input provider: a head pose that looks at a lantern, as a headset would report it."""
    hanging = exp.courtyard.find(exp.t, char)
    yaw, pitch = pose_towards((hanging.x, hanging.y, hanging.z), exp.origin)
    return InputEvent("aim", yaw=yaw, pitch=pitch, source="head")


def run(exp, surface, seconds, dt=1 / 30):
    for _ in range(int(seconds / dt)):
        exp.update(dt)
    exp.draw(surface)


def test_vr_round_by_head_pose(run_context, surface):
    package, ctx, sink, clock = run_context("org.yuedu.idioms.children", age_band="6-8", seed=8,
                                            vr=True)
    exp = create_experience(package, ctx)
    assert type(exp).__name__ == "LanternsVRExperience"
    exp.start()
    try:
        exp.draw(surface)
        if SHOTS:
            pygame.image.save(surface, os.path.join(SHOTS, "vr_aim.png"))
        # Stereo: both halves show the courtyard; the right eye sees it shifted (parallax).
        left, right = surface.subsurface((0, 0, 640, 720)), surface.subsurface((640, 0, 640, 720))
        assert pygame.image.tobytes(left, "RGB") != pygame.image.tobytes(right, "RGB")
        answer = exp.game.round.answer
        hanging = exp.courtyard.find(exp.t, answer)
        for eye in (0, 1):  # the answer's lantern is drawn where the eye's lens projects it: red paper there
            x, y = exp.view.lens_project(eye, (hanging.x, hanging.y, hanging.z + hanging.radius * 0.78))  # above the disc
            r, g, b, _ = surface.get_at((int(x), int(y)))
            assert r > 120 and r > g + 40, (eye, (r, g, b))
        wrong = next(c for c in exp.game.round.chars() if c != answer)
        exp.handle(head_looking_at(exp, wrong))
        exp.handle(InputEvent("action", action="select", source="gamepad"))
        run(exp, surface, 1.0)
        assert exp.game.attempts == 1 and exp.game.show_blank_pinyin
        exp.handle(head_looking_at(exp, answer))
        clock.advance(9.0)
        exp.handle(InputEvent("action", action="select", source="gamepad"))
        run(exp, surface, 0.4)
        if SHOTS:
            pygame.image.save(surface, os.path.join(SHOTS, "vr_flight.png"))
        run(exp, surface, 1.5)
        assert exp.game.solved and exp.state == "story"
        if SHOTS:
            pygame.image.save(surface, os.path.join(SHOTS, "vr_story.png"))
        statement = [s for s in sink.statements if s["verb"]["display"]["en-US"] == "answered"][0]
        assert statement["result"]["success"] and statement["result"]["extensions"][extension_iri("attempts")] == 2
        assert statement["result"]["duration"] == "PT9.00S"
        exp.handle(InputEvent("action", action="select"))
        assert exp.state == "aim" and exp.game.index == 1
    finally:
        exp.stop("quit")


def test_vr_session_ends_kindly(run_context, surface):
    package, ctx, sink, _ = run_context("org.yuedu.idioms.children", vr=True)
    exp = create_experience(package, ctx)
    exp.start()
    try:
        exp.session = VRSession(minutes=1)
        run(exp, surface, 50, dt=1.0)
        assert exp.session.state == "warn" and exp.state == "aim"
        run(exp, surface, 10, dt=1.0)
        assert exp.state == "fade"  # the time is up: first the world fades to dark, slowly
        exp.draw(surface)
        brightness = [pygame.surfarray.array3d(surface).mean()]
        while exp.state == "fade":
            run(exp, surface, 0.25, dt=0.25)
            brightness.append(pygame.surfarray.array3d(surface).mean())
        assert len(brightness) == 9  # 2 s in quarter seconds
        fade = brightness[:-1]
        assert all(later <= earlier + 0.01 for earlier, later in zip(fade, fade[1:]))  # never brighter again
        assert fade[-1] < 0.05 * fade[0]  # lit to dark
        assert exp.state == "rest" and not exp.finished
        if SHOTS:
            pygame.image.save(surface, os.path.join(SHOTS, "vr_rest.png"))
        for eye in (0, 1):  # the rest message is written in both eyes: light text on the dark background
            band = surface.subsurface((eye * 640 + 30, 280, 580, 160))
            light = sum(1 for x in range(0, 580, 3) for y in range(0, 160, 3) if band.get_at((x, y))[0] > 180)
            assert light > 30, eye
        run(exp, surface, 7, dt=1.0)
        assert exp.finished
        ended = sink.statements[-1]
        assert ended["verb"]["display"]["en-US"] == "terminated"  # the run's end says why it ended
        assert ended["result"]["extensions"][extension_iri("end")] == "vr-time-limit"
    finally:
        exp.stop("completed")


def test_a_motion_sensor_pointer_spans_both_eyes(run_context, surface):
    """A TUIO pointer covers the whole side-by-side frame; a touch is read within the eye it lands on."""
    package, ctx, _, _ = run_context("org.yuedu.idioms.children", age_band="6-8", seed=8, vr=True)
    exp = create_experience(package, ctx)
    exp.start()
    try:
        width, height = exp.size
        exp.handle(InputEvent("pointer_move", width * 0.75, height / 2, source="tuio"))
        assert exp.yaw == pytest.approx(22.5)  # three quarters across the frame: right of centre
        exp.handle(InputEvent("pointer_move", width * 0.75, height / 2, source="touch"))
        assert exp.yaw == pytest.approx(0.0)  # the middle of the right eye: straight ahead
    finally:
        exp.stop("quit")


def test_the_test_hooks_answer_target_aims_a_touch_at_the_right_lantern(run_context, surface):
    """`test_targets()["lantern:answer"]` is where a touch in the left eye shoots the right character."""
    package, ctx, _, _ = run_context("org.yuedu.idioms.children", age_band="6-8", seed=8, vr=True)
    exp = create_experience(package, ctx)
    assert type(exp).__name__ == "LanternsVRExperience"
    exp.start()
    try:
        run(exp, surface, 0.5)
        rect = exp.test_targets()["lantern:answer"]
        exp.handle(InputEvent("pointer_down", *rect.center, source="mouse"))
        run(exp, surface, 2.0)
        assert exp.game.solved and exp.state == "story"
        assert exp.test_targets() == {"next": pygame.Rect(0, 0, *exp.size)}
    finally:
        exp.stop("quit")
