"""Document resources: state (/activities/state), activity profile (/activities/profile), agent profile
(/agents/profile), with JSON merge on POST and ETag concurrency (If-Match / If-None-Match).

A kiosk credential sees only the documents it wrote; an admin credential sees all.
"""
from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone

from flask import Response, current_app, g, request
from sqlalchemy import delete, select, update

from server.db import write_transaction
from server.models import Document
from server.xapi.errors import XAPIError, bad_request
from server.xapi.identity import agent_key
from server.xapi.protocol import http_date, json_response, parse_json
from server.xapi.routes import xapi_bp
from server.xapi.store import iso_ms
from server.xapi.validate import StatementValidator, parse_timestamp

# kind -> (required address parameters, optional ones, id parameter)
RESOURCES = {
    "state": ({"activityId", "agent"}, {"registration"}, "stateId"),
    "activity_profile": ({"activityId"}, set(), "profileId"),
    "agent_profile": ({"agent"}, set(), "profileId"),
}


def _address(kind: str, method: str) -> dict:
    required, optional, id_param = RESOURCES[kind]
    allowed = required | optional | {id_param} | ({"since"} if method == "GET" else set())
    unknown = set(request.args) - allowed
    if unknown:
        raise bad_request(f"unknown parameters {sorted(unknown)}; allowed: {sorted(allowed)}")
    for name in sorted(required):
        if name not in request.args:
            raise bad_request(f"the {name} parameter is required")
    if method in ("PUT", "POST") and id_param not in request.args:
        raise bad_request(f"the {id_param} parameter is required")
    validator = StatementValidator("2.0")
    address = {"kind": kind, "doc_id": request.args.get(id_param), "activity_id": "", "agent_key": "",
               "registration": ""}
    if "activityId" in request.args:
        address["activity_id"] = validator.iri(request.args["activityId"], "activityId")
    if "agent" in request.args:
        agent = parse_json(request.args["agent"].encode("utf-8"), "the agent parameter")
        if not isinstance(agent, dict):
            raise bad_request("agent: must be a JSON object")
        validator.actor(agent, "agent")
        address["agent_key"] = agent_key(agent)
    if "registration" in request.args:
        address["registration"] = validator.uuid(request.args["registration"], "registration")
    if "since" in request.args:
        since = parse_timestamp(request.args["since"])
        if since is None:
            raise bad_request("since must be an ISO 8601 timestamp")
        address["since"] = since.astimezone(timezone.utc).replace(tzinfo=None)
    return address


def _where(address: dict, with_id: bool = True):
    conditions = [Document.kind == address["kind"], Document.activity_id == address["activity_id"],
                  Document.agent_key == address["agent_key"], Document.registration == address["registration"]]
    if with_id:
        conditions.append(Document.doc_id == address["doc_id"])
    if not g.principal.is_admin:
        conditions.append(Document.credential_id == g.principal.id)
    return conditions


def _etag_of(content: bytes) -> str:
    return hashlib.sha1(content).hexdigest()


def _check_preconditions(existing, kind: str, method: str) -> None:
    """If-Match / If-None-Match (RFC 7232); a blind PUT over an existing profile document is a 409."""
    if_match = request.headers.get("If-Match")
    if_none_match = request.headers.get("If-None-Match")
    current = f'"{existing.etag}"' if existing is not None else None
    if if_match is not None:
        tags = [t.strip() for t in if_match.split(",")]
        if current is None or not ("*" in tags or current in tags or current.strip('"') in tags):
            raise XAPIError(412, "If-Match does not match the document's current ETag")
    if if_none_match is not None:
        tags = [t.strip() for t in if_none_match.split(",")]
        if current is not None and ("*" in tags or current in tags):
            raise XAPIError(412, "If-None-Match: the document already exists")
    if method != "PUT" or if_match is not None or if_none_match is not None:
        return
    if existing is not None and (kind != "state" or g.xapi_family == "2.0"):
        raise XAPIError(409, "the document exists: send If-Match with its ETag to change it")
    if existing is None and kind != "state" and g.xapi_family == "1.0":
        # xAPI 1.0.3 profiles: a PUT must say whether it expects the document to exist.
        raise bad_request("send If-None-Match: * to create a profile document, or If-Match with its ETag to replace it")


def _is_json(content_type: str) -> bool:
    return content_type.split(";")[0].strip().lower() == "application/json"


def _write(kind: str, method: str):
    address = _address(kind, method)
    if kind != "state" and not g.principal.is_admin:
        raise XAPIError(403, "a kiosk credential may write statements and state, not profiles")
    content = request.get_data(cache=False)
    content_type = request.headers.get("Content-Type", "application/octet-stream")
    if _is_json(content_type):
        value = parse_json(content, "the document")
        if method == "POST" and not isinstance(value, dict):
            raise bad_request("a POSTed JSON document must be a JSON object (it is merged into the stored one)")
    engine = current_app.extensions["yuedu"].engine
    with write_transaction(engine) as conn:
        existing = conn.execute(select(Document.id, Document.etag, Document.content, Document.content_type)
                                .where(*_where(address))).first()
        if existing is None and not g.principal.is_admin:
            # The unique address may be taken by another kiosk's document, which this one may not see or change.
            taken = conn.execute(select(Document.id).where(
                Document.kind == kind, Document.doc_id == address["doc_id"],
                Document.activity_id == address["activity_id"], Document.agent_key == address["agent_key"],
                Document.registration == address["registration"])).first()
            if taken is not None:
                raise XAPIError(403, "this document belongs to another credential")
        _check_preconditions(existing, kind, method)
        if method == "POST" and existing is not None:
            if not (_is_json(existing.content_type) and _is_json(content_type)):
                raise bad_request("POST merges JSON objects only: the stored and the sent document must both be "
                                  "application/json")
            merged = parse_json(bytes(existing.content), "the stored document")
            if not isinstance(merged, dict):
                raise bad_request("the stored document is not a JSON object, so nothing can be merged into it")
            merged.update(parse_json(content, "the document"))
            content = json.dumps(merged, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            content_type = "application/json"
        now = datetime.now(timezone.utc).replace(tzinfo=None)
        values = {"content": content, "content_type": content_type, "etag": _etag_of(content), "updated": now}
        if existing is None:
            conn.execute(Document.__table__.insert().values(
                kind=kind, doc_id=address["doc_id"], activity_id=address["activity_id"],
                agent_key=address["agent_key"], registration=address["registration"],
                credential_id=g.principal.id, **values))
        else:
            conn.execute(update(Document).where(Document.id == existing.id).values(**values))
    return Response(status=204, headers={"ETag": f'"{values["etag"]}"'})


def _read(kind: str):
    address = _address(kind, "GET")
    engine = current_app.extensions["yuedu"].engine
    if address["doc_id"] is None:
        conditions = _where(address, with_id=False)
        if "since" in address:
            conditions.append(Document.updated > address["since"])
        with engine.connect() as conn:
            rows = conn.execute(select(Document.doc_id, Document.updated).where(*conditions)
                                .order_by(Document.doc_id)).all()
        response = json_response([row.doc_id for row in rows])
        if rows:
            latest = max(row.updated for row in rows).replace(tzinfo=timezone.utc)
            response.headers["Last-Modified"] = http_date(iso_ms(latest))
        return response
    with engine.connect() as conn:
        row = conn.execute(select(Document.content, Document.content_type, Document.etag, Document.updated)
                           .where(*_where(address))).first()
    if row is None:
        raise XAPIError(404, f"no document {address['doc_id']!r} here")
    response = Response(bytes(row.content), status=200, content_type=row.content_type)
    response.headers["ETag"] = f'"{row.etag}"'
    response.headers["Last-Modified"] = http_date(iso_ms(row.updated.replace(tzinfo=timezone.utc)))
    return response


def _delete(kind: str):
    address = _address(kind, "DELETE")
    if kind != "state" and not g.principal.is_admin:
        raise XAPIError(403, "a kiosk credential may write statements and state, not profiles")
    engine = current_app.extensions["yuedu"].engine
    with write_transaction(engine) as conn:
        if address["doc_id"] is None:
            if kind != "state":
                raise bad_request("the profileId parameter is required")
            conn.execute(delete(Document).where(*_where(address, with_id=False)))
        else:
            existing = conn.execute(select(Document.id, Document.etag).where(*_where(address))).first()
            if existing is not None or "If-Match" in request.headers:
                _check_preconditions(existing, kind, "DELETE")
            if existing is not None:
                conn.execute(delete(Document).where(Document.id == existing.id))
    return Response(status=204)


def _routes(path: str, kind: str) -> None:
    def handler():
        if request.method in ("GET", "HEAD"):
            return _read(kind)
        if request.method == "DELETE":
            return _delete(kind)
        return _write(kind, request.method)

    handler.__name__ = f"{kind}_document"
    xapi_bp.add_url_rule(path, view_func=handler, methods=["GET", "HEAD", "PUT", "POST", "DELETE"])


_routes("/activities/state", "state")
_routes("/activities/profile", "activity_profile")
_routes("/agents/profile", "agent_profile")
