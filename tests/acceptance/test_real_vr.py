"""The VR corner's kiosk in a real window: every experience with a VR form (the 3D exhibits, 成语论箭's courtyard)
shows two eye views side by side, reacts to real X input and leads back to the menu; the same assertions as the
flat kiosk (never dies or hangs, pictures, no traceback, no refused statement).

VR is the kiosk's one setting, `[kiosk] mode = "vr"` in the data directory's kiosk.toml (with `[vr] min_age_band`
lowered so every visitor plays in the VR form).
"""
from __future__ import annotations

import subprocess
import sys
import time

import pytest

from experiences.catalog import Catalog
from experiences.kinds import default_registry
from tests.acceptance.xkiosk import (REPO_ROOT, Kiosk, KioskSession, changed_pixels, go_back, is_picture,
                                     package_statements, traceback_lines, verbs)

VR_KINDS = {"exhibit-treasure", "exhibit-book", "exhibit-panorama", "exhibit-waterfall", "idiom-lanterns"}
VR_PACKAGES = sorted(p.id for p in Catalog.scan([REPO_ROOT / "content"]).playable(default_registry())
                     if p.kind in VR_KINDS)


@pytest.fixture(scope="module")
def session(xserver, tmp_path_factory):
    # every age band in the headset form: the visitor here answers a band younger than the default [vr] min_age_band
    session = KioskSession(xserver.display, tmp_path_factory.mktemp("real-vr"),
                           kiosk_toml='[kiosk]\nmode = "vr"\n\n[vr]\nmin_age_band = "3-5"\n')
    yield session
    session.stop()


def _halves(image):
    width, height = image.size
    return image.crop((0, 0, width // 2, height)), image.crop((width // 2, 0, width // 2 * 2, height))


def assert_stereo(image, what: str) -> None:
    """Two eye views side by side: each half a picture, the two nearly the same (parallax and the lens only)."""
    left, right = _halves(image)
    assert is_picture(left) and is_picture(right), f"{what}: an eye view is blank"
    assert changed_pixels(left, right) < 0.25 * left.width * left.height, f"{what}: the halves are not one scene"


def drag_in_left_eye(kiosk: Kiosk, what: str, minimum: int = 30_000) -> None:
    before = kiosk.picture(what)
    kiosk.drag((700, 540), (300, 600))
    after = kiosk.picture(f"{what} dragged", settle=0.6)
    assert changed_pixels(before, after) > minimum, f"{what}: the view did not follow the drag"


def play_waterfall(kiosk: Kiosk) -> None:
    """The remote picks a cover (an arrow, then Enter) and the waterfall opens its package."""
    kiosk.picture("vr waterfall")
    kiosk.key("Right", "Return")
    kiosk.wait_for("a package opened from the waterfall",
                   lambda s: s.get("state") == "running" and s.get("package") != "org.yuedu.exhibits.waterfall",
                   timeout=20)
    kiosk.picture("vr waterfall opened", settle=0.5)


def play_book(kiosk: Kiosk) -> None:
    """Enter turns the page forward."""
    before = kiosk.picture("vr book", settle=1.0)
    kiosk.key("Return")
    after = kiosk.picture("vr book turned", settle=1.5)
    assert changed_pixels(before, after) > 20_000, "the page turned"


def play_lanterns(kiosk: Kiosk) -> None:
    """A lantern hit in the courtyard: a touch in the left eye aims at the right character and shoots."""
    before = kiosk.picture("vr lanterns", settle=1.0)
    kiosk.click_target("lantern:answer", timeout=15)
    kiosk.wait_for("the story card after a hit", lambda s: "next" in s.get("targets", {}), timeout=10)
    after = kiosk.picture("vr lanterns hit", settle=0.5)
    assert changed_pixels(before, after) > 20_000, "the story card opened in both eyes"
    assert_stereo(after, "the story card")


PLAYS = {
    "org.yuedu.exhibits.ding": lambda kiosk: drag_in_left_eye(kiosk, "vr treasure"),
    "org.yuedu.exhibits.hall": lambda kiosk: drag_in_left_eye(kiosk, "vr hall"),
    "org.yuedu.exhibits.tangshi-book": play_book,
    "org.yuedu.exhibits.waterfall": play_waterfall,
    "org.yuedu.idioms.children": play_lanterns,
}


def test_every_vr_experience_has_a_play():
    assert sorted(PLAYS) == VR_PACKAGES


def test_the_kiosk_runs_as_a_vr_corner(session):
    kiosk = session.live("start")
    shown = subprocess.run([sys.executable, str(REPO_ROOT / "launcher.py"), "config"], cwd=REPO_ROOT,
                           env=kiosk.environment(), capture_output=True, text=True, timeout=60)
    assert 'mode = "vr"' in shown.stdout, shown.stdout + shown.stderr


@pytest.mark.parametrize("package_id", VR_PACKAGES)
def test_vr_experience_shows_two_eyes_reacts_and_leads_back(session, package_id):
    kiosk = session.to_menu(f"before {package_id}")
    log_before = len(kiosk.log_text())
    kiosk.click_card(package_id)
    kiosk.wait_state("running", package=package_id, timeout=30)
    time.sleep(1.5)  # the scene loads
    assert_stereo(kiosk.picture(f"vr {package_id} started"), package_id)
    PLAYS[package_id](kiosk)
    kiosk.assert_alive(f"playing {package_id} in VR")
    assert go_back(kiosk)["state"] == "menu"
    if kiosk.ways_back[-1] == "home":  # the shell's 返回, drawn in both eyes: the goodbye, then the menu
        kiosk.picture(f"goodbye after vr {package_id}")
    session.to_menu(f"after {package_id}")
    kiosk.picture(f"menu after vr {package_id}")
    new_log = kiosk.log_text()[log_before:]
    assert not traceback_lines(new_log), traceback_lines(new_log)
    assert {"launched", "initialized"} <= set(verbs(package_statements(kiosk.statements(), package_id)))


def test_vr_kiosk_never_died_the_log_has_no_traceback_and_no_statement_was_refused(session):
    kiosk = session.live("at the end")
    assert not session.deaths, f"the kiosk died or hung: {session.deaths}"
    assert not traceback_lines(kiosk.log_text()), traceback_lines(kiosk.log_text())
    rows = kiosk.wait_outbox_settled()
    refused = [(verbs([row])[0], row["_reason"]) for row in rows if row["_state"] == "rejected"]
    assert not refused, f"{len(refused)} of {len(rows)} statements refused by the LRS: {refused[:5]}"
    assert session.stop() == 0, "SIGTERM ends the kiosk cleanly"
