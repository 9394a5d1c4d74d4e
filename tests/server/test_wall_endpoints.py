"""Wall endpoints: the token guards the lobby page, stream and JSON; staff rights guard reports and CSV;
kiosk credentials get recommendations. Answers are checked against the raw-statement reference."""
from __future__ import annotations

import base64
import csv
import io
from dataclasses import asdict
from datetime import date, timedelta

import pytest

from server.wall import generate
from server.wall.queries import raw_figures
from server.wall.routes import wall_services
from wall_fixtures import NOW, TOKEN, credentials, make_app, seed


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    app = make_app(tmp_path_factory.mktemp("wall"))  # read-only tests share one seeded database
    seed(app, 800)
    yield app
    app.extensions["yuedu"].engine.dispose()


def basic(key, secret):
    return {"Authorization": "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode()}


@pytest.fixture
def client(app):
    return app.test_client()


def reference(app):
    services = wall_services(app)
    return asdict(raw_figures(services.job.engine, NOW, services.tz))


@pytest.mark.parametrize("path", ["/wall", "/wall/stream", "/wall/panels", "/wall/api/all", "/wall/api/screens",
                                  "/wall/api/visitors"])
def test_lobby_paths_need_the_wall_token(client, path):
    assert client.get(path).status_code == 404
    assert client.get(f"{path}?token=wrong").status_code == 404


def test_no_configured_token_means_no_wall(tmp_path):
    app = make_app(tmp_path, WALL_TOKEN=None)
    assert app.test_client().get("/wall?token=").status_code == 404


def test_wall_json_parts_match_the_raw_statements(app, client):
    expected = reference(app)
    body = client.get(f"/wall/api/all?token={TOKEN}").get_json()
    assert body["visitors"] == {"today": expected["visitors_today"], "week": expected["visitors_week"],
                                "repeat_plays_week": expected["repeat_plays_week"]}
    assert body["plays"]["week"] == expected["plays_week"] and body["plays"]["today"] == expected["plays_today"]
    assert body["plays"]["titles"]["poems-recital"]["zh-CN"] == "唐诗朗诵"
    assert [tuple(x) for x in body["idioms"]["right"]] == expected["idioms_right"]
    assert [tuple(x) for x in body["idioms"]["missed"]] == expected["idioms_missed"]
    assert [tuple(x) for x in body["poems"]["recited"]] == expected["poems_recited"]
    assert [(r["score"], r["nickname"], r["poem"]) for r in body["poems"]["best_readings"]] == expected["best_readings"]
    assert all(r["label"] == (r["nickname"] or "小读者") for r in body["poems"]["best_readings"])
    assert body["hours"]["launches_per_hour"] == expected["busiest_hours"]
    assert body["places"]["branches_week"] == expected["branches_week"]
    assert body["places"]["kiosks_today"] == expected["kiosks_today"]
    assert body["ages"]["age_bands_week"] == expected["age_bands_week"]
    assert body["content"]["new_content"] == expected["new_content"]
    assert client.get(f"/wall/api/nonsense?token={TOKEN}").status_code == 404


def test_panels_answer_204_while_the_page_is_current(client):
    first = client.get(f"/wall/panels?token={TOKEN}&screen=lobby1")
    assert first.status_code == 200 and first.headers["Cache-Control"] == "no-store"
    body = first.get_json()
    assert 'id="visitors-today"' in body["html"] and len(body["version"]) == 16
    same = client.get(f"/wall/panels?token={TOKEN}&screen=lobby1&have={body['version']}")
    assert same.status_code == 204 and same.data == b""
    stale = client.get(f"/wall/panels?token={TOKEN}&screen=lobby1&have=0123456789abcdef")
    assert stale.status_code == 200 and stale.get_json() == body
    english = client.get(f"/wall/panels?token={TOKEN}&lang=en&have={body['version']}").get_json()
    assert english["version"] != body["version"] and "Visitors today" in english["html"]
    page = client.get(f"/wall?token={TOKEN}").get_data(as_text=True)
    assert f'data-version="{body["version"]}"' in page  # the page starts current: its first ask is a 204


def test_new_statements_change_the_panels_version(tmp_path):
    app = make_app(tmp_path)
    seed(app, 100)
    client = app.test_client()
    before = client.get(f"/wall/panels?token={TOKEN}").get_json()
    generate.bulk_insert(wall_services(app).job.engine, generate.generate(40, NOW, days=1, seed=9))
    wall_services(app).job.run()
    after = client.get(f"/wall/panels?token={TOKEN}&have={before['version']}")
    assert after.status_code == 200 and after.get_json()["version"] != before["version"]
    app.extensions["yuedu"].engine.dispose()


def test_a_screen_that_went_away_is_forgotten_within_30_s(tmp_path):
    clock = [NOW]
    app = make_app(tmp_path, WALL_CLOCK=lambda: clock[0])
    client = app.test_client()

    def live():
        return [s["screen"] for s in client.get(f"/wall/api/screens?token={TOKEN}").get_json()["screens"]]

    client.get(f"/wall/panels?token={TOKEN}&screen=entrance")
    client.get(f"/wall/panels?token={TOKEN}&screen=children-room&lang=en")
    client.get(f"/wall/panels?token={TOKEN}&screen=<script>")  # not a page's id: not listed
    assert live() == ["children-room", "entrance"]  # first seen together: by id
    for _ in range(6):  # the entrance screen keeps asking every 5 s; the children's room screen was switched off
        clock[0] += timedelta(seconds=5)
        client.get(f"/wall/panels?token={TOKEN}&screen=entrance")
    assert live() == ["entrance"]  # 30 s after its last ask: gone
    screens = client.get(f"/wall/api/screens?token={TOKEN}").get_json()["screens"]
    assert screens[0]["last_seen"] == clock[0].isoformat() and screens[0]["first_seen"] == NOW.isoformat()
    clock[0] += timedelta(seconds=31)
    assert live() == []
    app.extensions["yuedu"].engine.dispose()


def test_the_old_stream_sends_the_panels_once_and_ends(client):
    # Pages opened before the upgrade still use EventSource: they get one push and reconnect 5 s later.
    response = client.get(f"/wall/stream?token={TOKEN}")
    assert response.mimetype == "text/event-stream"
    body = response.get_data(as_text=True)
    assert body.startswith("retry: 5000\n\nevent: panels\ndata: ") and body.endswith("\n\n")
    assert 'id=\\"visitors-today\\"' in body


def test_reports_need_staff_credentials(app, client):
    from portal_helpers import signed_in

    kiosk = basic(*credentials(app, "kiosk"))
    for path in ("/wall/reports", "/wall/reports.csv"):
        # Not staff: a browser is sent to the portal's sign-in page; other credentials are refused.
        anonymous = client.get(path)
        assert anonymous.status_code == 302 and "/portal/login" in anonymous.headers["Location"]
        for headers in (basic("nobody", "nothing"), kiosk):
            assert client.get(path, headers=headers).status_code in (401, 403)
    curator = signed_in(app, "curator", "wall-staff")
    assert curator.get("/wall/reports?start=2026-11-19&end=2026-11-25").status_code == 200
    staff = basic(*credentials(app, "admin"))
    page = client.get("/wall/reports?start=2026-11-19&end=2026-11-25", headers=staff)
    assert page.status_code == 200 and "每日概况".encode() in page.data
    bad = client.get("/wall/reports?start=2026-11-25&end=2026-11-19", headers=staff)
    assert bad.status_code == 400 and "开始日期不能晚于结束日期".encode() in bad.data
    assert client.get("/wall/reports.csv?start=25.11.2026", headers=staff).status_code == 400


def _csv(response) -> list[list[str]]:
    text = response.data.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_csv_daily_rows_per_branch_add_up_to_the_whole(app, client):
    staff = basic(*credentials(app, "admin"))
    week = "start=2026-11-23&end=2026-11-25"
    whole = _csv(client.get(f"/wall/reports.csv?{week}&table=daily", headers=staff))
    assert whole[0] == ["日期", "访客", "游玩次数", "答对", "答错", "朗诵", "重玩"]
    assert [row[0] for row in whole[1:]] == ["2026-11-23", "2026-11-24", "2026-11-25"]
    expected = reference(app)
    assert sum(int(row[2]) for row in whole[1:]) == sum(expected["plays_week"].values())
    today = whole[-1]
    assert int(today[1]) == expected["visitors_today"]
    per_branch = [_csv(client.get(f"/wall/reports.csv?{week}&table=daily&branch={b}", headers=staff))
                  for b in expected["branches_week"]]
    for column in (2, 3, 4, 5, 6):  # counts split cleanly by branch (visitors may visit two branches: not summed)
        assert sum(int(rows[i][column]) for rows in per_branch for i in range(1, 4)) == \
            sum(int(row[column]) for row in whole[1:])
    english = _csv(client.get(f"/wall/reports.csv?{week}&table=packages&lang=en", headers=staff))
    assert english[0] == ["Experience", "Title", "Plays"]
    assert {row[0]: int(row[2]) for row in english[1:]} == expected["plays_week"]
    idioms = _csv(client.get(f"/wall/reports.csv?{week}&table=idioms", headers=staff))
    right = {row[0]: int(row[1]) for row in idioms[1:]}
    assert sorted(right.items(), key=lambda kv: (-kv[1], kv[0]))[:10] == \
        [tuple(x) for x in expected["idioms_right"]]
    assert client.get(f"/wall/reports.csv?{week}&table=secrets", headers=staff).status_code == 400


def test_default_report_range_is_the_last_seven_days(app, client):
    staff = basic(*credentials(app, "admin"))
    rows = _csv(client.get("/wall/reports.csv", headers=staff))
    assert rows[1][0] == date(2026, 11, 19).isoformat() and rows[-1][0] == "2026-11-25"


def test_recommendations_for_a_kiosk(app, client):
    assert client.get("/api/recommendations?after=poems-recital").status_code == 401
    kiosk = basic(*credentials(app, "kiosk"))
    assert client.get("/api/recommendations", headers=kiosk).status_code == 400
    item = "https://lib.example.org/activities/poems-recital/poem/%E9%9D%99%E5%A4%9C%E6%80%9D"
    body = client.get(f"/api/recommendations?after={item}&age_band=6-8&kiosk=kiosk-a1", headers=kiosk).get_json()
    assert body["after"] == "poems-recital"
    picks = body["picks"]
    assert 3 <= len(picks) <= 5
    assert "poems-recital" not in [p["package"] for p in picks]
    first = picks[0]
    assert first["reason"] == "also_enjoyed"
    verb = "读了" if first["kind"] == "recitation" else "看了" if first["kind"].startswith("exhibit") else "玩了"
    assert first["text"]["zh-CN"] == f"喜欢《唐诗朗诵》的小朋友也{verb}《{first['title']['zh-CN']}》"
    assert first["text"]["en"].startswith("Children who liked “Tang poem recital” also ")
    scores = [p["score"] for p in picks]
    assert scores == sorted(scores, reverse=True)
    three = client.get("/api/recommendations?after=idiom-chain&k=3", headers=kiosk).get_json()["picks"]
    assert len(three) == 3 and "idiom-chain" not in [p["package"] for p in three]


def test_the_server_folds_new_statements_on_its_own(tmp_path):
    app = make_app(tmp_path, TESTING=False, WALL_ROLLUP_SECONDS=0.05)
    services = wall_services(app)
    try:
        generate.bulk_insert(services.job.engine, generate.generate(50, NOW, days=1))
        assert services.job.wait_for_change(0, timeout=20) > 0  # the timer thread ran the job
        assert services.job.watermark() > 0
    finally:
        services.stop.set()
        app.extensions["yuedu"].engine.dispose()


def test_wall_page_in_both_languages(client):
    chinese = client.get(f"/wall?token={TOKEN}").get_data(as_text=True)
    english = client.get(f"/wall?token={TOKEN}&lang=en").get_data(as_text=True)
    assert "今日访客" in chinese and "唐诗朗诵" in chinese and "/wall/panels?token=" in chinese
    assert "Visitors today" in english and "Tang poem recital" in english and "今日访客" not in english
    assert "<script src" not in chinese and "http://" not in chinese.replace("http://www.w3.org", "")  # no CDN


@pytest.mark.parametrize("history", ["none", "none today"])
def test_the_wall_shows_no_data_on_a_new_day_or_a_new_database(tmp_path, history):
    # A new library, and every morning before the first play: the hours chart has nothing to draw.
    app = make_app(tmp_path)
    if history == "none today":
        seed(app, count=200, now=NOW.replace(day=NOW.day - 3), days=2)
    client = app.test_client()
    page = client.get(f"/wall?token={TOKEN}")
    assert page.status_code == 200 and "暂无数据" in page.get_data(as_text=True)
    assert client.get(f"/wall/api/all?token={TOKEN}").status_code == 200
    assert "暂无数据" in client.get(f"/wall/panels?token={TOKEN}").get_json()["html"]


def test_panels_are_rendered_again_at_most_every_few_seconds_while_data_pours_in(tmp_path):
    clock = [NOW]
    app = make_app(tmp_path, WALL_CLOCK=lambda: clock[0], WALL_RENDER_SECONDS=600)
    seed(app, 100)
    client = app.test_client()
    before = client.get(f"/wall/panels?token={TOKEN}").get_json()["version"]
    generate.bulk_insert(wall_services(app).job.engine, generate.generate(40, NOW, days=1, seed=9))
    wall_services(app).job.run()
    assert client.get(f"/wall/panels?token={TOKEN}&have={before}").status_code == 204  # rendered a moment ago
    clock[0] += timedelta(minutes=1)  # the header's minute always shows, with the new figures
    after = client.get(f"/wall/panels?token={TOKEN}&have={before}")
    assert after.status_code == 200 and after.get_json()["version"] != before
    app.extensions["yuedu"].engine.dispose()


def test_the_screens_list_is_bounded():
    from server.wall.screens import Screens

    screens = Screens(timedelta(seconds=30), limit=3)
    for n in range(5):
        screens.seen(f"s{n}", NOW + timedelta(seconds=n))
    assert [s.id for s in screens.live(NOW + timedelta(seconds=5))] == ["s2", "s3", "s4"]  # the longest silent went
