"""Kiosk services: the outbox opens at once, the embedded server and sender start in the background (never
delaying the attract screen), everything stops in reverse order; and the real ones deliver end to end.

Ordering tests replace the outbox, sender and embedded server by recording stand-ins with the same interfaces.
"""
from __future__ import annotations

import sys
import threading
import types

import pytest

from experiences.config import KioskConfig
from experiences.engagement import ListSink
from experiences.kiosk.services import start_services

EVENTS: list[str] = []


class FakeOutbox:
    def __init__(self, path):
        self.path = path
        EVENTS.append(f"outbox {path.name}")

    def put(self, statement):
        EVENTS.append("put")

    def close(self):
        EVENTS.append("outbox closed")


class FakeSender:
    def __init__(self, outbox, url, key, secret):
        EVENTS.append(f"sender {url} {key}:{secret}")

    def start(self):
        EVENTS.append("sender started")
        return self

    def stop(self, timeout):
        EVENTS.append(f"sender stopped {timeout}")
        return True


class FakeEmbedded:
    url, key, secret = "http://127.0.0.1:5999", "kiosk-key", "kiosk-secret"

    def stop(self):
        EVENTS.append("embedded stopped")


@pytest.fixture
def fakes(monkeypatch):
    EVENTS.clear()
    gate = threading.Event()

    def start_embedded(data_dir):
        gate.wait(10)  # a slow server start: start_services must not wait for it
        EVENTS.append(f"embedded {data_dir.name}")
        return FakeEmbedded()

    import experiences.kiosk.services as services_module

    monkeypatch.setattr(services_module, "Outbox", FakeOutbox)
    monkeypatch.setattr(services_module, "Sender", FakeSender)
    monkeypatch.setattr(services_module, "_start_disk_guard", lambda config, services: None)
    monkeypatch.setitem(sys.modules, "server.embedded", types.SimpleNamespace(start_embedded=start_embedded))
    return gate


def test_embedded_server_starts_in_the_background_then_the_sender(fakes, tmp_path):
    config = KioskConfig()
    services = start_services(config, tmp_path)
    assert EVENTS == ["outbox outbox.sqlite3"]  # returned before the (blocked) server start
    assert isinstance(services.sink, FakeOutbox)
    fakes.set()
    services.wait_started(10)
    assert EVENTS[1:] == [f"embedded {tmp_path.name}", "sender http://127.0.0.1:5999 kiosk-key:kiosk-secret",
                          "sender started"]
    assert services.server_url == "http://127.0.0.1:5999"
    services.stop()
    assert EVENTS[-3:] == ["sender stopped 5.0", "embedded stopped", "outbox closed"]
    services.stop()  # twice is harmless
    assert EVENTS.count("outbox closed") == 1


def test_configured_server_needs_no_embedded_one(fakes, tmp_path):
    config = KioskConfig()
    config.server.url, config.server.key, config.server.secret = "https://lrs.example.org", "k", "s"
    services = start_services(config, tmp_path, background=False)
    assert EVENTS == ["outbox outbox.sqlite3", "sender https://lrs.example.org k:s", "sender started"]
    services.stop()
    assert EVENTS[-2:] == ["sender stopped 5.0", "outbox closed"]


def test_real_services_deliver_statements_to_the_embedded_lrs(tmp_path):
    """Outbox → sender → embedded Flask LRS on 127.0.0.1, all real; read back over xAPI with admin rights."""
    import base64
    import json
    import time
    import urllib.request

    from experiences.engagement import Item, Place, SessionReporter, build_result
    from server.auth import create_credential
    from server.db import DB_FILE_NAME
    from sqlalchemy import create_engine

    services = start_services(KioskConfig(), tmp_path, background=False)
    try:
        session = SessionReporter(services.sink, Place(kiosk_id="k-e2e"))
        reporter = session.experience("org.yuedu.idioms.children", "idiom-lanterns", "1.0.0")
        sent = [reporter.report("launched"),
                reporter.report("answered", Item("idiom", "画蛇添足", activity_type="question"),
                                build_result(success=True, response="足")),
                reporter.close("terminated")]
        deadline = time.monotonic() + 30
        while services.sink.unsent_count() and time.monotonic() < deadline:
            time.sleep(0.05)  # real delivery over HTTP: wait for it, bounded
        assert services.sink.unsent_count() == 0
        admin = create_credential(create_engine(f"sqlite:///{tmp_path / 'server' / DB_FILE_NAME}"), "admin", "admin")
        auth = base64.b64encode(f"{admin.principal.key}:{admin.secret}".encode()).decode()
        for statement in sent:
            request = urllib.request.Request(f"{services.server_url}/xapi/statements?statementId={statement['id']}",
                                             headers={"Authorization": f"Basic {auth}",
                                                      "X-Experience-API-Version": "1.0.3"})
            with urllib.request.urlopen(request, timeout=10) as response:
                stored = json.loads(response.read())
            assert stored["verb"]["id"] == statement["verb"]["id"]
            assert stored["actor"]["account"]["name"] == session.session_id
            assert stored["context"]["registration"] == session.session_id
    finally:
        services.stop()


def test_shell_starts_services_only_after_the_first_frame(tmp_path):
    from experiences.catalog import Catalog
    from experiences.kiosk.shell import KioskShell

    calls = []

    def factory(config, data_dir):
        calls.append(shell.frames_drawn)
        return types.SimpleNamespace(sink=ListSink(), stop=lambda: calls.append("stopped"))

    shell = KioskShell(KioskConfig(), catalog=Catalog([]), headless=True, size=(320, 240), services_factory=factory,
                       data_dir=tmp_path)
    assert shell.run(frames=3) == 0
    assert calls == [1, "stopped"]  # after frame 1 was drawn, stopped at exit
