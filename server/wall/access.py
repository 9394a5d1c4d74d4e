"""Who may read the wall and the reports: the lobby screen by the wall token, staff by one decorator.

`staff_required` is the single staff check of this area: a portal login (curator or admin), or an admin xAPI
credential over HTTP Basic for scripts.
"""
from __future__ import annotations

import hmac
from functools import wraps

from flask import Response, abort, current_app, request

from server.auth import Principal


def _basic_principal() -> Principal | None:
    auth = request.authorization
    if auth is None or auth.type != "basic":
        return None
    return current_app.extensions["yuedu"].credentials.check(auth.username or "", auth.password or "")


def staff_required(view):
    """Staff only: signed in to the portal as curator or admin, or an admin credential over HTTP Basic."""
    from server.portal.access import login_required

    through_portal = login_required("curator")(view)

    @wraps(view)
    def wrapped(*args, **kwargs):
        principal = _basic_principal()
        if principal is not None and principal.is_admin:
            return view(*args, **kwargs)
        return through_portal(*args, **kwargs)
    return wrapped


def kiosk_required(view):
    """Any valid credential (a kiosk's or staff's) over HTTP Basic: recommendations are for kiosks."""
    @wraps(view)
    def wrapped(*args, **kwargs):
        if _basic_principal() is None:
            return Response("kiosk credentials required", 401, {"WWW-Authenticate": 'Basic realm="yuedu"'})
        return view(*args, **kwargs)
    return wrapped


def wall_token_required(view):
    """The lobby screen's page and stream: `?token=` must equal WALL_TOKEN; no token configured, no wall."""
    @wraps(view)
    def wrapped(*args, **kwargs):
        expected = current_app.config.get("WALL_TOKEN")
        given = request.args.get("token", "")
        if not expected or not hmac.compare_digest(given.encode(), str(expected).encode()):
            abort(404)
        return view(*args, **kwargs)
    return wrapped
