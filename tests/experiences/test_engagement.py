"""The engagement API turns events into well-formed, pseudonymous xAPI statements."""
from __future__ import annotations

import uuid

import pytest

from experiences.engagement import (EXTENSION_NAMESPACE, VERBS, Item, ListSink, Place, SessionReporter, build_result,
                                   extension_iri, extension_name)


def make_reporter(sink, clock_values=None):
    place = Place(activity_base="https://lib.example.org/yuedu/", library="市图书馆", branch="东区",
                  kiosk_id="k-1", kiosk_name="booth-1")
    session = SessionReporter(sink, place, wall_clock=lambda: 1_700_000_000.0)
    ticks = iter(clock_values or [0.0, 12.5, 30.0, 31.0])
    return session, session.experience("org.yuedu.idioms.children", "idiom-lanterns", "1.0.0",
                                       {"zh-CN": "成语论箭", "en": "Idiom Archery"}, monotonic=lambda: next(ticks))


def test_answered_statement_shape():
    sink = ListSink()
    session, reporter = make_reporter(sink)
    item = Item("idiom", "画蛇添足", {"zh-CN": "画蛇添足"}, activity_type="question")
    st = reporter.report("answered", item, build_result(success=True, response="足", duration=4.2,
                                                        extensions={"attempts": 2}))
    assert sink.statements == [st]
    uuid.UUID(st["id"])
    assert st["actor"] == {"objectType": "Agent",
                           "account": {"homePage": "https://lib.example.org/yuedu/", "name": session.session_id}}
    assert st["verb"]["id"] == "http://adlnet.gov/expapi/verbs/answered"
    assert st["object"]["id"] == ("https://lib.example.org/yuedu/activities/org.yuedu.idioms.children/idiom/"
                                  "%E7%94%BB%E8%9B%87%E6%B7%BB%E8%B6%B3")
    assert st["object"]["definition"]["type"] == "http://adlnet.gov/expapi/activities/question"
    assert st["context"]["registration"] == session.session_id
    assert st["context"]["contextActivities"]["parent"][0]["id"].endswith("/activities/org.yuedu.idioms.children")
    ext = st["context"]["extensions"]
    assert ext["https://w3id.org/yuedu/xapi/extensions/branch"] == "东区"
    assert st["result"] == {"success": True, "response": "足", "duration": "PT4.20S",
                            "extensions": {"https://w3id.org/yuedu/xapi/extensions/attempts": 2}}
    assert st["timestamp"] == "2023-11-14T22:13:20.000Z"


def test_close_happens_once_with_duration():
    sink = ListSink()
    _, reporter = make_reporter(sink, [100.0, 112.5, 113.0])
    first = reporter.close("abandoned")
    assert first["verb"]["id"] == VERBS["abandoned"][0]
    assert first["result"]["duration"] == "PT12.50S"
    assert reporter.close("terminated") is None
    assert len(sink.statements) == 1


def test_score_is_scaled_and_clamped():
    assert build_result(score=85, score_max=100)["score"] == {"raw": 85.0, "min": 0.0, "max": 100, "scaled": 0.85}
    assert build_result(score=120, score_max=100)["score"]["raw"] == 100


def test_unknown_event_is_refused():
    _, reporter = make_reporter(ListSink())
    with pytest.raises(ValueError, match="unknown engagement event"):
        reporter.report("liked")


def test_no_personal_data_in_actor():
    sink = ListSink()
    s1, r1 = make_reporter(sink)
    s2, _ = make_reporter(sink)
    assert s1.session_id != s2.session_id
    st = r1.report("launched")
    assert set(st["actor"]) == {"objectType", "account"}


def test_every_extension_key_is_an_iri_in_the_project_namespace_whatever_the_library():
    sink = ListSink()
    session, reporter = make_reporter(sink)
    session.age_band = "6-8"
    result = build_result(success=True, extensions={"attempts": 1, "hints": 0})
    st = reporter.report("answered", Item("idiom", "画蛇添足"), result, extensions={"recitation-share": "queued"})
    assert result["extensions"] == {"attempts": 1, "hints": 0}  # the caller's result is left as it was
    assert set(st["result"]["extensions"]) == {EXTENSION_NAMESPACE + "attempts", EXTENSION_NAMESPACE + "hints"}
    assert set(st["context"]["extensions"]) == {EXTENSION_NAMESPACE + name for name in (
        "kiosk", "kiosk-name", "library", "branch", "kind", "package-version", "age-band", "recitation-share")}
    # The library's activity_base names its activities and actors, never the extension keys.
    assert st["object"]["id"].startswith("https://lib.example.org/yuedu/activities/")
    assert EXTENSION_NAMESPACE.startswith("https://") and not EXTENSION_NAMESPACE.startswith(session.place.activity_base)


@pytest.mark.parametrize("key", ["https://lib.example.org/yuedu/extensions/attempts", "Attempts", "hidden position",
                                 "attempts/2", "", "扩展"])
def test_kinds_pass_short_names_only(key):
    _, reporter = make_reporter(ListSink())
    with pytest.raises(ValueError, match="short name"):
        reporter.report("scored", result=build_result(extensions={key: 1}))
    with pytest.raises(ValueError, match="short name"):
        reporter.report("interacted", extensions={key: 1})


def test_extension_names_are_read_back_from_new_and_old_keys():
    assert extension_name(extension_iri("age-band")) == "age-band"
    # what kiosks sent before the namespace: <activity_base>/extensions/<name>, any library's base
    assert extension_name("https://lib.example.org/yuedu/extensions/branch") == "branch"
    assert extension_name("https://yuedu.example.org/extensions/kiosk-name") == "kiosk-name"
    assert extension_name("https://yuedu.example.org/extensions/a%20b") == "a b"
    for foreign in ("https://example.com/xapi/kiosk", "attempts", "https://x.org/extensions/", "urn:x:extensions/k",
                    EXTENSION_NAMESPACE + "a/b", None):
        assert extension_name(foreign) is None
