"""Statement queries: filters, related_*, since/until, ascending, limit with `more` paging, formats, voiding,
StatementRefs, and what a kiosk credential may see."""
from __future__ import annotations

import json
import uuid
from urllib.parse import urlencode

VOIDED = "http://adlnet.gov/expapi/verbs/voided"


def _get(client, **params):
    response = client.get("/xapi/statements?" + urlencode(params))
    assert response.status_code == 200, response.text
    assert response.headers["X-Experience-API-Consistent-Through"].endswith("Z")
    return response.json


def _ids(result) -> list[str]:
    return [s["id"] for s in result["statements"]]


def _post(client, statements):
    response = client.post("/xapi/statements", json=statements)
    assert response.status_code == 200, response.text
    return response.json


def test_filters_by_agent_verb_activity_registration(admin, make_statement):
    registration = str(uuid.uuid4())
    a = make_statement(1, id=str(uuid.uuid4()))
    b = make_statement(2, id=str(uuid.uuid4()), verb={"id": "http://adlnet.gov/expapi/verbs/completed"})
    c = make_statement(1, id=str(uuid.uuid4()))
    c["context"] = {"registration": registration,
                    "contextActivities": {"parent": {"id": "https://lib.example.org/activities/idioms"}}}
    _post(admin, [a, b, c])
    assert set(_ids(_get(admin, agent=json.dumps(a["actor"])))) == {a["id"], c["id"]}
    assert _ids(_get(admin, verb="http://adlnet.gov/expapi/verbs/completed")) == [b["id"]]
    assert set(_ids(_get(admin, activity=a["object"]["id"]))) == {a["id"], c["id"]}
    assert _ids(_get(admin, registration=registration)) == [c["id"]]
    parent = "https://lib.example.org/activities/idioms"
    assert _ids(_get(admin, activity=parent)) == []
    assert _ids(_get(admin, activity=parent, related_activities="true")) == [c["id"]]


def test_related_agents_include_group_members_and_context(admin, make_statement):
    helper = {"mbox": "mailto:librarian@lib.example.org"}
    statement = make_statement(5, id=str(uuid.uuid4()))
    statement["context"] = {"instructor": helper}
    _post(admin, [statement])
    assert _ids(_get(admin, agent=json.dumps(helper))) == []
    assert _ids(_get(admin, agent=json.dumps(helper), related_agents="true")) == [statement["id"]]


def test_order_since_until_and_more_paging(admin, make_statement):
    ids = []
    for n in range(7):  # separate requests: separate stored times (or the same, ordered by arrival)
        ids += _post(admin, [make_statement(n)])
    first_page = _get(admin, limit=3)
    assert _ids(first_page) == ids[::-1][:3]
    assert first_page["more"].startswith("/xapi/statements?more=")
    collected = _ids(first_page)
    more = first_page["more"]
    while more:
        page = admin.get(more).json
        collected += _ids(page)
        more = page["more"]
    assert collected == ids[::-1]
    ascending = _get(admin, ascending="true", limit=100)
    assert _ids(ascending) == ids and ascending["more"] == ""
    stored = {s["id"]: s["stored"] for s in ascending["statements"]}
    middle = stored[ids[3]]
    assert all(stored[i] > middle for i in _ids(_get(admin, since=middle)))
    assert all(stored[i] <= middle for i in _ids(_get(admin, until=middle)))
    assert ids[3] in _ids(_get(admin, until=middle))


def test_voiding_hides_the_statement_and_statement_refs_follow(admin, make_statement):
    target = make_statement(1, id=str(uuid.uuid4()))
    _post(admin, [target])
    voiding = {"actor": {"mbox": "mailto:staff@lib.example.org"}, "verb": {"id": VOIDED},
               "object": {"objectType": "StatementRef", "id": target["id"]}, "id": str(uuid.uuid4())}
    _post(admin, [voiding])
    assert admin.get(f"/xapi/statements?statementId={target['id']}").status_code == 404
    voided = admin.get(f"/xapi/statements?voidedStatementId={target['id']}")
    assert voided.status_code == 200 and voided.json["id"] == target["id"]
    # The voided statement is gone from queries, the voiding statement matches through its StatementRef.
    assert _ids(_get(admin, agent=json.dumps(target["actor"]))) == [voiding["id"]]
    # A voiding statement cannot itself be voided.
    again = {"actor": {"mbox": "mailto:staff@lib.example.org"}, "verb": {"id": VOIDED},
             "object": {"objectType": "StatementRef", "id": voiding["id"]}}
    _post(admin, [again])
    assert admin.get(f"/xapi/statements?statementId={voiding['id']}").status_code == 200


def test_formats_ids_and_canonical(admin, make_statement):
    statement = make_statement(3, id=str(uuid.uuid4()))
    statement["actor"]["name"] = "visitor"
    _post(admin, [statement])
    ids_only = _get(admin, format="ids")["statements"][0]
    assert ids_only["verb"] == {"id": statement["verb"]["id"]}
    assert ids_only["object"] == {"id": statement["object"]["id"]}
    assert "name" not in ids_only["actor"]
    english = admin.get("/xapi/statements?format=canonical", headers={"Accept-Language": "en-US"}).json
    assert english["statements"][0]["verb"]["display"] == {"en-US": "answered"}
    chinese = admin.get("/xapi/statements?format=canonical", headers={"Accept-Language": "zh-CN, en;q=0.5"}).json
    assert chinese["statements"][0]["verb"]["display"] == {"zh-CN": "作答"}


def test_bad_query_parameters_are_400(admin):
    for params in ({"limit": "-1"}, {"since": "yesterday"}, {"agent": "{not json"}, {"agent": '{"name": "x"}'},
                   {"verb": "no iri"}, {"registration": "nope"}, {"format": "pretty"}, {"ascending": "yes"},
                   {"colour": "blue"}, {"more": "garbage!"}):
        response = admin.get("/xapi/statements?" + urlencode(params))
        assert response.status_code == 400, params
        assert response.text.strip(), params
    both = admin.get(f"/xapi/statements?statementId={uuid.uuid4()}&verb=http://x.org/v")
    assert both.status_code == 400


def test_kiosk_queries_see_only_their_own(kiosk, admin, make_statement):
    _post(kiosk, [make_statement(1)])
    _post(admin, [make_statement(2)])
    assert len(_get(kiosk)["statements"]) == 1
    assert len(_get(admin)["statements"]) == 2


def test_head_answers_like_get_without_a_body(admin, make_statement):
    [statement_id] = _post(admin, [make_statement()])
    response = admin.head(f"/xapi/statements?statementId={statement_id}")
    assert response.status_code == 200 and response.data == b""
    assert admin.head("/xapi/statements").status_code == 200
