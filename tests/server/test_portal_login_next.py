"""The sign-in's `next` (issue 15, finding 7): CR/LF or anything but a plain portal path sends the user to the
portal's home; never a 500, never a header of the caller's choosing, never another site."""
from __future__ import annotations

import pytest

from server.portal.accounts import create_user
from tests.server.portal_helpers import CSRF_RE, engine_of, make_app

BAD_NEXT = ["/portal/%0d%0aSet-Cookie:%20evil=1", "/portal/%0aLocation:%20https://evil.example/",
            "/portal/\\\\evil.example", "//evil.example/portal/", "https://evil.example/portal/",
            "/portal/%09", "/portal/%E2%80%A8x", "/portal/%00"]


@pytest.fixture
def world(tmp_path):
    app = make_app(tmp_path)
    made = create_user(engine_of(app), "he", "curator")
    yield app, made
    engine_of(app).dispose()


@pytest.mark.parametrize("target", BAD_NEXT)
def test_a_bad_next_goes_home(world, target):
    app, made = world
    client = app.test_client()
    token = CSRF_RE.search(client.get("/portal/login").get_data(as_text=True)).group(1)
    response = client.post(f"/portal/login?next={target}", data={"name": "he", "password": made.password,
                                                                  "csrf_token": token})
    assert response.status_code == 302, response.status_code
    assert response.headers["Location"] in ("/portal/", "http://localhost/portal/")
    assert all("evil" not in value for value in response.headers.getlist("Set-Cookie"))


def test_a_plain_portal_path_is_kept(world):
    app, made = world
    client = app.test_client()
    token = CSRF_RE.search(client.get("/portal/login").get_data(as_text=True)).group(1)
    response = client.post("/portal/login?next=/portal/upload%3Flang%3Den",
                           data={"name": "he", "password": made.password, "csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"].endswith("/portal/upload?lang=en")
