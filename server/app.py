"""The Flask app factory: database, migrations, credential checks and the blueprints of each area."""
from __future__ import annotations

from dataclasses import dataclass

from flask import Flask
from sqlalchemy.engine import Engine

from server import config as server_config
from server.auth import CredentialChecker
from server.db import ensure_sqlite_dir, make_engine, upgrade_schema
from server.xapi.store import StatementStore


@dataclass
class Services:
    """What views need, created once per app: the engine, the statement store, the credential checker."""

    engine: Engine
    statements: StatementStore
    credentials: CredentialChecker


def create_app(config: dict | None = None) -> Flask:
    """Build the service: `config` overrides server.config.DEFAULTS (DATABASE_URL, TESTING, limits...)."""
    app = Flask(__name__)
    from server.httpserver import RedactingFilter

    app.logger.addFilter(RedactingFilter())  # "Exception on /s/<token> [GET]": no share or wall token in a log
    app.config.update(server_config.merged(config))
    url = app.config["DATABASE_URL"]
    ensure_sqlite_dir(url)
    engine = make_engine(url, app.config["SQLITE_SYNCHRONOUS"])
    upgrade_schema(engine)
    app.extensions["yuedu"] = Services(
        engine=engine,
        statements=StatementStore(engine, app.config["AUTHORITY_HOMEPAGE"]),
        credentials=CredentialChecker(engine, ttl=app.config["CREDENTIAL_CACHE_SECONDS"]),
    )

    from server.health import health_bp
    from server.portal.blueprint import portal_bp, share_bp
    from server.wall.routes import wall_bp
    from server.xapi.alternate import AlternateSyntaxMiddleware
    from server.xapi.routes import xapi_bp

    app.register_blueprint(health_bp)
    app.register_blueprint(xapi_bp, url_prefix="/xapi")
    app.register_blueprint(portal_bp)
    app.register_blueprint(share_bp)
    app.register_blueprint(wall_bp)
    app.wsgi_app = AlternateSyntaxMiddleware(app.wsgi_app, "/xapi/", app.config["MAX_CONTENT_LENGTH"])
    return app


def services(app: Flask) -> Services:
    return app.extensions["yuedu"]
