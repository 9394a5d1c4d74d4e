"""A curator's typical mistakes, checked the way a curator meets them: `launcher.py validate` as a real process.

Each package is a small recitation package written here (no ../shared needed); one mistake each.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
from PIL import Image

from tests.conftest import REPO_ROOT

MANIFEST = """format = 1
id = "org.example.mylib.poems"
version = "0.1.0"
kind = "recitation"
engine = ">=0.1"
language = "zh-CN"
age_bands = ["6-8"]
cover = "cover.png"

[title]
zh-CN = "我馆的诗"
en = "Our poems"

[[credits]]
name = "本馆"
role = "poem texts"
license = "CC0-1.0"
license_file = "LICENSE.txt"
source = "https://example.org"

[content]
poems = "poems.json"
"""
POEMS = [{"id": "jingyesi", "title": "静夜思", "author": "李白", "dynasty": "唐",
          "paragraphs": ["床前明月光，疑是地上霜。", "举头望明月，低头思故乡。"]}]


def write_package(folder):
    folder.mkdir(parents=True)
    (folder / "experience.toml").write_text(MANIFEST, encoding="utf-8")
    (folder / "LICENSE.txt").write_text("CC0", encoding="utf-8")
    (folder / "poems.json").write_text(json.dumps(POEMS, ensure_ascii=False), encoding="utf-8")
    Image.new("RGB", (64, 64), (200, 60, 40)).save(folder / "cover.png")
    return folder


def run(*args, data_dir):
    env = dict(os.environ, YUEDU_DATA_DIR=str(data_dir), SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy")
    return subprocess.run([sys.executable, str(REPO_ROOT / "launcher.py"), *args], capture_output=True, text=True,
                          env=env, cwd=REPO_ROOT, timeout=120)


def problems(folder, data_dir):
    done = run("validate", str(folder), "--json", data_dir=data_dir)
    assert "Traceback" not in done.stderr
    report = json.loads(done.stdout)
    return done.returncode, [(p["code"], p["file"]) for p in report["problems"]], report


def test_poems_saved_by_notepad_with_a_bom_validate_and_play(tmp_path, data_dir):
    """Windows Notepad's "UTF-8" starts the file with a BOM: the validator accepted it, the booth must read it."""
    folder = write_package(tmp_path / "bom")
    text = (folder / "poems.json").read_bytes()
    (folder / "poems.json").write_bytes(b"\xef\xbb\xbf" + text)
    code, found, _ = problems(folder, data_dir)
    assert (code, found) == (0, [])
    played = run("play", str(folder), "--headless", "--frames", "20", data_dir=data_dir)
    assert played.returncode == 0, played.stderr[-2000:]
    assert "Traceback" not in played.stderr


def test_broken_json_and_wrong_encoding_are_each_said_once_with_where_and_how(tmp_path, data_dir):
    broken = write_package(tmp_path / "broken")
    (broken / "poems.json").write_text('[{"id": "a", "title": "x",]', encoding="utf-8")
    code, found, report = problems(broken, data_dir)
    assert code == 1
    assert found == [("json_invalid", "poems.json")]  # once, with line and column (not also the kind's words)
    assert report["problems"][0]["params"]["line"] == 1 and report["problems"][0]["params"]["column"] == 27
    gbk = write_package(tmp_path / "gbk")
    (gbk / "poems.json").write_bytes(json.dumps(POEMS, ensure_ascii=False).encode("gbk"))
    code, found, _ = problems(gbk, data_dir)
    assert (code, found) == (1, [("text_not_utf8", "poems.json")])


def test_an_image_that_is_not_what_its_name_says(tmp_path, data_dir):
    """A TIFF saved as cover.png: kiosks' covers and the portal's pages in browsers would show nothing."""
    folder = write_package(tmp_path / "tiff")
    Image.new("RGB", (64, 64), (10, 20, 30)).save(folder / "cover.png", format="TIFF")
    code, found, report = problems(folder, data_dir)
    assert (code, found) == (1, [("image_format_unusable", "cover.png")])
    assert report["problems"][0]["params"]["format"] == "TIFF"
    en = run("validate", str(folder), "--lang", "en", data_dir=data_dir).stdout
    assert "really a TIFF image" in en and "cover.png" in en
    zh = run("validate", str(folder), data_dir=data_dir).stdout
    assert "TIFF 格式" in zh
    # a JPEG or GIF under a .png name is still shown by pygame and browsers alike: accepted
    Image.new("RGB", (64, 64), (10, 20, 30)).save(folder / "cover.png", format="JPEG")
    assert problems(folder, data_dir)[:2] == (0, [])


def test_a_truncated_glb_is_said_once(tmp_path, data_dir):
    folder = tmp_path / "ding"
    shutil.copytree(REPO_ROOT / "content" / "exhibit-treasure", folder)
    model = folder / "ding.glb"
    model.write_bytes(model.read_bytes()[:5000])
    code, found, _ = problems(folder, data_dir)
    assert code == 1
    assert [file for _, file in found] == ["ding.glb"], found
