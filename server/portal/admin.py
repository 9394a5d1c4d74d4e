"""Admin pages: accounts (create, disable, unlock), kiosks (xAPI credentials, branch, last heartbeat) and the
audit log of every curator and admin action."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for

from server.auth import create_credential, list_credentials, revoke_credential
from server.portal import accounts, publish as publishing
from server.portal.access import acting_user, login_required
from server.portal.blueprint import engine, now, portal_bp, tr


def _audit(action: str, target: str = "", detail: str = "") -> None:
    accounts.audit(engine(), acting_user().name, action, target, detail, now=now())


@portal_bp.route("/admin/users", methods=["GET", "POST"])
@login_required("admin")
def admin_users():
    made, errors = None, {}
    if request.method == "POST":
        name = request.form.get("name", "").strip()
        role = request.form.get("role", "curator")
        if not name or len(name) > 80:
            errors["name"] = tr("admin.name_required")
        if role not in accounts.ROLES:
            errors["role"] = tr("admin.role_invalid")
        if not errors:
            try:
                made = accounts.create_user(engine(), name, role, now=now())
                _audit("user_add", name, role)
            except ValueError:
                errors["name"] = tr("admin.name_taken")
    status = 400 if errors else 200
    return render_template("admin_users.html", users=accounts.list_users(engine(), now()), made=made,
                           errors=errors, form=request.form, reset=None), status


@portal_bp.route("/admin/users/<int:user_id>/<action>", methods=["POST"])
@login_required("admin")
def admin_user_action(user_id: int, action: str):
    if action == "disable":
        if user_id == acting_user().id:
            flash(tr("admin.not_yourself"), "error")
            return redirect(url_for("portal.admin_users"))
        accounts.set_disabled(engine(), user_id, True)
    elif action == "enable":
        accounts.set_disabled(engine(), user_id, False)
    elif action == "unlock":
        accounts.unlock(engine(), user_id)
    elif action == "reset":
        password = accounts.reset_password(engine(), user_id)
        if password is None:
            abort(404)
        _audit("user_reset", f"user #{user_id}")
        return render_template("admin_users.html", users=accounts.list_users(engine(), now()), made=None, errors={},
                               form={}, reset={"id": user_id, "password": password})
    else:
        abort(404)
    _audit("user_" + action, f"user #{user_id}")
    return redirect(url_for("portal.admin_users"))


def _branch_key(typed: str) -> str:
    """The branch as stored: empty or the main building's shown name (总馆) is "main", the kiosks' default."""
    from server.portal.blueprint import branch_name

    typed = typed.strip()
    return "main" if not typed or typed == branch_name("main") else typed[:100]


@portal_bp.route("/admin/kiosks", methods=["GET", "POST"])
@login_required("admin")
def admin_kiosks():
    made, errors = None, {}
    if request.method == "POST":
        name = request.form.get("name", "").strip()
        branch = _branch_key(request.form.get("branch", ""))
        if not name or len(name) > 200:
            errors["name"] = tr("admin.name_required")
        else:
            made = create_credential(engine(), name, "kiosk")
            publishing.kiosk_row(engine(), made.principal.key, name)
            publishing.set_branch(engine(), made.principal.key, branch)
            _audit("kiosk_add", name, f"key {made.principal.key} branch {branch}")
    credentials = {c["key"]: c for c in list_credentials(engine())}
    kiosks = publishing.list_kiosks(engine())
    for kiosk in kiosks:
        kiosk["revoked"] = credentials.get(kiosk["credential_key"], {}).get("revoked", False)
    return render_template("admin_kiosks.html", kiosks=kiosks, made=made, errors=errors,
                           now=now()), (400 if errors else 200)


@portal_bp.route("/admin/kiosks/<key>/branch", methods=["POST"])
@login_required("admin")
def admin_kiosk_branch(key: str):
    branch = _branch_key(request.form.get("branch", ""))
    publishing.set_branch(engine(), key, branch)
    _audit("kiosk_branch", key, branch)
    return redirect(url_for("portal.admin_kiosks"))


@portal_bp.route("/admin/kiosks/<key>/revoke", methods=["POST"])
@login_required("admin")
def admin_kiosk_revoke(key: str):
    if not revoke_credential(engine(), key):
        abort(404)
    _audit("kiosk_revoke", key)
    return redirect(url_for("portal.admin_kiosks"))


@portal_bp.route("/admin/audit")
@login_required("admin")
def admin_audit():
    return render_template("audit.html", entries=accounts.audit_entries(engine(), 500))
