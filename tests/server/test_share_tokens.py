"""Share tokens the server verifies (issue 15, finding 8): an upgraded kiosk's token is an HMAC of its secret and
an upload id, checked on upload, so a kiosk cannot choose it; kiosks not yet upgraded keep working, and a
re-upload says nothing about tokens that exist."""
from __future__ import annotations

import io
import json
from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest
import soundfile

from experiences.config import KioskConfig
from experiences.share import queue_share
from tests.server.portal_helpers import Clock, kiosk_auth, make_app

BASE = "https://read.lib.example.org"


@pytest.fixture
def take(tmp_path):
    path = tmp_path / "take.wav"
    soundfile.write(path, (0.2 * np.sin(np.arange(8000) / 8)).astype("float32"), 16000)
    return path


@pytest.fixture
def portal(tmp_path):
    clock = Clock()
    app = make_app(tmp_path / "server", clock)
    yield app, clock
    app.extensions["yuedu"].engine.dispose()


def _config(key: str, secret: str) -> KioskConfig:
    config = KioskConfig()
    config.server.public_base_url = BASE
    config.server.key, config.server.secret = key, secret
    return config


def _queued(outbox: Path, token: str) -> tuple[dict, bytes]:
    meta = json.loads((outbox / token / "meta.json").read_text(encoding="utf-8"))
    return meta, (outbox / token / meta["audio"]).read_bytes()


def _post(app, headers: dict, meta: dict, audio: bytes):
    return app.test_client().post("/s/api/upload", headers=headers, data={
        "meta": json.dumps(meta), "audio": (io.BytesIO(audio), "a.ogg")}, content_type="multipart/form-data")


def test_an_upgraded_kiosk_cannot_choose_its_tokens(portal, take, tmp_path):
    app, clock = portal
    headers, key, secret = kiosk_auth(app, "booth-1")
    ticket = queue_share(take, "p", {}, config=_config(key, secret), outbox=tmp_path / "out")
    meta, audio = _queued(tmp_path / "out", ticket.token)
    assert _post(app, headers, meta, audio).status_code == 201
    assert app.test_client().get(f"/s/{ticket.token}").status_code == 200
    # A token that is not the HMAC of this kiosk's secret and the upload id is refused.
    forged = dict(meta, token="a" * 43)
    assert _post(app, headers, forged, audio).status_code == 400
    other_headers, other_key, other_secret = kiosk_auth(app, "booth-2")
    theirs = queue_share(take, "p", {}, config=_config(other_key, other_secret), outbox=tmp_path / "out2")
    their_meta, _ = _queued(tmp_path / "out2", theirs.token)
    assert _post(app, headers, their_meta, audio).status_code == 400  # made with booth-2's secret
    # Once the kiosk's queue of shares from before its upgrade is past its 7 days, an unsigned token from it
    # is a token it chose itself: refused, and never served.
    clock.now += timedelta(days=8)
    chosen = {"token": "aaaaaaaaaaaaaaaaaaaaaa", "delete_code": "123456", "poem_id": "p", "audio": "audio.ogg"}
    refused = _post(app, headers, chosen, audio)
    assert refused.status_code == 400, refused.get_data(as_text=True)
    assert app.test_client().get("/s/aaaaaaaaaaaaaaaaaaaaaa").status_code == 404


def test_a_reupload_says_nothing_about_other_tokens(portal, take, tmp_path):
    app, _clock = portal
    headers, key, secret = kiosk_auth(app, "booth-1")
    ticket = queue_share(take, "jingyesi", {}, config=_config(key, secret), poem_title="静夜思",
                         outbox=tmp_path / "out")
    meta, audio = _queued(tmp_path / "out", ticket.token)
    assert _post(app, headers, meta, audio).status_code == 201
    # Another (not yet upgraded) kiosk sends booth-1's token, and then a fresh token of its own: same answer.
    other, _, _ = kiosk_auth(app, "booth-2")
    stolen = _post(app, other, {"token": ticket.token, "delete_code": "000000", "poem_id": "x",
                                "poem_title": "冒名", "audio": "audio.ogg"}, audio)
    fresh = _post(app, other, {"token": "Zq3" * 10, "delete_code": "000000", "poem_id": "x", "audio": "audio.ogg"},
                  audio)
    assert (stolen.status_code, stolen.get_json()) == (fresh.status_code, fresh.get_json())
    page = app.test_client().get(f"/s/{ticket.token}").get_data(as_text=True)
    assert "静夜思" in page and "冒名" not in page  # booth-1's share is untouched
    # A retry of booth-1's own upload gets the same answer too.
    again = _post(app, headers, meta, audio)
    assert (again.status_code, again.get_json()) == (fresh.status_code, fresh.get_json())


def test_kiosks_not_yet_upgraded_keep_working_unless_the_library_ends_it(tmp_path, take):
    legacy = {"token": "L" * 30, "delete_code": "123456", "poem_id": "p", "audio": "audio.ogg"}
    audio = io.BytesIO()
    soundfile.write(audio, np.zeros(8000, dtype="float32"), 16000, format="OGG", subtype="VORBIS")
    app = make_app(tmp_path / "a", Clock())
    headers, _, _ = kiosk_auth(app)
    assert _post(app, headers, legacy, audio.getvalue()).status_code == 201
    strict = make_app(tmp_path / "b", Clock(), SHARE_ACCEPT_UNSIGNED=False)
    headers, _, _ = kiosk_auth(strict)
    assert _post(strict, headers, legacy, audio.getvalue()).status_code == 400


def test_an_english_kiosks_share_page_is_english_and_a_chinese_kiosks_chinese(portal, take, tmp_path):
    """The kiosk sends its own language with the share; the phone's never decides."""
    app, _clock = portal
    headers, key, secret = kiosk_auth(app, "booth-1")
    pages = {}
    for language in ("en", "zh-CN"):
        config = _config(key, secret)
        config.kiosk.language = language
        ticket = queue_share(take, "jingyesi", {}, config=config, poem_title="静夜思", outbox=tmp_path / language)
        meta, audio = _queued(tmp_path / language, ticket.token)
        assert meta["lang"] == language
        assert _post(app, headers, meta, audio).status_code == 201
        pages[language] = app.test_client().get(f"/s/{ticket.token}",
                                                headers={"Accept-Language": "en-US,en;q=0.9"}).get_data(as_text=True)
    assert 'lang="en"' in pages["en"] and 'lang="zh-CN"' in pages["zh-CN"]
