"""Property-based fuzzing of bad input: statements, bodies and query parameters always get a 2xx or a 4xx with
a reason, never a 5xx; oversized requests are refused."""
from __future__ import annotations

import base64
import copy
import json
from urllib.parse import urlencode

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                         HealthCheck.too_slow])

json_scalars = st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.floats(allow_nan=False) | st.text(max_size=30)
json_values = st.recursive(json_scalars, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(st.text(max_size=12), inner, max_size=4), max_leaves=12)
odd_strings = st.sampled_from(["", " ", "not an iri", "mailto:", "http://", "\u0000", "\ud800x", "2026-13-45T25:61:00Z",
                               "2026-11-23T10:00:00-00:00", "P", "PT", "P4W1D", "zh_CN", "x" * 5000, "💥", "\\u0000",
                               "javascript:alert(1)", "urn:uuid:1", "0" * 36, "6fbd600f-d17c-4c74-801a-2ec2e53231c8"])


def _assert_client_error_or_success(response) -> None:
    assert response.status_code < 500, response.text
    if response.status_code >= 400:
        assert response.text.strip(), "an error response must say why"


def _paths(value, prefix=()):
    """Every path into a JSON document, for mutations."""
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, prefix + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, prefix + (index,))


def _replace(document, path, new):
    if not path:
        return new
    target = document
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = new
    return document


@FUZZ
@given(data=st.data())
def test_mutated_statements_never_cause_a_server_error(admin, make_statement, data):
    statement = make_statement(data.draw(st.integers(0, 5)))
    statement["context"]["contextActivities"] = {"parent": [{"id": "https://lib.example.org/a"}]}
    statement["context"]["instructor"] = {"objectType": "Group", "member": [{"mbox": "mailto:a@b.org"}]}
    for _ in range(data.draw(st.integers(1, 3))):
        paths = list(_paths(statement))
        path = data.draw(st.sampled_from(paths))
        statement = _replace(copy.deepcopy(statement), path, data.draw(json_values | odd_strings))
    if isinstance(statement, dict) and data.draw(st.booleans()):
        statement[data.draw(st.text(min_size=1, max_size=10))] = data.draw(json_values)
    _assert_client_error_or_success(admin.post("/xapi/statements", json=statement))
    _assert_client_error_or_success(admin.post("/xapi/statements", json=[statement, make_statement(9)]))


@FUZZ
@given(body=st.binary(max_size=300) | json_values.map(lambda v: json.dumps(v).encode()))
def test_arbitrary_bodies_are_refused_cleanly(admin, body):
    for content_type in ("application/json", "multipart/mixed; boundary=b", "text/plain"):
        _assert_client_error_or_success(admin.post("/xapi/statements", data=body, content_type=content_type))
    _assert_client_error_or_success(admin.put("/xapi/statements?statementId=6fbd600f-d17c-4c74-801a-2ec2e53231c8",
                                              data=body, content_type="application/json"))


query_keys = st.sampled_from(["agent", "verb", "activity", "registration", "related_activities", "related_agents",
                              "since", "until", "limit", "format", "attachments", "ascending", "statementId",
                              "voidedStatementId", "more", "activityId", "stateId", "profileId"]) | st.text(max_size=8)


@FUZZ
@given(params=st.dictionaries(query_keys, odd_strings | st.text(max_size=40) | json_values.map(json.dumps), max_size=4))
def test_query_parameters_never_cause_a_server_error(admin, params):
    query = urlencode(params, errors="surrogatepass")  # lone surrogates become bad UTF-8 on the wire
    for path in ("/xapi/statements", "/xapi/activities/state", "/xapi/activities/profile", "/xapi/agents/profile",
                 "/xapi/activities", "/xapi/agents"):
        _assert_client_error_or_success(admin.get(f"{path}?{query}"))
    _assert_client_error_or_success(admin.put(f"/xapi/activities/state?{query}", data=b"{}",
                                              content_type="application/json"))


header_text = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n"), max_size=40)
encoded_garbage = st.binary(max_size=30).map(lambda raw: base64.b64encode(raw).decode())


@FUZZ
@given(version=header_text, auth=header_text | encoded_garbage)
def test_odd_headers_never_cause_a_server_error(client, admin, version, auth):
    headers = {"X-Experience-API-Version": version.encode("utf-8", "replace").decode("latin-1"),
               "Authorization": "Basic " + auth.encode("utf-8", "replace").decode("latin-1")}
    _assert_client_error_or_success(client.get("/xapi/statements", headers=headers))
    _assert_client_error_or_success(admin.get("/xapi/statements", headers={"X-Experience-API-Version": headers[
        "X-Experience-API-Version"]}))


def test_huge_and_deep_payloads(app, admin, make_statement):
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024
    huge = make_statement(1, result={"response": "字" * 100_000})
    response = admin.post("/xapi/statements", json=huge)
    assert response.status_code == 413 and response.text.strip()
    deep = b"[" * 20_000 + b"]" * 20_000
    response = admin.post("/xapi/statements", data=deep, content_type="application/json")
    assert response.status_code == 400 and "deep" in response.text
    app.config["MAX_BATCH_STATEMENTS"] = 10
    response = admin.post("/xapi/statements", json=[make_statement(n) for n in range(11)])
    assert response.status_code == 413


def test_credentials_with_nul_or_odd_bytes_are_401_on_every_database(client):
    # PostgreSQL cannot even compare text holding NUL: such a key must be refused before any query.
    for key in ("abc\x00def", "\x00", "ключ", "a" * 65, "key with spaces"):
        raw = base64.b64encode(f"{key}:secret".encode()).decode()
        response = client.get("/xapi/statements", headers={"X-Experience-API-Version": "1.0.3",
                                                           "Authorization": "Basic " + raw})
        assert response.status_code == 401, key


def test_numbers_too_large_for_a_double_are_refused_not_stored_as_infinity(admin, make_statement):
    # Python reads the valid JSON number 1e400 as infinity, which would be served back as the word Infinity.
    body = json.dumps(make_statement(7)).replace('"result": {', '"result": {"extensions": {"https://x.org/e": 1e400}, ')
    assert "1e400" in body
    response = admin.post("/xapi/statements", data=body, content_type="application/json")
    assert response.status_code == 400 and "too large" in response.text
    document = admin.put("/xapi/activities/state?activityId=https%3A%2F%2Fx.org%2Fa&stateId=s&agent="
                         "%7B%22mbox%22%3A%22mailto%3Aa%40x.org%22%7D", data=b'{"n": -1e999}',
                         content_type="application/json")
    assert document.status_code == 400 and "too large" in document.text  # JSON documents are parsed too
    merged = admin.post("/xapi/activities/state?activityId=https%3A%2F%2Fx.org%2Fa&stateId=s2&agent="
                        "%7B%22mbox%22%3A%22mailto%3Aa%40x.org%22%7D", data=b'{"n": 1e400}',
                        content_type="application/json")
    assert merged.status_code == 400 and "too large" in merged.text
