"""The same security headers on every page (issue 15, finding 10): the wall, the staff reports, the portal, the
share pages, the xAPI and the health check all send one CSP, X-Frame-Options, Referrer-Policy and nosniff;
the inline scripts and styles a page has are allowed by their hashes, nothing else inline."""
from __future__ import annotations

import base64
import hashlib
import re

from server.auth import create_credential
from tests.server.conftest import basic
from tests.server.wall_fixtures import TOKEN, make_app

SAME = {"X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin"}


def _directives(csp: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in csp.split(";") if part.strip()}


def _inline(html: str, tag: str) -> list[str]:
    return re.findall(rf"<{tag}(?![^>]*\bsrc=)[^>]*>(.*?)</{tag}>", html, re.S)


def _sha(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def test_every_area_sends_the_same_headers(tmp_path):
    app = make_app(tmp_path)
    client = app.test_client()
    made = create_credential(app.extensions["yuedu"].engine, "staff", "admin")
    staff = {"Authorization": basic(made.principal.key, made.secret)}
    pages = {"/wall": client.get(f"/wall?token={TOKEN}"),
             "/wall/reports": client.get("/wall/reports", headers=staff),
             "/wall/reports.csv": client.get("/wall/reports.csv", headers=staff),
             "/portal/login": client.get("/portal/login"),
             "/s/<unknown>": client.get("/s/" + "x" * 30),
             "/xapi/about": client.get("/xapi/about"),
             "/healthz": client.get("/healthz")}
    for path, response in pages.items():
        assert response.status_code in (200, 404), path
        for header, value in SAME.items():
            assert response.headers.get(header) == value, f"{path}: {header} is {response.headers.get(header)!r}"
        csp = _directives(response.headers.get("Content-Security-Policy", ""))
        assert csp.get("frame-ancestors") == ["'none'"] and csp.get("object-src") == ["'none'"], path
        assert csp.get("base-uri") == ["'none'"] and "'unsafe-inline'" not in csp.get("script-src", []), path
    for path in ("/wall", "/wall/reports"):
        html = pages[path].get_data(as_text=True)
        csp = _directives(pages[path].headers["Content-Security-Policy"])
        for script in _inline(html, "script"):
            assert _sha(script) in csp["script-src"], f"{path}: an inline script the CSP would block"
        assert pages[path].headers["Cache-Control"] == "no-store"
    reports = _directives(pages["/wall/reports"].headers["Content-Security-Policy"])
    for style in _inline(pages["/wall/reports"].get_data(as_text=True), "style"):
        assert _sha(style) in reports["style-src"]
    app.extensions["yuedu"].engine.dispose()
