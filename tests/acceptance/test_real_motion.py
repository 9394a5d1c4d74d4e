"""The real kiosk in a real window played by body movements (layer: landmarks → events): the motion corner
follows a landmark stream (`[input] camera = "landmarks:FILE"`, what the tracking process would send), a child
hovers on the menu's lantern card until it opens, aims at the right lantern and shoots by drawing the bow.
No camera here: the landmarks are generated (experiences.motion.synthetic) and aimed with the test hook."""
from __future__ import annotations

import json
import threading
import time

import pytest

from experiences.motion.synthetic import aiming_at, body
from tests.acceptance.xkiosk import KioskSession, changed_pixels, kiosk_size, package_statements, verbs

LANTERNS = "org.yuedu.idioms.children"
DOWN = (-1.0, 1.5)


class Child(threading.Thread):
    """Writes the child's body 30 times a second, aiming at `target` (screen px) with the right hand."""

    def __init__(self, path, size):
        super().__init__(daemon=True, name="motion-child")
        self.path, self.size = path, size
        self.target: tuple[float, float] | None = None
        self.left = DOWN
        self.stop = threading.Event()

    def run(self) -> None:
        with self.path.open("a", encoding="utf-8") as out:
            while not self.stop.wait(1 / 30):
                right = DOWN if self.target is None else aiming_at(self.target[0] / self.size[0],
                                                                    self.target[1] / self.size[1])
                pose = body(right=right, left=self.left)
                out.write(json.dumps({"t": time.monotonic(),
                                      "people": [{k: list(v) for k, v in pose.items()}]}) + "\n")
                out.flush()


def centre(rect):
    x, y, w, h = rect
    return x + w / 2, y + h / 2


@pytest.fixture(scope="module")
def session(xserver, tmp_path_factory):
    root = tmp_path_factory.mktemp("real-motion")
    stream = root / "landmarks.jsonl"
    session = KioskSession(xserver.display, root, kiosk_toml=f'[input]\ncamera = "landmarks:{stream}"\n')
    session.stream = stream
    yield session
    session.stop()


def test_a_lantern_round_played_by_motion(session):
    kiosk = session.to_menu("start")
    snapshot = kiosk.hook()
    child = Child(session.stream, kiosk_size(snapshot))
    child.start()
    try:
        kiosk.show_card(LANTERNS)  # its page of the menu (six cards a page)
        child.target = centre(kiosk.target(f"card:{LANTERNS}"))  # hover and hold on the card
        kiosk.wait_state("running", timeout=15, package=LANTERNS)
        child.target = None
        kiosk.target("lantern:answer", timeout=15)
        before = kiosk.picture("lanterns by motion")
        deadline = time.monotonic() + 1.0
        while time.monotonic() < deadline:  # aim: follow the swaying lantern
            child.target = centre(kiosk.hook()["targets"]["lantern:answer"])
            time.sleep(0.03)
        child.left = (0.1, 0.0)  # draw: the left hand back to its shoulder
        deadline = time.monotonic() + 0.6
        while time.monotonic() < deadline:
            child.target = centre(kiosk.hook()["targets"].get("lantern:answer", [0, 0, 0, 0]) or child.target)
            time.sleep(0.03)
        aimed = kiosk.picture("bow drawn")
        child.left = (-1.3, 0.3)  # let go
        snapshot = kiosk.wait_for("the story card after a hit", lambda s: "next" in s.get("targets", {}), timeout=8)
        assert changed_pixels(before, aimed) > 0  # the aim ring and the stick figure are on screen
        rows = package_statements(kiosk.wait_outbox_settled(), LANTERNS)
        answered = [row for row in rows if verbs([row]) == ["answered"]]
        assert answered and answered[-1]["result"]["success"] is True
        kiosk.assert_alive("after a round by motion")
    finally:
        child.stop.set()
        child.join(2)
