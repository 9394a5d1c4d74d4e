"""GET /xapi/statements with filters: agent, verb, activity, registration, related_*, since, until, limit,
format, ascending, and `more` paging by an opaque cursor over (stored, seq).

Statements that target a matching statement through a StatementRef match too (xAPI Data 2.5, StatementRefs).
"""
from __future__ import annotations

import base64
import binascii
import json
from datetime import timezone

from flask import current_app, g, request, url_for
from sqlalchemy import and_, exists, or_, select

from server.models import Credential, Statement, StatementActivity, StatementAgent
from server.xapi.errors import bad_request
from server.xapi.formats import accepted_languages, render
from server.xapi.identity import agent_key
from server.xapi.protocol import parse_json
from server.xapi.validate import StatementValidator, parse_timestamp

QUERY_PARAMS = {"agent", "verb", "activity", "registration", "related_activities", "related_agents", "since",
                "until", "limit", "format", "attachments", "ascending"}
FORMATS = ("exact", "ids", "canonical")


def _boolean(params: dict, name: str) -> bool:
    value = params.get(name, "false")
    if value not in ("true", "false"):
        raise bad_request(f"{name} must be true or false")
    return value == "true"


def parse_params(params: dict) -> dict:
    """Check every query parameter; returns the filters in a normal form (raises 400 with a reason)."""
    unknown = set(params) - QUERY_PARAMS
    if unknown:
        raise bad_request(f"unknown query parameters {sorted(unknown)}; allowed: {sorted(QUERY_PARAMS)}")
    query: dict = {"params": {k: v for k, v in params.items()}}
    if "agent" in params:
        agent = parse_json(params["agent"].encode("utf-8"), "the agent parameter")
        validator = StatementValidator("2.0")
        validator.actor(agent, "agent") if isinstance(agent, dict) else validator.fail("agent", "must be a JSON object")
        query["agent"] = agent_key(agent)
        if not query["agent"]:
            raise bad_request("agent: needs an identifier (mbox, mbox_sha1sum, openid or account)")
    for name in ("verb", "activity"):
        if name in params:
            query[name] = StatementValidator().iri(params[name], name)
    if "registration" in params:
        query["registration"] = StatementValidator().uuid(params["registration"], "registration")
    for name in ("since", "until"):
        if name in params:
            moment = parse_timestamp(params[name])
            if moment is None:
                raise bad_request(f"{name} must be an ISO 8601 timestamp such as 2024-05-01T08:30:00Z")
            query[name] = moment.astimezone(timezone.utc).replace(tzinfo=None)
    limit = params.get("limit", "0")
    if not limit.isdigit():
        raise bad_request("limit must be a non-negative integer")
    page_limit = current_app.config["PAGE_LIMIT"]
    query["limit"] = min(int(limit), page_limit) if int(limit) > 0 else page_limit
    query["format"] = params.get("format", "exact")
    if query["format"] not in FORMATS:
        raise bad_request(f"format must be one of {FORMATS}")
    for name in ("related_activities", "related_agents", "ascending", "attachments"):
        query[name] = _boolean(params, name)
    return query


def _matching(query: dict):
    """Seqs of statements matching the filters, closed over StatementRefs that point at them."""
    conditions = []
    if "agent" in query:
        relations = ("object", "related") if query["related_agents"] else ("object",)
        either = [Statement.actor_key == query["agent"],
                  exists().where(StatementAgent.statement_seq == Statement.seq,
                                 StatementAgent.agent_key == query["agent"], StatementAgent.relation.in_(relations))]
        if query["related_agents"] and query.get("authority_credential") is not None:
            either.append(Statement.credential_id == query["authority_credential"])
        conditions.append(or_(*either))
    if "verb" in query:
        conditions.append(Statement.verb_id == query["verb"])
    if "activity" in query:
        if query["related_activities"]:
            conditions.append(or_(Statement.object_activity_id == query["activity"],
                                  exists().where(StatementActivity.statement_seq == Statement.seq,
                                                 StatementActivity.activity_id == query["activity"])))
        else:
            conditions.append(Statement.object_activity_id == query["activity"])
    if "registration" in query:
        conditions.append(Statement.registration == query["registration"])
    if not conditions:
        return None
    base = select(Statement.seq, Statement.statement_id).where(and_(*conditions)).cte("matched", recursive=True)
    referencing = select(Statement.seq, Statement.statement_id).join(
        base, Statement.object_statement_id == base.c.statement_id)
    return base.union(referencing)


def run_query(engine, query: dict, principal, cursor: tuple | None = None) -> tuple[list[dict], tuple | None]:
    """One page of statements (as stored) and the cursor of the next page, if any."""
    ascending = query["ascending"]
    order = (Statement.stored.asc(), Statement.seq.asc()) if ascending else (Statement.stored.desc(), Statement.seq.desc())
    stmt = select(Statement.seq, Statement.stored, Statement.full).where(Statement.voided.is_(False))
    matched = _matching(query)
    if matched is not None:
        stmt = stmt.where(Statement.seq.in_(select(matched.c.seq)))
    if "since" in query:
        stmt = stmt.where(Statement.stored > query["since"])
    if "until" in query:
        stmt = stmt.where(Statement.stored <= query["until"])
    if not principal.is_admin:
        stmt = stmt.where(Statement.credential_id == principal.id)
    if cursor is not None:
        stored, seq = cursor
        if ascending:
            stmt = stmt.where(or_(Statement.stored > stored, and_(Statement.stored == stored, Statement.seq > seq)))
        else:
            stmt = stmt.where(or_(Statement.stored < stored, and_(Statement.stored == stored, Statement.seq < seq)))
    stmt = stmt.order_by(*order).limit(query["limit"] + 1)
    with engine.connect() as conn:
        rows = conn.execute(stmt).all()
    page = rows[:query["limit"]]
    next_cursor = (page[-1].stored, page[-1].seq) if len(rows) > query["limit"] else None
    return [json.loads(row.full) for row in page], next_cursor


def _authority_credential(engine, key: str) -> int | None:
    """The credential whose authority agent has this key (authorities are stored as credential ids)."""
    prefix = f"account:{current_app.config['AUTHORITY_HOMEPAGE']}|"
    if not key.startswith(prefix):
        return None
    with engine.connect() as conn:
        return conn.execute(select(Credential.id).where(Credential.key == key[len(prefix):])).scalar()


def _encode_more(params: dict, cursor: tuple) -> str:
    payload = {"p": params, "s": cursor[0].isoformat(), "q": cursor[1]}
    return base64.urlsafe_b64encode(json.dumps(payload, separators=(",", ":")).encode()).decode().rstrip("=")


def _decode_more(token: str) -> tuple[dict, tuple]:
    from datetime import datetime

    try:
        payload = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        return payload["p"], (datetime.fromisoformat(payload["s"]), int(payload["q"]))
    except (binascii.Error, ValueError, KeyError, TypeError):
        raise bad_request("the more token is not one this LRS issued") from None


def query_statements():
    """The view behind GET /xapi/statements without statementId."""
    from server.xapi.attachments import statements_response

    args = request.args.to_dict()
    cursor = None
    if "more" in args:
        if len(args) > 1:
            raise bad_request("a more request takes no other parameters")
        params, cursor = _decode_more(args["more"])
    else:
        params = args
    query = parse_params(params)
    engine = current_app.extensions["yuedu"].engine
    if "agent" in query:
        query["authority_credential"] = _authority_credential(engine, query["agent"])
    statements, next_cursor = run_query(engine, query, g.principal, cursor)
    accepted = accepted_languages(request.headers.get("Accept-Language"))
    result = {"statements": [render(s, query["format"], accepted) for s in statements],
              "more": url_for("xapi.get_statements", more=_encode_more(params, next_cursor)) if next_cursor else ""}
    return statements_response(result, statements if query["attachments"] else [])
