"""The catalogue's tables (migration 0010_catalogue): records as JSON, holdings by barcode, settings (rules,
OAI-PMH datestamps, links, version), and QR scan counts per day and book."""
from __future__ import annotations

from sqlalchemy import Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from server.models import Base


class CatalogueRecord(Base):
    __tablename__ = "catalogue_records"
    __table_args__ = (Index("ix_catalogue_records_isbn", "isbn"),)

    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    isbn: Mapped[str] = mapped_column(String(13))
    data: Mapped[str] = mapped_column(Text)  # model.Record as JSON
    datestamp: Mapped[str] = mapped_column(String(40))


class CatalogueHolding(Base):
    __tablename__ = "catalogue_holdings"
    __table_args__ = (Index("ix_catalogue_holdings_barcode", "barcode"),)

    record_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    barcode: Mapped[str] = mapped_column(String(200), primary_key=True)
    call_number: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(40))


class CatalogueSetting(Base):
    __tablename__ = "catalogue_settings"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class CatalogueScan(Base):
    __tablename__ = "catalogue_scans"

    day: Mapped[str] = mapped_column(String(10), primary_key=True)
    record_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    package: Mapped[str] = mapped_column(String(200), primary_key=True)  # the experience whose card was scanned
    n: Mapped[int] = mapped_column(Integer)


class CatalogueLoan(Base):
    """A loan from the ILS's daily export: item barcode and day only, no patron data."""

    __tablename__ = "catalogue_loans"

    barcode: Mapped[str] = mapped_column(String(200), primary_key=True)
    day: Mapped[str] = mapped_column(String(10), primary_key=True)
