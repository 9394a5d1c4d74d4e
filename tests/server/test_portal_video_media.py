"""The portal's 视频背景与音乐 page (issue #18) with a browser-like client: every problem next to its field in
中文 (wrong type, a file that does not decode, nothing to change), nothing stored then; a picture for one poem, music
as the package default, then clearing them: each a new patch version that validates, holds only the files it names,
and goes live only where the old version was when asked. Also the manifest editing underneath."""
from __future__ import annotations

import io
import json
import zipfile

import numpy as np
import pytest
import soundfile
from PIL import Image

from experiences.validation import pack_package
from server.portal.publish import list_publications, publish
from server.portal.store import list_versions
from server.portal.video_art import EditError, next_version, set_manifest_value
from tests.recitation.test_video_media import package
from tests.server.portal_helpers import Clock, engine_of, make_app, signed_in

PAGE = "/portal/versions/{}/video"


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (720, 1280), (200, 60, 40)).save(out, "PNG")
    return out.getvalue()


def mp3() -> bytes:
    t = np.arange(44100 * 2) / 44100
    out = io.BytesIO()
    soundfile.write(out, (0.3 * np.sin(2 * np.pi * 440 * t)).astype("float32"), 44100, format="MP3")
    return out.getvalue()


@pytest.fixture
def portal(tmp_path):
    app = make_app(tmp_path / "server", Clock())
    store = app.extensions["yuedu_portal_store"]
    zip_path = store.incoming("small.zip")
    assert pack_package(package(tmp_path / "small"), zip_path).ok
    version_id = store.ingest(zip_path, "setup").version_id
    curator = signed_in(app, "curator")
    return app, curator, version_id


def stored_zip(app, version_id: int) -> zipfile.ZipFile:
    [row] = [r for r in list_versions(engine_of(app)) if r["id"] == version_id]
    return zipfile.ZipFile(app.extensions["yuedu_portal_store"].path_of(row["sha256"]))


def post(curator, version_id: int, data: dict):
    return curator.post(PAGE.format(version_id), data, page=PAGE.format(version_id),
                        content_type="multipart/form-data")


def test_problems_are_shown_beside_their_field_and_nothing_is_stored(portal):
    app, curator, version_id = portal
    page = post(curator, version_id, {"poem": "jingyesi", "background": (io.BytesIO(b"GIF89a"), "moon.gif")})
    assert page.status_code == 422
    html = page.get_data(as_text=True)
    assert 'id="background-error"' in html and "格式（.gif）不能用，只能用 PNG、JPG、JPEG、WEBP" in html
    page = post(curator, version_id, {"poem": "jingyesi", "background": (io.BytesIO(png()[:400]), "moon.png")})
    html = page.get_data(as_text=True)
    assert page.status_code == 422 and 'id="background-error"' in html and "打不开" in html and "改正" not in html
    page = post(curator, version_id, {"poem": "jingyesi", "music": (io.BytesIO(b"ID3" + b"\0" * 300), "song.mp3")})
    html = page.get_data(as_text=True)
    assert page.status_code == 422 and 'id="music-error"' in html and "无法播放" in html
    page = post(curator, version_id, {"poem": "jingyesi"})
    assert page.status_code == 422 and "没有要改的内容" in page.get_data(as_text=True)
    assert len(list_versions(engine_of(app))) == 1


def test_set_then_clear_makes_new_versions_published_where_the_old_one_was(portal):
    app, curator, version_id = portal
    engine = engine_of(app)
    publish(engine, version_id, "branch", "east", by="setup")
    page = post(curator, version_id, {"poem": "jingyesi", "background": (io.BytesIO(png()), "Moon Night.PNG"),
                                      "publish_same": "on"})
    assert page.status_code == 302, page.get_data(as_text=True)
    [second] = [r for r in list_versions(engine) if r["version"] == "1.0.1"]
    live = [(p["version_id"], p["target_type"], p["target"]) for p in list_publications(engine)]
    assert live == [(second["id"], "branch", "east")]
    with stored_zip(app, second["id"]) as zf:
        poems = json.loads(zf.read("poems.json"))
        assert poems[0]["video_background"] == "video/poem-jingyesi-background.png" and "video_background" not in poems[1]
        assert Image.open(io.BytesIO(zf.read("video/poem-jingyesi-background.png"))).size == (720, 1280)

    # Music for every poem (the package's default), not published this time.
    page = post(curator, second["id"], {"poem": "", "music": (io.BytesIO(mp3()), "guqin.mp3")})
    assert page.status_code == 302
    [third] = [r for r in list_versions(engine) if r["version"] == "1.0.2"]
    assert [p["version_id"] for p in list_publications(engine)] == [second["id"]]
    with stored_zip(app, third["id"]) as zf:
        assert 'video_music = "video/package-music.mp3"' in zf.read("experience.toml").decode()
        assert 'version = "1.0.2"' in zf.read("experience.toml").decode()

    # Cleared again: the picture leaves the package with its reference.
    page = post(curator, third["id"], {"poem": "jingyesi", "clear_background": "on"})
    assert page.status_code == 302
    [fourth] = [r for r in list_versions(engine) if r["version"] == "1.0.3"]
    with stored_zip(app, fourth["id"]) as zf:
        assert "video_background" not in json.loads(zf.read("poems.json"))[0]
        assert "video/poem-jingyesi-background.png" not in zf.namelist()
        assert "video/package-music.mp3" in zf.namelist()
    listing = curator.get(PAGE.format(fourth["id"])).get_data(as_text=True)
    assert "video/package-music.mp3" in listing and "自动生成的水墨山水" in listing


def test_only_recitation_packages_have_the_page(tmp_path):
    from tests.server.portal_helpers import good_zip, upload

    app = make_app(tmp_path / "server", Clock())
    curator = signed_in(app, "curator")
    assert upload(curator, good_zip(tmp_path)).status_code == 302
    [row] = list_versions(engine_of(app))
    assert curator.get(PAGE.format(row["id"])).status_code == 302
    assert "还没有朗诵亭内容包" in curator.get("/portal/video").get_data(as_text=True)


def test_versions_and_manifest_edits():
    assert next_version("1.0.0", {"1.0.0"}) == "1.0.1"
    assert next_version("1.2.9", {"1.2.10", "1.2.11"}) == "1.2.12"
    with pytest.raises(EditError):
        next_version("1.0", set())
    text = 'id = "x"\nversion = "1.0.0"\n\n[content]\npoems = "poems.json"\n\n[[credits]]\nname = "a"\n'
    text = set_manifest_value(text, "content", "video_music", "video/package-music.mp3")
    text = set_manifest_value(text, None, "version", "1.0.1")
    assert text == ('id = "x"\nversion = "1.0.1"\n\n[content]\npoems = "poems.json"\n'
                    'video_music = "video/package-music.mp3"\n\n[[credits]]\nname = "a"\n')
    assert "video_music" not in set_manifest_value(text, "content", "video_music", None)
    with pytest.raises(EditError):  # a [content] written as an inline table: refused, never damaged
        set_manifest_value('id = "x"\ncontent = { poems = "p.json" }\n', "content", "video_music", "m.mp3")
