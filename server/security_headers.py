"""The security headers of every response of the service, set in one place: no sniffing, no framing, no
referrer to other sites, and one Content-Security-Policy (nothing from another origin, no plugins, no <base>).

Inline <script> and <style> blocks of an HTML page are allowed by their SHA-256 (measured from the page itself,
so a template needs no nonce); any other inline script is refused. The wall alone takes inline styles
('unsafe-inline' for styles only): its server-drawn charts carry a <style> with a fresh id each render and
colour swatches in style attributes, and its panels are replaced while the page runs.
"""
from __future__ import annotations

import base64
import hashlib
import re

from flask import Flask, Response, request

SAME_EVERYWHERE = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    # Share and wall tokens live in URLs: never sent to another site. Same-origin rather than no-referrer: over
    # https Flask-WTF refuses a form post without a same-site Referer.
    "Referrer-Policy": "same-origin",
}
BASE_POLICY = ("default-src 'self'", "img-src 'self' data:", "media-src 'self'", "connect-src 'self'",
               "object-src 'none'", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'self'")
INLINE_STYLE_PATHS = ("/wall",)
_INLINE = {tag: re.compile(rf"<{tag}(?![^>]*\bsrc\s*=)[^>]*>(.*?)</{tag}\s*>", re.S | re.I)
           for tag in ("script", "style")}
MAX_HASHED_BYTES = 2 * 1024 * 1024


def _hashes(html: str, tag: str) -> list[str]:
    return ["'sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode("ascii") + "'"
            for body in dict.fromkeys(_INLINE[tag].findall(html))]


def content_security_policy(html: str | None, inline_styles: bool) -> str:
    """The CSP for a response whose HTML is `html` (None: not HTML, or streamed)."""
    scripts = _hashes(html, "script") if html else []
    styles = ["'unsafe-inline'"] if inline_styles else (_hashes(html, "style") if html else [])
    return "; ".join((*BASE_POLICY, " ".join(["script-src 'self'", *scripts]),
                      " ".join(["style-src 'self'", *styles])))


def _add_headers(response: Response) -> Response:
    for name, value in SAME_EVERYWHERE.items():
        response.headers[name] = value
    html = None
    is_html = response.mimetype == "text/html"
    if is_html and not response.is_streamed and not response.direct_passthrough \
            and (response.content_length or 0) <= MAX_HASHED_BYTES:
        html = response.get_data(as_text=True)
    path = request.path
    inline_styles = (path in INLINE_STYLE_PATHS or path.startswith(tuple(p + "/" for p in INLINE_STYLE_PATHS))) \
        and not path.startswith("/wall/reports")
    response.headers.setdefault("Content-Security-Policy", content_security_policy(html, inline_styles))
    if is_html:
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def install(app: Flask) -> None:
    app.after_request(_add_headers)
