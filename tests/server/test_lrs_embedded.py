"""The embedded service a kiosk starts in-process: real HTTP on 127.0.0.1, a kept credential."""
from __future__ import annotations

import base64
import json
import urllib.request
import uuid

from server.embedded import start_embedded


def _post(service, statements):
    request = urllib.request.Request(
        service.xapi_url + "/statements", data=json.dumps(statements).encode(), method="POST",
        headers={"Content-Type": "application/json", "X-Experience-API-Version": "1.0.3",
                 "Authorization": "Basic " + base64.b64encode(f"{service.key}:{service.secret}".encode()).decode()})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, json.loads(response.read())


def test_embedded_serves_and_keeps_its_credential(data_dir, make_statement):
    service = start_embedded(data_dir)
    try:
        assert service.url.startswith("http://127.0.0.1:")
        statement = make_statement(id=str(uuid.uuid4()))
        status, ids = _post(service, [statement])
        assert status == 200 and ids == [statement["id"]]
        with urllib.request.urlopen(service.url + "/healthz", timeout=10) as response:
            assert json.loads(response.read())["status"] == "ok"
        first = (service.key, service.secret)
    finally:
        service.stop()
        service.stop()
    assert (data_dir / "server" / "lrs.sqlite3").exists()
    credential_file = data_dir / "server" / "embedded-credential.json"
    assert credential_file.stat().st_mode & 0o077 == 0
    again = start_embedded(data_dir)
    try:
        assert (again.key, again.secret) == first
        status, ids = _post(again, [statement])  # a resend after restart is accepted, stored once
        assert status == 200 and ids == [statement["id"]]
    finally:
        again.stop()


def test_embedded_defaults_to_the_data_directory(data_dir):
    service = start_embedded()
    try:
        assert (data_dir / "server" / "embedded-credential.json").exists()
    finally:
        service.stop()
