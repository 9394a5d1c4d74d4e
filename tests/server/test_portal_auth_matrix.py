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
    "share.share_delete": ("POST", "/s/{share}/delete", PUBLIC),
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
