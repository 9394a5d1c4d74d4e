"""SQLAlchemy models of the portal: curator accounts, audit log, package versions, publications, kiosks, shares.

They extend server.models.Base, so the migration check sees them; migration 0002_portal creates them.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from server.models import Base


class PortalUser(Base):
    """A curator or admin: password as a werkzeug scrypt hash, API token as SHA-256 (it is random, 256 bits)."""

    __tablename__ = "portal_users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    role: Mapped[str] = mapped_column(String(16))  # "curator" | "admin"
    password_hash: Mapped[str] = mapped_column(String(255))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=True)  # the one-time password is still set
    # Every portal session carries the epoch it was signed in at; bumping it (sign-out, password change or
    # reset, disabling) ends every session of the account at its next request.
    session_epoch: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created: Mapped[datetime] = mapped_column(DateTime)


class AuditEntry(Base):
    """One curator/admin action (or a refused login): who, what, on what, when."""

    __tablename__ = "portal_audit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    actor: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(40))
    target: Mapped[str] = mapped_column(Text, default="")
    detail: Mapped[str] = mapped_column(Text, default="")


class PackageVersion(Base):
    """One uploaded package zip, stored as <sha256>.zip in the package store."""

    __tablename__ = "package_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    package_id: Mapped[str] = mapped_column(String(200), index=True)
    version: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(Text)  # JSON {lang: title}
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    uploaded_by: Mapped[str] = mapped_column(String(80))
    uploaded_at: Mapped[datetime] = mapped_column(DateTime)
    warnings: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of problem dicts
    preview_state: Mapped[str] = mapped_column(String(16), default="none")  # none|rendering|ready|failed


class Publication(Base):
    """A version offered to kiosks: all, one branch or one kiosk; optionally only between starts and ends."""

    __tablename__ = "publications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("package_versions.id"), index=True)
    package_id: Mapped[str] = mapped_column(String(200), index=True)
    target_type: Mapped[str] = mapped_column(String(8))  # "all" | "branch" | "kiosk"
    target: Mapped[str] = mapped_column(String(200), default="")
    starts: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    ends: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by: Mapped[str] = mapped_column(String(80))
    created: Mapped[datetime] = mapped_column(DateTime)


class Kiosk(Base):
    """A kiosk known to the portal: its xAPI credential key, branch, and its last heartbeat."""

    __tablename__ = "portal_kiosks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    credential_key: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    branch: Mapped[str] = mapped_column(String(100), default="main")
    last_seen: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    report: Mapped[str] = mapped_column(Text, default="{}")  # JSON: content versions and health
    # When this kiosk first sent a share whose token the server verified (an HMAC of its secret): its unsigned
    # tokens are refused once its queue from before that (kept 7 days on the kiosk) has gone.
    signed_shares_since: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class Share(Base):
    """A family's shared recitation: no names; the token is the address, the delete code only as a hash."""

    __tablename__ = "shares"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    delete_hash: Mapped[str] = mapped_column(String(64))
    poem_id: Mapped[str] = mapped_column(String(200))
    poem_title: Mapped[str] = mapped_column(Text, default="")
    poem_text: Mapped[str] = mapped_column(Text, default="")
    scores: Mapped[str] = mapped_column(Text, default="{}")
    nickname: Mapped[str] = mapped_column(String(40), default="")
    audio_file: Mapped[str] = mapped_column(String(120))
    audio_type: Mapped[str] = mapped_column(String(40))
    created: Mapped[datetime] = mapped_column(DateTime)
    expires: Mapped[datetime] = mapped_column(DateTime, index=True)
    # Wrong delete codes since wrong_since: kept in the database so every server process counts the same guesses.
    wrong_codes: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    wrong_since: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)


class LoginThrottle(Base):
    """Failed sign-ins counted per name + address, per address and per name (server/portal/throttle.py)."""

    __tablename__ = "portal_login_throttle"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)  # "pair:NAME\x1fADDRESS", "address:…", "name:…"
    account: Mapped[str] = mapped_column(String(80), index=True)  # the name tried ("" for an address's count)
    failures: Mapped[int] = mapped_column(Integer)
    last_failure: Mapped[datetime] = mapped_column(DateTime)
    wait_until: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
