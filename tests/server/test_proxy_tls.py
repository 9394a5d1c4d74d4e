"""Behind the TLS proxy (issue 15, finding 4): with `PROXY_HOPS` set, the forwarded scheme and client address of
that many proxies are trusted (werkzeug's ProxyFix) and the session cookie is Secure on https; without it, the
forwarded headers change nothing. A real `serve --proxy-hops 1` passes the headers through waitress."""
from __future__ import annotations

import http.client
import os
import re
import subprocess
import sys
import urllib.parse

from server.portal.accounts import audit_entries, create_user
from tests.server.portal_helpers import CSRF_RE, REPO, engine_of, make_app

FORWARDED = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "6.6.6.6, 198.51.100.7"}


def _sign_in(app, headers: dict):
    made = create_user(engine_of(app), f"user-{len(audit_entries(engine_of(app)))}", "curator")
    client = app.test_client()
    token = CSRF_RE.search(client.get("/portal/login", headers=headers).get_data(as_text=True)).group(1)
    # Over https a browser sends the same-origin Referer (Referrer-Policy: same-origin); Flask-WTF requires it.
    return client.post("/portal/login", headers=dict(headers, Referer="https://localhost/portal/login"),
                       data={"name": made.user.name, "password": made.password, "csrf_token": token})


def _session_cookie(response) -> str:
    return next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("session="))


def test_trusted_proxy_gives_secure_cookies_and_the_client_address(tmp_path):
    app = make_app(tmp_path, PROXY_HOPS=1)
    secure = _sign_in(app, FORWARDED)
    assert secure.status_code == 302 and "; Secure" in _session_cookie(secure)
    plain = _sign_in(app, {})  # no proxy in front (the kiosk's embedded service on 127.0.0.1): no Secure
    assert plain.status_code == 302 and "Secure" not in _session_cookie(plain)
    assert _sign_in(app, dict(FORWARDED, **{"X-Forwarded-Proto": "http"})).status_code == 302
    logins = [e["detail"] for e in audit_entries(engine_of(app)) if e["action"] == "login"]
    assert "from 198.51.100.7" in logins  # the address the proxy saw, not the one the caller wrote first
    engine_of(app).dispose()


def test_without_a_trusted_proxy_forwarded_headers_change_nothing(tmp_path):
    app = make_app(tmp_path)
    response = _sign_in(app, FORWARDED)
    assert response.status_code == 302 and "Secure" not in _session_cookie(response)
    assert all("198.51.100.7" not in e["detail"] for e in audit_entries(engine_of(app)))
    engine_of(app).dispose()


def test_serve_with_proxy_hops_sets_secure_cookies(tmp_path):
    env = dict(os.environ, YUEDU_DATA_DIR=str(tmp_path / "data"))
    made = subprocess.run([sys.executable, "launcher.py", "users", "add", "ops", "--role", "curator"], cwd=REPO,
                          env=env, capture_output=True, text=True, check=True)
    password = made.stdout.splitlines()[0].rsplit(" ", 1)[-1]
    serve = subprocess.Popen([sys.executable, "launcher.py", "serve", "--port", "0", "--proxy-hops", "1"], cwd=REPO,
                             env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = serve.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)/xapi/", line)
        assert match, f"serve did not start: {line!r} {serve.stderr.read() if serve.poll() is not None else ''}"
        connection = http.client.HTTPConnection("127.0.0.1", int(match.group(1)), timeout=30)
        connection.request("GET", "/portal/login", headers=FORWARDED)
        page = connection.getresponse()
        cookie = page.getheader("Set-Cookie").split(";", 1)[0]
        token = CSRF_RE.search(page.read().decode()).group(1)
        body = urllib.parse.urlencode({"name": "ops", "password": password, "csrf_token": token})
        connection.request("POST", "/portal/login", body=body, headers=dict(FORWARDED, **{
            "Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"https://127.0.0.1:{match.group(1)}/portal/login"}))
        signed_in = connection.getresponse()
        signed_in.read()
        assert signed_in.status == 302
        assert "; Secure" in signed_in.getheader("Set-Cookie")
    finally:
        serve.terminate()
        serve.wait(timeout=30)
