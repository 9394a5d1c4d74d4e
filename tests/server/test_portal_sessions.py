"""Server-side revocation of portal sessions (issue 15, finding 3): a session cookie saved before sign-out,
a password change, a password reset or a disabled account no longer opens the portal."""
from __future__ import annotations

import re

from server.portal import accounts
from tests.server.portal_helpers import NEW_PASSWORD, Browser, engine_of, make_app, signed_in


def _replay(app, cookie: str):
    """A fresh browser presenting a saved session cookie."""
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    return thief.get("/portal/")


def _cookie(browser: Browser) -> str:
    return browser.client.get_cookie("session").value


def test_a_saved_cookie_is_dead_after_sign_out(tmp_path):
    app = make_app(tmp_path)
    browser = signed_in(app, "curator", "wu")
    saved = _cookie(browser)
    assert _replay(app, saved).status_code == 200
    assert browser.post("/portal/logout", page="/portal/").status_code == 302
    replayed = _replay(app, saved)
    assert replayed.status_code == 302 and "/portal/login" in replayed.headers["Location"]


def test_a_password_change_ends_every_other_session(tmp_path):
    app = make_app(tmp_path)
    first = signed_in(app, "curator", "zhou")
    second = Browser(app)
    assert second.login("zhou", NEW_PASSWORD).status_code == 302
    assert second.get("/portal/").status_code == 200
    newer = NEW_PASSWORD + "-2"
    changed = first.post("/portal/password", {"current": NEW_PASSWORD, "new": newer, "confirm": newer},
                         page="/portal/password")
    assert changed.status_code == 302
    assert first.get("/portal/").status_code == 200  # the one who changed it stays signed in
    stale = second.get("/portal/")
    assert stale.status_code == 302 and "/portal/login" in stale.headers["Location"]


def test_a_reset_or_disabled_account_ends_its_sessions(tmp_path):
    app = make_app(tmp_path)
    browser = signed_in(app, "curator", "qian")
    saved = _cookie(browser)
    accounts.reset_password(engine_of(app), browser.user.user.id)
    assert _replay(app, saved).status_code == 302
    other = signed_in(app, "curator", "feng")
    accounts.set_disabled(engine_of(app), other.user.user.id, True)
    accounts.set_disabled(engine_of(app), other.user.user.id, False)
    assert other.get("/portal/").status_code == 302
    assert re.search(r"/portal/login", other.get("/portal/").headers["Location"])
