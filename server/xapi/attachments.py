"""Attachments in multipart/mixed: parsing statement requests with their parts, checking signatures (JWS),
and building multipart responses for `attachments=true` queries.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import json
import uuid

from flask import current_app
from sqlalchemy import select
from werkzeug.http import parse_options_header

from server.models import Attachment
from server.xapi.errors import bad_request
from server.xapi.protocol import json_response, parse_json
from server.xapi.validate import comparable_duration

SIGNATURE_USAGE = "http://adlnet.gov/expapi/attachments/signature"
SIGNATURE_ALGORITHMS = ("RS256", "RS384", "RS512")


def _split_headers(block: bytes) -> dict[str, str]:
    headers = {}
    for line in block.split(b"\r\n"):
        if not line.strip():
            continue
        name, sep, value = line.partition(b":")
        if not sep:
            raise bad_request(f"multipart part header {line[:60]!r} has no ':'")
        headers[name.strip().decode("latin-1").lower()] = value.strip().decode("latin-1")
    return headers


def parse_multipart(body: bytes, content_type: str) -> tuple[bytes, dict[str, tuple[str, bytes]]]:
    """The JSON part and the attachment parts {sha2: (content type, content)} of a multipart/mixed body."""
    _mime, options = parse_options_header(content_type)
    boundary = options.get("boundary")
    if not boundary:
        raise bad_request("multipart/mixed needs a boundary parameter in Content-Type")
    delimiter = b"--" + boundary.encode("latin-1")
    chunks = body.split(delimiter)
    if len(chunks) < 3:
        raise bad_request("the multipart body has no parts (or no closing boundary)")
    parts = []
    for chunk in chunks[1:]:
        if chunk.startswith(b"--"):
            break  # closing delimiter
        if not chunk.startswith(b"\r\n"):
            raise bad_request("a multipart boundary must be followed by CRLF")
        rest = chunk[2:]
        if rest.startswith(b"\r\n"):
            head, content = b"", rest[2:]  # a part without headers
        else:
            head, sep, content = rest.partition(b"\r\n\r\n")
            if not sep:
                raise bad_request("a multipart part has no blank line after its headers")
        if content.endswith(b"\r\n"):
            content = content[:-2]
        parts.append((_split_headers(head), content))
    if not parts:
        raise bad_request("the multipart body has no parts")
    first_headers, statement_bytes = parts[0]
    if not first_headers.get("content-type", "").lower().startswith("application/json"):
        raise bad_request("the first multipart part must be the statements, with Content-Type application/json")
    attachments: dict[str, tuple[str, bytes]] = {}
    for headers, content in parts[1:]:
        sha2 = headers.get("x-experience-api-hash")
        if not sha2:
            raise bad_request("every attachment part needs an X-Experience-API-Hash header")
        if headers.get("content-transfer-encoding", "").lower() != "binary":
            raise bad_request("every attachment part needs Content-Transfer-Encoding: binary")
        if hashlib.sha256(content).hexdigest() != sha2.lower() and hashlib.sha512(content).hexdigest() != sha2.lower():
            raise bad_request(f"the attachment part {sha2[:16]}... does not match its X-Experience-API-Hash")
        attachments[sha2.lower()] = (headers.get("content-type", "application/octet-stream"), content)
    return statement_bytes, attachments


def check_attachments(statements: list[dict], parts: dict[str, tuple[str, bytes]]) -> dict[str, tuple[str, bytes]]:
    """Every attachment without fileUrl has its part, no part is unused, signatures are valid JWS."""
    wanted: set[str] = set()
    for statement in statements:
        for attachment in statement.get("attachments", []):
            sha2 = attachment["sha2"].lower()
            if sha2 in parts:
                wanted.add(sha2)
            elif "fileUrl" not in attachment:
                raise bad_request(f"attachment {sha2[:16]}... has no fileUrl and no multipart part with its content")
            if attachment["usageType"] == SIGNATURE_USAGE:
                if sha2 not in parts:
                    raise bad_request("a signature attachment must be sent as a multipart part")
                _check_signature(statement, attachment, parts[sha2][1])
    unused = set(parts) - wanted
    if unused:
        raise bad_request(f"multipart parts {sorted(h[:16] for h in unused)} belong to no attachment")
    return {sha2: parts[sha2] for sha2 in wanted}


def _b64url(segment: str) -> bytes:
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def _check_signature(statement: dict, attachment: dict, content: bytes) -> None:
    if attachment["contentType"] != "application/octet-stream":
        raise bad_request("a signature attachment must have contentType application/octet-stream")
    try:
        header_b64, payload_b64, _signature = content.decode("ascii").strip().split(".")
        header = json.loads(_b64url(header_b64))
        payload = json.loads(_b64url(payload_b64))
    except (UnicodeDecodeError, ValueError, binascii.Error):
        raise bad_request("the signature attachment is not a JWS in compact serialization with a JSON payload") from None
    if not isinstance(header, dict) or header.get("alg") not in SIGNATURE_ALGORITHMS:
        raise bad_request(f"a statement signature must use one of {SIGNATURE_ALGORITHMS}")
    if not isinstance(payload, dict):
        raise bad_request("the signature's payload must be the signed statement")
    for key in ("actor", "verb", "object", "result", "context", "timestamp"):
        if key == "result":
            if _comparable_result(payload.get(key)) != _comparable_result(statement.get(key)):
                raise bad_request("the signature's payload differs from the statement in result")
            continue
        if payload.get(key) != statement.get(key) and not (key == "context" and _same_context(payload, statement)):
            raise bad_request(f"the signature's payload differs from the statement in {key}")
    if "id" in payload and payload["id"] != statement.get("id"):
        raise bad_request("the signature's payload differs from the statement in id")


def _comparable_result(result):
    if isinstance(result, dict) and "duration" in result:
        return {**result, "duration": comparable_duration(result["duration"])}
    return result


def _same_context(payload: dict, statement: dict) -> bool:
    # contextActivities may arrive as single objects in one and arrays in the other.
    def normal(context):
        context = json.loads(json.dumps(context or {}))
        for key, value in (context.get("contextActivities") or {}).items():
            context["contextActivities"][key] = value if isinstance(value, list) else [value]
        return context
    return normal(payload.get("context")) == normal(statement.get("context"))


def request_statements(body: bytes, content_type: str):
    """Decode a statements request: returns (JSON value, attachment parts)."""
    if content_type.lower().startswith("multipart/mixed"):
        statement_bytes, parts = parse_multipart(body, content_type)
        return parse_json(statement_bytes, "the statements part"), parts
    if content_type.lower().startswith("multipart/"):
        raise bad_request("statements with attachments must be sent as multipart/mixed")
    if content_type.lower().startswith("application/x-www-form-urlencoded"):
        # Communication 3.2.s3.b6: a form-encoded request is the alternate syntax, which needs ?method=…
        # (the middleware has already turned those into JSON requests); anything else is a client's mistake.
        raise bad_request("a form-encoded request must use the alternate request syntax (POST ?method=PUT|POST|GET "
                          "with the statements in the form field content); send JSON as application/json")
    return parse_json(body), {}


def statements_response(result, statements_with_attachments: list[dict]):
    """JSON, or multipart/mixed with every attachment the statements carry when any has content stored."""
    hashes = []
    for statement in statements_with_attachments:
        for attachment in statement.get("attachments", []):
            if attachment["sha2"].lower() not in hashes:
                hashes.append(attachment["sha2"].lower())
    if not hashes:
        return json_response(result)
    engine = current_app.extensions["yuedu"].engine
    with engine.connect() as conn:
        rows = conn.execute(select(Attachment.sha2, Attachment.content_type, Attachment.content)
                            .where(Attachment.sha2.in_(hashes))).all()
    boundary = uuid.uuid4().hex
    chunks = [f"--{boundary}\r\nContent-Type: application/json\r\n\r\n".encode(),
              json.dumps(result, ensure_ascii=False, separators=(",", ":")).encode("utf-8")]
    for attachment in rows:
        chunks.append(f"\r\n--{boundary}\r\nContent-Type: {attachment.content_type}\r\n"
                      f"Content-Transfer-Encoding: binary\r\nX-Experience-API-Hash: {attachment.sha2}\r\n\r\n".encode())
        chunks.append(bytes(attachment.content))
    chunks.append(f"\r\n--{boundary}--\r\n".encode())
    response = json_response(None)
    response.set_data(b"".join(chunks))
    response.headers["Content-Type"] = f"multipart/mixed; boundary={boundary}"
    return response
