"""Shared set-up of the wall tests: an app with a wall token and a pinned clock, seeded with generated sessions."""
from __future__ import annotations

from datetime import datetime, timezone

from server import create_app
from server.auth import create_credential
from server.wall import generate
from server.wall.routes import wall_services

NOW = datetime(2026, 11, 25, 9, 30, tzinfo=timezone.utc)  # Wednesday 17:30 in Shanghai
TOKEN = "lobby-screen-token"


def make_app(tmp_path, now=NOW, **extra):
    config = {"DATABASE_URL": f"sqlite:///{tmp_path / 'lrs.sqlite3'}", "TESTING": True, "WALL_TOKEN": TOKEN,
              "WALL_CLOCK": lambda: now, "WALL_SILENT_MINUTES": 30, "WALL_RENDER_SECONDS": 0}
    config.update(extra)
    return create_app(config)


def seed(app, count=600, now=NOW, seed=4, days=10) -> list:
    pairs = list(generate.generate(count, now, days=days, seed=seed))
    generate.bulk_insert(app.extensions["yuedu"].engine, pairs)
    wall_services(app).job.run()
    return pairs


def credentials(app, scope):
    made = create_credential(app.extensions["yuedu"].engine, f"{scope}-1", scope)
    return made.principal.key, made.secret
