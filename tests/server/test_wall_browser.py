"""The lobby page in Debian's chromium (Playwright): key figures read from the page text match the data, its polling
brings new statements in without a reload, and screenshots at 1920×1080 and 1080×1920."""
from __future__ import annotations

import os
from dataclasses import asdict
from datetime import timedelta
from pathlib import Path

import pytest

from server.analytics.wall import silent_kiosks
from server.wall import generate
from server.wall.queries import raw_figures
from server.wall.routes import wall_services
from tests.server.a11y_audit import chromium
from tests.server.portal_helpers import serving
from wall_fixtures import NOW, TOKEN, make_app, seed



@pytest.fixture
def live_app(tmp_path):
    app = make_app(tmp_path, WALL_POLL_SECONDS=1)
    seed(app, 1500)
    with serving(app) as url:
        yield app, url


def text(page, selector: str) -> str:
    return page.locator(selector).inner_text().strip()


def test_wall_page_shows_the_data_and_updates_live(live_app, tmp_path):
    app, base = live_app
    services = wall_services(app)
    expected = raw_figures(services.job.engine, NOW, services.tz)
    shots = Path(os.environ.get("YUEDU_WALL_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1920, "height": 1080})
        page.goto(f"{base}/wall?token={TOKEN}")
        assert int(text(page, "#visitors-today")) == expected.visitors_today > 0
        assert int(text(page, "#visitors-week")) == expected.visitors_week
        assert int(text(page, "#repeat-plays")) == expected.repeat_plays_week
        top_right, top_right_n = expected.idioms_right[0]
        assert text(page, "#idioms-right li:first-child .name") == f"✓ {top_right}"
        assert int(text(page, "#idioms-right li:first-child .n")) == top_right_n
        score, nickname, poem = expected.best_readings[0]
        assert text(page, "#readings li:first-child .name") == f"{nickname or '小读者'} ·《{poem}》"
        assert float(text(page, "#readings li:first-child .n")) == score
        busiest = expected.busiest_hours.index(max(expected.busiest_hours))
        assert text(page, "#busiest-hour") == f"最热闹：{busiest}时"
        plays = page.locator("#plays li .n").all_text_contents()
        assert sorted(int(n) for n in plays) == sorted(expected.plays_week.values())
        assert "镇馆之宝" in page.locator(".plays .land svg").text_content()  # chart labels in Chinese
        silent = silent_kiosks(expected.kiosk_last_seen, NOW, timedelta(minutes=30))
        assert silent and all(k in text(page, "#silent") for k in silent[:2])
        if len(silent) > 2:
            assert f"另有 {len(silent) - 2} 台失联" in text(page, "#silent")
        ages = page.locator("#ages li .n").all_text_contents()
        assert sorted(int(n) for n in ages) == sorted(expected.age_bands_week.values())
        page.screenshot(path=str(shots / "wall-1920x1080.png"))

        # The page polls for its panels; new statements arrive and it shows them without a reload. (Predicates
        # are functions: a string expression is eval'd in the page, which the wall's CSP refuses.)
        version = page.evaluate("document.getElementById('wall').dataset.version")
        page.wait_for_function(
            "() => performance.getEntriesByType('resource').some(r => r.name.includes('/wall/panels'))",
            timeout=15000)  # it has asked at least once (and was told: no change)
        assert page.evaluate("document.getElementById('wall').dataset.version") == version
        import random

        fresh = [generate.session_statements(random.Random(100 + i), NOW - timedelta(minutes=20))
                 for i in range(3)]
        brand_new = generate.statement("launched", "new-visitor", generate.PLACES[0], "6-8", NOW - timedelta(minutes=3),
                                       ("new-poems", "recitation", "新诗上架", "New poems"))
        fresh.append([brand_new])
        generate.bulk_insert(services.job.engine, [(s, NOW - timedelta(minutes=2)) for batch in fresh for s in batch])
        services.job.run()
        after = asdict(raw_figures(services.job.engine, NOW, services.tz))
        assert after["visitors_today"] == expected.visitors_today + 4
        page.wait_for_function(
            f"() => document.getElementById('visitors-today').textContent.trim() === '{after['visitors_today']}'",
            timeout=15000)
        assert page.evaluate("document.getElementById('wall').dataset.version") != version
        screens = page.evaluate(f"fetch('/wall/api/screens?token={TOKEN}').then(r => r.json())")["screens"]
        assert len(screens) == 1 and screens[0]["lang"] == "zh-CN"  # this page, live
        assert "新诗上架" in text(page, "#new-content")
        assert page.evaluate("performance.getEntriesByType('navigation').length") == 1  # no reload happened

        page.set_viewport_size({"width": 1080, "height": 1920})
        assert int(text(page, "#visitors-week")) == after["visitors_week"]
        page.screenshot(path=str(shots / "wall-1080x1920.png"))
    assert (shots / "wall-1920x1080.png").stat().st_size > 20000
    assert (shots / "wall-1080x1920.png").stat().st_size > 20000


def test_wall_page_rides_out_a_server_it_cannot_reach(live_app):
    """Asks that fail back off and resume; after 10 minutes without an answer the page reloads (fake page clock)."""
    app, base = live_app
    services = wall_services(app)
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1920, "height": 1080})
        page.clock.install()
        page.goto(f"{base}/wall?token={TOKEN}")
        page.evaluate("window.sameDocument = true")
        before = int(text(page, "#visitors-today"))

        def advance(seconds: int, steps: int) -> None:
            for _ in range(steps):  # a step at a time: each failed ask schedules the next one after it fails
                page.clock.fast_forward(seconds * 1000)
                page.wait_for_timeout(60)

        page.route("**/wall/panels*", lambda route: route.abort())
        advance(30, 6)  # three minutes unreachable
        page.unroute("**/wall/panels*")
        import random

        fresh = generate.session_statements(random.Random(7), NOW - timedelta(minutes=10))
        generate.bulk_insert(services.job.engine, [(s, NOW - timedelta(minutes=2)) for s in fresh])
        services.job.run()
        for _ in range(40):
            advance(30, 1)
            if int(text(page, "#visitors-today")) == before + 1:
                break
        assert int(text(page, "#visitors-today")) == before + 1  # asking again, no reload
        assert page.evaluate("window.sameDocument") is True

        page.route("**/wall/panels*", lambda route: route.abort())
        advance(30, 24)  # twelve minutes unreachable: the page reloads itself (the page URL still answers)
        page.wait_for_function("() => window.sameDocument === undefined", timeout=15000)
        assert int(text(page, "#visitors-today")) == before + 1
