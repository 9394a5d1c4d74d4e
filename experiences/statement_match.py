"""Do two xAPI statements match under the 1.0.3 comparison rules (Data 2.3.1)? Pure; used to settle a 409.

Differences the spec lists as exceptions to immutability are ignored: LRS-assigned properties (authority, stored,
version), timestamp serialization, verb display, activity definitions, and the default objectType values.
"""
from __future__ import annotations

from datetime import datetime

_LRS_ASSIGNED = ("authority", "stored", "version", "timestamp")


def statements_match(ours: dict, theirs: dict) -> bool:
    if not isinstance(ours, dict) or not isinstance(theirs, dict):
        return False
    if str(ours.get("id", "")).lower() != str(theirs.get("id", "")).lower():
        return False
    if "timestamp" in ours and "timestamp" in theirs and not _same_instant(ours["timestamp"], theirs["timestamp"]):
        return False
    return _normalize_statement(ours) == _normalize_statement(theirs)


def _same_instant(a: str, b: str) -> bool:
    try:
        return _parse_time(a) == _parse_time(b)
    except (TypeError, ValueError):
        return a == b


def _parse_time(value: str) -> datetime:
    return datetime.fromisoformat(str(value).replace("Z", "+00:00"))


def _normalize_statement(statement: dict, sub: bool = False) -> dict:
    out = {k: v for k, v in statement.items() if k not in _LRS_ASSIGNED and k != "id"}
    if sub:
        out.pop("objectType", None)  # "SubStatement", required there; compared by structure
    if "actor" in out:
        out["actor"] = _normalize_agent(out["actor"])
    if isinstance(out.get("verb"), dict):
        out["verb"] = {"id": out["verb"].get("id")}  # display is not part of the statement
    if "object" in out:
        out["object"] = _normalize_object(out["object"])
    if isinstance(out.get("context"), dict):
        out["context"] = _normalize_context(out["context"])
    return out


def _normalize_agent(agent):
    if not isinstance(agent, dict):
        return agent
    out = dict(agent)
    if out.get("objectType", "Agent") == "Agent":
        out.pop("objectType", None)
    if isinstance(out.get("mbox"), str):
        out["mbox"] = out["mbox"].lower()  # e-mail addresses compare case-insensitively
    if isinstance(out.get("member"), list):  # members of a Group are an unordered list
        out["member"] = sorted((_normalize_agent(m) for m in out["member"]), key=repr)
    return out


def _normalize_object(obj):
    if not isinstance(obj, dict):
        return obj
    kind = obj.get("objectType", "Activity")
    if kind == "Activity":
        return {"objectType": "Activity", "id": obj.get("id")}  # definitions are not part of the statement
    if kind in ("Agent", "Group"):
        return _normalize_agent(obj)
    if kind == "SubStatement":
        return {"objectType": "SubStatement", **_normalize_statement(obj, sub=True)}
    return dict(obj)  # StatementRef


def _normalize_context(context: dict) -> dict:
    out = dict(context)
    activities = out.get("contextActivities")
    if isinstance(activities, dict):
        normalized = {}
        for key, value in activities.items():
            items = value if isinstance(value, list) else [value]  # a single object means a list of one
            normalized[key] = [_normalize_object(item) for item in items]
        out["contextActivities"] = normalized
    if "instructor" in out:
        out["instructor"] = _normalize_agent(out["instructor"])
    if "team" in out:
        out["team"] = _normalize_agent(out["team"])
    if isinstance(out.get("registration"), str):
        out["registration"] = out["registration"].lower()
    return out
