"""/xapi/statements: PUT one statement by id, POST one or a batch, GET one by statementId/voidedStatementId.

Queries over many statements live in server/xapi/query.py; this module only stores and fetches by id.
"""
from __future__ import annotations

from flask import current_app, g, request

from server.xapi.attachments import check_attachments, request_statements, statements_response
from server.xapi.errors import XAPIError, bad_request
from server.xapi.protocol import http_date, json_response
from server.xapi.query import FORMATS, query_statements
from server.xapi.formats import accepted_languages, render
from server.xapi.routes import xapi_bp
from server.xapi.validate import UUID_RE, StatementValidator

PUT_PARAMS = {"statementId"}
POST_PARAMS: set[str] = set()


def _check_params(allowed: set[str]) -> None:
    unknown = set(request.args) - allowed
    if unknown:
        raise bad_request(f"unknown query parameters {sorted(unknown)}; this request accepts {sorted(allowed) or 'none'}")


def _store():
    return current_app.extensions["yuedu"].statements


def _validated(statements: list, parts: dict) -> tuple[list[dict], dict]:
    validator = StatementValidator(g.xapi_family)
    for statement in statements:
        validator.statement(statement)
    return statements, check_attachments(statements, parts)


def _body_statements() -> tuple[list, bool, dict]:
    """The statements in the request body, whether it was one object (not an array), and attachment parts."""
    body, parts = request_statements(request.get_data(cache=False), request.headers.get("Content-Type", ""))
    if isinstance(body, dict):
        return [body], True, parts
    if isinstance(body, list):
        if not body:
            raise bad_request("the batch is empty")
        limit = current_app.config["MAX_BATCH_STATEMENTS"]
        if len(body) > limit:
            raise XAPIError(413, f"a batch may hold at most {limit} statements; got {len(body)}")
        return body, False, parts
    raise bad_request("the body must be a statement object or an array of statements")


@xapi_bp.put("/statements")
def put_statement():
    _check_params(PUT_PARAMS)
    statement_id = request.args.get("statementId")
    if statement_id is None:
        raise bad_request("PUT /statements needs the statementId parameter")
    if not UUID_RE.match(statement_id):
        raise bad_request("statementId must be a UUID")
    statements, single, parts = _body_statements()
    if not single:
        raise bad_request("PUT /statements takes one statement object, not an array")
    statement = statements[0]
    if isinstance(statement, dict):
        if "id" in statement and statement["id"] != statement_id:
            raise bad_request("the statement's id differs from the statementId parameter")
        statement["id"] = statement_id
    _store().store(*_validated(statements, parts), principal=g.principal, version=g.xapi_version)
    return "", 204


@xapi_bp.post("/statements")
def post_statements():
    _check_params(POST_PARAMS)
    statements, _single, parts = _body_statements()
    ids = _store().store(*_validated(statements, parts), principal=g.principal, version=g.xapi_version)
    return json_response(ids)


@xapi_bp.get("/statements")
def get_statements():
    if "statementId" in request.args or "voidedStatementId" in request.args:
        return _get_one()
    return query_statements()


def _get_one():
    _check_params({"statementId", "voidedStatementId", "format", "attachments"})
    if "statementId" in request.args and "voidedStatementId" in request.args:
        raise bad_request("use statementId or voidedStatementId, not both")
    voided = "voidedStatementId" in request.args
    statement_id = request.args["voidedStatementId" if voided else "statementId"]
    if not UUID_RE.match(statement_id):
        raise bad_request("the statement id must be a UUID")
    fmt = request.args.get("format", "exact")
    if fmt not in FORMATS:
        raise bad_request(f"format must be one of {FORMATS}")
    with_attachments = request.args.get("attachments", "false")
    if with_attachments not in ("true", "false"):
        raise bad_request("attachments must be true or false")
    statement = _store().get(statement_id, g.principal, voided=voided)
    if statement is None:
        raise XAPIError(404, f"no {'voided ' if voided else ''}statement {statement_id}")
    rendered = render(statement, fmt, accepted_languages(request.headers.get("Accept-Language")))
    response = statements_response(rendered, [statement] if with_attachments == "true" else [])
    response.headers["Last-Modified"] = http_date(statement["stored"])
    return response
