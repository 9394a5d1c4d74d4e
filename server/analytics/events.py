"""Flatten stored xAPI statements into compact engagement events the wall and recommender count.

Also decides which time a statement counts at: its `timestamp`, unless that is implausible for its `stored`.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from urllib.parse import unquote

# Verb IRIs back to the engagement events of experiences/engagement.py (the server may not import the kiosk).
EVENT_BY_VERB = {
    "http://adlnet.gov/expapi/verbs/launched": "launched",
    "http://adlnet.gov/expapi/verbs/initialized": "initialized",
    "http://adlnet.gov/expapi/verbs/progressed": "progressed",
    "http://adlnet.gov/expapi/verbs/attempted": "attempted",
    "http://adlnet.gov/expapi/verbs/answered": "answered",
    "http://adlnet.gov/expapi/verbs/interacted": "interacted",
    "http://adlnet.gov/expapi/verbs/experienced": "experienced",
    "http://adlnet.gov/expapi/verbs/scored": "scored",
    "http://adlnet.gov/expapi/verbs/completed": "completed",
    "http://adlnet.gov/expapi/verbs/terminated": "terminated",
    "https://w3id.org/xapi/adl/verbs/abandoned": "abandoned",
}

# The project's extension namespace, as experiences/engagement.py names it (tests/contract checks they agree).
# Kiosks before it keyed context extensions `<activity_base>/extensions/<name>`; statements stored then are read too.
EXTENSION_NAMESPACE = "https://w3id.org/yuedu/xapi/extensions/"


def extension_name(key) -> str | None:
    """The short name of an extension key in our namespace or in the older `<activity_base>/extensions/<name>`."""
    if not isinstance(key, str):
        return None
    if key.startswith(EXTENSION_NAMESPACE):
        name = key[len(EXTENSION_NAMESPACE):]
        return name if name and "/" not in name else None
    head, found, name = key.rpartition("/extensions/")
    return unquote(name) if found and "://" in head and name and "/" not in name else None


def extensions_by_name(extensions) -> dict:
    """A statement's extensions keyed by short name, read from both forms (ours wins a clash); other keys left out."""
    named: dict = {}
    if not isinstance(extensions, dict):
        return named
    for key, value in extensions.items():
        name = extension_name(key)
        if name is not None and (name not in named or key.startswith(EXTENSION_NAMESPACE)):
            named[name] = value
    return named


# A kiosk offline for days legitimately sends old timestamps; one from the future, or from long before it
# could have been stored, came from a wrong clock.
MAX_FUTURE_SKEW = timedelta(minutes=5)
MAX_OFFLINE_AGE = timedelta(days=30)


@dataclass(frozen=True)
class Event:
    statement_id: str
    event: str
    session: str
    package_id: str
    item_type: str
    item_id: str
    item_name: str
    kiosk_id: str
    branch: str
    age_band: str
    success: bool | None
    score: float | None  # scaled 0..1 when the statement has a score
    nickname: str
    at: datetime  # the time it counts at (UTC)
    stored: datetime
    kiosk_name: str = ""  # kiosk.toml's [kiosk] name ("大厅一号"): what staff call it; kiosk_id is a UUID


def parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.astimezone(timezone.utc)


def effective_time(timestamp: datetime | None, stored: datetime) -> datetime:
    """The statement's own time when plausible, else when the LRS stored it."""
    if timestamp is None:
        return stored
    if timestamp > stored + MAX_FUTURE_SKEW or timestamp < stored - MAX_OFFLINE_AGE:
        return stored
    return timestamp


def split_activity_id(activity_id: str) -> tuple[str, str, str]:
    """`…/activities/<package>[/<type>/<id>]` → (package, type, id); unknown shapes give the IRI as package."""
    marker = "/activities/"
    if marker not in activity_id:
        return activity_id, "", ""
    parts = activity_id.split(marker, 1)[1].split("/")
    package = unquote(parts[0])
    if len(parts) >= 3:
        return package, unquote(parts[1]), unquote("/".join(parts[2:]))
    return package, "", ""


def _extension(extensions: dict, name: str) -> str:
    value = extensions.get(name)
    return "" if value is None else str(value)


def _name(definition: dict) -> str:
    names = definition.get("name") or {}
    return names.get("zh-CN") or next(iter(names.values()), "") if isinstance(names, dict) else ""


def event_from_statement(statement: dict, stored: datetime | None = None) -> Event | None:
    """One Event, or None for statements the wall does not count (unknown verbs, non-activity objects)."""
    event = EVENT_BY_VERB.get((statement.get("verb") or {}).get("id", ""))
    obj = statement.get("object") or {}
    if event is None or obj.get("objectType", "Activity") != "Activity" or "id" not in obj:
        return None
    stored_at = stored or parse_time(statement.get("stored")) or datetime.now(timezone.utc)
    context = statement.get("context") or {}
    extensions = extensions_by_name(context.get("extensions"))
    result = statement.get("result") or {}
    score = (result.get("score") or {}).get("scaled")
    package, item_type, item_id = split_activity_id(obj["id"])
    return Event(
        statement_id=str(statement.get("id", "")),
        event=event,
        session=str(context.get("registration") or ((statement.get("actor") or {}).get("account") or {}).get("name", "")),
        package_id=package,
        item_type=item_type,
        item_id=item_id,
        item_name=_name(obj.get("definition") or {}) or item_id or package,
        kiosk_id=_extension(extensions, "kiosk"),
        kiosk_name=_extension(extensions, "kiosk-name"),
        branch=_extension(extensions, "branch"),
        age_band=_extension(extensions, "age-band"),
        success=result.get("success") if isinstance(result.get("success"), bool) else None,
        score=float(score) if isinstance(score, (int, float)) and not isinstance(score, bool) else None,
        nickname=(_extension(extensions_by_name(result.get("extensions")), "nickname")
                  or _extension(extensions, "nickname")),
        at=effective_time(parse_time(statement.get("timestamp")), stored_at),
        stored=stored_at,
    )
