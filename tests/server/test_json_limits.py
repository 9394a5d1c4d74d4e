"""One JSON reader with depth and size limits for every endpoint outside /xapi (issue 15, finding 6): deep or
oversized JSON in share uploads, heartbeats and the idiom builder is a 400 with a reason, never a 500."""
from __future__ import annotations

import io
import json

import numpy as np
import pytest
import soundfile

from tests.server.portal_helpers import engine_of, kiosk_auth, make_app, signed_in

DEEP = "[" * 20_000 + "]" * 20_000  # 40 KB: under the size limits, far past any depth


def _ogg() -> bytes:
    buffer = io.BytesIO()
    soundfile.write(buffer, np.zeros(8000, dtype="float32"), 16000, format="OGG", subtype="VORBIS")
    return buffer.getvalue()


@pytest.fixture
def app(tmp_path):
    app = make_app(tmp_path)
    yield app
    engine_of(app).dispose()


def test_the_reader_names_what_is_wrong():
    from server.jsonbody import JSONBodyError, read_json

    assert read_json(b'{"a": [1, {"b": "[[["}]}', "meta") == {"a": [1, {"b": "[[["}]}
    for text, reason in ((DEEP, "nested more than"), ("[" * 40 + "]" * 40, "nested more than"),
                         ('{"a": ' + '"x"' * 1 + "}" + " " * 70_000, "larger than"), ("{", "not valid JSON"),
                         (b"\xff\xfe", "not UTF-8"), ('{"a": NaN}', "not valid JSON")):
        with pytest.raises(JSONBodyError, match=reason):
            read_json(text, "meta", max_bytes=64 * 1024)


def test_deep_share_meta_is_a_400(app):
    headers, _, _ = kiosk_auth(app)
    client = app.test_client()
    for meta in (DEEP, '{"token": "%s", "delete_code": "123456", "scores": %s}' % ("T" * 30, DEEP)):
        response = client.post("/s/api/upload", headers=headers,
                               data={"meta": meta, "audio": (io.BytesIO(_ogg()), "a.ogg")})
        assert response.status_code == 400 and "nested" in response.get_json()["error"]


def test_deep_or_huge_heartbeats_are_a_400_and_the_kiosk_page_still_opens(app):
    headers, _, _ = kiosk_auth(app)
    client = app.test_client()
    deep = client.post("/portal/api/kiosk/heartbeat", headers=headers, data=DEEP, content_type="application/json")
    assert deep.status_code == 400 and "nested" in deep.get_json()["error"]
    health = {f"check-{n}": "ok " * 10 for n in range(800)}  # ~30 KB: allowed, and stored whole
    ok = client.post("/portal/api/kiosk/heartbeat", headers=headers, json={"content": {}, "health": health})
    assert ok.status_code == 200
    admin = signed_in(app, "admin", "adm")
    assert admin.get("/portal/admin/kiosks").status_code == 200
    huge = {"content": {}, "health": {f"check-{n}": "x" * 100 for n in range(2000)}}
    too_big = client.post("/portal/api/kiosk/heartbeat", headers=headers, json=huge)
    assert too_big.status_code == 400 and "larger than" in too_big.get_json()["error"]


def test_deep_json_in_the_idiom_builder_is_a_field_error(app):
    curator = signed_in(app, "curator", "cur")
    page = curator.post("/portal/build/idioms", {"idioms": DEEP, "rounds": "8", "package_id": "x"},
                        page="/portal/build/idioms")
    assert page.status_code == 422 and "nested" in page.get_data(as_text=True)
