"""The engagement service: a conformant xAPI Learning Record Store (Flask, SQLAlchemy 2, Alembic).

`create_app(config)` builds the app; `server.embedded.start_embedded()` runs it in-process for a kiosk.
"""
from __future__ import annotations


def create_app(config: dict | None = None):
    from server.app import create_app as _create_app

    return _create_app(config)
