"""The xAPI blueprint: the per-request protocol steps, error handlers, and each resource's views."""
from __future__ import annotations

from flask import Blueprint, g, request
from werkzeug.exceptions import HTTPException

from server.xapi import alternate, protocol
from server.xapi.errors import XAPIError
from server.xapi.store import iso_ms, utc_now_ms

xapi_bp = Blueprint("xapi", __name__)
PUBLIC_ENDPOINTS = {"xapi.about"}


@xapi_bp.before_request
def _protocol_checks():
    # Taken before any read: every statement committed by now is in what this request sees.
    g.consistent_through = iso_ms(utc_now_ms())
    if request.environ.get(alternate.ERROR):
        raise XAPIError(400, request.environ[alternate.ERROR])
    for name, value in request.args.items(multi=True):
        protocol.check_text(name + value, f"the query parameter {name[:40]!r}")
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    protocol.authenticate()
    protocol.negotiate_version()
    if request.environ.get(alternate.FLAG) and g.xapi_family != "1.0":
        raise XAPIError(400, "xAPI 2.0 has no alternate request syntax; send the method, headers and body as such")
    return None


@xapi_bp.after_request
def _version_header(response):
    if request.endpoint == "xapi.get_statements" or request.path.rstrip("/").endswith("/statements"):
        if request.method in ("GET", "HEAD"):
            response.headers["X-Experience-API-Consistent-Through"] = g.get("consistent_through") or iso_ms(utc_now_ms())
    return protocol.add_version_header(response)


@xapi_bp.errorhandler(XAPIError)
def _xapi_error(exc: XAPIError):
    return protocol.error_response(exc.status, exc.reason)


@xapi_bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException):
    reason = exc.description or exc.name
    return protocol.error_response(exc.code or 500, f"{exc.name}: {reason}")


from server.xapi import about, activities, documents, statements  # noqa: E402,F401  (views register on xapi_bp)
