"""从体验到书架: recommended books, QR scans and loans within 14 days, per experience; the loans export keeps
barcode and date only."""
from __future__ import annotations

import datetime as dt
import io

from server.catalogue.funnel import funnel, read_loans_csv

D = dt.date(2026, 12, 1)


def test_loans_within_fourteen_days_count_for_each_experience_that_recommended_the_book():
    recs = [("poems", "B1", D), ("poems", "B2", D), ("poems", "B1", D + dt.timedelta(days=3)), ("idioms", "B3", D)]
    scans = [("poems", "B1", 2), ("idioms", "B3", 1)]
    loans = [("B1", D + dt.timedelta(days=10)),  # within 14 days of both showings
             ("B2", D + dt.timedelta(days=15)),  # too late
             ("B3", D - dt.timedelta(days=1)),  # before it was recommended
             ("B9", D)]  # never recommended
    got = {f.package: f.as_json() for f in funnel(recs, scans, loans)}
    assert got["poems"] == {"package": "poems", "recommended": 3, "books": 2, "scans": 2, "borrowed": 1}
    assert got["idioms"] == {"package": "idioms", "recommended": 1, "books": 1, "scans": 1, "borrowed": 0}


def test_loans_csv_with_or_without_header_and_bad_rows():
    text = "barcode,date,patron\nS0000101,2026-12-03,张三\n,2026-12-03,\nS0000201,yesterday,\n"
    rows = list(read_loans_csv(io.BytesIO(text.encode())))
    assert rows[0] == (2, "S0000101", dt.date(2026, 12, 3), "")
    assert "required" in rows[1][3] and "not a date" in rows[2][3]
    assert all("张三" not in str(r) for r in rows)  # a patron column is never read
    bare = list(read_loans_csv(io.BytesIO(b"S1,2026-12-04T09:00:00\n")))
    assert bare == [(1, "S1", dt.date(2026, 12, 4), "")]
