"""Who may call what: decorators for curator/admin pages and APIs (session or API token) and for kiosks.

    @login_required("curator")   # a logged-in curator or admin (admins may do what curators may)
    @login_required("admin")     # admins only
    @kiosk_required              # an xAPI kiosk credential (HTTP Basic KEY:SECRET), g.kiosk is its Principal

Anonymous browsers are sent to the login page; API callers (Authorization header or /api/ paths) get 401;
a signed-in account without the role gets 403. Also used by other areas (e.g. the smart wall's staff reports).
"""
from __future__ import annotations

import base64
import binascii
from functools import wraps

from flask import abort, current_app, g, jsonify, redirect, request, url_for
from flask_login import current_user

ROLES = ("curator", "admin")


def _wants_json() -> bool:
    return "/api/" in request.path or request.headers.get("Authorization", "").startswith(("Bearer", "Basic"))


def bearer_user():
    """The account named by `Authorization: Bearer TOKEN`, or None."""
    from server.portal.accounts import user_for_token

    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return user_for_token(current_app.extensions["yuedu"].engine, token.strip())


def acting_user():
    """The signed-in account (session) or the API token's account; None when anonymous."""
    if getattr(g, "portal_user", None) is not None:
        return g.portal_user
    user = bearer_user()
    # APIs take tokens only: a session cookie there would skip the CSRF check forms get.
    if user is None and "/api/" not in request.path and current_user.is_authenticated:
        user = current_user._get_current_object()
    g.portal_user = user
    return user


def _refuse(status: int):
    if _wants_json():
        response = jsonify({"error": "unauthorized" if status == 401 else "forbidden"})
        response.status_code = status
        if status == 401:
            response.headers["WWW-Authenticate"] = 'Bearer realm="yuedu-portal"'
        abort(response)
    if status == 401 and request.method == "GET":
        abort(redirect(url_for("portal.login", next=request.full_path)))
    if status == 401:
        abort(401)
    abort(403)


def login_required(role: str = "curator"):
    """A view decorator: only accounts with `role` (an admin also counts as a curator)."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {ROLES}")

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            user = acting_user()
            if user is None:
                _refuse(401)
            if not user.has_role(role):
                _refuse(403)
            if user.must_change_password and "/api/" not in request.path:
                # The one-time password from `users add` opens only the page that replaces it.
                abort(redirect(url_for("portal.change_password")))
            return view(*args, **kwargs)

        return wrapper

    return decorate


def basic_pair() -> tuple[str, str] | None:
    """(key, secret) of an HTTP Basic Authorization header, unchecked; None without one."""
    scheme, _, encoded = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "basic" or not encoded:
        return None
    try:
        key, _, secret = base64.b64decode(encoded.strip(), validate=True).decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return key, secret


def kiosk_principal():
    """The kiosk credential of an HTTP Basic request (scope "kiosk"), or None."""
    pair = basic_pair()
    if pair is None:
        return None
    principal = current_app.extensions["yuedu"].credentials.check(*pair)
    return principal if principal is not None and principal.scope == "kiosk" else None


def kiosk_required(view):
    """A view decorator: only kiosks (their xAPI credential); g.kiosk is the Principal."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        principal = kiosk_principal()
        if principal is None:
            response = jsonify({"error": "kiosk credentials required"})
            response.status_code = 401
            response.headers["WWW-Authenticate"] = 'Basic realm="yuedu-kiosk"'
            abort(response)
        g.kiosk = principal
        return view(*args, **kwargs)

    return wrapper
