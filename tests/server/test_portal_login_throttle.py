"""Sign-in throttling (issue 15, finding 9): wrong passwords slow down the same name from the same address with a
growing wait, never a lock an anonymous caller can put on someone else; an existing name and an unknown one get
the same answers throughout."""
from __future__ import annotations

from datetime import timedelta

from server.portal.accounts import create_user
from tests.server.portal_helpers import Browser, Clock, engine_of, make_app

ATTACKER = {"REMOTE_ADDR": "203.0.113.9"}
STAFF_PC = {"REMOTE_ADDR": "10.1.2.3"}


def _login(browser: Browser, name: str, password: str, address: dict):
    page = browser.client.get("/portal/login", environ_base=address).get_data(as_text=True)
    from tests.server.portal_helpers import CSRF_RE

    token = CSRF_RE.search(page).group(1)
    return browser.client.post("/portal/login", data={"name": name, "password": password, "csrf_token": token},
                               environ_base=address)


def _answer(response) -> tuple[int, str]:
    html = response.get_data(as_text=True)
    start = html.find('role="alert"')
    return response.status_code, html[start:html.find("<", html.find(">", start) + 1)] if start >= 0 else ""


def test_an_existing_name_and_an_unknown_one_read_the_same_all_the_way(tmp_path):
    app = make_app(tmp_path, Clock())
    create_user(engine_of(app), "chen", "curator")
    existing, unknown = Browser(app), Browser(app)
    for attempt in range(8):
        one = _answer(_login(existing, "chen", "wrong", ATTACKER))
        other = _answer(_login(unknown, "nobody", "wrong", ATTACKER))
        assert one == other, f"attempt {attempt + 1}: {one} vs {other}"


def test_anonymous_guesses_do_not_lock_the_admin_out(tmp_path):
    clock = Clock()
    app = make_app(tmp_path, clock)
    made = create_user(engine_of(app), "root-admin", "admin")
    attacker = Browser(app)
    for _ in range(10):
        assert _login(attacker, "root-admin", "guess", ATTACKER).status_code in (401, 429)
    # The admin, at the staff PC, signs in at once.
    assert _login(Browser(app), "root-admin", made.password, STAFF_PC).status_code == 302


def test_guesses_from_one_address_wait_longer_and_longer_but_never_for_good(tmp_path):
    clock = Clock()
    app = make_app(tmp_path, clock)
    made = create_user(engine_of(app), "sun", "curator")
    browser = Browser(app)
    for _ in range(5):
        assert _login(browser, "sun", "wrong", ATTACKER).status_code == 401
    assert _login(browser, "sun", "wrong", ATTACKER).status_code == 401  # the 6th is checked, then waits begin
    throttled = _login(browser, "sun", made.password, ATTACKER)
    assert throttled.status_code == 429  # even the right password waits: guesses are not checked meanwhile
    clock.now += timedelta(seconds=3)
    assert _login(browser, "sun", "wrong", ATTACKER).status_code == 401
    clock.now += timedelta(seconds=3)
    assert _login(browser, "sun", made.password, ATTACKER).status_code == 429  # the wait doubled
    clock.now += timedelta(minutes=15)
    assert _login(browser, "sun", made.password, ATTACKER).status_code == 302


def test_admins_see_a_name_that_waits_and_can_end_the_wait(tmp_path):
    from tests.server.portal_helpers import signed_in

    clock = Clock()
    app = make_app(tmp_path, clock)
    made = create_user(engine_of(app), "zhu", "curator")
    for _ in range(6):
        _login(Browser(app), "zhu", "wrong", ATTACKER)
    admin = signed_in(app, "admin", "boss")
    users = admin.get("/portal/admin/users").get_data(as_text=True)
    assert f"/portal/admin/users/{made.user.id}/unlock" in users
    assert admin.post(f"/portal/admin/users/{made.user.id}/unlock", page="/portal/admin/users").status_code in (200, 302)
    assert _login(Browser(app), "zhu", made.password, ATTACKER).status_code == 302


def test_clients_that_cannot_be_told_apart_wait_seconds_not_minutes(tmp_path):
    """The attack of the issue: everything on 127.0.0.1 (a proxy in front that is not trusted, or none). The
    anonymous caller and the admin share every key, so waits stay short: 30 s at most."""
    clock = Clock()
    app = make_app(tmp_path, clock)
    made = create_user(engine_of(app), "only-admin", "admin")
    local = {"REMOTE_ADDR": "127.0.0.1"}
    for _ in range(12):
        _login(Browser(app), "only-admin", "guess", local)
        clock.now += timedelta(seconds=31)  # each try as soon as the wait allows
    _login(Browser(app), "only-admin", "guess", local)
    waiting = _login(Browser(app), "only-admin", made.password, local)
    assert waiting.status_code == 429 and int(waiting.headers["Retry-After"]) <= 30
    clock.now += timedelta(seconds=30)
    assert _login(Browser(app), "only-admin", made.password, local).status_code == 302
