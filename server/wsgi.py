"""WSGI entry point for production servers: `gunicorn --workers 4 'server.wsgi:app'` (see docs/server.md).

Settings come from the environment: YUEDU_LRS_DATABASE_URL (default: SQLite in the data directory),
YUEDU_LRS_SQLITE_SYNCHRONOUS (NORMAL or FULL), YUEDU_LRS_XAPI_DEFAULT_VERSION, YUEDU_LRS_AUTHORITY_HOMEPAGE,
YUEDU_LRS_PROXY_HOPS (1 behind the TLS proxy: its X-Forwarded-For/-Proto are trusted).
"""
from __future__ import annotations

import os

from server import create_app

ENV_PREFIX = "YUEDU_LRS_"
SETTINGS = ("DATABASE_URL", "SQLITE_SYNCHRONOUS", "XAPI_DEFAULT_VERSION", "AUTHORITY_HOMEPAGE", "PROXY_HOPS")


def config_from_environment(environ=os.environ) -> dict:
    return {name: environ[ENV_PREFIX + name] for name in SETTINGS if ENV_PREFIX + name in environ}


def _private_data_dir() -> None:
    from experiences import datadir
    from server.private_files import lock_down

    lock_down(datadir.server_dir())  # an installation from before: its folders 0700, its files 0600


_private_data_dir()
app = create_app(config_from_environment())
