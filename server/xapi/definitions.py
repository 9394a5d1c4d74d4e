"""Canonical activity definitions, kept as statements arrive (inside the statements' transaction).

Each activity's definition is the merge of every definition seen: newer values win, language maps combine.
"""
from __future__ import annotations

import json

from sqlalchemy import update

from server.db import insert_rows, select_in

from server.models import Activity

LANGUAGE_MAPS = ("name", "description")


def _activities_in(statement: dict):
    target = statement.get("object") or {}
    targets = [target]
    if target.get("objectType") == "SubStatement":
        targets = [target.get("object") or {}]
        contexts = [statement.get("context"), target.get("context")]
    else:
        contexts = [statement.get("context")]
    for context in contexts:
        for items in ((context or {}).get("contextActivities") or {}).values():
            targets += items if isinstance(items, list) else [items]
    for item in targets:
        if isinstance(item, dict) and item.get("objectType", "Activity") == "Activity" and "definition" in item:
            yield item["id"], item["definition"]


def merge_definition(old: dict, new: dict) -> dict:
    merged = dict(old)
    for key, value in new.items():
        if key in LANGUAGE_MAPS and isinstance(merged.get(key), dict):
            merged[key] = {**merged[key], **value}
        else:
            merged[key] = value
    return merged


def record_definitions(conn, statements: list[dict]) -> None:
    """Fold the activity definitions in `statements` into the activities table (inside the caller's transaction)."""
    seen: dict[str, dict] = {}
    for statement in statements:
        for activity_id, definition in _activities_in(statement):
            previous = seen.get(activity_id)
            # A batch repeats the same definitions: merging an equal one changes nothing, and comparing is cheaper.
            if previous is None or previous != definition:
                seen[activity_id] = merge_definition(previous or {}, definition)
    if not seen:
        return
    stored = dict(select_in(conn, "activities", ("activity_id", "full"), "activity_id", list(seen)))
    fresh = []
    for activity_id, definition in seen.items():
        if activity_id not in stored:
            fresh.append((activity_id, json.dumps(definition, ensure_ascii=False)))
            continue
        old = json.loads(stored[activity_id])
        merged = merge_definition(old, definition)
        if merged != old:
            conn.execute(update(Activity).where(Activity.activity_id == activity_id)
                         .values(full=json.dumps(merged, ensure_ascii=False)))
    if fresh:
        insert_rows(conn, "activities", ("activity_id", "full"), fresh)
