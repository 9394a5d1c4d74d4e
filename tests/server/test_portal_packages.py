"""Uploads through the runtime's validator, hostile zips, safe headers, publish / unpublish / roll back,
targets and schedules in the kiosk catalog (ETag), and `launcher.py upload` against a live server."""
from __future__ import annotations

import io
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from PIL import Image

import launcher
from server.portal import publish as publishing
from tests.server.portal_helpers import (Clock, broken_zip, chain_folder, engine_of, good_zip, kiosk_auth,
                                         make_app, serving, signed_in, upload, zip_folder)


@pytest.fixture
def app(tmp_path):
    app = make_app(tmp_path)
    yield app
    engine_of(app).dispose()


def _store_files(tmp_path: Path) -> list[str]:
    return sorted(p.name for p in (tmp_path / "store").glob("*.zip"))


def test_good_upload_becomes_a_stored_version(app, tmp_path):
    curator = signed_in(app, "curator")
    response = upload(curator, good_zip(tmp_path))
    assert response.status_code == 302
    page = curator.get(response.headers["Location"]).get_data(as_text=True)
    assert "org.yuedu.idioms.chain" in page and "1.0.1" in page and "成语接龙" in page
    assert len(_store_files(tmp_path)) == 1
    assert not any((tmp_path / "store" / ".incoming").iterdir())


def test_broken_upload_lists_every_problem_by_file_and_field(app, tmp_path):
    curator = signed_in(app, "curator")
    response = upload(curator, broken_zip(tmp_path))
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'aria-describedby="package-errors"' in html and 'id="package-errors"' in html
    assert 'data-file="experience.toml" data-field="age_bands"' in html
    assert 'data-field="content.preferred"' in html or "missing.json" in html
    assert 'data-file="cover.png"' in html
    assert "怎么改" in html
    assert _store_files(tmp_path) == []


def _hostile(tmp_path: Path, kind: str) -> Path:
    out = tmp_path / f"{kind}.zip"
    folder = chain_folder(tmp_path, "1.0.3", f"h-{kind}")
    if kind == "zip-slip":
        zip_folder(folder, out)
        with zipfile.ZipFile(out, "a") as zf:
            zf.writestr("../../evil.txt", "x")
    elif kind == "symlink":
        zip_folder(folder, out)
        with zipfile.ZipFile(out, "a") as zf:
            info = zipfile.ZipInfo("link.json")
            info.create_system = 3
            info.external_attr = (0o120777 << 16)
            zf.writestr(info, "/etc/passwd")
    elif kind == "bomb":
        zip_folder(folder, out)
        with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr("padding.json", b" " * (20 * 1024 * 1024))
    elif kind == "huge-image":
        Image.new("RGB", (9000, 20), "red").save(folder / "cover.png")
        zip_folder(folder, out)
    elif kind == "wrong-type":
        (folder / "cover.png").write_bytes(b"<html><script>alert(1)</script></html>")
        zip_folder(folder, out)
    elif kind == "not-a-zip":
        out.write_bytes(b"%PDF-1.4 this is no zip")
    return out


@pytest.mark.parametrize("kind", ["zip-slip", "symlink", "bomb", "huge-image", "wrong-type", "not-a-zip"])
def test_hostile_uploads_are_refused_and_nothing_is_written(app, tmp_path, kind):
    curator = signed_in(app, "curator")
    response = upload(curator, _hostile(tmp_path, kind))
    assert response.status_code == 422, kind
    assert 'class="problem error"' in response.get_data(as_text=True)
    assert _store_files(tmp_path) == []
    assert not (tmp_path / "evil.txt").exists() and not (tmp_path.parent / "evil.txt").exists()


def test_downloads_have_safe_headers(app, tmp_path):
    curator = signed_in(app, "curator")
    location = upload(curator, good_zip(tmp_path)).headers["Location"]
    download = curator.get(location + "/download")
    assert download.status_code == 200
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.mimetype == "application/zip"
    assert "default-src 'self'" in download.headers["Content-Security-Policy"]
    page = curator.get(location)
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]


def _publish(browser, version_id: int, **form):
    return browser.post(f"/portal/versions/{version_id}/publish", form, page=f"/portal/versions/{version_id}")


def _version_id(response) -> int:
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[-1])


def test_publish_targets_schedule_etag_unpublish_and_rollback(tmp_path):
    clock = Clock()
    app = make_app(tmp_path, clock, PORTAL_IDLE_MINUTES=24 * 60)  # the clock jumps hours ahead
    curator = signed_in(app, "curator")
    v1 = _version_id(upload(curator, good_zip(tmp_path, "1.0.1")))
    v2 = _version_id(upload(curator, good_zip(tmp_path, "1.0.2")))
    east, east_key, _ = kiosk_auth(app, "east-1")
    west, west_key, _ = kiosk_auth(app, "west-1")
    client = app.test_client()
    assert client.get("/portal/api/kiosk/catalog", headers=east).get_json()["packages"] == []
    publishing.set_branch(engine_of(app), east_key, "east")

    assert _publish(curator, v1, target_type="all").status_code == 302
    first = client.get("/portal/api/kiosk/catalog", headers=east)
    assert [p["version"] for p in first.get_json()["packages"]] == ["1.0.1"]
    again = client.get("/portal/api/kiosk/catalog", headers={**east, "If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304

    # Typed in the library's time zone (Asia/Shanghai by default, UTC+8), stored as UTC.
    starts = (clock.now + timedelta(hours=8 + 1)).strftime("%Y-%m-%dT%H:%M")
    _publish(curator, v2, target_type="branch", branch="east", starts=starts)
    assert client.get("/portal/api/kiosk/catalog", headers=east).get_json()["packages"][0]["version"] == "1.0.1"
    clock.now += timedelta(hours=2)
    east_cat = client.get("/portal/api/kiosk/catalog", headers=east).get_json()["packages"]
    west_cat = client.get("/portal/api/kiosk/catalog", headers=west).get_json()["packages"]
    assert east_cat[0]["version"] == "1.0.2" and west_cat[0]["version"] == "1.0.1"
    # A kiosk may download what is published for it, and nothing else.
    assert client.get(east_cat[0]["url"], headers=east).status_code == 200
    assert client.get(east_cat[0]["url"], headers=west).status_code == 404

    _publish(curator, v2, target_type="kiosk", kiosk=west_key)
    pubs = publishing.list_publications(engine_of(app))
    west_pub = next(p for p in pubs if p["target_type"] == "kiosk")
    all_pub = next(p for p in pubs if p["target_type"] == "all")
    assert client.get("/portal/api/kiosk/catalog", headers=west).get_json()["packages"][0]["version"] == "1.0.2"
    curator.post(f"/portal/publications/{west_pub['id']}/unpublish", page="/portal/")
    assert client.get("/portal/api/kiosk/catalog", headers=west).get_json()["packages"][0]["version"] == "1.0.1"

    _publish(curator, v2, target_type="all")
    newest_all = max(p["id"] for p in publishing.list_publications(engine_of(app)) if p["target_type"] == "all")
    assert newest_all != all_pub["id"]
    curator.post(f"/portal/publications/{newest_all}/rollback", page="/portal/")
    assert client.get("/portal/api/kiosk/catalog", headers=west).get_json()["packages"][0]["version"] == "1.0.1"


def test_heartbeat_is_shown_on_the_admin_page(app):
    headers, key, _ = kiosk_auth(app, "north-1")
    client = app.test_client()
    body = {"content": {"org.yuedu.idioms.chain": "1.0.2"}, "health": {"disk_free_mb": 1234}}
    assert client.post("/portal/api/kiosk/heartbeat", json=body, headers=headers).status_code == 200
    page = signed_in(app, "admin").get("/portal/admin/kiosks").get_data(as_text=True)
    assert "north-1" in page and "org.yuedu.idioms.chain 1.0.2" in page and "disk_free_mb: 1234" in page


@pytest.fixture
def live_server(tmp_path):
    app = make_app(tmp_path)
    with serving(app) as url:
        yield app, url


def test_launcher_upload_exit_codes(live_server, tmp_path, capsys):
    from server.portal.accounts import create_user

    app, url = live_server
    made = create_user(engine_of(app), "script", "curator")
    assert launcher.main(["upload", str(good_zip(tmp_path)), "--server", url, "--token", made.token]) == 0
    assert "org.yuedu.idioms.chain" in capsys.readouterr().out
    assert launcher.main(["upload", str(broken_zip(tmp_path)), "--server", url, "--token", made.token]) == 1
    err = capsys.readouterr().err
    assert "experience.toml › age_bands" in err and "cover.png" in err
    assert launcher.main(["upload", str(good_zip(tmp_path, "1.0.5")), "--server", url, "--token", "nope"]) == 1
    assert len(_store_files(tmp_path)) == 1


def test_api_tokens_never_look_like_options_and_may_come_from_the_environment(live_server, tmp_path, capsys,
                                                                              monkeypatch):
    from server.portal.accounts import API_TOKEN_PREFIX, create_user

    app, url = live_server
    tokens = [create_user(engine_of(app), f"script-{n}", "curator").token for n in range(40)]
    assert all(token.startswith(API_TOKEN_PREFIX) for token in tokens)  # token_urlsafe alone starts with "-" 1 in 64
    monkeypatch.setenv("YUEDU_PORTAL_TOKEN", tokens[0])
    assert launcher.main(["upload", str(good_zip(tmp_path)), "--server", url]) == 0
    assert "org.yuedu.idioms.chain" in capsys.readouterr().out


def test_preview_png_is_rendered_by_a_bounded_subprocess(app, tmp_path):
    from server.portal.preview import preview_version
    from server.portal.store import version_row

    curator = signed_in(app, "curator")
    version_id = _version_id(upload(curator, good_zip(tmp_path)))
    store = app.extensions["yuedu_portal_store"]
    assert preview_version(engine_of(app), store, version_id, timeout=90) is True
    png = curator.get(f"/portal/versions/{version_id}/preview.png")
    assert png.status_code == 200 and png.data.startswith(b"\x89PNG")
    image = Image.open(io.BytesIO(png.data))
    assert image.size == (960, 540) and image.convert("L").getextrema()[1] - image.convert("L").getextrema()[0] > 40  # not blank
    assert version_row(engine_of(app), version_id)["preview_state"] == "ready"
    assert f"/portal/versions/{version_id}/preview.png" in curator.get(f"/portal/versions/{version_id}").get_data(as_text=True)


def test_package_uploads_may_exceed_the_service_wide_body_limit(tmp_path):
    app = make_app(tmp_path, MAX_CONTENT_LENGTH=4096)  # the xAPI limit stays small
    curator = signed_in(app, "curator")
    assert upload(curator, good_zip(tmp_path)).status_code == 302
    headers, _key, _secret = kiosk_auth(app)
    big = app.test_client().post("/xapi/statements", data=b"[" + b" " * 8000 + b"]", headers={
        **headers, "X-Experience-API-Version": "1.0.3", "Content-Type": "application/json"})
    assert big.status_code == 413


def test_a_kiosks_first_requests_may_race(app):
    from concurrent.futures import ThreadPoolExecutor

    headers, key, _ = kiosk_auth(app, "racer")

    def first_contact(_):
        return publishing.kiosk_row(engine_of(app), key, "racer")["credential_key"]

    with ThreadPoolExecutor(4) as pool:
        assert set(pool.map(first_contact, range(8))) == {key}
    assert [k["name"] for k in publishing.list_kiosks(engine_of(app))] == ["racer"]
