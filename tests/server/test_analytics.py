"""Wall figures and recommendations: the incremental rollup agrees with a direct scan; picks make sense."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from server.analytics.events import (EXTENSION_NAMESPACE, Event, effective_time, event_from_statement,
                                     extensions_by_name, split_activity_id)
from server.analytics.recommend import build_model, hit_rate_at_k, recommend
from server.analytics.wall import WallRollup, compute_wall, silent_kiosks

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 25, 6, 0, tzinfo=timezone.utc)  # Wednesday 14:00 in Shanghai


def statement(verb, obj, *, ts, stored, session="s1", success=None, scaled=None, kiosk="k1"):
    result = {}
    if success is not None:
        result["success"] = success
    if scaled is not None:
        result["score"] = {"scaled": scaled}
    return {
        "id": "x", "verb": {"id": f"http://adlnet.gov/expapi/verbs/{verb}"},
        "object": {"id": obj, "definition": {"name": {"zh-CN": obj.rsplit("/", 1)[-1]}}},
        "context": {"registration": session, "extensions": {"https://lib/extensions/kiosk": kiosk,
                                                            "https://lib/extensions/branch": "东区"}},
        "result": result, "timestamp": ts, "stored": stored,
    }


def test_statement_to_event():
    st_ = statement("answered", "https://lib/activities/org.x.idioms/idiom/%E7%94%BB%E8%9B%87%E6%B7%BB%E8%B6%B3",
                    ts="2026-11-25T05:00:00Z", stored="2026-11-25T05:00:01Z", success=True)
    ev = event_from_statement(st_)
    assert (ev.event, ev.package_id, ev.item_type, ev.item_id) == ("answered", "org.x.idioms", "idiom", "画蛇添足")
    assert ev.kiosk_id == "k1" and ev.branch == "东区" and ev.success is True and ev.session == "s1"
    assert split_activity_id("urn:other") == ("urn:other", "", "")
    assert event_from_statement({**st_, "verb": {"id": "http://example.org/liked"}}) is None


def test_extensions_are_read_from_the_namespace_and_from_the_older_form():
    new = statement("answered", "https://lib/activities/org.x/idiom/a", ts="2026-11-25T05:00:00Z",
                    stored="2026-11-25T05:00:01Z")
    new["context"]["extensions"] = {EXTENSION_NAMESPACE + "kiosk": "k9", EXTENSION_NAMESPACE + "branch": "西区",
                                    EXTENSION_NAMESPACE + "age-band": "6-8"}
    new["result"]["extensions"] = {EXTENSION_NAMESPACE + "nickname": "星星"}
    old = statement("answered", "https://lib/activities/org.x/idiom/a", ts="2026-11-25T05:00:00Z",
                    stored="2026-11-25T05:00:01Z")
    # kiosks before the namespace: `<activity_base>/extensions/<name>` in the context
    old["context"]["extensions"] = {"https://lib.example.org/yuedu/extensions/kiosk": "k9",
                                    "https://lib.example.org/yuedu/extensions/branch": "西区",
                                    "https://lib.example.org/yuedu/extensions/age-band": "6-8"}
    old["result"]["extensions"] = {"https://lib.example.org/yuedu/extensions/nickname": "星星"}
    for st_ in (new, old):
        ev = event_from_statement(st_)
        assert (ev.kiosk_id, ev.branch, ev.age_band, ev.nickname) == ("k9", "西区", "6-8", "星星")
    # someone else's key that only ends like ours is not read; ours wins over the older form
    assert extensions_by_name({"https://example.com/xapi/kiosk": "x"}) == {}
    assert extensions_by_name({"https://a.org/extensions/kiosk": "old", EXTENSION_NAMESPACE + "kiosk": "new"}) == {
        "kiosk": "new"}


def test_implausible_timestamps_fall_back_to_stored():
    stored = datetime(2026, 11, 25, tzinfo=timezone.utc)
    assert effective_time(stored - timedelta(days=3), stored) == stored - timedelta(days=3)  # offline kiosk
    assert effective_time(stored + timedelta(days=1), stored) == stored  # clock ahead
    assert effective_time(datetime(2000, 1, 1, tzinfo=timezone.utc), stored) == stored  # clock reset
    assert effective_time(None, stored) == stored


def make_event(i, event, session, package, day_offset, hour, item_type="", item="", success=None, score=None,
               kiosk="k1", branch="东区", band=""):
    at = NOW - timedelta(days=day_offset) + timedelta(hours=hour)
    return Event(str(i), event, session, package, item_type, item, item, kiosk, branch, band, success, score, "",
                 at, at + timedelta(seconds=1))


events_strategy = st.lists(
    st.tuples(
        st.sampled_from(["launched", "answered", "completed", "scored", "terminated"]),
        st.sampled_from(["s1", "s2", "s3", "s4"]),
        st.sampled_from(["pkg.a", "pkg.b"]),
        st.integers(0, 12), st.integers(-12, 12),
        st.sampled_from([("idiom", "画蛇添足"), ("idiom", "守株待兔"), ("poem", "静夜思"), ("", "")]),
        st.sampled_from([True, False, None]),
        st.sampled_from([None, 0.5, 0.9]),
        st.sampled_from(["k1", "k2"]), st.sampled_from(["", "6-8"]),
    ),
    max_size=60,
)


@settings(max_examples=150, deadline=None)
@given(events_strategy)
def test_rollup_agrees_with_direct_scan(rows):
    events = [make_event(i, ev, s, p, d, h, it, item, succ, score, kiosk=k, band=b)
              for i, (ev, s, p, d, h, (it, item), succ, score, k, b) in enumerate(rows)]
    rollup = WallRollup(SHANGHAI)
    for ev in events:
        rollup.add(ev)
    assert rollup.figures(NOW) == compute_wall(events, NOW, SHANGHAI)


def test_today_and_week_follow_the_library_time_zone():
    # 17:00 UTC on Tuesday is already Wednesday 01:00 in Shanghai: it counts as today there.
    late = make_event(1, "launched", "night", "pkg.a", 1, 11)
    early = make_event(2, "launched", "monday", "pkg.a", 2, 0)  # Monday 14:00 Shanghai: this week
    last_week = make_event(3, "launched", "sunday", "pkg.a", 3, 0)  # Sunday: last week
    figures = compute_wall([late, early, last_week], NOW, SHANGHAI)
    assert figures.visitors_today == 1 and figures.visitors_week == 2
    assert figures.plays_week == {"pkg.a": 2}
    assert figures.busiest_hours[1] == 1 and figures.busiest_hours[14] == 1


def test_silent_kiosks():
    seen = {"k1": NOW - timedelta(minutes=5), "k2": NOW - timedelta(hours=2)}
    assert silent_kiosks(seen, NOW) == ["k2"]


def test_recommendations_use_co_occurrence_and_never_repeat_the_item():
    sessions = [["静夜思", "望庐山瀑布"]] * 5 + [["静夜思", "春晓"]] * 2 + [["成语论箭"]] * 20
    model = build_model(sessions)
    picks = recommend(model, "静夜思", k=3)
    assert picks[0].item == "望庐山瀑布" and picks[0].reason == "also_enjoyed" and picks[0].because_of == "静夜思"
    assert all(p.item != "静夜思" for p in picks)
    assert {p.item for p in picks} == {"望庐山瀑布", "春晓", "成语论箭"}
    cold = recommend(model, "new-item", k=2, age_band="6-8", item_age_bands={"春晓": ["6-8"]})
    assert [(p.item, p.reason) for p in cold] == [("春晓", "for_your_age"), ("成语论箭", "popular")]


def test_hit_rate_beats_popularity_on_clustered_sessions():
    import random

    rng = random.Random(7)
    topics = [[f"t{t}-{i}" for i in range(6)] for t in range(8)]
    sessions = [rng.sample(topics[rng.randrange(8)], 3) for _ in range(600)]
    ours, baseline = hit_rate_at_k(sessions[:500], sessions[500:])
    assert ours > baseline + 0.2
