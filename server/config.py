"""Settings of the engagement service, with defaults; create_app(config) overrides any of them."""
from __future__ import annotations

DEFAULTS: dict = {
    # SQLAlchemy URL; None means an SQLite file (WAL) in the data directory's server/ folder.
    "DATABASE_URL": None,
    # FULL: a statement acknowledged is on disk even after a power cut; NORMAL is faster, safe against crashes only.
    "SQLITE_SYNCHRONOUS": "FULL",
    # Requests larger than this are refused with 413 before they are read.
    "MAX_CONTENT_LENGTH": 16 * 1024 * 1024,
    # Statements per POST, and per GET page.
    "MAX_BATCH_STATEMENTS": 1000,
    "PAGE_LIMIT": 100,
    # The homePage of the account that names each credential in a statement's authority.
    "AUTHORITY_HOMEPAGE": "https://yuedu.example.org/lrs",
    # How long a checked credential is trusted without looking at the database again (revocation delay).
    "CREDENTIAL_CACHE_SECONDS": 30.0,
    # The version reported to a request that names none (it is refused with 400 either way).
    "XAPI_DEFAULT_VERSION": "1.0.3",
    # Reverse proxies in front of the service whose X-Forwarded-For and X-Forwarded-Proto are trusted (werkzeug's
    # ProxyFix): 1 behind the TLS proxy of docs/server.md, 0 (the default) with nothing in front: then a forwarded
    # header changes nothing. Session cookies are Secure whenever the (trusted) scheme is https.
    "PROXY_HOPS": 0,
    "TESTING": False,
}


def merged(overrides: dict | None) -> dict:
    config = dict(DEFAULTS)
    config.update(overrides or {})
    config["PROXY_HOPS"] = int(config["PROXY_HOPS"] or 0)
    if config["PROXY_HOPS"] < 0:
        raise ValueError("PROXY_HOPS must be 0 or more")
    if config["DATABASE_URL"] is None:
        from server.db import default_database_url

        config["DATABASE_URL"] = default_database_url()
    return config
