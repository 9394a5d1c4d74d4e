"""State, activity profile and agent profile documents: JSON merge, ETags, concurrency, listing, scopes."""
from __future__ import annotations

import hashlib
import json
from urllib.parse import urlencode

AGENT = json.dumps({"account": {"homePage": "https://lib.example.org/", "name": "session-1"}})
ACTIVITY = "https://lib.example.org/activities/idioms"


def _state(**extra):
    return "/xapi/activities/state?" + urlencode({"activityId": ACTIVITY, "agent": AGENT, **extra})


def test_state_put_get_merge_list_delete(kiosk):
    assert kiosk.put(_state(stateId="progress"), json={"round": 1, "score": 3}).status_code == 204
    got = kiosk.get(_state(stateId="progress"))
    assert got.status_code == 200 and got.json == {"round": 1, "score": 3}
    assert got.headers["ETag"] == '"' + hashlib.sha1(got.data).hexdigest() + '"'
    assert kiosk.post(_state(stateId="progress"), json={"round": 2, "streak": 4}).status_code == 204
    assert kiosk.get(_state(stateId="progress")).json == {"round": 2, "score": 3, "streak": 4}
    kiosk.put(_state(stateId="settings"), data=b"big-buttons", content_type="text/plain")
    assert kiosk.get(_state()).json == ["progress", "settings"]
    # Merging into a document that is not JSON is refused, and changes nothing.
    assert kiosk.post(_state(stateId="settings"), json={"a": 1}).status_code == 400
    assert kiosk.get(_state(stateId="settings")).data == b"big-buttons"
    assert kiosk.delete(_state(stateId="progress")).status_code == 204
    assert kiosk.get(_state(stateId="progress")).status_code == 404
    assert kiosk.delete(_state()).status_code == 204
    assert kiosk.get(_state()).json == []


def test_profile_concurrency_with_etags(admin):
    url = "/xapi/activities/profile?" + urlencode({"activityId": ACTIVITY, "profileId": "wall"})
    assert admin.put(url, json={"v": 1}).status_code == 400  # xAPI 1.0.3: say whether it should exist
    assert admin.put(url, json={"v": 1}, headers={"If-None-Match": "*"}).status_code == 204
    assert admin.put(url, json={"v": 2}, headers={"If-None-Match": "*"}).status_code == 412
    etag = admin.get(url).headers["ETag"]
    assert admin.put(url, json={"v": 2}).status_code == 409
    assert admin.put(url, json={"v": 2}, headers={"If-Match": '"0000"'}).status_code == 412
    assert admin.put(url, json={"v": 2}, headers={"If-Match": etag}).status_code == 204
    assert admin.get(url).json == {"v": 2}
    assert admin.delete(url, headers={"If-Match": etag}).status_code == 412
    assert admin.get(url).json == {"v": 2}


def test_agent_profile_and_required_parameters(admin):
    url = "/xapi/agents/profile?" + urlencode({"agent": AGENT, "profileId": "prefs"})
    assert admin.put(url, json={"pinyin": True}, headers={"If-None-Match": "*"}).status_code == 204
    assert admin.get(url).json == {"pinyin": True}
    assert admin.get("/xapi/agents/profile?profileId=prefs").status_code == 400
    assert admin.get("/xapi/agents/profile?" + urlencode({"agent": "{}", "profileId": "p"})).status_code == 400
    assert admin.put(_state(), json={}).status_code == 400  # no stateId
    assert admin.get(_state(registration="not-a-uuid")).status_code == 400
    assert admin.get(_state(since="not a time")).status_code == 400


def test_kiosk_cannot_read_or_overwrite_another_kiosks_state(app, client, kiosk):
    from server.auth import create_credential

    other_made = create_credential(app.extensions["yuedu"].engine, "kiosk-2")
    other = type(kiosk)(client, other_made.principal.key, other_made.secret)
    kiosk.put(_state(stateId="progress"), json={"mine": True})
    assert other.get(_state(stateId="progress")).status_code == 404
    assert other.put(_state(stateId="progress"), json={"theirs": True}).status_code == 403
    assert kiosk.get(_state(stateId="progress")).json == {"mine": True}
    profile = "/xapi/activities/profile?" + urlencode({"activityId": ACTIVITY, "profileId": "wall"})
    assert kiosk.put(profile, json={}, headers={"If-None-Match": "*"}).status_code == 403


def test_activities_and_agents_resources(admin, make_statement):
    first = make_statement(1)
    second = make_statement(1)
    second["object"]["definition"] = {"name": {"en-US": "Drawing legs on a snake"}}
    admin.post("/xapi/statements", json=[first, second])
    activity = admin.get("/xapi/activities?" + urlencode({"activityId": first["object"]["id"]})).json
    assert activity["definition"]["name"] == {"zh-CN": "画蛇添足", "en-US": "Drawing legs on a snake"}
    person = admin.get("/xapi/agents?" + urlencode({"agent": AGENT})).json
    assert person["objectType"] == "Person" and person["account"] == [json.loads(AGENT)["account"]]
    assert admin.get("/xapi/activities").status_code == 400
