"""xAPI's special data types: ISO 8601 timestamps (with the spec's extra rules) and durations."""
from __future__ import annotations

import re
from datetime import datetime

TIMESTAMP_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2}|[+-]\d{2})?$")
# ISO 8601 durations: PnYnMnDTnHnMnS (any part optional, not all) or PnW alone.
DURATION_RE = re.compile(r"^P(?:(?=\d|T\d)(?:\d+(?:\.\d+)?Y)?(?:\d+(?:\.\d+)?M)?(?:\d+(?:\.\d+)?D)?"
                         r"(?:T(?=\d)(?:\d+(?:\.\d+)?H)?(?:\d+(?:\.\d+)?M)?(?:\d+(?:\.\d+)?S)?)?|\d+(?:\.\d+)?W)$")


def parse_timestamp(value, require_zone: bool = False) -> datetime | None:
    """A timezone-aware datetime for a valid xAPI timestamp (no zone means UTC in 1.0.3), else None."""
    if not isinstance(value, str):
        return None
    match = TIMESTAMP_RE.match(value)
    if not match or (require_zone and not match.group(8)):
        return None
    zone = match.group(8) or "Z"
    if zone.startswith("-") and zone[1:].replace(":", "").strip("0") == "":
        return None  # RFC 3339: -00:00 means "unknown offset", which the spec forbids
    text = value[:match.start(8)] if match.group(8) else value
    fraction = match.group(7) or ""
    if len(fraction) > 7:
        text = text.replace(fraction, fraction[:7])
    if zone == "Z":
        zone = "+00:00"
    elif len(zone) == 3:
        zone += ":00"
    elif ":" not in zone:
        zone = zone[:3] + ":" + zone[3:]
    try:
        return datetime.fromisoformat(text + zone)
    except ValueError:
        return None


_SECONDS_FRACTION_RE = re.compile(r"(\d+\.\d{2})\d+S$")


def comparable_duration(duration):
    """A duration with seconds truncated to 0.01 s: finer precision never makes two statements differ."""
    if isinstance(duration, str):
        return _SECONDS_FRACTION_RE.sub(r"\1S", duration)
    return duration
