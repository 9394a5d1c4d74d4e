"""SQLAlchemy 2 models of the engagement service: statements with their query indexes, credentials, documents.

The Alembic migrations in server/migrations create exactly these tables; a test checks the two agree.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import (Boolean, DateTime, ForeignKey, Index, Integer, LargeBinary, String, Text,
                        UniqueConstraint)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Credential(Base):
    """An HTTP Basic credential: the key is public, the secret is only stored as a salted HMAC-SHA256."""

    __tablename__ = "credentials"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    name: Mapped[str] = mapped_column(String(200))
    salt: Mapped[bytes] = mapped_column(LargeBinary(32))
    secret_hash: Mapped[bytes] = mapped_column(LargeBinary(32))
    scope: Mapped[str] = mapped_column(String(16))  # "kiosk" | "admin"
    created: Mapped[datetime] = mapped_column(DateTime)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    # The xAPI version this client speaks: reported on requests that name none (1.0.3 and 2.0.0 disagree).
    xapi_version: Mapped[str | None] = mapped_column(String(8), nullable=True)


class Statement(Base):
    """One stored statement: its full JSON plus the columns queries filter and sort on."""

    __tablename__ = "statements"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    statement_id: Mapped[str] = mapped_column(String(36), unique=True)
    stored: Mapped[datetime] = mapped_column(DateTime, index=True)  # UTC, naive
    timestamp: Mapped[datetime] = mapped_column(DateTime, index=True)  # UTC, naive
    verb_id: Mapped[str] = mapped_column(Text, index=True)
    object_activity_id: Mapped[str | None] = mapped_column(Text, index=True, nullable=True)
    object_statement_id: Mapped[str | None] = mapped_column(String(36), index=True, nullable=True)
    registration: Mapped[str | None] = mapped_column(String(36), index=True, nullable=True)
    actor_key: Mapped[str] = mapped_column(Text, index=True)  # canonical identity, e.g. "account:home|name"
    voided: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    credential_id: Mapped[int | None] = mapped_column(ForeignKey("credentials.id"), index=True, nullable=True)
    full: Mapped[str] = mapped_column(Text)  # the statement as stored, JSON


class StatementAgent(Base):
    """Every agent a statement names, for the agent and related_agents filters."""

    __tablename__ = "statement_agents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    statement_seq: Mapped[int] = mapped_column(ForeignKey("statements.seq", ondelete="CASCADE"), index=True)
    agent_key: Mapped[str] = mapped_column(Text)
    relation: Mapped[str] = mapped_column(String(8))  # "actor" | "object" | "related"
    __table_args__ = (Index("ix_statement_agents_key", "agent_key", "relation"),)


class StatementActivity(Base):
    """Every activity a statement names, for the activity and related_activities filters."""

    __tablename__ = "statement_activities"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    statement_seq: Mapped[int] = mapped_column(ForeignKey("statements.seq", ondelete="CASCADE"), index=True)
    activity_id: Mapped[str] = mapped_column(Text)
    relation: Mapped[str] = mapped_column(String(8))  # "object" | "related"
    __table_args__ = (Index("ix_statement_activities_id", "activity_id", "relation"),)


class Attachment(Base):
    """Attachment content by SHA-2 hash, shared by every statement that names it."""

    __tablename__ = "attachments"

    sha2: Mapped[str] = mapped_column(String(128), primary_key=True)
    content_type: Mapped[str] = mapped_column(String(255))
    content: Mapped[bytes] = mapped_column(LargeBinary)


class Document(Base):
    """State, activity profile and agent profile documents, with the ETag used for concurrency."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # "state" | "activity_profile" | "agent_profile"
    doc_id: Mapped[str] = mapped_column(Text)  # stateId or profileId
    activity_id: Mapped[str] = mapped_column(Text, default="")
    agent_key: Mapped[str] = mapped_column(Text, default="")
    registration: Mapped[str] = mapped_column(String(36), default="")
    content_type: Mapped[str] = mapped_column(String(255))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    etag: Mapped[str] = mapped_column(String(64))
    updated: Mapped[datetime] = mapped_column(DateTime, index=True)
    credential_id: Mapped[int | None] = mapped_column(ForeignKey("credentials.id"), nullable=True)
    __table_args__ = (
        UniqueConstraint("kind", "activity_id", "agent_key", "registration", "doc_id", name="uq_documents_address"),
    )


class Activity(Base):
    """The canonical definition of each activity the LRS has seen, for GET /activities."""

    __tablename__ = "activities"

    activity_id: Mapped[str] = mapped_column(Text, primary_key=True)
    full: Mapped[str] = mapped_column(Text)


# The portal's tables share this metadata (one schema, one migration check).
from server.portal import models as _portal_models  # noqa: E402,F401
# The wall's rollup tables belong to the same schema (server/wall/tables.py; migration 0003_wall).
import server.wall.tables  # noqa: E402,F401
# The library catalogue bridge (server/catalogue/tables.py; migration 0010_catalogue).
import server.catalogue.tables  # noqa: E402,F401
# E-books to phones: reading-page opens per day and book (server/ebooks/tables.py; migration 0011_ebook_opens).
import server.ebooks.tables  # noqa: E402,F401
