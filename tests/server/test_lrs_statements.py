"""Storing and fetching statements over HTTP: PUT, POST single and batch, idempotent resends, conflicts."""
from __future__ import annotations

import uuid

import pytest

from server.auth import create_credential
from tests.server.conftest import basic


def test_post_single_statement_sets_id_stored_authority_version(kiosk, make_statement):
    response = kiosk.post("/xapi/statements", json=make_statement())
    assert response.status_code == 200, response.text
    assert response.headers["X-Experience-API-Version"] == "1.0.3"
    [statement_id] = response.json
    fetched = kiosk.get(f"/xapi/statements?statementId={statement_id}")
    assert fetched.status_code == 200
    body = fetched.json
    assert body["id"] == statement_id
    assert body["version"] == "1.0.0"
    assert body["authority"]["account"]["name"] == kiosk.key
    assert body["stored"].endswith("Z") and len(body["stored"]) == 24
    assert body["timestamp"] == "2026-11-23T10:00:00.000Z"
    assert body["object"]["definition"]["name"] == {"zh-CN": "画蛇添足"}


def test_missing_timestamp_becomes_stored(kiosk, make_statement):
    statement = make_statement()
    del statement["timestamp"]
    [statement_id] = kiosk.post("/xapi/statements", json=statement).json
    body = kiosk.get(f"/xapi/statements?statementId={statement_id}").json
    assert body["timestamp"] == body["stored"]


def test_put_with_statement_id(kiosk, make_statement):
    statement_id = str(uuid.uuid4())
    response = kiosk.put(f"/xapi/statements?statementId={statement_id}", json=make_statement())
    assert response.status_code == 204, response.text
    assert kiosk.get(f"/xapi/statements?statementId={statement_id}").json["id"] == statement_id


def test_put_needs_matching_uuid(kiosk, make_statement):
    assert kiosk.put("/xapi/statements", json=make_statement()).status_code == 400
    assert kiosk.put("/xapi/statements?statementId=nope", json=make_statement()).status_code == 400
    other = make_statement(id=str(uuid.uuid4()))
    response = kiosk.put(f"/xapi/statements?statementId={uuid.uuid4()}", json=other)
    assert response.status_code == 400
    assert "differs" in response.text


def test_batch_is_stored_in_order(kiosk, make_statement):
    batch = [make_statement(n, id=str(uuid.uuid4())) for n in range(100)]
    response = kiosk.post("/xapi/statements", json=batch)
    assert response.status_code == 200
    assert response.json == [s["id"] for s in batch]
    assert kiosk.get(f"/xapi/statements?statementId={batch[57]['id']}").json["actor"] == batch[57]["actor"]


def test_resend_same_content_is_idempotent(app, kiosk, make_statement):
    batch = [make_statement(n, id=str(uuid.uuid4())) for n in range(5)]
    assert kiosk.post("/xapi/statements", json=batch).status_code == 200
    # The outbox resends after a lost acknowledgement, mixed with new statements.
    again = batch + [make_statement(9, id=str(uuid.uuid4()))]
    response = kiosk.post("/xapi/statements", json=again)
    assert response.status_code == 200
    assert response.json == [s["id"] for s in again]
    with app.extensions["yuedu"].engine.connect() as conn:
        count = conn.exec_driver_sql("SELECT COUNT(*) FROM statements").scalar()
    assert count == 6
    put = kiosk.put(f"/xapi/statements?statementId={batch[0]['id']}", json=batch[0])
    assert put.status_code == 204


def test_same_id_different_content_conflicts_and_stores_nothing(app, kiosk, make_statement):
    first = make_statement(1, id=str(uuid.uuid4()))
    kiosk.post("/xapi/statements", json=first)
    changed = dict(first, verb={"id": "http://adlnet.gov/expapi/verbs/completed"})
    fresh = make_statement(2, id=str(uuid.uuid4()))
    response = kiosk.post("/xapi/statements", json=[fresh, changed])
    assert response.status_code == 409
    assert first["id"] in response.text
    assert kiosk.get(f"/xapi/statements?statementId={fresh['id']}").status_code == 404


def test_duplicate_ids_within_a_batch_are_rejected(kiosk, make_statement):
    same = str(uuid.uuid4())
    response = kiosk.post("/xapi/statements", json=[make_statement(1, id=same), make_statement(2, id=same)])
    assert response.status_code == 400


def test_batch_with_one_invalid_statement_stores_none(kiosk, make_statement):
    good = make_statement(1, id=str(uuid.uuid4()))
    bad = make_statement(2)
    bad["verb"] = {"id": "not an iri"}
    response = kiosk.post("/xapi/statements", json=[good, bad])
    assert response.status_code == 400
    assert "statement.verb.id" in response.text
    assert kiosk.get(f"/xapi/statements?statementId={good['id']}").status_code == 404


def test_version_header_required_and_echoed(client, kiosk, make_statement):
    response = client.post("/xapi/statements", json=make_statement(),
                           headers={"Authorization": kiosk.headers()["Authorization"]})
    assert response.status_code == 400
    assert "X-Experience-API-Version" in response.text
    response = kiosk.post("/xapi/statements", json=make_statement(), headers={"X-Experience-API-Version": "0.9"})
    assert response.status_code == 400
    response = kiosk.post("/xapi/statements", json=make_statement(), headers={"X-Experience-API-Version": "2.0.0"})
    assert response.status_code == 200
    assert response.headers["X-Experience-API-Version"] == "2.0.0"
    stored = kiosk.get(f"/xapi/statements?statementId={response.json[0]}").json
    assert stored["version"] == "2.0.0"


def test_refusal_without_version_names_the_credentials_version(app, client, kiosk, make_statement):
    """1.0.3 and 2.0.0 clients each expect their own version on the 400 for a request that names none."""
    made = create_credential(app.extensions["yuedu"].engine, "kiosk-2", "kiosk", xapi_version="2.0.0")
    for who, expected in ((kiosk.headers()["Authorization"], "1.0.3"), (basic(made.principal.key, made.secret), "2.0.0")):
        response = client.post("/xapi/statements", json=make_statement(), headers={"Authorization": who})
        assert response.status_code == 400
        assert response.headers["X-Experience-API-Version"] == expected
    # A request that names a version is answered in it, whatever the credential's own.
    response = client.get("/xapi/statements", headers={"Authorization": basic(made.principal.key, made.secret),
                                                      "X-Experience-API-Version": "1.0.3"})
    assert response.status_code == 200 and response.headers["X-Experience-API-Version"] == "1.0.3"
    with pytest.raises(ValueError):
        create_credential(app.extensions["yuedu"].engine, "kiosk-3", "kiosk", xapi_version="0.95")


def test_kiosk_reads_only_its_own_statements_admin_reads_all(app, client, kiosk, admin, make_statement):
    [own] = kiosk.post("/xapi/statements", json=make_statement()).json
    [staff] = admin.post("/xapi/statements", json=make_statement(2)).json
    assert kiosk.get(f"/xapi/statements?statementId={own}").status_code == 200
    assert kiosk.get(f"/xapi/statements?statementId={staff}").status_code == 404
    assert admin.get(f"/xapi/statements?statementId={own}").status_code == 200


def test_about_and_healthz(app, client):
    about = client.get("/xapi/about")
    assert about.status_code == 200
    assert "1.0.3" in about.json["version"] and "2.0.0" in about.json["version"]
    health = client.get("/healthz")
    assert health.json == {"status": "ok", "database": app.extensions["yuedu"].engine.dialect.name}


def test_bad_json_and_bad_utf8_are_400_with_reason(kiosk):
    for body in (b"{not json", b"\xff\xfe{}", b"[1, 2", b'{"a": NaN}', b'{"actor": 1, "actor": 2}', b"42"):
        response = kiosk.post("/xapi/statements", data=body, content_type="application/json")
        assert response.status_code == 400, body
        assert response.text.strip(), body


def test_request_size_limit(app, kiosk):
    app.config["MAX_CONTENT_LENGTH"] = 1000
    response = kiosk.post("/xapi/statements", data=b"[" + b" " * 2000 + b"]", content_type="application/json")
    assert response.status_code == 413


def test_stored_text_round_trips_big_integers_floats_and_any_text(admin, make_statement):
    # orjson writes the stored text; integers past 64 bits take the json module's path.
    extensions = {"https://x.org/big": 2 ** 70, "https://x.org/float": 0.1, "https://x.org/tiny": 5e-324,
                  "https://x.org/text": "字\u2028\"\\\t😀", "https://x.org/neg": -(2 ** 63)}
    statement = make_statement(3, result={"extensions": extensions})
    [statement_id] = admin.post("/xapi/statements", json=statement).json
    stored = admin.get(f"/xapi/statements?statementId={statement_id}").json
    assert stored["result"]["extensions"] == extensions
    assert type(stored["result"]["extensions"]["https://x.org/big"]) is int
