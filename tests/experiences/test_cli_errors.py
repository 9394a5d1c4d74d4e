"""Wrong input on the command line, as staff type it: `launcher.py` run as a real process each time.

Every mistake gives a line in 中文 and one in English, a non-zero exit and no traceback.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest

from tests.conftest import REPO_ROOT

HAN = "\u4e00"


def launcher(*args, data_dir, env=None, timeout=60):
    environment = dict(os.environ, YUEDU_DATA_DIR=str(data_dir), SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy")
    environment.update(env or {})
    for name, value in list(environment.items()):
        if value is None:
            del environment[name]
    return subprocess.run([sys.executable, str(REPO_ROOT / "launcher.py"), *args], capture_output=True, text=True,
                          env=environment, cwd=REPO_ROOT, timeout=timeout)


def assert_clear(done, code, *words):
    text = done.stdout + done.stderr
    assert done.returncode == code, text
    assert "Traceback" not in text, text
    assert any("\u4e00" <= ch <= "\u9fff" for ch in text), text  # Chinese …
    for word in words:  # … and the English words that say what is wrong
        assert word in text, (word, text)


@pytest.mark.parametrize("args, words", [
    (["list", "--bogus"], ["unrecognized arguments: --bogus", "不认识这些参数"]),
    (["users", "add", "bob", "--role", "king"], ["invalid choice: 'king'", "不能是 'king'"]),
    (["catalogue", "import"], ["the following arguments are required: source", "缺少必填的参数"]),
    (["serve", "--threads", "abc"], ["invalid int value: 'abc'", "整数"]),
    (["serve", "--port", "99999"], ["1 to 65535", "65535 之间"]),
    (["play", "x", "--size", "big"], ["WIDTHxHEIGHT", "宽x高"]),
])
def test_argument_mistakes_are_said_in_both_languages(args, words, data_dir):
    assert_clear(launcher(*args, data_dir=data_dir), 2, *words, "--help")


def test_no_display_says_how_to_run_in_both_languages(data_dir):
    done = launcher(data_dir=data_dir, env={"DISPLAY": None, "WAYLAND_DISPLAY": None, "SDL_VIDEODRIVER": None})
    assert_clear(done, 2, "No display available", "Xvfb")
    assert "没有可用的显示器" in done.stderr


def test_service_set_up_mistakes_are_one_clear_line(tmp_path, data_dir):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        assert_clear(launcher("serve", "--port", str(port), data_dir=data_dir), 1, "already in use", "端口已被占用")
    assert_clear(launcher("serve", "--db", "nonsense", "--port", "0", data_dir=data_dir), 1,
                 "database URL is not right")
    unreachable = launcher("kiosk-credentials", "add", "k", "--db", "postgresql://yuedu:s3cret@127.0.0.1:1/lrs",
                           data_dir=data_dir)
    assert_clear(unreachable, 1, "cannot reach the database", "连不上数据库")
    assert "s3cret" not in unreachable.stdout + unreachable.stderr
    assert_clear(launcher("backup", str(tmp_path / "no" / "such" / "out.gz"), data_dir=data_dir), 1,
                 "no such file or folder", "没有这个文件或文件夹")


def test_upload_mistakes_name_the_path_or_the_server(tmp_path, data_dir):
    missing = launcher("upload", str(tmp_path / "idioms-chian"), "--server", "http://127.0.0.1:9", "--token", "t",
                       data_dir=data_dir)
    assert_clear(missing, 1, "Upload failed: no such file or folder", "idioms-chian")
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]  # bound, not listening: refused
        refused = launcher("upload", str(REPO_ROOT / "content" / "idiom-chain"), "--server",
                           f"http://127.0.0.1:{port}", "--token", "t", data_dir=data_dir)
    assert_clear(refused, 1, "connection refused", f"127.0.0.1:{port}", "连接被拒绝")


def test_camera_test_on_a_missing_video_exits_1_without_a_traceback(tmp_path, data_dir):
    done = launcher("camera", "test", str(tmp_path / "nobody.mp4"), "--frames", "2", data_dir=data_dir)
    assert_clear(done, 1, "cannot open the camera")


def test_outbox_send_without_a_server_and_recite_score_mistakes(tmp_path, data_dir):
    assert_clear(launcher("outbox", "--send", data_dir=data_dir), 2, "sets no [server] url", "没有设置")
    empty = tmp_path / "empty.wav"
    import numpy as np
    import soundfile

    soundfile.write(empty, np.zeros(0, dtype="float32"), 16000)
    cases = [(["--text", "床前明月光", str(tmp_path / "nope.wav")], "no such recording"),
             (["--text", "床前明月光", str(empty)], "the recording is empty"),
             (["--text", "", str(empty)], "--text must be the poem's text")]
    for args, words in cases:
        assert_clear(launcher("recite", "score", "--no-content", *args, data_dir=data_dir), 2, words)
