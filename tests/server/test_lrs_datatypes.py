"""xAPI data types: timestamps (zones, -00:00, precision) and durations (weeks alone, 0.01 s comparison)."""
from __future__ import annotations

from datetime import timezone

from server.xapi.datatypes import DURATION_RE, comparable_duration, parse_timestamp


def test_timestamps():
    moment = parse_timestamp("2026-11-23T18:30:00.123456789+08:00")
    assert moment.astimezone(timezone.utc).isoformat() == "2026-11-23T10:30:00.123456+00:00"
    assert parse_timestamp("2026-11-23T10:30:00").tzinfo == timezone.utc  # 1.0.3: no zone means UTC
    assert parse_timestamp("2026-11-23T10:30:00", require_zone=True) is None  # 2.0.0: a zone is required
    for bad in ("2026-11-23T10:30:00-00:00", "2026-02-30T10:00:00Z", "2026-11-23 10:30:00Z", "yesterday", 20261123):
        assert parse_timestamp(bad) is None, bad


def test_durations():
    for good in ("PT1M30.5S", "P1Y2M3DT4H5M6S", "P4W", "PT0.01S", "P1D"):
        assert DURATION_RE.match(good), good
    for bad in ("P", "PT", "P4W1D", "1H", "PT1.S", "P-1D"):
        assert not DURATION_RE.match(bad), bad
    assert comparable_duration("P1DT12H36M0.1237S") == comparable_duration("P1DT12H36M0.12S")
    assert comparable_duration("PT5S") == "PT5S"
