"""Private data on disk (issue 15, finding 5): the database and its WAL/SHM, share recordings and the package store
are 0600 files in 0700 folders from creation, whatever the umask; an installation made before is fixed at start."""
from __future__ import annotations

import io
import json
import os
import re
import stat
import subprocess
import sys
import urllib.request
from pathlib import Path

import numpy as np
import soundfile

from tests.server.portal_helpers import REPO, good_zip, kiosk_auth, make_app, signed_in, upload


def _ogg() -> bytes:
    buffer = io.BytesIO()
    soundfile.write(buffer, np.zeros(8000, dtype="float32"), 16000, format="OGG", subtype="VORBIS")
    return buffer.getvalue()


def _open_modes(root: Path) -> list[str]:
    """Every folder under root not 0700 and every file not 0600, as 'path mode' lines."""
    wrong = []
    for path in [root, *sorted(root.rglob("*"))]:
        mode = stat.S_IMODE(path.lstat().st_mode)
        want = 0o700 if path.is_dir() else 0o600
        if mode != want:
            wrong.append(f"{path.relative_to(root.parent)} {mode:o}")
    return wrong


def _launcher(data_dir: Path, *args: str, **kwargs):
    env = dict(os.environ, YUEDU_DATA_DIR=str(data_dir))
    return subprocess.Popen([sys.executable, "launcher.py", *args], cwd=REPO, env=env, text=True,
                            preexec_fn=lambda: os.umask(0o022), **kwargs)


def _run(data_dir: Path, *args: str) -> str:
    process = _launcher(data_dir, *args, stdout=subprocess.PIPE)
    out, _ = process.communicate(timeout=120)
    assert process.returncode == 0, out
    return out


def _multipart(fields: dict[str, bytes]) -> tuple[bytes, str]:
    boundary = "harden-boundary"
    body = b""
    for name, value in fields.items():
        filename = '; filename="a.ogg"' if name == "audio" else ""
        body += f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"{filename}\r\n\r\n'.encode()
        body += value + b"\r\n"
    return body + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def test_serve_keeps_data_private_and_fixes_an_older_installation(tmp_path):
    data = tmp_path / "data"
    key, secret = _run(data, "kiosk-credentials", "add", "booth").strip().splitlines()[-1].split(":", 1)
    server = data / "server"
    # What an installation from before looked like: the umask's 0644 files in 0755 folders.
    for folder in (server / "shares", server / "package-store" / ".previews"):
        folder.mkdir(parents=True, exist_ok=True)
    (server / "shares" / "older-share-token-from-before-0000.ogg").write_bytes(b"OggS")
    (server / "package-store" / ("ab" * 32 + ".zip")).write_bytes(b"PK")
    (server / "package-store" / ".previews" / "1.png").write_bytes(b"\x89PNG")
    for path in [server, *server.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    assert _open_modes(server)

    serve = _launcher(data, "serve", "--port", "0", stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        match = re.search(r"http://127\.0\.0\.1:(\d+)/xapi/", serve.stdout.readline())
        assert match, "serve did not start"
        base = f"http://127.0.0.1:{match.group(1)}"
        import base64

        auth = "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode()
        meta = {"token": "P" * 30, "delete_code": "123456", "poem_id": "p", "audio": "audio.ogg"}
        body, content_type = _multipart({"meta": json.dumps(meta).encode(), "audio": _ogg()})
        request = urllib.request.Request(base + "/s/api/upload", data=body, method="POST",
                                         headers={"Authorization": auth, "Content-Type": content_type})
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.status == 201
        statement = {"actor": {"mbox": "mailto:a@example.org"}, "verb": {"id": "http://adlnet.gov/expapi/verbs/x"},
                     "object": {"id": "https://lib.example.org/a"}}
        request = urllib.request.Request(base + "/xapi/statements", data=json.dumps(statement).encode(),
                                         method="POST", headers={"Authorization": auth,
                                                                 "Content-Type": "application/json",
                                                                 "X-Experience-API-Version": "1.0.3"})
        with urllib.request.urlopen(request, timeout=30) as response:
            assert response.status == 200
        assert (server / "lrs.sqlite3-wal").exists() and (server / "shares" / f"{'P' * 30}.ogg").exists()
        assert _open_modes(server) == []
    finally:
        serve.terminate()
        serve.wait(timeout=30)


def test_files_are_private_from_creation_whatever_the_umask(tmp_path):
    previous = os.umask(0o022)
    try:
        app = make_app(tmp_path / "server")
        curator = signed_in(app, "curator", "cur")
        assert upload(curator, good_zip(tmp_path)).status_code == 302
        headers, _, _ = kiosk_auth(app)
        meta = {"token": "Q" * 30, "delete_code": "123456", "poem_id": "p", "audio": "audio.ogg"}
        sent = app.test_client().post("/s/api/upload", headers=headers, data={
            "meta": json.dumps(meta), "audio": (io.BytesIO(_ogg()), "a.ogg")})
        assert sent.status_code == 201
        assert list((tmp_path / "server" / "store").glob("*.zip"))
        assert _open_modes(tmp_path / "server") == []
        app.extensions["yuedu"].engine.dispose()
    finally:
        os.umask(previous)
