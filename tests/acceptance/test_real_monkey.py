"""A monkey at the real kiosk in a real window (the headless one is tests/experiences/test_kiosk_monkey.py):
~30 s of random real X clicks, drags and keys — a third of the clicks on a target the hook names, so the monkey
gets past the menu — with the same assertions as the guided flow: the process never dies or hangs, the screen is
always a picture, the log has no traceback and the LRS refuses no statement.
"""
from __future__ import annotations

import os
import random
import time

import pytest

from tests.acceptance.xkiosk import SIZE, KioskSession, is_picture, traceback_lines

SECONDS = float(os.environ.get("YUEDU_MONKEY_SECONDS", "30"))
BORED_SECONDS = 6.0  # this long in one experience, then back to the menu
KEYS = ("Left", "Right", "Up", "Down", "Return", "space", "Escape", "h")


@pytest.fixture(scope="module")
def session(xserver, tmp_path_factory):
    session = KioskSession(xserver.display, tmp_path_factory.mktemp("real-monkey"))
    yield session
    session.stop()


def _act(kiosk, rng: random.Random, targets: dict) -> str:
    roll = rng.random()
    if roll < 0.3 and targets:
        name = rng.choice(sorted(targets))
        x, y, w, h = targets[name]
        kiosk.click(x + rng.randrange(max(1, w)), y + rng.randrange(max(1, h)), hold=rng.choice((0.05, 0.15)))
        return f"click {name}"
    if roll < 0.7:
        x, y = rng.randrange(SIZE[0]), rng.randrange(SIZE[1])
        kiosk.click(x, y, hold=rng.choice((0.05, 0.15)))
        return f"click {x},{y}"
    if roll < 0.85:
        x, y = rng.randrange(SIZE[0]), rng.randrange(SIZE[1])
        to = (min(SIZE[0] - 1, max(0, x + rng.randrange(-500, 500))), min(SIZE[1] - 1, max(0, y + rng.randrange(-200, 200))))
        kiosk.drag((x, y), to, steps=6, pause=0.02)
        return f"drag {x},{y}→{to[0]},{to[1]}"
    key = rng.choice(KEYS)
    kiosk.key(key)
    return f"key {key}"


def test_random_real_input_breaks_nothing(session):
    seed = int(os.environ.get("YUEDU_MONKEY_SEED", time.time_ns() % 10_000))
    rng = random.Random(seed)
    kiosk = session.live("start")
    played: set[str] = set()
    history: list[str] = []
    blank: list[str] = []
    deadline = time.monotonic() + SECONDS
    next_shot = 0.0
    current, since = None, time.monotonic()
    while time.monotonic() < deadline:
        kiosk = session.live(f"seed {seed} after {history[-3:]}")
        snapshot = kiosk.hook()
        if snapshot.get("package") != current:
            current, since = snapshot.get("package"), time.monotonic()
        if current:
            played.add(current)
        if current and time.monotonic() - since > BORED_SECONDS:
            kiosk.key("Escape")  # a visitor who has seen enough goes back (and the monkey sees more)
            history.append("key Escape (bored)")
            since = time.monotonic()
        else:
            history.append(_act(kiosk, rng, snapshot.get("targets", {})))
        time.sleep(rng.choice((0.05, 0.2, 0.5)))
        if time.monotonic() >= next_shot and kiosk.alive():
            image = kiosk.screenshot()
            if not is_picture(image):
                time.sleep(0.3)  # a screen between two frames of a switch gets one more look
                image = kiosk.screenshot()
                if not is_picture(image):
                    blank.append(f"{kiosk.save(image, 'monkey-blank')} after {history[-3:]}")
            next_shot = time.monotonic() + 2.0
    kiosk = session.live(f"seed {seed} at the end after {history[-3:]}")
    kiosk.picture("monkey end")
    log = kiosk.log_text()
    rows = kiosk.wait_outbox_settled()
    refused = [(row["verb"]["id"].rsplit("/", 1)[-1], row["_reason"]) for row in rows if row["_state"] == "rejected"]
    print(f"monkey seed {seed}: {len(history)} inputs, played {sorted(played)}, {len(rows)} statements")
    assert not session.deaths, f"seed {seed}: the kiosk died or hung: {session.deaths}"
    assert not blank, f"seed {seed}: blank screens: {blank}"
    assert not traceback_lines(log), f"seed {seed}: {traceback_lines(log)}"
    assert not refused, f"seed {seed}: {len(refused)} of {len(rows)} statements refused: {refused[:5]}"
    assert played, f"seed {seed}: the monkey never got into an experience ({history[-10:]})"
