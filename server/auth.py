"""Credentials: random keys and secrets, stored as salted HMAC-SHA256, checked in constant time per request.

A 32-byte random secret needs no slow password hash (there is nothing to brute-force); a short-lived cache
spares the database lookup on every request.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable

from sqlalchemy import select, update
from sqlalchemy.engine import Engine

from server.db import write_transaction
from server.models import Credential

SCOPES = ("kiosk", "admin")
_KEY_SHAPE = re.compile(r"[0-9A-Za-z_-]{1,64}")
XAPI_VERSIONS = ("1.0.3", "2.0.0")


@dataclass(frozen=True)
class Principal:
    """Who is calling: the credential's row id, key, name and scope."""

    id: int
    key: str
    name: str
    scope: str
    xapi_version: str | None = None  # what a request naming no version is told; None: the server's default

    @property
    def is_admin(self) -> bool:
        return self.scope == "admin"


@dataclass(frozen=True)
class NewCredential:
    principal: Principal
    secret: str  # shown once, never stored


def _hash_secret(salt: bytes, secret: str) -> bytes:
    return hmac.new(salt, secret.encode("utf-8"), hashlib.sha256).digest()


def create_credential(engine: Engine, name: str, scope: str = "kiosk",
                      xapi_version: str | None = None) -> NewCredential:
    if scope not in SCOPES:
        raise ValueError(f"scope must be one of {SCOPES}, not {scope!r}")
    if xapi_version is not None and xapi_version not in XAPI_VERSIONS:
        raise ValueError(f"xapi_version must be one of {XAPI_VERSIONS}, not {xapi_version!r}")
    if not name.strip():
        raise ValueError("a credential needs a name (e.g. the kiosk's name)")
    key = secrets.token_hex(10)
    secret = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode("ascii").rstrip("=")
    salt = secrets.token_bytes(16)
    with write_transaction(engine) as conn:
        row_id = conn.execute(Credential.__table__.insert().values(
            key=key, name=name.strip(), salt=salt, secret_hash=_hash_secret(salt, secret), scope=scope,
            created=datetime.now(timezone.utc).replace(tzinfo=None), revoked=False, xapi_version=xapi_version,
        )).inserted_primary_key[0]
    return NewCredential(Principal(row_id, key, name.strip(), scope, xapi_version), secret)


def revoke_credential(engine: Engine, key: str) -> bool:
    with write_transaction(engine) as conn:
        result = conn.execute(update(Credential).where(Credential.key == key).values(revoked=True))
    return result.rowcount > 0


def list_credentials(engine: Engine) -> list[dict]:
    with engine.connect() as conn:
        rows = conn.execute(select(Credential.key, Credential.name, Credential.scope, Credential.revoked,
                                   Credential.created, Credential.xapi_version).order_by(Credential.id)).all()
    return [dict(row._mapping) for row in rows]


class CredentialChecker:
    """Checks Basic credentials; rows are cached for `ttl` seconds so revocation takes effect within it."""

    def __init__(self, engine: Engine, ttl: float = 30.0, max_entries: int = 1024,
                 clock: Callable[[], float] = time.monotonic):
        self.engine = engine
        self.ttl = ttl
        self.max_entries = max_entries
        self.clock = clock
        self._cache: dict[str, tuple[float, tuple | None]] = {}
        self._lock = threading.Lock()

    def _row(self, key: str) -> tuple | None:
        now = self.clock()
        with self._lock:
            hit = self._cache.get(key)
            if hit is not None and now - hit[0] < self.ttl:
                return hit[1]
        with self.engine.connect() as conn:
            found = conn.execute(select(Credential.id, Credential.name, Credential.scope, Credential.salt,
                                        Credential.secret_hash, Credential.revoked, Credential.xapi_version)
                                 .where(Credential.key == key)).first()
        row = None if found is None or found.revoked else tuple(found)
        with self._lock:
            if len(self._cache) >= self.max_entries:
                self._cache.clear()  # unknown keys from a scanner must not grow memory without bound
            self._cache[key] = (now, row)
        return row

    def check(self, key: str, secret: str) -> Principal | None:
        """The principal for a key and secret, or None; the comparison takes the same time for any secret."""
        # Keys are hex (create_credential); anything else is refused before a query: PostgreSQL cannot even
        # compare text holding NUL, and a scanner's junk should not reach the database.
        if not _KEY_SHAPE.fullmatch(key) or len(secret) > 256:
            return None
        row = self._row(key)
        if row is None:
            return None
        row_id, name, scope, salt, stored_hash, _revoked, xapi_version = row
        if not hmac.compare_digest(_hash_secret(salt, secret), stored_hash):
            return None
        return Principal(row_id, key, name, scope, xapi_version)

    def forget(self) -> None:
        with self._lock:
            self._cache.clear()
