"""The library's clock on staff pages: the portal stores naive UTC; people type and read times in the library's
time zone (PORTAL_TIMEZONE, else the wall's WALL_TIMEZONE / YUEDU_WALL_TIMEZONE, else Asia/Shanghai)."""
from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_ZONE = "Asia/Shanghai"


def zone(config) -> ZoneInfo:
    name = config.get("PORTAL_TIMEZONE") or config.get("WALL_TIMEZONE") or DEFAULT_ZONE
    try:
        return ZoneInfo(str(name))
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_ZONE)


def to_utc(text: str, tz: ZoneInfo) -> datetime | None:
    """A time typed in the library's zone (<input type="datetime-local">: YYYY-MM-DDTHH:MM) as naive UTC."""
    text = (text or "").strip()
    if not text:
        return None
    typed = datetime.fromisoformat(text)
    if typed.tzinfo is None:
        typed = typed.replace(tzinfo=tz)
    return typed.astimezone(timezone.utc).replace(tzinfo=None)


def local(moment: datetime | None, tz: ZoneInfo) -> datetime | None:
    """A stored naive-UTC time in the library's zone."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(tz)


def offset_label(tz: ZoneInfo, at: datetime | None = None) -> str:
    """UTC+8, UTC-5, UTC+5:30: the zone's offset now (or at `at`), for labels."""
    offset = (at or datetime.now(timezone.utc)).astimezone(tz).utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")
