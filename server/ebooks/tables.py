"""Opens of an e-book's reading page from a kiosk's QR code (migration 0011_ebook_opens): a number per day, book
and the screen whose QR it was ("ebook" or "waterfall"); nothing about the phone or its owner."""
from __future__ import annotations

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from server.models import Base


class EbookOpen(Base):
    __tablename__ = "ebook_opens"

    day: Mapped[str] = mapped_column(String(10), primary_key=True)
    package: Mapped[str] = mapped_column(String(200), primary_key=True)
    source: Mapped[str] = mapped_column(String(40), primary_key=True)
    n: Mapped[int] = mapped_column(Integer)
