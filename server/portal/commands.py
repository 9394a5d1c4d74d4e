"""Launcher commands of the portal: `users add NAME --role curator|admin` and `upload PACKAGE --server --token`."""
from __future__ import annotations

import json
import os
import sys
import urllib.error
import urllib.request
import uuid
from pathlib import Path


def _say(key: str, **values) -> str:
    from experiences.i18n import both, register_catalog_dir

    register_catalog_dir(Path(__file__).resolve().parent.parent / "messages")
    return both(f"portal.cli.{key}", **values)


def register(subparsers) -> None:
    users = subparsers.add_parser("users", help="curator portal accounts")
    actions = users.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = actions.add_parser("add", help="create an account; prints a one-time password, last line token:API_TOKEN")
    add.add_argument("name")
    add.add_argument("--role", choices=("curator", "admin"), default="curator")
    add.add_argument("--db", default=None, help="database URL (default: SQLite in the data directory)")
    add.set_defaults(func=run_users_add)

    upload = subparsers.add_parser("upload", help="upload a package .zip (or folder) to the curator portal")
    upload.add_argument("package", metavar="PACKAGE", help="a package .zip, or a folder (packed first)")
    upload.add_argument("--server", required=True, help="the service's base URL, e.g. https://yuedu.example.org")
    upload.add_argument("--token", default=os.environ.get("YUEDU_PORTAL_TOKEN"),
                        required=not os.environ.get("YUEDU_PORTAL_TOKEN"),
                        help="your API token (from `users add`); or set YUEDU_PORTAL_TOKEN, which keeps it out of "
                             "the shell history and the process list")
    upload.set_defaults(func=run_upload)


def run_users_add(args) -> int:
    from server.commands import _engine
    from server.portal.accounts import create_user

    try:
        made = create_user(_engine(args.db), args.name, args.role)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(_say("user_created", role_zh=_role(made.user.role, "zh-CN"), role_en=_role(made.user.role, "en"), name=made.user.name, password=made.password))
    print(f"token:{made.token}")
    return 0


def _multipart(field: str, filename: str, data: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    safe_name = filename.replace('"', "_").replace("\r", "_").replace("\n", "_")
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{safe_name}\"\r\n"
            f"Content-Type: application/zip\r\n\r\n").encode("utf-8")
    return head + data + f"\r\n--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def upload_package(path: Path, server: str, token: str, timeout: float = 300.0) -> tuple[int, dict]:
    """POST the zip to /portal/api/upload; (HTTP status, JSON body)."""
    body, content_type = _multipart("package", path.name, path.read_bytes())
    request = urllib.request.Request(server.rstrip("/") + "/portal/api/upload", data=body, method="POST",
                                     headers={"Content-Type": content_type, "Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as exc:
        try:
            return exc.code, json.loads(exc.read() or b"{}")
        except ValueError:
            return exc.code, {"error": exc.reason}


def run_upload(args) -> int:
    import tempfile

    from experiences.i18n import current_language

    path = Path(args.package)
    with tempfile.TemporaryDirectory() as scratch:
        if path.is_dir():  # a folder is packed (and validated) locally first
            from experiences.validation import pack_package

            out = Path(scratch) / f"{path.name}.zip"
            report = pack_package(path, out)
            if not report.ok:
                print(_say("upload_rejected", path=path), file=sys.stderr)
                print(report.render(current_language()), file=sys.stderr)
                return 1
            path = out
        try:
            status, body = upload_package(path, args.server, args.token)
        except (OSError, urllib.error.URLError) as exc:
            print(_say("upload_unreachable", **_reason(exc, args.server)), file=sys.stderr)
            return 1
    if status == 201 and body.get("stored"):
        print(_say("upload_stored", id=body["id"], version=body["version"], version_id=body["version_id"]))
        return 0
    if "report" in body:
        print(_say("upload_rejected", path=args.package), file=sys.stderr)
        for problem in body["report"]["problems"]:
            where = " › ".join(x for x in (problem["file"], problem["field"]) if x) or "—"
            print(f"{problem['severity']}  {where}\n    {problem['message']}\n    {problem['fix']}", file=sys.stderr)
    elif status in (401, 403):
        print(_say("upload_token_refused", status=status), file=sys.stderr)
    else:
        print(_say("upload_failed", reason=f"HTTP {status} {body.get('error', '')}"), file=sys.stderr)
    return 1


def _role(role: str, lang: str) -> str:
    from experiences.i18n import register_catalog_dir, t

    register_catalog_dir(Path(__file__).resolve().parent.parent / "messages")
    return t(f"portal.cli.roles.{role}", lang)


def _reason(exc: Exception, server: str) -> dict:
    """Why an upload did not reach the portal, per language (a missing path, a refused connection …)."""
    from experiences.commands.cli_errors import explain_key
    from experiences.i18n import t

    cause = exc.reason if isinstance(exc, urllib.error.URLError) and isinstance(exc.reason, OSError) else exc
    found = explain_key(cause)
    if found is None:
        return {"reason_zh": str(exc), "reason_en": str(exc)}
    where = f" ({server})" if isinstance(exc, urllib.error.URLError) else ""
    return {f"reason_{lang[:2]}": t(found[0], lang, **found[1]) + where for lang in ("zh-CN", "en")}
