"""Rollup tables of the smart wall: counters per local day, kept current by server.wall.rollup from statements.

Every counter is a signed count so a voided statement can be taken back out exactly.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, Float, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from server.models import Base


class WallState(Base):
    """Job state: the last statement seq folded in (watermark) and the time zone the days were cut in."""

    __tablename__ = "wall_state"

    key: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))


class WallSession(Base):
    """Which sessions were active on a local day, with where they were: distinct counts come from here."""

    __tablename__ = "wall_sessions"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    session: Mapped[str] = mapped_column(String(200), primary_key=True)
    branch: Mapped[str] = mapped_column(String(200), primary_key=True)
    kiosk: Mapped[str] = mapped_column(String(200), primary_key=True)
    age_band: Mapped[str] = mapped_column(String(32), primary_key=True)
    n: Mapped[int] = mapped_column(Integer)


class WallCount(Base):
    """A plain counter per local day and branch: plays per package, idioms right/missed, poems, launches per hour."""

    __tablename__ = "wall_counts"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    branch: Mapped[str] = mapped_column(String(200), primary_key=True)
    metric: Mapped[str] = mapped_column(String(16), primary_key=True)  # plays | right | missed | recited | hour
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    n: Mapped[int] = mapped_column(Integer)


class WallLaunch(Base):
    """Launches of a package within one session on a local day: repeat plays are the launches beyond the first."""

    __tablename__ = "wall_launches"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    branch: Mapped[str] = mapped_column(String(200), primary_key=True)
    session: Mapped[str] = mapped_column(String(200), primary_key=True)
    package: Mapped[str] = mapped_column(String(200), primary_key=True)
    n: Mapped[int] = mapped_column(Integer)


class WallReading(Base):
    """One scored recitation (by the statement's seq): the week's best readings are the top rows."""

    __tablename__ = "wall_readings"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    day: Mapped[date] = mapped_column(Date)
    branch: Mapped[str] = mapped_column(String(200))
    score: Mapped[float] = mapped_column(Float)
    nickname: Mapped[str] = mapped_column(String(200))
    poem: Mapped[str] = mapped_column(String(200))
    __table_args__ = (Index("ix_wall_readings_day_score", "day", "score"),)


class WallPackage(Base):
    """Every package the LRS has heard of: its kind, titles and when it was first played."""

    __tablename__ = "wall_packages"

    package: Mapped[str] = mapped_column(String(200), primary_key=True)
    kind: Mapped[str] = mapped_column(String(64))
    title_zh: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200))
    first_at: Mapped[datetime] = mapped_column(DateTime)  # UTC, naive


class WallKiosk(Base):
    """When each kiosk was last heard from (by `stored`, its own clock may be wrong), and its branch."""

    __tablename__ = "wall_kiosks"

    kiosk: Mapped[str] = mapped_column(String(200), primary_key=True)
    branch: Mapped[str] = mapped_column(String(200))
    last_stored: Mapped[datetime] = mapped_column(DateTime)  # UTC, naive
    # its [kiosk] name from the statements' kiosk-name extension (migration 0012); the wall shows it, not the id
    name: Mapped[str | None] = mapped_column(String(200), nullable=True, default="")


class WallKioskPackage(Base):
    """Packages played at each kiosk: recommendations for a kiosk stay within what it has."""

    __tablename__ = "wall_kiosk_packages"

    kiosk: Mapped[str] = mapped_column(String(200), primary_key=True)
    package: Mapped[str] = mapped_column(String(200), primary_key=True)


class WallSessionItem(Base):
    """Packages launched per session (all days): the basket the co-occurrence counts come from."""

    __tablename__ = "wall_session_items"

    session: Mapped[str] = mapped_column(String(200), primary_key=True)
    package: Mapped[str] = mapped_column(String(200), primary_key=True)
    age_band: Mapped[str] = mapped_column(String(32))
    n: Mapped[int] = mapped_column(Integer)


class WallItem(Base):
    """Sessions that launched a package, per age band of the session."""

    __tablename__ = "wall_items"

    package: Mapped[str] = mapped_column(String(200), primary_key=True)
    age_band: Mapped[str] = mapped_column(String(32), primary_key=True)
    n: Mapped[int] = mapped_column(Integer)


class WallPair(Base):
    """Sessions that launched both packages (stored both ways round)."""

    __tablename__ = "wall_pairs"

    a: Mapped[str] = mapped_column(String(200), primary_key=True)
    b: Mapped[str] = mapped_column(String(200), primary_key=True)
    n: Mapped[int] = mapped_column(Integer)


class WallVoided(Base):
    """Statements whose counts were already taken out, so a second voiding changes nothing."""

    __tablename__ = "wall_voided"

    statement_id: Mapped[str] = mapped_column(String(36), primary_key=True)


class WallPoemSessionItem(Base):
    """Poems of a package read per session (any statement about the poem): the item-level basket."""

    __tablename__ = "wall_poem_session_items"

    session: Mapped[str] = mapped_column(String(200), primary_key=True)
    package: Mapped[str] = mapped_column(String(200), primary_key=True)
    poem: Mapped[str] = mapped_column(String(200), primary_key=True)
    n: Mapped[int] = mapped_column(Integer)


class WallPoemItem(Base):
    """Sessions that read a poem."""

    __tablename__ = "wall_poem_items"

    package: Mapped[str] = mapped_column(String(200), primary_key=True)
    poem: Mapped[str] = mapped_column(String(200), primary_key=True)
    n: Mapped[int] = mapped_column(Integer)


class WallPoemPair(Base):
    """Sessions that read both poems of one package (stored both ways round)."""

    __tablename__ = "wall_poem_pairs"

    package: Mapped[str] = mapped_column(String(200), primary_key=True)
    a: Mapped[str] = mapped_column(String(200), primary_key=True)
    b: Mapped[str] = mapped_column(String(200), primary_key=True)
    n: Mapped[int] = mapped_column(Integer)


class WallPoem(Base):
    """A poem's title as its statements named it (the first non-empty one is kept)."""

    __tablename__ = "wall_poems"

    package: Mapped[str] = mapped_column(String(200), primary_key=True)
    poem: Mapped[str] = mapped_column(String(200), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
