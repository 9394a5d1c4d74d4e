"""The kiosk played by body movements (layer: landmarks → gestures → the shell's input): a menu pick by
hover-and-hold, a lantern round shot by drawing the bow, a chain turn, a book page turned by a swipe. The
landmark stream comes through `[input] camera = "landmarks:FILE"`, as the tracking process would send it."""
from __future__ import annotations

import json

import pytest

from experiences.catalog import Catalog
from experiences.engagement import extension_iri
from experiences.config import KioskConfig
from experiences.drawlog import recording
from experiences.screencheck import check_screen
from experiences.kinds import default_registry
from experiences.kiosk import testing
from experiences.kiosk.states import MENU, RUNNING
from experiences.kiosk.testhook import describe
from experiences.motion.body import to_wire, LandmarkFrame
from experiences.motion.synthetic import aiming_at, body
from server.xapi.errors import XAPIError
from server.xapi.validate import StatementValidator

DT = 1 / 30
LANTERNS, CHAIN, BOOK = "org.yuedu.idioms.children", "org.yuedu.idioms.chain", "org.yuedu.exhibits.tangshi-book"
DOWN = (-1.0, 1.5)  # the left hand hanging


class Child:
    """A child in front of the camera: each kiosk frame, one landmark frame of their body is written."""

    def __init__(self, shell, path):
        self.shell, self.path = shell, path
        self.size = shell.size

    def frame(self, right=DOWN, left=DOWN, people=True):
        frame = LandmarkFrame(self.shell.clock.now(), [body(right=right, left=left)] if people else [])
        with self.path.open("a", encoding="utf-8") as out:
            out.write(json.dumps(to_wire(frame)) + "\n")
        self.shell.frame(DT)

    def aim(self, target, left=DOWN):
        x, y, w, h = target if len(target) == 4 else (*target, 0, 0)
        self.frame(aiming_at((x + w / 2) / self.size[0], (y + h / 2) / self.size[1]), left)

    def hold(self, name, seconds=2.3):
        for _ in range(round(seconds / DT)):
            targets = describe(self.shell)["targets"]
            if name not in targets:
                return
            self.aim(targets[name])

    def targets(self):
        return describe(self.shell)["targets"]


@pytest.fixture
def kiosk(tmp_path):
    packages = list(Catalog.scan().all())
    config = KioskConfig()
    config.kiosk.ask_age_band = False
    stream = tmp_path / "landmarks.jsonl"
    config.input.camera = f"landmarks:{stream}"
    shell, sink = testing.headless_shell(packages, tmp_path / "data", config=config, size=(1280, 720),
                                         registry=default_registry())
    shell.run_services = {"seed": 3}
    child = Child(shell, stream)
    child.frame(people=False)  # the first frame: the attract screen is up, the motion corner starts
    for _ in range(3):
        child.frame()  # arms down: seen, nothing asked
    assert shell.motion is not None and shell.motion.camera_open
    shell.machine.choose_age_band("6-8")
    yield shell, sink, child
    shell.close()


def pick(shell, child, package_id):
    """From attract: hold still anywhere (a hold wakes the kiosk), then hover-and-hold the card."""
    for _ in range(round(2.3 / DT)):
        if shell.machine.state == MENU:
            break
        child.aim((640, 300))
    assert shell.machine.state == MENU
    for _ in range(shell.menu.pages):  # from the first page (the pages stop at both ends: 上一页 back to it)
        if "menu:prev" not in child.targets():
            break
        child.aim((640, 40))
        child.hold("menu:prev")
    for _ in range(shell.menu.pages):  # six cards a page: hover-and-hold 下一页 until the card is shown
        if f"card:{package_id}" in child.targets():
            break
        page = shell.menu.page
        child.aim((640, 40))  # away from the button first: a new hold
        child.hold("menu:next")
        assert shell.menu.page != page, "下一页 held turns the page"
    child.hold(f"card:{package_id}")
    for _ in range(5):
        child.frame()
    assert shell.machine.state == RUNNING and shell.host.package.id == package_id


AIM_INPUT = extension_iri("aim-input")


def validated(statements):
    """Every statement as the project's own LRS takes it (server.xapi.validate); returns them."""
    validator = StatementValidator("1.0")
    for statement in statements:
        try:
            validator.statement(statement)
        except XAPIError as error:
            pytest.fail(f"the LRS refuses {statement['verb']['display']['en-US']}: {error.reason}")
    return statements


def of_run(statements, package_id, verb):
    return [s for s in statements if s["verb"]["display"]["en-US"] == verb
            and s["object"]["id"].split("/activities/")[-1].startswith(package_id)]


def test_attract_shows_the_camera_promise_and_hovering_alone_wakes_nothing(kiosk):
    shell, _, child = kiosk
    with recording() as log:
        child.aim((640, 300))
    texts = [item.text for item in log.texts]
    assert "摄像头开着" in texts and "摄像头只看动作" in texts and "不拍照，不录像" in texts
    assert shell.machine.state != MENU  # one hover frame is not a visitor
    assert "举起手" in texts and "站到这里" not in texts  # seen: how a body starts (a hand up, held)
    for _ in range(29):
        child.frame()  # standing there, arms down: still only asked, never woken
    with recording() as log:
        child.frame()
    texts = [item.text for item in log.texts]
    assert shell.machine.state != MENU and "举起手" in texts and "停一停，就开始" in texts
    assert check_screen(log, shell.size, "zh-CN") == []  # big enough, with pinyin, nothing cut or on top
    with recording() as log:
        child.frame(people=False)
        for _ in range(20):
            child.frame(people=False)
    assert "站到这里" in [item.text for item in log.texts]


def test_a_menu_pick_and_a_lantern_round_by_drawing_the_bow(kiosk):
    shell, sink, child = kiosk
    pick(shell, child, LANTERNS)
    for _ in range(150):
        if "lantern:answer" in child.targets():
            break
        child.frame()
    assert not shell.motion.bow or shell.motion.dwell_seconds >= 2.0
    with recording() as log:
        child.frame()
    texts = [item.text for item in log.texts]  # how to play, said for a body, not a finger
    assert "举手瞄准灯笼，拉弓放箭！" in texts and "点一下灯笼，射中缺的字！" not in texts
    for left in [DOWN] * 6 + [(0.1, 0.0)] * 8:  # aim, pull the left hand back to its shoulder...
        child.aim(child.targets()["lantern:answer"], left=left)
    assert "next" not in child.targets() and shell.motion.view.drawn  # drawn, not yet shot
    for _ in range(3):  # ...and let go
        child.aim(child.targets().get("lantern:answer", (640, 300)), left=(-1.3, 0.3))
    for _ in range(90):
        if "next" in child.targets():
            break
        child.frame()
    assert "next" in child.targets(), "the story card after a hit"
    answered = [s for s in validated(sink.statements) if s["verb"]["id"].endswith("answered")]
    assert answered and answered[-1]["result"]["success"] is True
    context = answered[-1]["context"]["extensions"]
    assert context[AIM_INPUT] == "motion"  # only that motion was the input: nothing about the body
    assert not {key for key in context if "body" in key or "pose" in key or "landmark" in key}


def test_the_youngest_shoot_a_lantern_by_holding_still(kiosk):
    """3–5: the age answer reaches the gestures (here the landmark file's; in the tracking process through shared
    memory: tests/motion/test_tracker.py) — no bow, a hold of 1.2 s shoots — and the hint says so."""
    shell, sink, child = kiosk
    for _ in range(round(2.3 / DT)):  # a hold wakes the kiosk
        if shell.machine.state == MENU:
            break
        child.aim((640, 300))
    shell._age_answered("3-5")  # what a tap on the age question's 3–5 does
    assert not shell.motion.bow and shell.motion.dwell_seconds == 1.2
    pick(shell, child, LANTERNS)
    for _ in range(150):
        if "lantern:answer" in child.targets():
            break
        child.frame()
    with recording() as log:
        child.frame()
    assert "举手对准灯笼，停住别动！" in [item.text for item in log.texts]
    frames = 0
    while "lantern:answer" in child.targets() and frames < round(2.0 / DT):
        child.aim(child.targets()["lantern:answer"], left=(0.1, 0.0))  # the other hand at the shoulder: no bow
        frames += 1
    assert not shell.motion.view.drawn
    for _ in range(90):
        if "next" in child.targets():
            break
        child.frame()
    assert "next" in child.targets(), "held still on the answer: a hit and the story card"
    assert 1.2 / DT <= frames <= 1.8 / DT  # the 3–5 hold, not the 2 s of older children's menus
    answered = [s for s in validated(sink.statements) if s["verb"]["id"].endswith("answered")]
    assert answered[-1]["result"]["success"] is True and answered[-1]["context"]["extensions"][AIM_INPUT] == "motion"


def test_a_chain_turn_by_hover_and_hold(kiosk):
    shell, sink, child = kiosk
    pick(shell, child, CHAIN)
    for _ in range(150):
        if "card:right" in child.targets():
            break
        child.frame()
    child.aim((100, 100))  # move away from where the menu card was: a new hold
    child.hold("card:right")
    for _ in range(10):
        child.frame()
    assert "card:right" not in child.targets()  # taken: the kiosk's turn
    answered = of_run(validated(sink.statements), CHAIN, "answered")
    assert answered and answered[0]["context"]["extensions"][AIM_INPUT] == "motion"


def test_a_book_page_turn_by_a_swipe(kiosk):
    shell, _, child = kiosk
    pick(shell, child, BOOK)
    for _ in range(300):
        if "page:next" in child.targets():
            break
        child.frame()
    assert "page:previous" not in child.targets()
    with recording() as log:
        child.frame()
    texts = [item.text for item in log.texts]  # how to turn a page, said for a body: a sweep, not a drag
    assert "挥挥手，翻一页" in texts and "点书页或拖动翻页" not in texts
    for i in range(9):  # the right hand sweeps to the left at chest height
        child.frame(right=(1.2 - 3.0 * i / 8, 0.3))
    for _ in range(120):
        if "page:previous" in child.targets():
            break
        child.frame()
    assert "page:previous" in child.targets()


def test_a_touch_after_motion_says_pointer_and_a_run_without_motion_says_nothing(kiosk):
    """Layer: events into the shell. The statements say what aimed each pick, and only once motion took part."""
    from experiences.runtime import InputEvent

    shell, sink, child = kiosk
    pick(shell, child, LANTERNS)  # picked by the body: motion has given this run input
    for _ in range(150):
        if "lantern:answer" in child.targets():
            break
        child.frame()
    for _ in range(5):
        child.aim((100, 600))  # the body aims (somewhere empty)...
    x, y, w, h = child.targets()["lantern:answer"]
    for kind in ("pointer_down", "pointer_up"):  # ...and a finger shoots
        shell.on_input([InputEvent(kind, x + w / 2, y + h / 2, source="touch", pointer_id=1)])
    for _ in range(90):
        if of_run(sink.statements, LANTERNS, "answered"):
            break
        child.frame()
    answered = of_run(validated(sink.statements), LANTERNS, "answered")
    assert answered and answered[-1]["context"]["extensions"][AIM_INPUT] == "pointer"

    shell.leave()  # the next run by touch alone: no aim-input at all, as before the motion corner
    for _ in range(5):
        shell.frame(DT)
    before = len(sink.statements)
    book = next(p for p in shell.menu.packages if p.id == BOOK)
    shell.launch(book)
    for _ in range(30):
        shell.frame(DT)
    shell.on_input([InputEvent("action", action="right", source="keyboard")])
    for _ in range(30):
        shell.frame(DT)
    shell.leave()
    later = validated(sink.statements[before:])
    assert later and not any(AIM_INPUT in s["context"]["extensions"] for s in later)


@pytest.mark.parametrize("way", ["one hand straight up", "hover and hold on 返回"])
def test_one_arm_ends_a_run_without_both_hands(kiosk, way):
    """Layer: landmarks → the shell. A child with one free arm (seated, holding a parent's hand) leaves a run:
    the arm stretched up above the head for 1.5 s, or the aim held on the home button."""
    shell, _, child = kiosk
    pick(shell, child, LANTERNS)
    for _ in range(30):
        child.frame()
    if way == "one hand straight up":
        for _ in range(round(1.8 / DT)):
            if shell.machine.state != RUNNING:
                break
            child.frame(right=(0.1, -1.6), left=None)
    else:
        child.aim((100, 100))  # from elsewhere: a new hold
        child.hold("home", seconds=2.6)
    for _ in range(10):
        child.frame()
    assert shell.machine.state != RUNNING and shell.host is None
