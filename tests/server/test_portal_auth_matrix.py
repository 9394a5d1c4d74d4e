"""The auth matrix: anonymous, kiosk, curator and admin tried on every portal and share route; each gets
exactly its role (a route missing from the table fails the test)."""
from __future__ import annotations

import io

import numpy as np
import pytest
import soundfile

from server.portal import publish as publishing
from server.portal.accounts import create_user
from server.portal.share_pages import delete_hash
from tests.server.portal_helpers import (CSRF_RE, engine_of, good_zip, kiosk_auth, make_app, signed_in, upload)

ROLES = ("anonymous", "kiosk", "curator", "admin")
PUBLIC = set(ROLES)
STAFF = {"curator", "admin"}
ADMIN = {"admin"}
KIOSK = {"kiosk"}


def _ogg() -> bytes:
    buffer = io.BytesIO()
    soundfile.write(buffer, np.zeros(8000, dtype="float32"), 16000, format="OGG", subtype="VORBIS")
    return buffer.getvalue()


# endpoint -> (method, path template, who may use it). {share} is a fresh share per call.
ROUTES = {
    "portal.static": ("GET", "/portal/static/portal.css", PUBLIC),
    "portal.login": ("GET", "/portal/login", PUBLIC),
    "portal.index": ("GET", "/portal/", STAFF),
    "portal.change_password": ("GET", "/portal/password", STAFF),
    "portal.upload": ("GET", "/portal/upload", STAFF),
    "portal.version": ("GET", "/portal/versions/1", STAFF),
    "portal.download": ("GET", "/portal/versions/1/download", STAFF),
    "portal.preview": ("GET", "/portal/versions/1/preview.png", STAFF),
    "portal.publish": ("POST", "/portal/versions/1/publish", STAFF),
    "portal.unpublish": ("POST", "/portal/publications/1/unpublish", STAFF),
    "portal.rollback": ("POST", "/portal/publications/1/rollback", STAFF),
    "portal.build_idioms": ("GET", "/portal/build/idioms", STAFF),
    "portal.build_poem_page": ("GET", "/portal/build/poem", STAFF),
    "portal.build_panorama_page": ("GET", "/portal/build/panorama", STAFF),
    "portal.build_book_page": ("GET", "/portal/build/book", STAFF),
    "portal.build_treasure_page": ("GET", "/portal/build/treasure", STAFF),
    "portal.build_waterfall_page": ("GET", "/portal/build/waterfall", STAFF),
    "portal.video_packages": ("GET", "/portal/video", STAFF),
    "portal.video_media_page": ("GET", "/portal/versions/1/video", STAFF),
    "portal.admin_users": ("GET", "/portal/admin/users", ADMIN),
    "portal.admin_user_action": ("POST", "/portal/admin/users/{spare_user}/unlock", ADMIN),
    "portal.admin_kiosks": ("GET", "/portal/admin/kiosks", ADMIN),
    "portal.admin_kiosk_branch": ("POST", "/portal/admin/kiosks/{spare_kiosk}/branch", ADMIN),
    "portal.admin_kiosk_revoke": ("POST", "/portal/admin/kiosks/{spare_kiosk}/revoke", ADMIN),
    "portal.admin_audit": ("GET", "/portal/admin/audit", ADMIN),
    "portal.api_upload": ("POST", "/portal/api/upload", STAFF),
    "portal.api_catalog": ("GET", "/portal/api/kiosk/catalog", KIOSK),
    "portal.api_download": ("GET", "/portal/api/kiosk/versions/1.zip", KIOSK),
    "portal.api_heartbeat": ("POST", "/portal/api/kiosk/heartbeat", KIOSK),
    "share.upload_share": ("POST", "/s/api/upload", KIOSK),
    "share.share_page": ("GET", "/s/{share}", PUBLIC),
    "share.share_audio": ("GET", "/s/{share}/audio", PUBLIC),
    "share.share_video": ("GET", "/s/{share}/video", PUBLIC),
    "share.share_poster": ("GET", "/s/{share}/poster.jpg", PUBLIC),
    "share.share_delete": ("POST", "/s/{share}/delete", PUBLIC),
    "portal.catalogue_page": ("GET", "/portal/catalogue", STAFF),
    "portal.catalogue_import": ("POST", "/portal/catalogue/import", STAFF),
    "portal.catalogue_rules": ("POST", "/portal/catalogue/rules", STAFF),
    "portal.catalogue_rule_add": ("POST", "/portal/catalogue/rules/add", STAFF),
    "portal.catalogue_rule_delete": ("POST", "/portal/catalogue/rules/1/delete", STAFF),
    "portal.plans_page": ("GET", "/portal/catalogue/plans", STAFF),
    "portal.plan_upload": ("POST", "/portal/catalogue/plans", STAFF),
    "portal.plan_page": ("GET", "/portal/catalogue/plans/nope", STAFF),
    "portal.shelf_add": ("POST", "/portal/catalogue/plans/nope/shelves", STAFF),
    "portal.shelf_delete": ("POST", "/portal/catalogue/plans/nope/shelves/s1/delete", STAFF),
    "portal.plan_delete": ("POST", "/portal/catalogue/plans/nope/delete", STAFF),
    "portal.logout": ("POST", "/portal/logout", STAFF),  # last: it ends the session
}


def _make_share(app, n: int) -> tuple[str, str]:
    from datetime import datetime, timedelta

    from server.db import write_transaction
    from server.portal.models import Share

    token, code = f"matrix-share-token-{n:04d}-abcdef", "123456"
    share_dir = app.config["SHARE_DIR"]
    import os

    os.makedirs(share_dir, exist_ok=True)
    with open(os.path.join(share_dir, f"{token}.ogg"), "wb") as handle:
        handle.write(_ogg())
    with write_transaction(engine_of(app)) as conn:
        conn.execute(Share.__table__.insert().values(
            token=token, delete_hash=delete_hash(token, code), poem_id="p", poem_title="静夜思", poem_text="",
            scores="{}", nickname="", audio_file=f"{token}.ogg", audio_type="OGG",
            created=datetime(2026, 1, 1), expires=datetime(2099, 1, 1) - timedelta(days=1)))
    return token, code


@pytest.fixture
def world(tmp_path):
    app = make_app(tmp_path)
    curator = signed_in(app, "curator", "cur")
    admin = signed_in(app, "admin", "adm")
    upload(curator, good_zip(tmp_path))
    publishing.publish(engine_of(app), 1, "all", by="cur")
    kiosk_headers, _key, _ = kiosk_auth(app, "matrix-kiosk")
    _spare_headers, spare_key, _ = kiosk_auth(app, "spare-kiosk")
    publishing.kiosk_row(engine_of(app), spare_key, "spare-kiosk")
    spare_user = create_user(engine_of(app), "spare", "curator").user.id
    yield {"app": app, "curator": curator, "admin": admin, "kiosk": kiosk_headers, "spare_kiosk": spare_key,
           "spare_user": spare_user}
    engine_of(app).dispose()


def _call(world, role: str, endpoint: str, n: int):
    app = world["app"]
    method, template, _allowed = ROUTES[endpoint]
    share, code = _make_share(app, n) if "{share}" in template else ("", "")
    path = template.format(share=share, spare_kiosk=world["spare_kiosk"], spare_user=world["spare_user"])
    headers, client, data = {}, app.test_client(), {}
    if role == "kiosk":
        headers = dict(world["kiosk"])
    elif role in ("curator", "admin"):
        browser = world[role]
        client = browser.client
        headers = {"Authorization": f"Bearer {browser.user.token}"}
    if method == "POST":
        if "/api/" not in path:
            page = client.get("/portal/login").get_data(as_text=True)
            match = CSRF_RE.search(page)
            data["csrf_token"] = match.group(1) if match else ""
        if endpoint == "share.share_delete":
            data["code"] = code
        if endpoint == "portal.admin_kiosk_branch":
            data["branch"] = "north"
        if endpoint == "portal.api_heartbeat":
            return client.post(path, json={"content": {}, "health": {}}, headers=headers)
        return client.post(path, data=data, headers=headers)
    return client.get(path, headers=headers)


def _admitted(response) -> bool:
    if response.status_code in (401, 403):
        return False
    location = response.headers.get("Location", "")
    if response.status_code in (302, 303) and "/portal/login" in location and "next=" in location:
        return False
    return True


def test_every_route_is_in_the_matrix(world):
    endpoints = {rule.endpoint for rule in world["app"].url_map.iter_rules()
                 if rule.endpoint.startswith(("portal.", "share."))}
    assert endpoints == set(ROUTES)


def test_each_role_gets_exactly_its_routes(world):
    wrong = []
    n = 0
    for endpoint, (_method, _template, allowed) in ROUTES.items():
        for role in ROLES:
            n += 1
            response = _call(world, role, endpoint, n)
            if _admitted(response) != (role in allowed):
                wrong.append(f"{role} on {endpoint}: HTTP {response.status_code}")
    assert wrong == []


# Writes on behalf of a kiosk: who may void a kiosk's statement, upload a share signed by it, send its heartbeat.
# "k1" owns the statement and the share; "k2" is another kiosk; "xapi-admin" is an admin xAPI credential;
# "curator"/"admin" are portal accounts (API tokens); "revoked" is k1's twin credential, revoked.
WRITERS = ("anonymous", "k1", "k2", "xapi-admin", "curator", "admin", "revoked")
WRITES = {
    "void k1's statement": {"k1", "xapi-admin"},
    "upload a share signed by k1": {"k1"},
    "heartbeat": {"k1", "k2"},
}


@pytest.fixture
def writers(tmp_path):
    import base64

    from server.auth import create_credential, revoke_credential

    app = make_app(tmp_path)
    engine = engine_of(app)
    secrets_of, headers = {}, {"anonymous": {}}
    for name, scope in (("k1", "kiosk"), ("k2", "kiosk"), ("xapi-admin", "admin"), ("revoked", "kiosk")):
        made = create_credential(engine, name, scope)
        secrets_of[name] = made.secret
        headers[name] = {"Authorization": "Basic " + base64.b64encode(
            f"{made.principal.key}:{made.secret}".encode()).decode()}
        if name == "revoked":
            revoke_credential(engine, made.principal.key)
    for role in ("curator", "admin"):
        headers[role] = {"Authorization": f"Bearer {signed_in(app, role, f'w-{role}').user.token}"}
    yield app, headers, secrets_of
    engine.dispose()


def _write(app, headers: dict, secrets_of: dict, action: str, who: str, n: int):
    import json
    import uuid

    from experiences.share import share_token

    client = app.test_client()
    if action == "void k1's statement":
        target = str(uuid.uuid4())
        xapi = {"X-Experience-API-Version": "1.0.3"}
        stored = client.post("/xapi/statements", headers=dict(headers["k1"], **xapi), json={
            "id": target, "actor": {"mbox": "mailto:a@example.org"},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced"}, "object": {"id": "https://ex.org/a"}})
        assert stored.status_code == 200
        return client.post("/xapi/statements", headers=dict(headers[who], **xapi), json={
            "actor": {"mbox": "mailto:a@example.org"}, "verb": {"id": "http://adlnet.gov/expapi/verbs/voided"},
            "object": {"objectType": "StatementRef", "id": target}})
    if action == "upload a share signed by k1":
        upload_id = f"matrix-upload-{n:06d}"
        meta = {"token": share_token(secrets_of["k1"], upload_id), "upload_id": upload_id, "delete_code": "123456",
                "poem_id": "p", "audio": "audio.ogg"}
        return client.post("/s/api/upload", headers=headers[who], content_type="multipart/form-data",
                           data={"meta": json.dumps(meta), "audio": (io.BytesIO(_ogg()), "a.ogg")})
    return client.post("/portal/api/kiosk/heartbeat", headers=headers[who], json={"content": {}, "health": {}})


def test_each_writer_may_write_exactly_for_itself(writers):
    app, headers, secrets_of = writers
    wrong = []
    for n, (action, allowed) in enumerate(WRITES.items()):
        for m, who in enumerate(WRITERS):
            response = _write(app, headers, secrets_of, action, who, n * 10 + m)
            if (200 <= response.status_code < 300) != (who in allowed):
                wrong.append(f"{who} may{'' if who in allowed else ' not'} {action}: HTTP {response.status_code}")
    assert wrong == []
