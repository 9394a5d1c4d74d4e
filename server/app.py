"""The Flask app factory: database, migrations, credential checks and the blueprints of each area."""
from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, has_request_context, request
from flask.sessions import SecureCookieSessionInterface
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

    from server.catalogue.routes import catalogue_bp
    from server.ebooks.routes import ebooks_bp
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
    app.register_blueprint(catalogue_bp)
    app.register_blueprint(ebooks_bp)
    app.wsgi_app = AlternateSyntaxMiddleware(app.wsgi_app, "/xapi/", app.config["MAX_CONTENT_LENGTH"])
    hops = app.config["PROXY_HOPS"]
    if hops:
        from werkzeug.middleware.proxy_fix import ProxyFix

        # Only the values the trusted proxies added: the client's own X-Forwarded-* entries come before them.
        # Host comes from the proxy's Host header (proxy_set_header Host), never from X-Forwarded-Host.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=0, x_port=0, x_prefix=0)
    app.session_interface = SchemeAwareSessionInterface()
    from server import security_headers

    security_headers.install(app)  # the same headers on every response: wall, reports, portal, shares, xAPI
    return app


class SchemeAwareSessionInterface(SecureCookieSessionInterface):
    """The session cookie is Secure when the request came over https (as the trusted proxy says), so it is
    never sent back in clear; the kiosk's embedded service on http://127.0.0.1 keeps working."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or (has_request_context() and request.is_secure)


def services(app: Flask) -> Services:
    return app.extensions["yuedu"]
