"""Curator and admin accounts: creation with a one-time password and API token, login with lockout, audit log.

Passwords are werkzeug scrypt hashes; API tokens are 256 random bits, so a SHA-256 of them is enough to store.
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import select, update
from sqlalchemy.engine import Engine
from werkzeug.security import check_password_hash, generate_password_hash

from server.db import write_transaction
from server.portal import throttle
from server.portal.models import AuditEntry, PortalUser

ROLES = ("curator", "admin")
# A fixed hash to compare against when the name is unknown, so timing does not tell names apart.
_DUMMY_HASH = generate_password_hash("not-a-password", method="scrypt")


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


# A prefix names what the secret is (for scanners and people) and keeps it from starting with "-", which a
# command line would take for an option (`upload --token -x…`).
API_TOKEN_PREFIX = "yuedu_"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class User:
    """The logged-in account as Flask-Login sees it."""

    id: int
    name: str
    role: str
    must_change_password: bool = False
    session_epoch: int = 0

    is_authenticated = True
    is_active = True
    is_anonymous = False

    def get_id(self) -> str:
        return str(self.id)

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def has_role(self, role: str) -> bool:
        """Admins may do everything curators may."""
        return self.role == role or (self.role == "admin" and role == "curator")


@dataclass(frozen=True)
class NewUser:
    user: User
    password: str  # shown once
    token: str  # shown once


def create_user(engine: Engine, name: str, role: str, now: datetime | None = None) -> NewUser:
    name = name.strip()
    if role not in ROLES:
        raise ValueError(f"role must be one of {ROLES}, not {role!r}")
    if not name or len(name) > 80:
        raise ValueError("a user needs a name of 1 to 80 characters")
    password = secrets.token_urlsafe(12)
    token = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    with write_transaction(engine) as conn:
        if conn.execute(select(PortalUser.id).where(PortalUser.name == name)).first() is not None:
            raise ValueError(f"a user named {name!r} exists already")
        row_id = conn.execute(PortalUser.__table__.insert().values(
            name=name, role=role, password_hash=generate_password_hash(password, method="scrypt"),
            token_hash=token_hash(token), failed_logins=0, locked_until=None, disabled=False,
            must_change_password=True, created=now or utcnow())).inserted_primary_key[0]
    return NewUser(User(row_id, name, role, True), password, token)


def get_user(engine: Engine, user_id: int) -> User | None:
    with engine.connect() as conn:
        row = conn.execute(select(PortalUser.id, PortalUser.name, PortalUser.role, PortalUser.disabled,
                                  PortalUser.must_change_password, PortalUser.session_epoch)
                           .where(PortalUser.id == user_id)).first()
    if row is None or row.disabled:
        return None
    return User(row.id, row.name, row.role, row.must_change_password, row.session_epoch)


def end_sessions(engine: Engine, user_id: int) -> int:
    """End every portal session of the account (sign-out everywhere); returns the new epoch."""
    with write_transaction(engine) as conn:
        conn.execute(update(PortalUser).where(PortalUser.id == user_id)
                     .values(session_epoch=PortalUser.session_epoch + 1))
        return conn.execute(select(PortalUser.session_epoch).where(PortalUser.id == user_id)).scalar() or 0


def user_for_token(engine: Engine, token: str) -> User | None:
    if not token or len(token) > 200:
        return None
    with engine.connect() as conn:
        row = conn.execute(select(PortalUser.id, PortalUser.name, PortalUser.role, PortalUser.disabled)
                           .where(PortalUser.token_hash == token_hash(token))).first()
    if row is None or row.disabled:
        return None
    return User(row.id, row.name, row.role)


@dataclass(frozen=True)
class LoginResult:
    """A sign-in's outcome: the user, or reason "invalid" (whatever was wrong) or "throttled" (wait_seconds)."""

    user: User | None
    reason: str = ""
    wait_seconds: int = 0


def check_login(engine: Engine, name: str, password: str, now: datetime, address: str = "") -> LoginResult:
    """Check a sign-in from client `address`. The answer never tells whether the name exists: an unknown name
    is checked against a dummy hash and counted, and waits (server/portal/throttle.py) are kept per name."""
    with write_transaction(engine) as conn:
        wait = throttle.wait_seconds(conn, name, address, now)
        if wait:
            return LoginResult(None, "throttled", wait)
        row = conn.execute(select(PortalUser.id, PortalUser.name, PortalUser.role, PortalUser.password_hash,
                                  PortalUser.disabled, PortalUser.must_change_password, PortalUser.session_epoch)
                           .where(PortalUser.name == name.strip())).first()
        known = row is not None and not row.disabled
        if not check_password_hash(row.password_hash if known else _DUMMY_HASH, password) or not known:
            throttle.record_failure(conn, name, address, now)
            return LoginResult(None, "invalid")
        throttle.record_success(conn, name, address)
    return LoginResult(User(row.id, row.name, row.role, row.must_change_password, row.session_epoch))


MIN_PASSWORD_LENGTH = 10


def change_password(engine: Engine, user_id: int, current: str, new: str) -> str:
    """"" when changed, else the reason: "current_wrong", "too_short" or "same"."""
    with write_transaction(engine) as conn:
        stored = conn.execute(select(PortalUser.password_hash).where(PortalUser.id == user_id)).scalar()
        if stored is None or not check_password_hash(stored, current):
            return "current_wrong"
        if len(new) < MIN_PASSWORD_LENGTH:
            return "too_short"
        if new == current:
            return "same"
        conn.execute(update(PortalUser).where(PortalUser.id == user_id).values(
            password_hash=generate_password_hash(new, method="scrypt"), must_change_password=False,
            session_epoch=PortalUser.session_epoch + 1))
    return ""


def reset_password(engine: Engine, user_id: int) -> str | None:
    """A new one-time password (shown once by the admin page), to be replaced at the next sign-in."""
    password = secrets.token_urlsafe(12)
    with write_transaction(engine) as conn:
        done = conn.execute(update(PortalUser).where(PortalUser.id == user_id).values(
            password_hash=generate_password_hash(password, method="scrypt"), must_change_password=True,
            failed_logins=0, locked_until=None, session_epoch=PortalUser.session_epoch + 1))
    return password if done.rowcount else None


def list_users(engine: Engine, now: datetime | None = None) -> list[dict]:
    """Accounts; `locked_until` is when the longest sign-in wait on the name ends (None: no wait now)."""
    with engine.connect() as conn:
        rows = conn.execute(select(PortalUser.id, PortalUser.name, PortalUser.role, PortalUser.disabled,
                                   PortalUser.locked_until, PortalUser.created).order_by(PortalUser.name)).all()
        waits = throttle.waits_by_account(conn, now or utcnow())
    return [dict(row._mapping) | {"locked_until": waits.get(row.name)} for row in rows]


def set_disabled(engine: Engine, user_id: int, disabled: bool) -> None:
    with write_transaction(engine) as conn:
        conn.execute(update(PortalUser).where(PortalUser.id == user_id).values(
            disabled=disabled, session_epoch=PortalUser.session_epoch + 1))


def unlock(engine: Engine, user_id: int) -> None:
    """End every sign-in wait on this account's name (and any lock of an older version)."""
    with write_transaction(engine) as conn:
        conn.execute(update(PortalUser).where(PortalUser.id == user_id).values(failed_logins=0, locked_until=None))
        name = conn.execute(select(PortalUser.name).where(PortalUser.id == user_id)).scalar()
        if name is not None:
            throttle.forget_account(conn, name)


def audit(engine: Engine, actor: str, action: str, target: str = "", detail: str = "",
          now: datetime | None = None) -> None:
    with write_transaction(engine) as conn:
        conn.execute(AuditEntry.__table__.insert().values(
            at=now or utcnow(), actor=actor[:80], action=action[:40], target=target, detail=detail[:2000]))


def audit_entries(engine: Engine, limit: int = 200) -> list[dict]:
    with engine.connect() as conn:
        rows = conn.execute(select(AuditEntry.at, AuditEntry.actor, AuditEntry.action, AuditEntry.target,
                                   AuditEntry.detail).order_by(AuditEntry.id.desc()).limit(limit)).all()
    return [dict(row._mapping) for row in rows]
