"""The portal's blueprints and their app-wide set-up: Flask-Login, CSRF on every form, idle timeout,
security headers, the page language (中文 first, English), and the package store."""
from __future__ import annotations

import os
import secrets
from datetime import datetime, timedelta
from pathlib import Path

from flask import Blueprint, abort, current_app, g, redirect, request, session, url_for
from flask_login import LoginManager, current_user, logout_user
from flask_wtf.csrf import CSRFProtect

from experiences.i18n import register_catalog_dir, t

HERE = Path(__file__).resolve().parent
MESSAGES_DIR = HERE.parent / "messages"
register_catalog_dir(MESSAGES_DIR)

portal_bp = Blueprint("portal", __name__, url_prefix="/portal", template_folder="templates",
                      static_folder="static", static_url_path="/static")
share_bp = Blueprint("share", __name__, url_prefix="/s", template_folder="templates")

csrf = CSRFProtect()
login_manager = LoginManager()

PORTAL_DEFAULTS = {
    "PORTAL_IDLE_MINUTES": 30,       # signed out after this long without a request
    "PORTAL_STORE_DIR": None,        # default: <data dir>/server/package-store
    "PORTAL_PREVIEW": True,          # render a PNG preview of each upload in a subprocess
    "PORTAL_PREVIEW_TIMEOUT": 90,    # seconds before a preview render is given up
    "PORTAL_MAX_UPLOAD_BYTES": 512 * 1024 * 1024,
    "SHARE_DAYS": 30,                # share links expire after this many days
    "SHARE_DIR": None,               # default: <data dir>/server/shares
    "SHARE_ACCEPT_UNSIGNED": True,   # take share tokens of kiosks not yet signing them (False once all are)
    "PORTAL_CLOCK": None,            # callable -> naive UTC datetime (tests inject one)
    "PORTAL_TIMEZONE": None,         # the library's zone for publish times; None: WALL_TIMEZONE (Asia/Shanghai)
    "LIBRARY_MAIN_BRANCH_NAME": "",  # how the kiosks' branch "main" is shown; "": 总馆 / Main library
}


def now() -> datetime:
    clock = current_app.config.get("PORTAL_CLOCK")
    if clock is not None:
        return clock()
    from server.portal.accounts import utcnow

    return utcnow()


def engine():
    return current_app.extensions["yuedu"].engine


def store():
    return current_app.extensions["yuedu_portal_store"]


def lang() -> str:
    if g.get("page_lang"):  # a family's share page: its kiosk's language (share_pages._page_lang)
        return g.page_lang
    chosen = request.args.get("lang") or session.get("lang")
    if chosen in ("zh-CN", "en"):
        return chosen
    return request.accept_languages.best_match(["zh-CN", "en"], default="zh-CN") if request else "zh-CN"


def tr(key: str, **values) -> str:
    return t(f"portal.{key}", lang(), **values)


def library_zone():
    from server.portal.localtime import zone

    return zone(current_app.config)


def local_time(moment, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A stored UTC time as the library's clock shows it (templates: {{ v.uploaded_at|local_time }})."""
    from server.portal.localtime import local

    shown = local(moment, library_zone())
    return shown.strftime(fmt) if shown is not None else ""


def library_offset() -> str:
    from server.portal.localtime import offset_label

    return offset_label(library_zone(), now())


def branch_name(branch: str) -> str:
    """A kiosk's branch in plain words: "main" is 总馆 (or LIBRARY_MAIN_BRANCH_NAME)."""
    from server.labels import branch_label

    return branch_label(branch, lang(), current_app.config.get("LIBRARY_MAIN_BRANCH_NAME"))


def kind_name(kind: str) -> str:
    """A package kind in words (成语接龙), the kind's id itself for a kind the portal has no words for."""
    words = tr(f"kind.{kind}")
    return kind if words == f"portal.kind.{kind}" else words


def target_words(publication) -> str:
    """Where a publication goes, in words: 所有终端, 分馆：东城分馆, 单台终端：阅览室一号机."""
    kind, target = publication["target_type"], publication["target"] or ""
    if kind == "branch":
        return f"{tr('target.branch')}：{branch_name(target)}"
    if kind == "kiosk":
        if "kiosk_names" not in g:
            from server.portal.publish import list_kiosks

            g.kiosk_names = {k["credential_key"]: k["name"] for k in list_kiosks(engine())}
        return f"{tr('target.kiosk')}：{g.kiosk_names.get(target, target)}"
    return tr(f"target.{kind}")


def _secret_key(app) -> str:
    from experiences import datadir

    from server.private_files import private_dir

    path = private_dir(datadir.server_dir()) / "portal-secret-key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text().strip()


@portal_bp.record_once
def _setup(state) -> None:
    app = state.app
    for key, value in PORTAL_DEFAULTS.items():
        app.config.setdefault(key, value)
    if "YUEDU_SHARE_ACCEPT_UNSIGNED" in os.environ:  # "0" once every kiosk signs its share tokens
        app.config["SHARE_ACCEPT_UNSIGNED"] = os.environ["YUEDU_SHARE_ACCEPT_UNSIGNED"].strip() not in ("0", "false", "")
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key(app)
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False  # checked in before_request: not for xAPI / kiosk / token APIs
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)  # the session timeout bounds it
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(minutes=app.config["PORTAL_IDLE_MINUTES"])
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "portal.login"
    from server.portal.store import PackageStore, default_store_dir

    services = app.extensions["yuedu"]
    app.extensions["yuedu_portal_store"] = PackageStore(Path(app.config["PORTAL_STORE_DIR"] or default_store_dir()),
                                                        services.engine)
    app.jinja_env.globals.update(_=lambda key, **values: tr(key, **values), current_lang=lang,
                                 has_reports=lambda: "wall.reports_page" in current_app.view_functions,
                                 branch_name=branch_name, library_offset=library_offset,
                                 target_words=target_words, kind_name=kind_name)
    app.jinja_env.filters["local_time"] = local_time


@login_manager.user_loader
def _load_user(user_id: str):
    from server.portal.accounts import get_user

    try:
        user = get_user(engine(), int(user_id))
    except ValueError:
        return None
    # The cookie is signed but lives in the browser: a session counts only while its epoch is the account's.
    if user is None or session.get("epoch") != user.session_epoch:
        return None
    return user


def _is_api() -> bool:
    return "/api/" in request.path


# Routes that take package zips or recordings: larger bodies than the service-wide MAX_CONTENT_LENGTH.
_LARGE_BODIES = ("/portal/upload", "/portal/api/upload", "/portal/build/", "/s/api/upload", "/portal/catalogue/")


def _before() -> None:
    if request.path.startswith(_LARGE_BODIES):
        request.max_content_length = current_app.config["PORTAL_MAX_UPLOAD_BYTES"] + 1024 * 1024
    if request.args.get("lang") in ("zh-CN", "en"):
        session["lang"] = request.args["lang"]
    if current_user.is_authenticated:
        moment = now()
        last = session.get("last_active")
        idle = timedelta(minutes=current_app.config["PORTAL_IDLE_MINUTES"])
        if last is not None and moment - datetime.fromisoformat(last) > idle:
            logout_user()
            session.pop("last_active", None)
            g.session_expired = True
            if request.method == "GET" and not _is_api():
                return redirect(url_for("portal.login", expired=1))
        else:
            session["last_active"] = moment.isoformat()
            session.permanent = True
    if request.method in ("POST", "PUT", "PATCH", "DELETE") and not _is_api():
        if any(not isinstance(key, str) for key in request.form):
            abort(400)  # a multipart part without a name: Flask-WTF's token search would raise (a 500)
        csrf.protect()
    return None


# Security headers (CSP, framing, referrer, nosniff) are the app's, for every area: server/security_headers.py.
for _bp in (portal_bp, share_bp):
    _bp.before_request(_before)

# Views attach themselves to the blueprints.
from server.portal import (admin, api, build_pages, catalogue_pages, pages, plan_pages, share_pages,  # noqa: E402,F401
                           video_pages)
