"""Curator pages: sign in and out, the package list, upload with every validation problem shown, a version's
page with its preview, publish / unpublish / roll back, and downloads with safe headers."""
from __future__ import annotations

import ipaddress
import re
from datetime import datetime
from urllib.parse import unquote

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import login_user, logout_user

from server.portal import accounts, publish as publishing
from server.portal.access import acting_user, login_required
from server.portal.blueprint import engine, lang, now, portal_bp, store, tr
from server.portal.store import list_versions, version_row


def _audit(action: str, target: str = "", detail: str = "") -> None:
    user = acting_user()
    accounts.audit(engine(), user.name if user else "-", action, target, detail, now=now())


# A portal path with an optional query, in printable ASCII: no CR/LF (header injection), no backslash or "//"
# (another host to some browsers), no scheme.
_SAFE_NEXT = re.compile(r"/portal/(?!/)[A-Za-z0-9/_.~%!$&'()*+,;=:@?-]*")


def safe_next(target: str | None) -> str:
    """`target` when it is a plain portal path to go back to after sign-in, else ""."""
    if not target or len(target) > 2000 or not _SAFE_NEXT.fullmatch(target) or "//" in target:
        return ""
    decoded = unquote(target)
    if not decoded.isprintable() or "\\" in decoded or "//" in decoded:  # %0d%0a, %00, U+2028 …
        return ""
    return target


def _client_address() -> str:
    """The caller's address for the sign-in throttle, or "" when callers cannot be told apart: a loopback
    address with no trusted proxy (PROXY_HOPS) is every client of a proxy in front."""
    from flask import current_app

    address = request.remote_addr or ""
    try:
        loopback = ipaddress.ip_address(address).is_loopback
    except ValueError:
        loopback = False
    return "" if loopback and not current_app.config["PROXY_HOPS"] else address


@portal_bp.route("/login", methods=["GET", "POST"])
def login():
    error = ""
    if request.method == "POST":
        name = request.form.get("name", "")[:80]
        result = accounts.check_login(engine(), name, request.form.get("password", ""), now(), _client_address())
        user = result.user
        if user is not None:
            from flask import session

            chosen_lang = session.get("lang")
            session.clear()  # nothing from before sign-in carries over (session fixation) but the language
            if chosen_lang:
                session["lang"] = chosen_lang
            login_user(user)
            session["epoch"] = user.session_epoch
            session["last_active"] = now().isoformat()
            session.permanent = True
            accounts.audit(engine(), user.name, "login", detail=f"from {request.remote_addr}", now=now())
            return redirect(safe_next(request.args.get("next")) or url_for("portal.index"))
        accounts.audit(engine(), name or "-", "login_" + result.reason, detail=f"from {request.remote_addr}",
                       now=now())
        if result.reason == "throttled":
            error = tr("login.throttled", seconds=result.wait_seconds)
            return render_template("login.html", error=error, expired=False), 429, {
                "Retry-After": str(result.wait_seconds)}
        error = tr("login.invalid")
    expired = request.args.get("expired") == "1"
    return render_template("login.html", error=error, expired=expired), (401 if error else 200)


@portal_bp.route("/password", methods=["GET", "POST"])
def change_password():
    from flask_login import current_user

    if not current_user.is_authenticated:
        return redirect(url_for("portal.login", next=url_for("portal.change_password")))
    errors = {}
    if request.method == "POST":
        new = request.form.get("new", "")
        if new != request.form.get("confirm", ""):
            errors["confirm"] = tr("password.mismatch")
        else:
            reason = accounts.change_password(engine(), current_user.id, request.form.get("current", ""), new)
            if reason:
                errors["current" if reason == "current_wrong" else "new"] = tr(f"password.{reason}",
                                                                            length=accounts.MIN_PASSWORD_LENGTH)
        if not errors:
            from flask import session

            # change_password() ended every session of the account; this one carries on at the new epoch.
            session["epoch"] = accounts.get_user(engine(), current_user.id).session_epoch
            accounts.audit(engine(), current_user.name, "password_change", now=now())
            flash(tr("password.changed"))
            return redirect(url_for("portal.index"))
    return render_template("password.html", errors=errors), (400 if errors else 200)


@portal_bp.route("/logout", methods=["POST"])
def logout():
    from flask_login import current_user

    if not current_user.is_authenticated:
        abort(401)
    accounts.audit(engine(), current_user.name, "logout", now=now())
    accounts.end_sessions(engine(), current_user.id)  # a copy of the cookie is dead too
    logout_user()
    return redirect(url_for("portal.login"))


@portal_bp.route("/")
@login_required("curator")
def index():
    versions = list_versions(engine())
    live = publishing.list_publications(engine())
    return render_template("index.html", versions=versions, publications=live)


def _problem_rows(report) -> list[dict]:
    language = lang()
    return [{"severity": p.severity, "file": p.file, "field": p.field, "code": p.code,
             "message": p.message(language), "fix": p.fix(language)} for p in report.problems]


@portal_bp.route("/upload", methods=["GET", "POST"])
@login_required("curator")
def upload():
    if request.method == "GET":
        return render_template("upload.html", problems=[], filename="")
    uploaded = request.files.get("package")
    if uploaded is None or not uploaded.filename:
        return render_template("upload.html", problems=[], filename="", missing=True), 400
    ingested = _ingest(uploaded)
    if not ingested.ok:
        _audit("upload_rejected", uploaded.filename, ", ".join(ingested.report.codes())[:500])
        return render_template("upload.html", problems=_problem_rows(ingested.report),
                               filename=uploaded.filename), 422
    row = version_row(engine(), ingested.version_id)
    _audit("upload", f"{row['package_id']} {row['version']}", f"version #{row['id']} sha256 {row['sha256']}")
    _start_preview(row["id"])
    flash(tr("upload.stored", id=row["package_id"], version=row["version"]))
    return redirect(url_for("portal.version", version_id=row["id"]))


def _ingest(file_storage):
    """Save an uploaded file into the store's incoming area (size-capped), then validate and store it."""
    from flask import current_app

    target = store().incoming(file_storage.filename)
    cap = current_app.config["PORTAL_MAX_UPLOAD_BYTES"]
    written = 0
    from server.private_files import open_private

    with open_private(target) as out:
        while chunk := file_storage.stream.read(1024 * 1024):
            written += len(chunk)
            if written > cap:
                break
            out.write(chunk)
    if written > cap:
        from experiences.validation import Report

        report = Report(file_storage.filename)
        report.error(file_storage.filename, "", "upload_too_large", limit_mb=cap // (1024 * 1024))
        import shutil

        shutil.rmtree(target.parent, ignore_errors=True)
        from server.portal.store import Ingested

        return Ingested(report)
    user = acting_user()
    return store().ingest(target, user.name)


def _start_preview(version_id: int) -> None:
    from flask import current_app

    if not current_app.config["PORTAL_PREVIEW"]:
        return
    from server.portal.preview import start_preview

    start_preview(engine(), store(), version_id, current_app.config["PORTAL_PREVIEW_TIMEOUT"])


@portal_bp.route("/versions/<int:version_id>")
@login_required("curator")
def version(version_id: int):
    row = version_row(engine(), version_id)
    if row is None:
        abort(404)
    pubs = [p for p in publishing.list_publications(engine(), active_only=False) if p["package_id"] == row["package_id"]]
    kiosks = publishing.list_kiosks(engine())
    branches = sorted({k["branch"] for k in kiosks} | {"main"})
    return render_template("version.html", v=row, publications=pubs, kiosks=kiosks, branches=branches,
                           others=list_versions(engine(), row["package_id"]))


def _parse_when(text: str) -> datetime | None:
    """A publish time typed in the library's time zone, stored as naive UTC."""
    from server.portal.blueprint import library_zone
    from server.portal.localtime import to_utc

    return to_utc(text, library_zone())


@portal_bp.route("/versions/<int:version_id>/publish", methods=["POST"])
@login_required("curator")
def publish(version_id: int):
    form = request.form
    target_type = form.get("target_type", "all")
    target = form.get("branch", "") if target_type == "branch" else form.get("kiosk", "")
    try:
        pub_id = publishing.publish(engine(), version_id, target_type, target, _parse_when(form.get("starts")),
                                    _parse_when(form.get("ends")), by=acting_user().name)
    except LookupError:
        abort(404)
    except ValueError:
        flash(tr("publish.invalid"), "error")
        return redirect(url_for("portal.version", version_id=version_id)), 303
    _audit("publish", f"version #{version_id}", f"publication #{pub_id} {target_type} {target}".strip())
    flash(tr("publish.done"))
    return redirect(url_for("portal.version", version_id=version_id))


@portal_bp.route("/publications/<int:pub_id>/unpublish", methods=["POST"])
@login_required("curator")
def unpublish(pub_id: int):
    row = publishing.unpublish(engine(), pub_id)
    if row is None:
        abort(404)
    _audit("unpublish", f"publication #{pub_id}", row["package_id"])
    flash(tr("publish.unpublished"))
    return redirect(url_for("portal.version", version_id=row["version_id"]))


@portal_bp.route("/publications/<int:pub_id>/rollback", methods=["POST"])
@login_required("curator")
def rollback(pub_id: int):
    new_id = publishing.rollback(engine(), pub_id, by=acting_user().name)
    if new_id is None:
        flash(tr("publish.no_rollback"), "error")
        return redirect(url_for("portal.index"))
    _audit("rollback", f"publication #{pub_id}", f"publication #{new_id}")
    flash(tr("publish.rolled_back"))
    return redirect(url_for("portal.index"))


def send_version_zip(row: dict):
    """A stored zip as a download: attachment, zip type, nosniff (set for the blueprint)."""
    path = store().path_of(row["sha256"])
    safe_id = "".join(c for c in row["package_id"] if c.isalnum() or c in ".-_") or "package"
    safe_version = "".join(c for c in row["version"] if c.isalnum() or c in ".-_+") or "0"
    return send_file(path, mimetype="application/zip", as_attachment=True,
                     download_name=f"{safe_id}-{safe_version}.zip", etag=row["sha256"], max_age=0)


@portal_bp.route("/versions/<int:version_id>/download")
@login_required("curator")
def download(version_id: int):
    row = version_row(engine(), version_id)
    if row is None:
        abort(404)
    return send_version_zip(row)


@portal_bp.route("/versions/<int:version_id>/preview.png")
@login_required("curator")
def preview(version_id: int):
    path = store().preview_path(version_id)
    if not path.is_file():
        abort(404)
    return send_file(path, mimetype="image/png", max_age=0)
