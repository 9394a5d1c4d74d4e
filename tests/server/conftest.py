"""Fixtures of the engagement-service tests: an app on a fresh SQLite file per test, credentials, a client."""
from __future__ import annotations

import base64
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from server import create_app
from server.auth import create_credential
from server.db import make_engine, upgrade_schema
from server.models import Base

PG_BIN = sorted(Path("/usr/lib/postgresql").glob("*/bin"))


def _as_postgres(*command: str) -> list[str]:
    # initdb and pg_ctl refuse to run as root: run them as the postgres user then.
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else list(command)


class PostgresCluster:
    """A throwaway PostgreSQL cluster for the test session: data and socket in a temporary folder."""

    def __init__(self):
        if not PG_BIN:
            raise RuntimeError("PostgreSQL is not installed (scripts/setup.sh installs Debian's postgresql)")
        self.bin = PG_BIN[-1]
        self.root = Path(tempfile.mkdtemp(prefix="yuedu-pg-"))
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
        self.data = self.root / "data"
        subprocess.run(_as_postgres(str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust",
                                    "--no-sync", "-E", "UTF8"), check=True, capture_output=True)
        options = f"-k {self.root} -c listen_addresses='' -c fsync=off -c max_connections=200"
        subprocess.run(_as_postgres(str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", options,
                                    "-l", str(self.root / "log"), "-w", "start"), check=True, capture_output=True)
        # One migrated database for the session, emptied before each test (CREATE DATABASE costs ~1 s here).
        with self.admin_connection() as conn:
            conn.execute("CREATE DATABASE yuedu_test")
        self.url = f"postgresql+psycopg://postgres@/yuedu_test?host={self.root}"
        engine = make_engine(self.url)
        upgrade_schema(engine)
        engine.dispose()

    def admin_connection(self):
        import psycopg

        return psycopg.connect(host=str(self.root), user="postgres", dbname="postgres", autocommit=True)

    def empty_database(self) -> str:
        """The session database with every table emptied and every id sequence reset."""
        import psycopg

        tables = ", ".join(table.name for table in Base.metadata.sorted_tables)
        with psycopg.connect(host=str(self.root), user="postgres", dbname="yuedu_test", autocommit=True) as conn:
            conn.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
        return self.url

    def stop(self) -> None:
        subprocess.run(_as_postgres(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"),
                       capture_output=True)
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_cluster():
    cluster = PostgresCluster()
    yield cluster
    cluster.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """A fresh, empty database per test, on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'lrs.sqlite3'}"
        return
    yield request.getfixturevalue("postgres_cluster").empty_database()


@pytest.fixture
def app(database_url):
    app = create_app({"DATABASE_URL": database_url, "TESTING": True})
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
