"""Identities and index rows: the canonical key of an agent, and which agents and activities a statement names.

Pure functions over statement dicts; the store turns their output into rows of statement_agents/_activities.
"""
from __future__ import annotations

import hashlib


def agent_key(agent: dict | None) -> str:
    """A canonical string for an agent's or identified group's IFI; "" for anonymous groups."""
    if not isinstance(agent, dict):
        return ""
    if "mbox" in agent:
        return "mbox:" + str(agent["mbox"])
    if "mbox_sha1sum" in agent:
        return "sha1:" + str(agent["mbox_sha1sum"]).lower()
    if "openid" in agent:
        return "openid:" + str(agent["openid"])
    account = agent.get("account")
    if isinstance(account, dict):
        return f"account:{account.get('homePage', '')}|{account.get('name', '')}"
    return ""


def mbox_sha1(mbox: str) -> str:
    return hashlib.sha1(mbox.encode("utf-8")).hexdigest()


def _agents_of(actor: dict | None) -> list[dict]:
    """An agent alone, or a group and its members."""
    if not isinstance(actor, dict):
        return []
    return [actor] + [m for m in actor.get("member", []) if isinstance(m, dict)]


def _context_agents(context: dict) -> list[dict]:
    found: list[dict] = []
    for key in ("instructor", "team"):
        found += _agents_of(context.get(key))
    for item in context.get("contextAgents", []) or []:
        found += _agents_of(item.get("agent"))
    for item in context.get("contextGroups", []) or []:
        found += _agents_of(item.get("group"))
    return found


def _context_activities(context: dict) -> list[str]:
    ids = []
    for items in (context.get("contextActivities") or {}).values():
        for item in items if isinstance(items, list) else [items]:
            if isinstance(item, dict) and "id" in item:
                ids.append(item["id"])
    return ids


def index_rows(statement: dict) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(agent_key, relation) and (activity_id, relation) pairs beyond what the statements row holds itself.

    The actor (statements.actor_key), an Activity object (statements.object_activity_id) and the authority (the
    credential, statements.credential_id) are not repeated here: most kiosk statements then need no rows at all.
    Relation is "object" (an Agent or Group as object) or "related".
    """
    agents: list[tuple[str, str]] = []
    activities: list[tuple[str, str]] = []
    actor = statement.get("actor")
    agents += [(agent_key(m), "related") for m in _agents_of(actor)[1:]]
    target = statement.get("object") or {}
    kind = target.get("objectType", "Activity")
    if kind in ("Agent", "Group"):
        agents.append((agent_key(target), "object"))
        agents += [(agent_key(m), "related") for m in _agents_of(target)[1:]]
    elif kind == "SubStatement":
        agents += [(agent_key(a), "related") for a in _agents_of(target.get("actor"))]
        inner = target.get("object") or {}
        if inner.get("objectType", "Activity") == "Activity":
            activities.append((inner.get("id", ""), "related"))
        else:
            agents += [(agent_key(a), "related") for a in _agents_of(inner)]
        inner_context = target.get("context") or {}
        agents += [(agent_key(a), "related") for a in _context_agents(inner_context)]
        activities += [(i, "related") for i in _context_activities(inner_context)]
    context = statement.get("context") or {}
    agents += [(agent_key(a), "related") for a in _context_agents(context)]
    activities += [(i, "related") for i in _context_activities(context)]
    return _unique(agents), _unique(activities)


def _unique(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    seen, out = set(), []
    for key, relation in pairs:
        if key and (key, relation) not in seen:
            seen.add((key, relation))
            out.append((key, relation))
    return out
