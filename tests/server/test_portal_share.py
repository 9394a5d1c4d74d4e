"""Families' share pages: queue_share at the kiosk (OGG/FLAC, QR, delete code), the durable upload queue,
the page (poem, scores, player, download), the delete code, expiry, and the kid-safe nickname list."""
from __future__ import annotations

import io
import json
import os
import re
import time
from datetime import timedelta

import numpy as np
import pytest
import soundfile
from PIL import Image

from experiences.config import KioskConfig
from experiences.share import NICKNAMES, ShareError, ShareUploader, queue_share
from tests.server.portal_helpers import Clock, engine_of, kiosk_auth, make_app, serving

POEM_TEXT = "床前明月光，\n疑是地上霜。"


def visible(html: str) -> str:
    """The page's words as read, pinyin (<rt>), scripts and tags left out."""
    html = re.sub(r"<(rt|script|style)\b.*?</\1>", "", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


@pytest.fixture
def take(tmp_path):
    path = tmp_path / "take.wav"
    t = np.arange(16000) / 16000
    soundfile.write(path, (0.3 * np.sin(2 * np.pi * 220 * t)).astype("float32"), 16000)
    return path


def _config(base: str = "https://read.lib.example.org") -> KioskConfig:
    config = KioskConfig()
    config.server.public_base_url = base
    return config


@pytest.fixture
def portal(tmp_path):
    clock = Clock()
    app = make_app(tmp_path / "server", clock)
    with serving(app) as url:
        yield app, url, clock


def test_queue_share_gives_link_code_and_qr_without_network(take, tmp_path):
    ticket = queue_share(take, "jingyesi", {"total": 87}, "小熊猫", config=_config(), poem_title="静夜思",
                         audio_format="flac", outbox=tmp_path / "out")
    assert re.fullmatch(r"https://read\.lib\.example\.org/s/[A-Za-z0-9_-]{30,}", ticket.url)
    assert len(ticket.token) * 6 >= 128 and re.fullmatch(r"\d{6}", ticket.delete_code)
    qr = Image.open(io.BytesIO(ticket.qr_png))
    assert qr.format == "PNG" and qr.size[0] == qr.size[1] >= 200
    queued = tmp_path / "out" / ticket.token
    assert soundfile.info(str(queued / "audio.flac")).format == "FLAC"
    assert "小熊猫" in (queued / "meta.json").read_text(encoding="utf-8")


@pytest.mark.parametrize("base", ["", "http://127.0.0.1:8400", "http://localhost"])
def test_no_share_without_a_public_address(take, tmp_path, base):
    with pytest.raises(ShareError):
        queue_share(take, "p", {}, config=_config(base), outbox=tmp_path / "out")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_typed_nicknames_are_refused(take, tmp_path):
    with pytest.raises(ShareError):
        queue_share(take, "p", {}, "Tom Smith", config=_config(), outbox=tmp_path / "out")


def test_share_page_player_download_and_delete_code(portal, take, tmp_path):
    app, url, _clock = portal
    _headers, key, secret = kiosk_auth(app)
    outbox = tmp_path / "out"
    ticket = queue_share(take, "jingyesi", {"total": 87, "rhythm": 90}, NICKNAMES[0], config=_config(),
                         poem_title="静夜思", poem_text=POEM_TEXT, outbox=outbox)
    uploader = ShareUploader(url, key, secret, outbox=outbox)
    assert uploader.send_all() == 1 and uploader.pending() == []
    client = app.test_client()
    page = client.get(f"/s/{ticket.token}")
    html = page.get_data(as_text=True)
    text = visible(html)
    assert page.status_code == 200 and "静夜思" in text and "疑是地上霜" in text and "87" in text and "节奏" in text
    assert "<rt>shuāng</rt>" in html  # the poem carries its pinyin
    assert "<audio id=\"player\" controls" in html and NICKNAMES[0] in html
    assert page.headers["Referrer-Policy"] == "same-origin"
    audio = client.get(f"/s/{ticket.token}/audio")
    assert audio.mimetype == "audio/ogg" and soundfile.info(io.BytesIO(audio.data)).format == "OGG"
    download = client.get(f"/s/{ticket.token}/audio?download=1")
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.headers["X-Content-Type-Options"] == "nosniff"

    token_page = client.get(f"/s/{ticket.token}").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', token_page).group(1)
    wrong = "000000" if ticket.delete_code != "000000" else "111111"
    refused = client.post(f"/s/{ticket.token}/delete", data={"code": wrong, "csrf_token": csrf})
    assert refused.status_code == 403 and 'aria-describedby="code-error"' in refused.get_data(as_text=True)
    done = client.post(f"/s/{ticket.token}/delete", data={"code": ticket.delete_code, "csrf_token": csrf})
    assert done.status_code == 200
    assert client.get(f"/s/{ticket.token}").status_code == 404
    assert list((tmp_path / "server" / "shares").iterdir()) == []


def test_share_page_shows_accuracy_and_a_mark_under_every_character(portal, take, tmp_path):
    """Issue #14: the booth's per-character marks (said well / unclear / not heard) by shape and words."""
    app, url, _clock = portal
    _headers, key, secret = kiosk_auth(app)
    outbox = tmp_path / "out"
    scores = {"overall": 90, "accuracy": 85, "completeness": 100, "marks": "ggmgg|gguug"}
    ticket = queue_share(take, "jingyesi", scores, config=_config(), poem_title="静夜思", poem_text=POEM_TEXT,
                         outbox=outbox)
    assert ShareUploader(url, key, secret, outbox=outbox).send_all() == 1
    html = app.test_client().get(f"/s/{ticket.token}").get_data(as_text=True)
    assert "准确" in html and "85" in html and "完整" in html and "_marks" not in html
    assert html.count('class="cell mark-g"') == 7 and html.count('class="cell mark-u"') == 2
    assert html.count('class="cell mark-m"') == 1
    assert '<ruby>明<rt>míng</rt></ruby><span class="shape" aria-hidden="true">✕</span>' in html
    assert "（没听到）" in html and "读对了" in html  # words for screen readers and a legend


def test_marks_that_do_not_fit_the_poem_are_not_drawn(portal, take, tmp_path):
    app, url, _clock = portal
    _headers, key, secret = kiosk_auth(app)
    outbox = tmp_path / "out"
    ticket = queue_share(take, "jingyesi", {"overall": 90, "marks": "ggg"}, config=_config(), poem_title="静夜思",
                         poem_text=POEM_TEXT, outbox=outbox)
    assert ShareUploader(url, key, secret, outbox=outbox).send_all() == 1
    html = app.test_client().get(f"/s/{ticket.token}").get_data(as_text=True)
    assert 'mark-' not in html.split('class="poem"')[1].split("</div>")[0] and "疑是地上霜" in visible(html)


def test_shares_expire_and_are_purged(portal, take, tmp_path):
    app, url, clock = portal
    _headers, key, secret = kiosk_auth(app)
    outbox = tmp_path / "out"
    old = queue_share(take, "p1", {}, config=_config(), outbox=outbox)
    ShareUploader(url, key, secret, outbox=outbox).send_all()
    client = app.test_client()
    clock.now += timedelta(days=29)
    assert client.get(f"/s/{old.token}").status_code == 200
    clock.now += timedelta(days=2)
    expired = client.get(f"/s/{old.token}")
    assert expired.status_code == 410 and "这段朗诵已经过期啦" in visible(expired.get_data(as_text=True))
    queue_share(take, "p2", {}, config=_config(), outbox=outbox)
    ShareUploader(url, key, secret, outbox=outbox).send_all()  # uploads purge what has expired
    assert not (tmp_path / "server" / "shares" / f"{old.token}.ogg").exists()
    gone = client.get(f"/s/{old.token}")  # purged: the server no longer knows the link
    assert gone.status_code == 404 and "没有找到这段朗诵" in visible(gone.get_data(as_text=True))


@pytest.mark.parametrize("path", ["/s/not-a-token", "/s/" + "A" * 30, "/s/" + "A" * 30 + "/audio", "/s/a/b/c"])
def test_unknown_share_links_get_the_families_page_in_chinese(portal, path):
    app, _url, _clock = portal
    page = app.test_client().get(path, headers={"Accept-Language": "en-US,en;q=0.9"})
    html = page.get_data(as_text=True)
    assert page.status_code == 404 and "没有找到这段朗诵" in visible(html) and "再读一首" in visible(html)
    assert "Not Found" not in html and "馆员门户" not in html and 'lang="zh-CN"' in html
    english = app.test_client().get(path + "?lang=en").get_data(as_text=True)
    assert "Recitation not found" in english and 'lang="en"' in english
    assert app.test_client().get("/xapi/nothing-here").status_code == 404  # other areas keep their own 404


def test_queue_survives_an_unreachable_server(take, tmp_path):
    outbox = tmp_path / "out"
    ticket = queue_share(take, "p", {}, config=_config(), outbox=outbox)
    assert ShareUploader("http://127.0.0.1:9", "k", "s", outbox=outbox, timeout=2).send_all() == 0
    assert [p.name for p in ShareUploader("http://x", "k", "s", outbox=outbox).pending()] == [ticket.token]


def test_server_refuses_unknown_nicknames_and_non_audio(portal, take, tmp_path):
    app, url, _clock = portal
    headers, _key, _secret = kiosk_auth(app)
    client = app.test_client()
    meta = '{"token": "%s", "delete_code": "123456", "poem_id": "p", "nickname": "%s"}'
    bad_name = client.post("/s/api/upload", headers=headers, data={
        "meta": meta % ("a" * 30, "Tom"), "audio": (io.BytesIO(take.read_bytes()), "a.ogg")})
    assert bad_name.status_code == 400
    html = client.post("/s/api/upload", headers=headers, data={
        "meta": meta % ("b" * 30, ""), "audio": (io.BytesIO(b"<html>hi</html>"), "a.ogg")})
    assert html.status_code == 400
    wav = client.post("/s/api/upload", headers=headers, data={
        "meta": meta % ("c" * 30, ""), "audio": (io.BytesIO(take.read_bytes()), "a.ogg")})
    assert wav.status_code == 400  # WAV is neither FLAC nor OGG


def test_guessing_delete_codes_is_cut_off(portal, take, tmp_path):
    app, url, clock = portal
    _headers, key, secret = kiosk_auth(app)
    ticket = queue_share(take, "p", {}, config=_config(), outbox=tmp_path / "out")
    ShareUploader(url, key, secret, outbox=tmp_path / "out").send_all()
    client = app.test_client()
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get(f"/s/{ticket.token}").get_data(as_text=True))
    codes = [f"{n:06d}" for n in range(12) if f"{n:06d}" != ticket.delete_code][:10]
    for code in codes:
        assert client.post(f"/s/{ticket.token}/delete", data={"code": code, "csrf_token": csrf.group(1)}).status_code == 403
    last = client.post(f"/s/{ticket.token}/delete", data={"code": ticket.delete_code, "csrf_token": csrf.group(1)})
    assert last.status_code == 429 and client.get(f"/s/{ticket.token}").status_code == 200
    # Another server process (another app on the same database) counts the same guesses.
    other = make_app(tmp_path / "server", clock).test_client()
    page = other.get(f"/s/{ticket.token}").get_data(as_text=True)
    other_csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    again = other.post(f"/s/{ticket.token}/delete", data={"code": ticket.delete_code, "csrf_token": other_csrf})
    assert again.status_code == 429
    # A stranger's guesses lock the family out for an hour, not for good.
    clock.now += timedelta(minutes=61)
    done = client.post(f"/s/{ticket.token}/delete", data={"code": ticket.delete_code, "csrf_token": csrf.group(1)})
    assert done.status_code == 200 and client.get(f"/s/{ticket.token}").status_code == 404


def test_a_library_may_choose_a_shorter_expiry(portal, take, tmp_path):
    app, url, clock = portal
    _headers, key, secret = kiosk_auth(app)
    ticket = queue_share(take, "p", {}, config=_config(), days=7, outbox=tmp_path / "out")
    ShareUploader(url, key, secret, outbox=tmp_path / "out").send_all()
    client = app.test_client()
    clock.now += timedelta(days=6)
    assert client.get(f"/s/{ticket.token}").status_code == 200
    clock.now += timedelta(days=2)
    assert client.get(f"/s/{ticket.token}").status_code == 410


def test_kiosk_copies_that_never_uploaded_expire_as_the_consent_screen_promised(take, tmp_path):
    outbox = tmp_path / "out"
    fresh = queue_share(take, "p", {}, config=_config(), outbox=outbox)
    old = queue_share(take, "p", {}, config=_config(), outbox=outbox)
    stale_staging = outbox / ".crashed.partial"
    stale_staging.mkdir()
    now = time.time()
    eight_days_ago = now - 8 * 86400
    os.utime(outbox / old.token, (eight_days_ago, eight_days_ago))
    os.utime(stale_staging, (now - 7200, now - 7200))
    uploader = ShareUploader("http://127.0.0.1:9", "k", "s", outbox=outbox, timeout=2, keep_days=7, clock=lambda: now)
    assert uploader.expire() == 2
    assert sorted(p.name for p in outbox.iterdir()) == [fresh.token]


def test_share_page_speaks_the_kiosks_language_not_the_phones(portal, take, tmp_path):
    """A phone set to English still gets the Chinese page of a Chinese booth; a booth running in English (meta
    "lang": "en") gets an English page; ?lang= switches either way."""
    app, _url, _clock = portal
    headers, _key, _secret = kiosk_auth(app)
    ogg = tmp_path / "take.ogg"
    data, rate = soundfile.read(take)
    soundfile.write(ogg, data, rate, format="OGG", subtype="VORBIS")
    client = app.test_client()
    for token, lang in (("z" * 30, None), ("e" * 30, "en")):
        meta = {"token": token, "delete_code": "123456", "poem_id": "xx-jingyesi", "poem_title": "静夜思",
                "poem_text": "床前明月光，疑是地上霜。\n举头望明月，低头思故乡。", "scores": {"overall": 92, "tones": 80}}
        if lang:
            meta["lang"] = lang
        stored = client.post("/s/api/upload", headers=headers, data={
            "meta": json.dumps(meta, ensure_ascii=False), "audio": (io.BytesIO(ogg.read_bytes()), "a.ogg")})
        assert stored.status_code == 201, stored.get_data(as_text=True)
    english_phone = {"Accept-Language": "en-US,en;q=0.9"}
    chinese = client.get("/s/" + "z" * 30, headers=english_phone).get_data(as_text=True)
    text = visible(chinese)
    assert 'lang="zh-CN"' in chinese and "声调" in text and "再读一首" in text and "〔唐〕李白" in text
    assert "English" not in text and "overall" not in text and "tones" not in text
    assert "<rt>chuáng</rt>" in chinese  # the bundled poem's reviewed pinyin
    english = client.get("/s/" + "e" * 30).get_data(as_text=True)
    assert 'lang="en"' in english and "Read another" in visible(english) and "中文" in visible(english)
    assert 'lang="en"' in client.get("/s/" + "z" * 30 + "?lang=en").get_data(as_text=True)
