"""What every xAPI request goes through: Basic auth, the version header, JSON bodies and error responses."""
from __future__ import annotations

import base64
import binascii
import json
import math
import re

from flask import Response, current_app, g, request

from server.auth import Principal
from server.xapi.errors import XAPIError, bad_request

VERSION_HEADER = "X-Experience-API-Version"
SUPPORTED = {"1.0": "1.0.3", "2.0": "2.0.0"}
_VERSION_RE = re.compile(r"^(1\.0|2\.0)(\.\d+)?$")


def negotiate_version() -> None:
    """Require the version header; 1.0.x is served as 1.0.3 and 2.0.x as 2.0.0 (IEEE 9274.1.1)."""
    raw = request.headers.get(VERSION_HEADER)
    if raw is None:
        raise bad_request(f"the {VERSION_HEADER} header is required (e.g. 1.0.3 or 2.0.0)")
    match = _VERSION_RE.match(raw.strip())
    if not match:
        raise bad_request(f"{VERSION_HEADER} {raw!r} is not supported; use 1.0.3 or 2.0.0")
    g.xapi_family = match.group(1)
    g.xapi_version = SUPPORTED[g.xapi_family]


def authenticate() -> Principal:
    """The caller's principal from HTTP Basic credentials, or 401."""
    header = request.headers.get("Authorization", "")
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic" or not encoded:
        raise XAPIError(401, "HTTP Basic credentials are required (KEY:SECRET from `launcher.py kiosk-credentials add`)")
    try:
        key, _, secret = base64.b64decode(encoded.strip(), validate=True).decode("utf-8").partition(":")
    except (binascii.Error, ValueError):  # ValueError: non-ASCII text where base64 belongs
        raise XAPIError(401, "the Authorization header is not valid Basic credentials") from None
    principal = current_app.extensions["yuedu"].credentials.check(key, secret)
    if principal is None:
        raise XAPIError(401, "unknown key or wrong secret")
    g.principal = principal
    return principal


_ESCAPED_NUL = re.compile(r"(?<!\\)(?:\\\\)*\\u0000", re.IGNORECASE)


def _reject_constant(name: str):
    raise ValueError(f"{name} is not valid JSON")


def _finite_float(literal: str) -> float:
    # 1e400 is valid JSON text, but Python reads it as infinity, which would be stored and served as the
    # non-JSON word Infinity.
    value = float(literal)
    if value in (math.inf, -math.inf):
        raise ValueError(f"the number {literal[:24]} is too large to store")
    return value


def _no_duplicate_keys(pairs, _dict=dict):
    # Called for every JSON object: build the dict in C and compare sizes; walk the pairs only on a duplicate.
    result = _dict(pairs)
    if len(result) != len(pairs):
        seen = set()
        for key, _value in pairs:
            if key in seen:
                raise ValueError(f"the property {key!r} appears twice in one object")
            seen.add(key)
    return result


def parse_json(data: bytes, what: str = "the request body"):
    """Decode strict JSON (UTF-8, no NaN, no duplicate keys), or raise a 400 naming the problem."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise bad_request(f"{what} is not valid UTF-8 (byte {exc.start})") from None
    try:
        value = json.loads(text, parse_constant=_reject_constant, parse_float=_finite_float,
                           object_pairs_hook=_no_duplicate_keys)
    except RecursionError:
        raise bad_request(f"{what} is nested too deeply") from None
    except ValueError as exc:
        raise bad_request(f"{what} is not valid JSON: {exc}") from None
    # JSON's \u escape has a lower-case u; only the hex digits vary in case (no lower() copy of a large body).
    if "\\u0000" in text and _ESCAPED_NUL.search(text):
        raise bad_request(f"{what} contains a NUL character (\\u0000), which cannot be stored")
    if "\\ud" in text or "\\uD" in text:
        try:
            json.dumps(value, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            raise bad_request(f"{what} contains an unpaired UTF-16 surrogate escape, which is not text") from None
    return value


def check_text(value: str, what: str) -> str:
    """Query parameters and headers end up in the database: no NUL, no lone surrogates."""
    if "\x00" in value:
        raise bad_request(f"{what} contains a NUL character")
    return value


def json_response(payload, status: int = 200, headers: dict | None = None) -> Response:
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    response = Response(body, status=status, mimetype="application/json")
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def http_date(iso_timestamp: str) -> str:
    """An HTTP-date (Last-Modified) for an xAPI timestamp."""
    from email.utils import format_datetime

    from server.xapi.validate import parse_timestamp

    from datetime import timezone

    return format_datetime(parse_timestamp(iso_timestamp).astimezone(timezone.utc), usegmt=True)


def error_response(status: int, reason: str) -> Response:
    response = Response(reason + "\n", status=status, mimetype="text/plain")
    response.headers["Content-Type"] = "text/plain; charset=utf-8"
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Basic realm="xAPI"'
    return response


def add_version_header(response: Response) -> Response:
    """Echo the version served; a request that named none (or a bad one) is told its credential's version,
    else the configured default (1.0.3 and 2.0.0 clients each expect their own in that refusal)."""
    version = getattr(g, "xapi_version", None)
    if version is None:
        principal = getattr(g, "principal", None)
        version = (principal and principal.xapi_version) or current_app.config.get("XAPI_DEFAULT_VERSION",
                                                                                   SUPPORTED["1.0"])
    response.headers[VERSION_HEADER] = version
    return response
