"""Kiosk services: the outbox opens at once, the embedded server and sender start in the background (never
delaying the attract screen), everything stops in reverse order; missing modules fall back to memory.

The outbox, sender and embedded server are replaced by recording stand-ins with the same interfaces.
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

    modules = {
        "experiences.outbox": types.SimpleNamespace(Outbox=FakeOutbox),
        "experiences.sender": types.SimpleNamespace(Sender=FakeSender),
        "server": types.ModuleType("server"),
        "server.embedded": types.SimpleNamespace(start_embedded=start_embedded),
        "experiences.diskguard": None,  # None in sys.modules makes the import fail: no guard
    }
    for name, module in modules.items():
        monkeypatch.setitem(sys.modules, name, module)
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


def test_without_the_outbox_module_statements_stay_in_memory(monkeypatch, tmp_path, caplog):
    monkeypatch.setitem(sys.modules, "experiences.outbox", None)
    services = start_services(KioskConfig(), tmp_path)
    assert isinstance(services.sink, ListSink)
    assert "in memory" in caplog.text
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
