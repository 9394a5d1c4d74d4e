"""Leftovers of a crash (issue 15, finding 11): a `serve` SIGKILLed while an upload sits in
package-store/.incoming leaves it there; the next start removes it, and never an upload another live process
is still receiving."""
from __future__ import annotations

import http.client
import os
import re
import signal
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

from tests.server.portal_helpers import REPO


def _start(env: dict) -> tuple[subprocess.Popen, int]:
    serve = subprocess.Popen([sys.executable, "launcher.py", "serve", "--port", "0"], cwd=REPO, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    match = re.search(r"http://127\.0\.0\.1:(\d+)/xapi/", serve.stdout.readline())
    assert match, "serve did not start"
    return serve, int(match.group(1))


def _big_zip(path: Path) -> bytes:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("experience.toml", 'id = "big"\n')
        zf.writestr("padding.bin", os.urandom(48 * 1024 * 1024))
    return path.read_bytes()


def _upload(port: int, token: str, data: bytes) -> None:
    boundary = "crash-boundary"
    body = (f'--{boundary}\r\nContent-Disposition: form-data; name="package"; filename="x.zip"\r\n'
            f"Content-Type: application/zip\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        connection.request("POST", "/portal/api/upload", body=body, headers={
            "Authorization": f"Bearer {token}", "Content-Type": f"multipart/form-data; boundary={boundary}"})
        connection.getresponse().read()
    except (OSError, http.client.HTTPException):
        pass  # killed mid-request


def test_a_sigkill_during_upload_leaves_nothing_after_the_next_start(tmp_path):
    env = dict(os.environ, YUEDU_DATA_DIR=str(tmp_path / "data"))
    made = subprocess.run([sys.executable, "launcher.py", "users", "add", "up", "--role", "curator"], cwd=REPO,
                          env=env, capture_output=True, text=True, check=True)
    token = made.stdout.strip().splitlines()[-1].split(":", 1)[1]
    incoming = tmp_path / "data" / "server" / "package-store" / ".incoming"
    data = _big_zip(tmp_path / "big.zip")
    caught = []
    for _attempt in range(3):
        serve, port = _start(env)
        sender = threading.Thread(target=_upload, args=(port, token, data))
        sender.start()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and serve.poll() is None:
            caught = [p for p in incoming.rglob("*") if p.is_file()] if incoming.exists() else []
            if caught:
                serve.send_signal(signal.SIGKILL)
                break
            time.sleep(0.002)
        serve.kill()
        serve.wait(timeout=30)
        sender.join(timeout=60)
        if caught and any(p.exists() for p in caught):
            break
    leftovers = [p for p in caught if p.exists()]
    assert leftovers, "the upload was never caught in .incoming"
    # Another process's upload in progress (its pid is alive: this test's) must survive the start.
    alive = incoming / f"{os.getpid()}-feedfacefeedface"
    alive.mkdir()
    (alive / "y.zip").write_bytes(b"PK")
    serve, _port = _start(env)
    try:
        assert not any(p.exists() for p in leftovers)
        assert [p.name for p in incoming.iterdir()] == [alive.name]
    finally:
        serve.terminate()
        serve.wait(timeout=30)
