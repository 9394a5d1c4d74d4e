"""Staff can find the wall: a token made on first run and kept in the data directory, `launcher.py config` showing the
wall's URL, `serve` printing it in a terminal only, the embedded service saying only this machine can open it."""
from __future__ import annotations

import json
import logging
import os
import pty
import re
import select
import signal
import subprocess
import sys
import threading
import time
import urllib.request

import pytest

import launcher
from server import create_app
from server.embedded import start_embedded
from server.wall import lobby
from tests.conftest import REPO_ROOT


def test_the_token_is_made_once_and_kept_private(tmp_path):
    tmp_path = tmp_path / "server"
    token = lobby.wall_token(tmp_path, environ={})
    assert len(token) >= 24 and re.fullmatch(r"[A-Za-z0-9_-]+", token)
    assert lobby.wall_token(tmp_path, environ={}) == token
    assert (tmp_path / "wall-token").stat().st_mode & 0o077 == 0
    assert lobby.wall_token(tmp_path, environ={"YUEDU_WALL_TOKEN": "from-env"}) == "from-env"  # the setting wins
    assert [p.name for p in tmp_path.iterdir()] == ["wall-token"]  # no temporary file left behind


def test_processes_starting_together_share_one_token(tmp_path):
    tokens = []
    threads = [threading.Thread(target=lambda: tokens.append(lobby.wall_token(tmp_path, environ={})))
               for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(tokens) == 8 and len(set(tokens)) == 1


def test_urls_use_the_address_lobby_screens_can_reach():
    here = lobby.wall_address("127.0.0.1", 8400, "T")
    assert here.urls == ["http://127.0.0.1:8400/wall?token=T"] and here.note == "only_here"
    assert lobby.wall_address("127.0.0.1", 41234, "T", embedded=True).note == "only_here_embedded"
    network = lobby.wall_address("0.0.0.0", 8400, "T", addresses=["192.168.1.20", "10.0.0.5"])
    assert network.urls == ["http://192.168.1.20:8400/wall?token=T", "http://10.0.0.5:8400/wall?token=T"]
    assert network.note == "network"
    unknown = lobby.wall_address("::", 8400, "T", addresses=[])
    assert unknown.urls == ["http://<this-machine's-address>:8400/wall?token=T"] and unknown.note == "no_address"
    assert lobby.wall_address("fd00::7", 80, "T").urls == ["http://[fd00::7]:80/wall?token=T"]
    assert lobby.wall_address("lobby.library.lan", 8400, "T").note == "host"
    assert lobby.hide_token("http://10.0.0.5:8400/wall?token=T") == "http://10.0.0.5:8400/wall?token=…"
    assert all(not a.startswith("127.") for a in lobby.machine_addresses())


def test_the_app_opens_the_wall_with_the_kept_token(data_dir):
    app = create_app({"TESTING": True})
    token = (data_dir / "server" / "wall-token").read_text().strip()
    assert app.config["WALL_TOKEN"] == token
    client = app.test_client()
    assert client.get(f"/wall?token={token}").status_code == 200
    assert client.get("/wall?token=").status_code == 404
    app.extensions["yuedu"].engine.dispose()


def test_config_shows_the_wall_url_with_its_token(data_dir, capsys):
    assert launcher.main(["config"]) == 0  # before the service ever ran: serve's default port, all addresses
    out = capsys.readouterr().out
    token = (data_dir / "server" / "wall-token").read_text().strip()
    assert f":8400/wall?token={token}" in out and "has not run on this machine yet" in out
    lobby.record_address(data_dir / "server", "0.0.0.0", 8123, embedded=False)
    assert launcher.main(["config", "--json"]) == 0
    wall = json.loads(capsys.readouterr().out)["wall"]
    assert wall["urls"] and all(u.endswith(f":8123/wall?token={token}") for u in wall["urls"])
    lobby.record_address(data_dir / "server", "127.0.0.1", 8123, embedded=False)
    assert launcher.main(["config"]) == 0
    out = capsys.readouterr().out
    assert f"http://127.0.0.1:8123/wall?token={token}" in out and "only this machine can open it" in out
    assert "--host 0.0.0.0" in out


def test_a_kiosk_sending_to_a_library_server_points_there(data_dir, capsys):
    (data_dir / "kiosk.toml").write_text('[server]\nurl = "https://lrs.library.example/"\n', encoding="utf-8")
    assert launcher.main(["config"]) == 0
    out = capsys.readouterr().out
    assert "/wall?token=" not in out and "the wall is on that server" in out and "https://lrs.library.example/" in out


def test_the_embedded_service_opens_the_wall_on_this_machine_only(data_dir, capsys, caplog):
    caplog.set_level(logging.INFO, logger="server.embedded")
    service = start_embedded(data_dir)
    try:
        token = (data_dir / "server" / "wall-token").read_text().strip()
        with urllib.request.urlopen(f"{service.url}/wall/panels?token={token}", timeout=10) as response:
            assert response.status == 200 and "visitors-today" in json.loads(response.read())["html"]
        assert launcher.main(["config"]) == 0
        out = capsys.readouterr().out
        assert f"{service.url}/wall?token={token}" in out and "only this machine can open it" in out
        assert "port changes at each start" in out
    finally:
        service.stop()
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert f"{service.url}/wall?token=…" in logged and token not in logged


def _serve(stdout, env=None):
    return subprocess.Popen([sys.executable, "launcher.py", "serve", "--port", "0", "--host", "0.0.0.0"],
                            cwd=REPO_ROOT, stdout=stdout, stderr=subprocess.DEVNULL, env=env or os.environ)


def _stop(process) -> None:
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=30)


def test_serve_prints_the_wall_url_in_a_terminal(data_dir):
    controller, terminal = pty.openpty()
    process = _serve(terminal)
    os.close(terminal)
    seen = b""
    try:
        deadline = time.monotonic() + 60
        while b"only this machine" not in seen and b"open one of these" not in seen and b"<this-machine" not in seen \
                and time.monotonic() < deadline:
            if select.select([controller], [], [], 1)[0]:
                seen += os.read(controller, 4096)
    finally:
        _stop(process)
        os.close(controller)
    token = (data_dir / "server" / "wall-token").read_text().strip()
    port = json.loads((data_dir / "server" / "wall-address.json").read_text())["port"]
    text = seen.decode()
    assert f":{port}/wall?token={token}" in text  # the whole URL, on the operator's terminal
    assert "127.0.0.1" not in text.split("smart wall")[1]  # 0.0.0.0: the machine's addresses (or a placeholder)


def test_serve_never_prints_the_token_into_a_log(data_dir, tmp_path):
    log_file = tmp_path / "serve.log"
    with open(log_file, "w") as handle:
        process = _serve(handle)
        try:
            deadline = time.monotonic() + 60
            while "launcher.py config" not in log_file.read_text() and time.monotonic() < deadline:
                time.sleep(0.1)  # up to the line after the URL: a fixed 0.3 s after it raced serve's next print
        finally:
            _stop(process)
    token = (data_dir / "server" / "wall-token").read_text().strip()
    text = log_file.read_text()
    assert "/wall?token=…" in text and "launcher.py config" in text and token not in text


@pytest.mark.parametrize("given", [None, ""])
def test_a_wall_token_given_as_nothing_means_no_wall(tmp_path, given):
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'lrs.sqlite3'}", "TESTING": True, "WALL_TOKEN": given})
    assert app.test_client().get("/wall?token=").status_code == 404
    app.extensions["yuedu"].engine.dispose()
