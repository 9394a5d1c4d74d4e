"""The portal's machine APIs: uploads by script (Bearer API token), and for kiosks (their xAPI credential)
the catalog (ETag / If-None-Match), version downloads and the heartbeat."""
from __future__ import annotations

from flask import Response, abort, g, jsonify, request

from server.jsonbody import JSONBodyError, read_json
from server.portal import accounts, publish as publishing
from server.portal.access import acting_user, kiosk_required, login_required
from server.portal.blueprint import engine, lang, now, portal_bp
from server.portal.store import version_row


@portal_bp.route("/api/upload", methods=["POST"])
@login_required("curator")
def api_upload():
    from server.portal.pages import _ingest, _start_preview

    uploaded = request.files.get("package")
    if uploaded is None or not uploaded.filename:
        return jsonify({"error": "send the zip as the multipart field 'package'"}), 400
    ingested = _ingest(uploaded)
    report = ingested.report.to_dict(lang())
    user = acting_user()
    if not ingested.ok:
        accounts.audit(engine(), user.name, "upload_rejected", uploaded.filename,
                       ", ".join(ingested.report.codes())[:500], now=now())
        return jsonify({"stored": False, "report": report}), 422
    row = version_row(engine(), ingested.version_id)
    accounts.audit(engine(), user.name, "upload", f"{row['package_id']} {row['version']}",
                   f"version #{row['id']} sha256 {row['sha256']} (API)", now=now())
    _start_preview(row["id"])
    return jsonify({"stored": True, "version_id": row["id"], "id": row["package_id"], "version": row["version"],
                    "sha256": row["sha256"], "report": report}), 201


HEARTBEAT_BYTES = 64 * 1024  # content versions of a few hundred packages and the health checks, stored whole


def _this_kiosk() -> dict:
    return publishing.kiosk_row(engine(), g.kiosk.key, g.kiosk.name)


@portal_bp.route("/api/kiosk/catalog")
@kiosk_required
def api_catalog():
    kiosk = _this_kiosk()
    entries = publishing.catalog_for(engine(), kiosk["credential_key"], kiosk["branch"], now())
    for entry in entries:
        entry["url"] = f"/portal/api/kiosk/versions/{entry.pop('version_id')}.zip"
    etag = publishing.catalog_etag(entries)
    if request.if_none_match.contains(etag):
        response = Response(status=304)
        response.set_etag(etag)
        return response
    response = jsonify({"packages": entries, "branch": kiosk["branch"]})
    response.set_etag(etag)
    response.headers["Cache-Control"] = "no-cache"
    return response


@portal_bp.route("/api/kiosk/versions/<int:version_id>.zip")
@kiosk_required
def api_download(version_id: int):
    from server.portal.pages import send_version_zip

    kiosk = _this_kiosk()
    live = {e["version_id"] for e in publishing.catalog_for(engine(), kiosk["credential_key"], kiosk["branch"], now())}
    if version_id not in live:  # kiosks get what is published for them, nothing else
        abort(404)
    return send_version_zip(version_row(engine(), version_id))


@portal_bp.route("/api/kiosk/heartbeat", methods=["POST"])
@kiosk_required
def api_heartbeat():
    try:
        body = read_json(request.get_data(cache=False), "the heartbeat", max_bytes=HEARTBEAT_BYTES)
    except JSONBodyError as error:
        return jsonify({"error": str(error)}), 400
    if not isinstance(body, dict):
        return jsonify({"error": "a JSON object is required"}), 400
    _this_kiosk()
    publishing.record_heartbeat(engine(), g.kiosk.key, body, now())
    return jsonify({"ok": True})
