"""End to end: a scripted idiom-game session reported through the engagement API, posted over real HTTP to the
embedded service, read back with plain xAPI requests (by registration, by verb, by activity)."""
from __future__ import annotations

import base64
import json
import urllib.request
from urllib.parse import urlencode

from experiences.engagement import Item, ListSink, Place, SessionReporter, VERBS, build_result
from server.auth import create_credential
from server.embedded import start_embedded


class PlainXAPIClient:
    """The smallest real xAPI client: urllib, Basic auth, the version header."""

    def __init__(self, endpoint: str, key: str, secret: str):
        self.endpoint = endpoint
        self.headers = {"X-Experience-API-Version": "1.0.3", "Content-Type": "application/json",
                        "Authorization": "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode()}

    def send(self, method: str, path: str, body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.endpoint + path, data=data, method=method, headers=self.headers)
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.headers["X-Experience-API-Version"] == "1.0.3"
            return json.loads(response.read() or b"null")

    def all_statements(self, **params) -> list[dict]:
        page = self.send("GET", "/statements?" + urlencode({**params, "limit": 5}))
        statements = page["statements"]
        while page["more"]:
            page = self.send("GET", page["more"].removeprefix("/xapi"))
            statements += page["statements"]
        return statements


def _play_session(sink) -> SessionReporter:
    clock = [1_790_000_000.0]
    place = Place(activity_base="https://lib.example.org/", library="悦读图书馆", branch="east",
                  kiosk_id="kiosk-7", kiosk_name="east-1")
    session = SessionReporter(sink, place, wall_clock=lambda: clock[0], age_band="6-8")
    run = session.experience("org.example.library.idioms-children", "idiom-lanterns", "1.0.0",
                             {"zh-CN": "成语灯笼", "en": "Idiom lanterns"}, monotonic=lambda: clock[0])
    run.report("launched")
    run.report("initialized")
    for n, (idiom, correct) in enumerate([("画蛇添足", True), ("守株待兔", False), ("亡羊补牢", True)]):
        clock[0] += 4.0
        item = Item("idiom", f"{n:03d}", {"zh-CN": idiom}, "question")
        run.report("answered", item, build_result(response=idiom, success=correct, duration=4.0))
    run.report("scored", result=build_result(score=2, score_max=3))
    run.report("completed", result=build_result(completion=True, success=True))
    run.close()
    return session


def test_idiom_session_round_trip(data_dir):
    service = start_embedded(data_dir)
    try:
        sink = ListSink()
        session = _play_session(sink)
        kiosk = PlainXAPIClient(service.xapi_url, service.key, service.secret)
        for start in range(0, len(sink.statements), 4):  # the sender posts small batches
            assert kiosk.send("POST", "/statements", sink.statements[start:start + 4]) == [
                s["id"] for s in sink.statements[start:start + 4]]
        made = create_credential(service._app.extensions["yuedu"].engine, "wall", "admin")
        staff = PlainXAPIClient(service.xapi_url, made.principal.key, made.secret)

        stored = staff.all_statements(registration=session.session_id, ascending="true")
        assert [s["id"] for s in stored] == [s["id"] for s in sink.statements]
        assert [s["verb"]["id"] for s in stored][:2] == [VERBS["launched"][0], VERBS["initialized"][0]]
        assert stored[-1]["verb"]["id"] == VERBS["terminated"][0]
        answered = staff.all_statements(verb=VERBS["answered"][0])
        assert sorted(s["result"]["response"] for s in answered) == ["亡羊补牢", "守株待兔", "画蛇添足"]
        package_iri = sink.statements[0]["object"]["id"]
        in_package = staff.all_statements(activity=package_iri, related_activities="true")
        assert len(in_package) == len(sink.statements)
        actor = staff.all_statements(agent=json.dumps(session.actor))
        assert len(actor) == len(sink.statements)
        activity = staff.send("GET", "/activities?" + urlencode({"activityId": package_iri}))
        assert activity["definition"]["name"] == {"zh-CN": "成语灯笼", "en-US": "Idiom lanterns"}
    finally:
        service.stop()
