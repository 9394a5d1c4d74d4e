"""xAPI 1.0.3's alternate request syntax (Communication 1.3): POST ?method=X with an HTML form carrying the
headers, the query parameters and the `content`. A WSGI wrapper rewrites it into the ordinary request.

xAPI 2.0 dropped the syntax; the rewritten request remembers it came this way so 2.0 requests can be refused.
"""
from __future__ import annotations

import io
from urllib.parse import parse_qsl, urlencode

HEADER_FIELDS = {"authorization": "HTTP_AUTHORIZATION", "x-experience-api-version": "HTTP_X_EXPERIENCE_API_VERSION",
                 "content-type": "CONTENT_TYPE", "content-length": None, "if-match": "HTTP_IF_MATCH",
                 "if-none-match": "HTTP_IF_NONE_MATCH"}
METHODS = ("GET", "PUT", "POST", "DELETE", "HEAD")
FLAG = "yuedu.alternate_syntax"
ERROR = "yuedu.alternate_syntax_error"


class AlternateSyntaxMiddleware:
    """Wraps the WSGI app: rewrites alternate-syntax requests under `prefix`, leaves all others alone."""

    def __init__(self, app, prefix: str = "/xapi/", max_form_bytes: int = 16 * 1024 * 1024):
        self.app = app
        self.prefix = prefix
        self.max_form_bytes = max_form_bytes

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO", "").startswith(self.prefix):
            query = parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True)
            if any(name == "method" for name, _ in query):
                self._rewrite(environ, query)
        return self.app(environ, start_response)

    def _rewrite(self, environ, query: list[tuple[str, str]]) -> None:
        environ[FLAG] = True
        method = dict(query)["method"].upper()
        if environ.get("REQUEST_METHOD") != "POST":
            environ[ERROR] = "the alternate request syntax (?method=...) must be sent as a POST"
            return
        if len(query) > 1:
            environ[ERROR] = "with ?method=..., every other parameter belongs in the form body, not the query"
            return
        if method not in METHODS:
            environ[ERROR] = f"method must be one of {METHODS}"
            return
        content_type = environ.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
        if content_type != "application/x-www-form-urlencoded":
            environ[ERROR] = "the alternate request syntax needs Content-Type application/x-www-form-urlencoded"
            return
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > self.max_form_bytes:
            environ[ERROR] = "the form is too large"
            return
        raw = environ["wsgi.input"].read(length) if length else b""
        try:
            fields = parse_qsl(raw.decode("utf-8"), keep_blank_values=True, strict_parsing=bool(raw))
        except (UnicodeDecodeError, ValueError):
            environ[ERROR] = "the form body is not valid application/x-www-form-urlencoded UTF-8"
            return
        content = b""
        params = []
        environ["CONTENT_TYPE"] = "application/json"
        for name, value in fields:
            lowered = name.lower()
            if lowered == "content":
                content = value.encode("utf-8")
            elif lowered in HEADER_FIELDS:
                if HEADER_FIELDS[lowered]:
                    environ[HEADER_FIELDS[lowered]] = value
            else:
                params.append((name, value))
        if method in ("PUT", "POST") and not content:
            environ[ERROR] = "the alternate request syntax needs the body in a form field named content"
            return
        environ["REQUEST_METHOD"] = method
        environ["QUERY_STRING"] = urlencode(params)
        environ["wsgi.input"] = io.BytesIO(content)
        environ["CONTENT_LENGTH"] = str(len(content))
