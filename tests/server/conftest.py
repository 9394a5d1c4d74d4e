"""Fixtures of the engagement-service tests: an app on a fresh SQLite file per test, credentials, a client."""
from __future__ import annotations

import base64

import pytest

from server import create_app
from server.auth import create_credential


@pytest.fixture
def app(tmp_path):
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'lrs.sqlite3'}", "TESTING": True})
    yield app
    app.extensions["yuedu"].engine.dispose()


def basic(key: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode()


class XAPIClient:
    """A Flask test client that sends credentials and the xAPI version header on every request."""

    def __init__(self, client, key: str, secret: str, version: str = "1.0.3"):
        self.client = client
        self.key = key
        self.secret = secret
        self.version = version

    def headers(self, extra: dict | None = None) -> dict:
        headers = {"Authorization": basic(self.key, self.secret), "X-Experience-API-Version": self.version}
        headers.update(extra or {})
        return headers

    def __getattr__(self, method):
        call = getattr(self.client, method)

        def send(path, headers=None, **kwargs):
            return call(path, headers=self.headers(headers), **kwargs)

        return send


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def admin(app, client) -> XAPIClient:
    made = create_credential(app.extensions["yuedu"].engine, "staff", "admin")
    return XAPIClient(client, made.principal.key, made.secret)


@pytest.fixture
def kiosk(app, client) -> XAPIClient:
    made = create_credential(app.extensions["yuedu"].engine, "kiosk-1", "kiosk")
    return XAPIClient(client, made.principal.key, made.secret)


@pytest.fixture
def make_statement():
    """A function n -> a valid idiom-game statement (actor and object differ per n)."""
    return _make_statement


def _make_statement(n: int = 0, **overrides) -> dict:
    statement = {
        "actor": {"objectType": "Agent", "account": {"homePage": "https://lib.example.org/", "name": f"session-{n}"}},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/answered", "display": {"en-US": "answered", "zh-CN": "作答"}},
        "object": {"objectType": "Activity", "id": f"https://lib.example.org/activities/idioms/{n}",
                   "definition": {"name": {"zh-CN": "画蛇添足"}}},
        "result": {"score": {"raw": 3, "min": 0, "max": 5}, "success": True, "duration": "PT12.5S"},
        "context": {"registration": "6fbd600f-d17c-4c74-801a-2ec2e53231c8", "platform": "Yuedu kiosk"},
        "timestamp": "2026-11-23T10:00:00.000Z",
    }
    statement.update(overrides)
    return statement
