"""The service in-process for a kiosk with no server configured: 127.0.0.1, a free port, SQLite in the data dir.

The kiosk credential is created once and kept (mode 0600) beside the database, so the outbox survives restarts.
"""
from __future__ import annotations

import json
import logging
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

from server.db import DB_FILE_NAME
from server.httpserver import HttpServer
from server.wall import lobby

log = logging.getLogger(__name__)

CREDENTIAL_FILE = "embedded-credential.json"


@dataclass
class EmbeddedService:
    """A running embedded LRS: `url` (http://127.0.0.1:PORT, without /xapi), the kiosk's `key` and `secret`."""

    url: str
    key: str
    secret: str
    _server: object = field(repr=False, default=None)
    _thread: threading.Thread | None = field(repr=False, default=None)
    _app: object = field(repr=False, default=None)

    @property
    def xapi_url(self) -> str:
        return self.url + "/xapi"

    def stop(self) -> None:
        """Stop serving and close the database; safe to call twice."""
        if self._server is not None:
            self._server.stop()
            self._thread.join(timeout=10)
            self._app.extensions["yuedu"].engine.dispose()
            self._server = None


def _kiosk_credential(app, server_dir: Path) -> tuple[str, str]:
    from server.auth import create_credential

    path = server_dir / CREDENTIAL_FILE
    engine = app.extensions["yuedu"].engine
    checker = app.extensions["yuedu"].credentials
    if path.exists():
        saved = json.loads(path.read_text(encoding="utf-8"))
        if checker.check(saved["key"], saved["secret"]) is not None:
            return saved["key"], saved["secret"]
    # First start, or the database was replaced: make a fresh credential and keep it.
    made = create_credential(engine, "embedded-kiosk", "kiosk")
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump({"key": made.principal.key, "secret": made.secret}, handle)
    tmp.replace(path)
    return made.principal.key, made.secret


def start_embedded(data_dir: str | Path | None = None, port: int = 0) -> EmbeddedService:
    """Start the service on 127.0.0.1 (port 0: a free one) with its database under `data_dir`/server/.

    `data_dir` is the Yuedu data directory (default: experiences.datadir.data_dir()).
    """
    from server import create_app

    if data_dir is None:
        from experiences import datadir

        data_dir = datadir.data_dir()
    server_dir = Path(data_dir) / "server"
    server_dir.mkdir(parents=True, exist_ok=True)
    app = create_app({"DATABASE_URL": f"sqlite:///{server_dir / DB_FILE_NAME}",
                      "WALL_TOKEN": lobby.wall_token(server_dir)})
    key, secret = _kiosk_credential(app, server_dir)
    http_server = HttpServer(app, "127.0.0.1", port)  # no access log: a kiosk posts all day, its logs are for problems
    thread = threading.Thread(target=http_server.serve_forever, name="yuedu-embedded-lrs", daemon=True)
    thread.start()
    lobby.record_address(server_dir, "127.0.0.1", http_server.port, embedded=True)
    # Into the kiosk's log: where the wall is, never its token (`launcher.py config` shows the whole URL).
    log.info("smart wall of this kiosk at %s (127.0.0.1: only this machine can open it; `launcher.py config` shows "
             "the URL with its token)", f"http://127.0.0.1:{http_server.port}/wall?token=…")
    return EmbeddedService(url=f"http://127.0.0.1:{http_server.port}", key=key, secret=secret,
                           _server=http_server, _thread=thread, _app=app)
