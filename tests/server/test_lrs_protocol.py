"""Request forms beyond plain JSON: multipart attachments, signed statements, the alternate request syntax,
and the rules that differ between xAPI 1.0.3 and 2.0.0."""
from __future__ import annotations

import base64
import hashlib
import json
import uuid
from urllib.parse import urlencode


def _multipart(statement, parts: list[tuple[str, bytes]], boundary="xapi-boundary") -> bytes:
    chunks = [f"--{boundary}\r\nContent-Type: application/json\r\n\r\n".encode(), json.dumps(statement).encode()]
    for content_type, content in parts:
        chunks.append(f"\r\n--{boundary}\r\nContent-Type: {content_type}\r\nContent-Transfer-Encoding: binary\r\n"
                      f"X-Experience-API-Hash: {hashlib.sha256(content).hexdigest()}\r\n\r\n".encode())
        chunks.append(content)
    chunks.append(f"\r\n--{boundary}--".encode())
    return b"".join(chunks)


def _attachment(content: bytes, usage="https://yuedu.example.org/attachments/recording", content_type="audio/wav"):
    return {"usageType": usage, "display": {"en-US": "recording"}, "contentType": content_type,
            "length": len(content), "sha2": hashlib.sha256(content).hexdigest()}


def test_attachment_round_trip(admin, make_statement):
    content = b"RIFF....WAVEfmt recital"
    statement = make_statement(1, id=str(uuid.uuid4()), attachments=[_attachment(content)])
    response = admin.post("/xapi/statements", data=_multipart(statement, [("audio/wav", content)]),
                          content_type="multipart/mixed; boundary=xapi-boundary")
    assert response.status_code == 200, response.text
    plain = admin.get(f"/xapi/statements?statementId={statement['id']}")
    assert plain.mimetype == "application/json"
    full = admin.get(f"/xapi/statements?statementId={statement['id']}&attachments=true")
    assert full.mimetype == "multipart/mixed"
    assert content in full.data and statement["id"].encode() in full.data


def test_attachment_without_its_part_or_with_a_stray_part_is_400(admin, make_statement):
    content = b"picture"
    statement = make_statement(1, attachments=[_attachment(content, content_type="image/png")])
    assert admin.post("/xapi/statements", json=statement).status_code == 400
    stray = admin.post("/xapi/statements", data=_multipart(make_statement(2), [("image/png", content)]),
                       content_type="multipart/mixed; boundary=xapi-boundary")
    assert stray.status_code == 400


def _jws(payload: dict, alg: str) -> bytes:
    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).decode().rstrip("=")
    return f"{b64(json.dumps({'alg': alg}).encode())}.{b64(json.dumps(payload).encode())}.c2ln".encode()


def test_signed_statement_checks_algorithm_and_payload(admin, make_statement):
    usage = "http://adlnet.gov/expapi/attachments/signature"
    for alg, payload_change, expected in (("RS256", None, 200), ("HS256", None, 400), ("RS256", "verb", 400)):
        statement = make_statement(1, id=str(uuid.uuid4()))
        payload = dict(statement)
        if payload_change:
            payload[payload_change] = {"id": "http://adlnet.gov/expapi/verbs/failed"}
        signature = _jws(payload, alg)
        statement["attachments"] = [_attachment(signature, usage, "application/octet-stream")]
        response = admin.post("/xapi/statements", data=_multipart(statement, [("application/octet-stream", signature)]),
                              content_type="multipart/mixed; boundary=xapi-boundary")
        assert response.status_code == expected, (alg, payload_change, response.text)


def test_alternate_request_syntax_in_1_0_3_only(client, admin, make_statement):
    statement_id = str(uuid.uuid4())
    form = {"statementId": statement_id, "content": json.dumps(make_statement()),
            "Authorization": admin.headers()["Authorization"], "X-Experience-API-Version": "1.0.3"}
    response = client.post("/xapi/statements?method=PUT", data=urlencode(form),
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 204, response.text
    assert admin.get(f"/xapi/statements?statementId={statement_id}").status_code == 200
    form["X-Experience-API-Version"] = "2.0.0"
    form["statementId"] = str(uuid.uuid4())
    response = client.post("/xapi/statements?method=PUT", data=urlencode(form),
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    extra = client.post(f"/xapi/statements?method=PUT&statementId={uuid.uuid4()}", data=urlencode(form),
                        content_type="application/x-www-form-urlencoded")
    assert extra.status_code == 400


def test_version_2_rules(admin, make_statement):
    no_zone = make_statement(1, timestamp="2026-11-23T10:00:00")
    assert admin.post("/xapi/statements", json=no_zone).status_code == 200
    assert admin.post("/xapi/statements", json=no_zone, headers={"X-Experience-API-Version": "2.0.0"}).status_code == 400
    with_agents = make_statement(2)
    with_agents["context"]["contextAgents"] = [{"objectType": "contextAgent",
                                                "agent": {"mbox": "mailto:librarian@lib.example.org"},
                                                "relevantTypes": ["https://yuedu.example.org/roles/librarian"]}]
    assert admin.post("/xapi/statements", json=with_agents).status_code == 400
    response = admin.post("/xapi/statements", json=with_agents, headers={"X-Experience-API-Version": "2.0.0"})
    assert response.status_code == 200
    related = admin.get("/xapi/statements?" + urlencode({"agent": json.dumps({"mbox": "mailto:librarian@lib.example.org"}),
                                                         "related_agents": "true"}),
                        headers={"X-Experience-API-Version": "2.0.0"}).json
    assert [s["id"] for s in related["statements"]] == response.json
