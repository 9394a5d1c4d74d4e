"""The family's video on the share page (issue #18): uploaded with the share from the kiosk's outbox (also when
it was still being made at share time), played inline in Debian chromium, Range requests answered with 206 and
the right bytes, removed with the share; an old share without video keeps its audio player."""
from __future__ import annotations

import re
import urllib.request

import numpy as np
import pytest
import soundfile

from experiences.config import KioskConfig
from experiences.share import ShareUploader, attach_video, queue_share
from recitation.video.frames import VideoCard
from recitation.video.make import make_video, poem_from_text
from tests.server.a11y_audit import chromium
from tests.server.portal_helpers import Clock, kiosk_auth, make_app, serving

POEM = "床前明月光"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("share-video")
    take = root / "take.wav"
    t = np.arange(int(2.0 * 16000)) / 16000
    soundfile.write(take, (0.3 * np.sin(2 * np.pi * 220 * t) * (np.sin(2 * np.pi * 2 * t) > 0)).astype("float32"),
                    16000)
    video = make_video(take, poem_from_text(POEM, "静夜思"), root / "take.mp4", VideoCard(nickname="小熊猫"),
                       char_times=[0.2, 0.5, 0.8, 1.1, 1.4]).path
    app = make_app(root / "server", Clock())
    config = KioskConfig()
    config.server.public_base_url = "https://read.lib.example.org"
    _headers, key, secret = kiosk_auth(app, "booth-video")
    with_video = queue_share(take, "jingyesi", {"overall": 90}, "小熊猫", config=config, poem_title="静夜思",
                             poem_text=POEM, outbox=root / "out", video=video)
    later = queue_share(take, "jingyesi", {"overall": 80}, config=config, poem_title="静夜思", poem_text=POEM,
                        outbox=root / "out", video="pending")
    audio_only = queue_share(take, "jingyesi", {"overall": 70}, config=config, poem_title="静夜思", poem_text=POEM,
                             outbox=root / "out")
    with serving(app) as url:
        uploader = ShareUploader(url, key, secret, outbox=root / "out")
        assert uploader.send_all() == 2  # the share whose video is still being made waits for it
        assert attach_video(later.token, video, root / "out")
        assert uploader.send_all() == 1
        yield app, url, video, with_video, later, audio_only


def test_range_requests_get_206_and_the_right_bytes(site):
    app, url, video, ticket, later, _ = site
    data = video.read_bytes()
    for token in (ticket.token, later.token):
        request = urllib.request.Request(f"{url}/s/{token}/video", headers={"Range": "bytes=100-1099"})
        with urllib.request.urlopen(request) as response:
            assert response.status == 206
            assert response.headers["Content-Type"] == "video/mp4"
            assert response.headers["Content-Range"] == f"bytes 100-1099/{len(data)}"
            assert response.headers["Accept-Ranges"] == "bytes"
            assert response.read() == data[100:1100]
        with urllib.request.urlopen(f"{url}/s/{token}/video") as whole:
            assert whole.status == 200 and whole.read() == data


def test_old_shares_without_video_keep_the_audio_player(site):
    app, url, _video, _ticket, _later, audio_only = site
    client = app.test_client()
    page = client.get(f"/s/{audio_only.token}").get_data(as_text=True)
    assert "<audio" in page and "<video" not in page
    assert client.get(f"/s/{audio_only.token}/video").status_code == 404


def test_wechat_gets_a_plain_hint(site):
    app, _url, _video, ticket, _later, _ = site
    page = app.test_client().get(f"/s/{ticket.token}", headers={
        "User-Agent": "Mozilla/5.0 (iPhone) MicroMessenger/8.0.50"}).get_data(as_text=True)
    assert 'class="hint wechat"' in page and "长按视频保存" in page and "在浏览器中打开" in page


def test_the_share_page_plays_the_video_in_chromium(site):
    _app, url, _video, ticket, _later, _ = site
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.goto(f"{url}/s/{ticket.token}")
        video = page.locator("video#player")
        assert video.get_attribute("playsinline") is not None and video.get_attribute("poster")
        page.evaluate("() => { const v = document.querySelector('video'); v.muted = true; return v.play(); }")
        page.wait_for_function("() => document.querySelector('video').currentTime > 0.5", timeout=15000)
        size = page.evaluate("() => [document.querySelector('video').videoWidth, "
                             "document.querySelector('video').videoHeight]")
        assert size == [720, 1280]
        poster = page.request.get(f"{url}/s/{ticket.token}/poster.jpg")
        assert poster.status == 200 and poster.headers["content-type"] == "image/jpeg"


def test_deleting_the_share_removes_its_video(tmp_path):
    take = tmp_path / "take.wav"
    soundfile.write(take, np.zeros(8000, dtype="float32"), 16000)
    video = make_video(take, poem_from_text("床前"), tmp_path / "v.mp4", char_times=[0.1, 0.2]).path
    app = make_app(tmp_path / "server", Clock())
    config = KioskConfig()
    config.server.public_base_url = "https://read.lib.example.org"
    _h, key, secret = kiosk_auth(app, "booth-del")
    ticket = queue_share(take, "p", {}, config=config, outbox=tmp_path / "out", video=video)
    with serving(app) as url:
        assert ShareUploader(url, key, secret, outbox=tmp_path / "out").send_all() == 1
        client = app.test_client()
        assert client.get(f"/s/{ticket.token}/video").status_code == 200
        shares = tmp_path / "server" / "shares"
        assert (shares / f"{ticket.token}.mp4").exists()
        page = client.get(f"/s/{ticket.token}").get_data(as_text=True)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        done = client.post(f"/s/{ticket.token}/delete", data={"code": ticket.delete_code, "csrf_token": csrf})
        assert done.status_code == 200
        assert not (shares / f"{ticket.token}.mp4").exists() and not (shares / f"{ticket.token}.poster.jpg").exists()
