"""The lantern game's screen states for `launcher.py shots` and the screen tests, played as a visitor would:
the first round's hint, a miss, aiming at the right lantern, the hit's cheer, the story card, (a time-out for
timed levels), the final score and the top list.
"""
from __future__ import annotations

from experiences.runtime import InputEvent

MAX_WAIT = 240  # frames to wait for an arrow to land or a card to open


def _until(condition):
    for _ in range(MAX_WAIT):
        if condition():
            return
        yield None


def _lantern(exp, answer: bool):
    for lantern in exp.field.placed(exp.t):
        if (lantern.char == exp.round.answer) == answer:
            return lantern
    return None


def _shoot(exp, answer: bool):
    lantern = _lantern(exp, answer)
    exp.handle(InputEvent("pointer_down", lantern.x, lantern.y, source="touch"))
    yield from _until(lambda: exp.arrow is None)


def shot_states(exp):
    for _ in range(45):  # the hand glides from the blank to the first lantern and taps it
        yield None
    yield "first-hint"
    yield from _shoot(exp, answer=False)
    for _ in range(4):
        yield None
    yield "miss"
    for _ in range(100):  # the miss message fades
        yield None
    target = _lantern(exp, answer=True)
    exp.handle(InputEvent("pointer_move", target.x, target.y, source="touch"))
    yield "aiming"
    yield from _shoot(exp, answer=True)
    for _ in range(8):
        yield None
    yield "hit"
    yield from _until(lambda: exp.state == "story")
    yield "story"
    exp.handle(InputEvent("action", action="select", source="keyboard"))
    timed_out = False
    while exp.state == "aim":
        yield None
        yield f"round-{exp.index + 1}"  # each later round's lanterns (their count and layout differ)
        if exp.time_left is not None and not timed_out:
            exp.time_left = 0.2  # the clock runs down (a visitor waiting 40 s, fast-forwarded)
            yield from _until(lambda: exp.state == "story")
            yield "timeout"
            timed_out = True
        else:
            yield from _shoot(exp, answer=True)
            yield from _until(lambda: exp.state == "story")
        exp.handle(InputEvent("action", action="select", source="keyboard"))
    yield None
    yield "final"
    exp.handle(InputEvent("action", action="select", source="keyboard"))  # the first nickname
    yield "toplist"


def _look_at(exp, answer: bool) -> InputEvent:
    from games.lanterns.vr.courtyard import pose_towards

    rnd = exp.game.round
    hanging = next(h for h in exp.courtyard.placed(exp.t) if (h.char == rnd.answer) == answer)
    yaw, pitch = pose_towards((hanging.x, hanging.y, hanging.z), exp.origin)
    return InputEvent("aim", yaw=yaw, pitch=pitch, source="head")


def vr_shot_states(exp):
    """The VR courtyard's states (fewer than on a screen: every frame is a 3D render): aiming, a miss, the hit
    and the story card, played with a head pose and a gamepad button."""
    yield "aim"
    for answer, name in ((False, "miss"), (True, "hit")):
        exp.handle(_look_at(exp, answer))
        exp.handle(InputEvent("action", action="select", source="gamepad"))
        yield from _until(lambda: exp.arrow is None)
        yield None
        yield name
    yield from _until(lambda: exp.state == "story")
    yield "story"
