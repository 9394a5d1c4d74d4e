"""The real kiosk in a real window: attract → 「你几岁啦」 → menu → every bundled experience, played a little with
real X input → the way back → menu. The process never dies, every screen is a picture, each input changes the
pixels where the experience reacts, the log has no traceback and the LRS refuses no statement.

One kiosk for the module (`launcher.py`, embedded service on SQLite, bundled content, its own data directory).
Screenshots of every step are kept in the test's temporary folder (`shots/`).
"""
from __future__ import annotations

import time

import pytest

from experiences.catalog import Catalog
from experiences.kinds import default_registry
from tests.acceptance.xkiosk import (REPO_ROOT, Kiosk, KioskSession, changed_pixels, go_back, package_statements,
                                     traceback_lines, verbs)

BUNDLED = sorted(p.id for p in Catalog.scan([REPO_ROOT / "content"]).playable(default_registry()))
MIN_CHANGED = 2000  # pixels: a reaction a visitor sees, not a caret or a sway


@pytest.fixture(scope="module")
def session(xserver, tmp_path_factory):
    session = KioskSession(xserver.display, tmp_path_factory.mktemp("real-kiosk"))
    yield session
    session.stop()


def test_attract_age_question_and_menu(session):
    kiosk = session.live("start")
    kiosk.picture("attract", settle=0.5)
    kiosk.click(960, 540)
    snapshot = kiosk.wait_state("ask_age")
    assert {"age:3-5", "age:6-8", "age:9-12", "age:13+", "age:skip"} <= set(snapshot["targets"])
    before = kiosk.picture("age question")
    kiosk.click_target("age:6-8")
    snapshot = kiosk.wait_state("menu")
    assert snapshot["age_band"] == "6-8"
    after = kiosk.picture("menu", settle=0.3)
    assert changed_pixels(before, after) > 100_000
    assert kiosk.menu_cards() == BUNDLED, "the menu shows every bundled experience (six a page)"
    kiosk.assert_alive("on the menu")


# --- playing a little: each returns after checking that its input changed the screen where it should ------------

def play_lanterns(kiosk: Kiosk) -> None:
    """A lantern hit in 成语论箭: shoot the right character, the story card opens."""
    kiosk.target("lantern:answer", timeout=15)
    before = kiosk.picture("lanterns")
    kiosk.click_target("lantern:answer")
    snapshot = kiosk.wait_for("the story card after a hit", lambda s: "next" in s.get("targets", {}), timeout=8)
    after = kiosk.picture("lanterns hit", settle=0.3)
    assert changed_pixels(before, after, snapshot["targets"]["next"]) > 0.5 * _area(snapshot["targets"]["next"])
    rows = package_statements(kiosk.statements(), "org.yuedu.idioms.children")
    answered = [row for row in rows if verbs([row]) == ["answered"]]
    assert answered and answered[-1]["result"]["success"] is True


def play_chain(kiosk: Kiosk) -> None:
    """A chain pick in 成语接龙: the card that follows the chain is taken, and the kiosk answers."""
    snapshot = kiosk.wait_for("a card that follows", lambda s: "card:right" in s.get("targets", {}), timeout=15)
    card = snapshot["targets"]["card:right"]
    before = kiosk.picture("chain")
    kiosk.click_target("card:right")
    kiosk.wait_for("the kiosk's turn", lambda s: "card:right" not in s.get("targets", {}), timeout=5)
    after = kiosk.picture("chain pick")
    width = after.width
    message_band = (60, round(after.height * 0.37), width - 120, 110)
    assert changed_pixels(before, after, message_band) + changed_pixels(before, after, card) > MIN_CHANGED
    kiosk.wait_for("the child's next turn", lambda s: "hint" in s.get("targets", {}) or "done" in s.get("targets", {}),
                   timeout=8)
    kiosk.picture("chain next turn")


def play_book(kiosk: Kiosk) -> None:
    """A page turn in the book: the arrow that turns forward; then the book can go back too."""
    kiosk.target("page:next", timeout=20)
    before = kiosk.picture("book")
    kiosk.click_target("page:next")
    kiosk.wait_for("a page turned", lambda s: "page:previous" in s.get("targets", {}), timeout=10)
    after = kiosk.picture("book page turned", settle=0.3)
    centre = (after.width // 4, after.height // 6, after.width // 2, after.height * 2 // 3)
    assert changed_pixels(before, after, centre) > MIN_CHANGED


def play_treasure(kiosk: Kiosk) -> None:
    """A hotspot in the treasure: its panel opens (a first touch pauses the turntable, as a visitor's would)."""
    kiosk.wait_for("a visible hotspot", lambda s: any(n.startswith("hotspot:") for n in s.get("targets", {})),
                   timeout=30)
    kiosk.click(60, 200)  # a touch beside the model: the auto-rotation pauses for a few seconds
    time.sleep(0.4)
    snapshot = kiosk.wait_for("a visible hotspot", lambda s: any(n.startswith("hotspot:") for n in s["targets"]))
    name = next(n for n in sorted(snapshot["targets"]) if n.startswith("hotspot:"))
    before = kiosk.picture("treasure")
    kiosk.click_target(name)
    after = kiosk.picture("treasure hotspot", settle=0.6)
    assert changed_pixels(before, after) > 20_000, "the hotspot's panel opened"
    rows = package_statements(kiosk.statements(), "org.yuedu.exhibits.ding")
    assert "experienced" in verbs(rows)


def play_panorama(kiosk: Kiosk) -> None:
    """Look around the hall: a drag turns the view."""
    time.sleep(1.0)  # the panorama has settled
    before = kiosk.picture("hall")
    kiosk.drag((1300, 540), (700, 560))
    after = kiosk.picture("hall turned", settle=0.5)
    assert changed_pixels(before, after) > 100_000


def play_waterfall(kiosk: Kiosk) -> None:
    """A cover on the e-book waterfall opens its package (the fall stands still while a cover has the focus)."""
    kiosk.key("Right")  # the remote's arrow: a cover takes the focus and the fall eases to a stop
    time.sleep(1.5)
    snapshot = kiosk.wait_for("a cover on screen", lambda s: any(n.startswith("cover:") for n in s.get("targets", {})),
                              timeout=15)
    covers = sorted(n for n in snapshot["targets"] if n.startswith("cover:"))
    light = [n for n in covers if "idioms" in n or "poems" in n]  # a 2D package opens quickest
    name = (light or covers)[0]
    kiosk.picture("waterfall")
    kiosk.click_target(name)
    opened = name.split(":", 1)[1]
    kiosk.wait_state("running", package=opened, timeout=20)
    kiosk.picture(f"waterfall opened {opened}", settle=0.5)


def play_ebook(kiosk: Kiosk) -> None:
    """An e-book: 翻开读读 shows a poem with pinyin, 下一首 turns to the next, 用手机读 shows the QR for the phone."""
    kiosk.click_target("read", timeout=15)
    kiosk.target("next", timeout=8)
    before = kiosk.picture("ebook poem", settle=0.3)
    kiosk.click_target("next")
    page = (0, 0, before.width, before.height * 3 // 4)
    for _ in range(10):  # a poem is laid out on its first frame: give a busy machine a moment
        after = kiosk.picture("ebook next poem", settle=0.3)
        if changed_pixels(before, after, page) > MIN_CHANGED:
            break
    assert changed_pixels(before, after, page) > MIN_CHANGED, "the next poem replaced the first"
    kiosk.click_target("phone")
    kiosk.target("close", timeout=8)
    qr = kiosk.picture("ebook qr", settle=0.3)
    assert changed_pixels(after, qr) > 100_000, "the QR screen replaced the poem"


def play_booth(kiosk: Kiosk) -> None:
    """The booth's read-along: a poem, then 跟读 lights the characters one after another."""
    kiosk.click_target("poem:0", timeout=15)
    kiosk.target("read_along", timeout=10)
    before = kiosk.picture("booth poem", settle=0.3)
    kiosk.click_target("read_along")
    after = kiosk.picture("booth read-along", settle=2.0)
    width, height = after.size
    poem_area = (40 * width // 1280, 125 * height // 720, (1280 - 140) * width // 1280, (720 - 275) * height // 720)
    assert changed_pixels(before, after, poem_area) > 500, "the read-along highlight moves through the poem"


PLAYS = {
    "org.yuedu.idioms.children": play_lanterns,
    "org.yuedu.idioms.chain": play_chain,
    "org.yuedu.exhibits.tangshi-book": play_book,
    "org.yuedu.exhibits.ding": play_treasure,
    "org.yuedu.exhibits.hall": play_panorama,
    "org.yuedu.exhibits.waterfall": play_waterfall,
    "org.yuedu.poems.recital": play_booth,
    "org.yuedu.ebooks.tangshi": play_ebook,
    "org.yuedu.ebooks.songci": play_ebook,
    "org.yuedu.ebooks.qianjiashi": play_ebook,
}


def _area(rect) -> int:
    return rect[2] * rect[3]


def test_every_bundled_experience_has_a_play():
    assert sorted(PLAYS) == BUNDLED


@pytest.mark.parametrize("package_id", BUNDLED)
def test_experience_plays_and_the_way_back_leads_to_the_menu(session, package_id):
    kiosk = session.to_menu(f"before {package_id}")
    log_before = len(kiosk.log_text())
    menu = kiosk.picture(f"menu before {package_id}")
    kiosk.click_card(package_id)
    kiosk.wait_state("running", package=package_id, timeout=30)
    first = kiosk.picture(f"{package_id} started", settle=1.0)
    assert changed_pixels(menu, first) > 100_000, "the experience replaced the menu"
    PLAYS[package_id](kiosk)
    kiosk.assert_alive(f"playing {package_id}")
    snapshot = go_back(kiosk)
    assert snapshot["state"] == "menu", snapshot
    if kiosk.ways_back[-1] == "home":  # the shell's 返回: a short goodbye, then the menu
        assert snapshot.get("goodbye"), snapshot
        kiosk.picture(f"goodbye after {package_id}")
    else:
        kiosk.picture(f"back from {package_id}", settle=0.3)
    session.to_menu(f"after {package_id}")
    kiosk.picture(f"menu after {package_id}")
    kiosk.assert_alive(f"after {package_id}")
    new_log = kiosk.log_text()[log_before:]
    assert not traceback_lines(new_log), traceback_lines(new_log)
    rows = package_statements(kiosk.statements(), package_id)
    assert {"launched", "initialized"} <= set(verbs(rows))


def test_the_kiosk_never_died_the_log_has_no_traceback_and_no_statement_was_refused(session):
    kiosk = session.live("at the end")
    assert not session.deaths, f"the kiosk died: {session.deaths}"
    assert not traceback_lines(kiosk.log_text()), traceback_lines(kiosk.log_text())
    rows = kiosk.wait_outbox_settled()
    refused = [(verbs([row])[0], row["_reason"]) for row in rows if row["_state"] == "rejected"]
    assert not refused, f"{len(refused)} of {len(rows)} statements refused by the LRS: {refused[:5]}"
    assert rows and all(row["_state"] == "sent" for row in rows)
    assert session.stop() == 0, "SIGTERM ends the kiosk cleanly"
