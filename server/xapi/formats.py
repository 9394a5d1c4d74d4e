"""The `format` parameter of statement queries: exact (as stored), ids (identifiers only), canonical (one language)."""
from __future__ import annotations

IFI_KEYS = ("mbox", "mbox_sha1sum", "openid", "account")
LANGUAGE_MAP_KEYS = ("display", "name", "description")


def _ids_actor(actor):
    if not isinstance(actor, dict):
        return actor
    out = {k: actor[k] for k in ("objectType", *IFI_KEYS) if k in actor}
    if actor.get("objectType") == "Group" and "member" in actor and not any(k in actor for k in IFI_KEYS):
        out["member"] = [_ids_actor(m) for m in actor["member"]]
    return out


def _ids_object(target):
    kind = target.get("objectType", "Activity")
    if kind == "Activity":
        return {"id": target["id"]}
    if kind in ("Agent", "Group"):
        return _ids_actor(target)
    if kind == "SubStatement":
        return _ids_body(dict(target))
    return target


def _ids_context(context: dict) -> dict:
    context = dict(context)
    for key in ("instructor", "team"):
        if key in context:
            context[key] = _ids_actor(context[key])
    if "contextActivities" in context:
        context["contextActivities"] = {k: [{"id": a["id"]} for a in v]
                                        for k, v in context["contextActivities"].items()}
    return context


def _ids_body(statement: dict) -> dict:
    statement["actor"] = _ids_actor(statement["actor"])
    statement["verb"] = {"id": statement["verb"]["id"]}
    statement["object"] = _ids_object(statement["object"])
    if "context" in statement:
        statement["context"] = _ids_context(statement["context"])
    if "authority" in statement:
        statement["authority"] = _ids_actor(statement["authority"])
    return statement


def as_ids(statement: dict) -> dict:
    """Agents, activities and verbs reduced to their identifiers."""
    return _ids_body(dict(statement))


def _pick_language(language_map: dict, accepted: list[str]) -> dict:
    if not isinstance(language_map, dict) or not language_map:
        return language_map
    lowered = {k.lower(): k for k in language_map}
    for wanted in accepted:
        wanted = wanted.lower()
        if wanted == "*":
            break
        for tag_lower, tag in lowered.items():
            if tag_lower == wanted or tag_lower.split("-")[0] == wanted:
                return {tag: language_map[tag]}
    first = next(iter(language_map))
    return {first: language_map[first]}


def _canonical(value, accepted: list[str]):
    if isinstance(value, list):
        return [_canonical(v, accepted) for v in value]
    if not isinstance(value, dict):
        return value
    out = {}
    for key, item in value.items():
        if key in LANGUAGE_MAP_KEYS and isinstance(item, dict) and all(isinstance(v, str) for v in item.values()):
            out[key] = _pick_language(item, accepted)
        elif key == "extensions":
            out[key] = item  # extension values are the client's own data, never rewritten
        else:
            out[key] = _canonical(item, accepted)
    return out


def as_canonical(statement: dict, accepted: list[str]) -> dict:
    """Every language map reduced to the one language the client prefers (Accept-Language)."""
    return _canonical(statement, accepted)


def accepted_languages(header: str | None) -> list[str]:
    """Accept-Language values, best first."""
    ranked = []
    for index, part in enumerate((header or "").split(",")):
        tag, _, params = part.strip().partition(";")
        if not tag:
            continue
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        ranked.append((-quality, index, tag.strip()))
    return [tag for _q, _i, tag in sorted(ranked)]


def render(statement: dict, fmt: str, accepted: list[str]) -> dict:
    if fmt == "ids":
        return as_ids(statement)
    if fmt == "canonical":
        return as_canonical(statement, accepted)
    return statement
