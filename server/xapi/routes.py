"""The xAPI blueprint: the per-request protocol steps, error handlers, and each resource's views."""
from __future__ import annotations

from flask import Blueprint, request
from werkzeug.exceptions import HTTPException

from server.xapi import protocol
from server.xapi.errors import XAPIError

xapi_bp = Blueprint("xapi", __name__)
PUBLIC_ENDPOINTS = {"xapi.about"}


@xapi_bp.before_request
def _protocol_checks():
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    protocol.authenticate()
    protocol.negotiate_version()
    return None


@xapi_bp.after_request
def _version_header(response):
    return protocol.add_version_header(response)


@xapi_bp.errorhandler(XAPIError)
def _xapi_error(exc: XAPIError):
    return protocol.add_version_header(protocol.error_response(exc.status, exc.reason))


@xapi_bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException):
    reason = exc.description or exc.name
    return protocol.add_version_header(protocol.error_response(exc.code or 500, f"{exc.name}: {reason}"))


from server.xapi import about, statements  # noqa: E402,F401  (views register on xapi_bp)
