"""Accounts: `users add`, sign-in with hashed passwords, CSRF on forms, lockout, idle timeout, audit log."""
from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

import launcher
from server.portal.accounts import audit_entries, check_login, create_user
from server.portal.models import PortalUser
from tests.server.portal_helpers import Browser, Clock, engine_of, make_app, signed_in


def test_users_add_prints_one_time_password_and_token_last(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    assert launcher.main(["users", "add", "wang", "--role", "curator", "--db", url]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[-1].startswith("token:") and len(lines[-1]) > len("token:") + 40
    app = make_app(tmp_path, DATABASE_URL=url)
    with engine_of(app).connect() as conn:
        stored = conn.execute(select(PortalUser.password_hash, PortalUser.token_hash)).one()
    assert stored.password_hash.startswith("scrypt:")
    assert lines[-1][len("token:"):] not in stored.token_hash
    password = lines[0].rsplit(" ", 1)[-1]
    assert Browser(app).login("wang", password).status_code == 302


def test_form_without_csrf_token_is_refused(tmp_path):
    app = make_app(tmp_path)
    made = create_user(engine_of(app), "li", "curator")
    response = app.test_client().post("/portal/login", data={"name": "li", "password": made.password})
    assert response.status_code == 400
    browser = signed_in(app, "curator", "zhao")
    assert browser.client.post("/portal/logout").status_code == 400
    assert browser.post("/portal/logout", page="/portal/").status_code == 302


def test_repeated_failures_make_the_next_try_wait_even_for_the_right_password(tmp_path):
    clock = Clock()
    app = make_app(tmp_path, clock)
    made = create_user(engine_of(app), "chen", "curator")
    browser = Browser(app)
    for _ in range(6):
        assert browser.login("chen", "wrong").status_code == 401
    page = browser.login("chen", made.password)
    assert page.status_code == 429 and "请等 2 秒" in page.get_data(as_text=True)
    assert page.headers["Retry-After"] == "2"
    clock.now += timedelta(seconds=2)
    assert browser.login("chen", made.password).status_code == 302
    actions = [e["action"] for e in audit_entries(engine_of(app))]
    assert actions.count("login_invalid") == 6 and "login_throttled" in actions and actions[0] == "login"


def test_unknown_user_and_wrong_password_read_the_same(tmp_path):
    app = make_app(tmp_path)
    create_user(engine_of(app), "sun", "curator")
    first = Browser(app).login("nobody", "x").get_data(as_text=True)
    second = Browser(app).login("sun", "x").get_data(as_text=True)
    assert check_login(engine_of(app), "nobody", "x", Clock()()).reason == "invalid"
    assert first.count("用户名或密码不对") == second.count("用户名或密码不对") == 1


def test_idle_session_times_out(tmp_path):
    clock = Clock()
    app = make_app(tmp_path, clock, PORTAL_IDLE_MINUTES=30)
    browser = signed_in(app, "curator")
    clock.now += timedelta(minutes=29)
    assert browser.get("/portal/").status_code == 200
    clock.now += timedelta(minutes=31)
    expired = browser.get("/portal/")
    assert expired.status_code == 302 and "expired=1" in expired.headers["Location"]
    assert browser.get("/portal/").status_code == 302  # signed out for good


def test_admin_creates_curator_and_kiosk_and_every_action_is_audited(tmp_path):
    app = make_app(tmp_path)
    admin = signed_in(app, "admin", "boss")
    page = admin.post("/portal/admin/users", {"name": "", "role": "curator"}, page="/portal/admin/users")
    assert page.status_code == 400 and 'aria-describedby="name-error"' in page.get_data(as_text=True)
    page = admin.post("/portal/admin/users", {"name": "zhou", "role": "curator"}, page="/portal/admin/users")
    assert page.status_code == 200 and "zhou" in page.get_data(as_text=True)
    page = admin.post("/portal/admin/kiosks", {"name": "east-1", "branch": "east"}, page="/portal/admin/kiosks")
    assert "east-1" in page.get_data(as_text=True)
    shown = admin.get("/portal/admin/audit").get_data(as_text=True)
    for action in ("login", "user_add", "kiosk_add"):
        assert f"<td>{action}</td>" in shown
    assert "boss" in shown


def test_one_time_password_must_be_replaced_first(tmp_path):
    app = make_app(tmp_path)
    made = create_user(engine_of(app), "wu", "curator")
    browser = Browser(app)
    browser.login("wu", made.password)
    assert browser.get("/portal/upload").headers["Location"].endswith("/portal/password")
    short = browser.post("/portal/password", {"current": made.password, "new": "short", "confirm": "short"},
                         page="/portal/password")
    assert short.status_code == 400 and 'aria-describedby="new-error"' in short.get_data(as_text=True)
    wrong = browser.post("/portal/password", {"current": "nope", "new": "x" * 12, "confirm": "x" * 12},
                         page="/portal/password")
    assert wrong.status_code == 400 and 'id="current-error"' in wrong.get_data(as_text=True)
    done = browser.post("/portal/password", {"current": made.password, "new": "x" * 12, "confirm": "x" * 12},
                        page="/portal/password")
    assert done.status_code == 302 and browser.get("/portal/upload").status_code == 200
    # The API token works without the change (scripts), the old password no longer signs in.
    assert Browser(app).login("wu", made.password).status_code == 401
    assert Browser(app).login("wu", "x" * 12).status_code == 302


def test_admin_resets_a_password_to_a_new_one_time_password(tmp_path):
    app = make_app(tmp_path)
    admin = signed_in(app, "admin", "boss")
    made = create_user(engine_of(app), "qian", "curator")
    page = admin.post(f"/portal/admin/users/{made.user.id}/reset", page="/portal/admin/users")
    html = page.get_data(as_text=True)
    new_password = re.search(r"<code>([^<]+)</code>", html).group(1)
    assert new_password != made.password
    assert Browser(app).login("qian", made.password).status_code == 401
    fresh = Browser(app)
    assert fresh.login("qian", new_password).status_code == 302
    assert fresh.get("/portal/").headers["Location"].endswith("/portal/password")
    assert "<td>user_reset</td>" in admin.get("/portal/admin/audit").get_data(as_text=True)
