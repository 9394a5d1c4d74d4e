"""「What next?」on the kiosk: picks fetched from a live server off the frame loop and cached; offline or a
server that never answers falls back to the cache; the shell shows big cards after an experience and opens one."""
from __future__ import annotations

import base64
import io
import json
import socket
import threading

import pygame
import pytest
from werkzeug.serving import make_server

from experiences.config import KioskConfig
from experiences.engagement import VERBS
from experiences.kiosk import testing
from experiences.kiosk.states import MENU, RUNNING
from experiences.kiosk.testing import click
from experiences.kiosk.whatnext import CACHE_FILE, Pick, PickSource, complete, server_root
from experiences.package import open_package

SIZE = (1280, 720)


@pytest.fixture
def live_server(tmp_path):
    from datetime import datetime, timezone

    from server import create_app
    from server.auth import create_credential
    from server.wall import generate
    from server.wall.routes import wall_services

    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'lrs.sqlite3'}", "TESTING": True})
    generate.bulk_insert(app.extensions["yuedu"].engine,
                         generate.generate(400, datetime(2026, 11, 25, tzinfo=timezone.utc), days=5))
    wall_services(app).job.run()
    made = create_credential(app.extensions["yuedu"].engine, "kiosk-a1", "kiosk")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/xapi", made.principal.key, made.secret
    server.shutdown()
    server.server_close()
    app.extensions["yuedu"].engine.dispose()


def test_server_root_from_configured_urls():
    assert server_root("http://lrs:8400/xapi/") == "http://lrs:8400"
    assert server_root("http://lrs:8400/xapi/statements") == "http://lrs:8400"
    assert server_root("http://lrs:8400") == "http://lrs:8400"


def test_picks_come_from_the_server_and_the_cache_serves_when_offline(live_server, tmp_path):
    url, key, secret = live_server
    source = PickSource(lambda: (url, key, secret), tmp_path)
    pending = source.request("poems-recital", "6-8", "kiosk-a1")
    assert pending.cached == []  # nothing cached yet
    assert pending.done.wait(20)
    assert pending.fresh and 3 <= len(pending.fresh) <= 5
    assert "poems-recital" not in [p.package for p in pending.fresh]
    assert pending.fresh[0].text["zh-CN"].startswith("喜欢《唐诗朗诵》的小朋友也")
    assert json.loads((tmp_path / CACHE_FILE).read_text(encoding="utf-8"))["by_after"]["poems-recital"]

    # Offline: a port kept bound and never listening refuses every connection (a port let go could be taken by
    # another process's server meanwhile, e.g. a second test run's).
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{closed.getsockname()[1]}"
        offline = PickSource(lambda: (dead, key, secret), tmp_path, timeout=1.0)
        pending = offline.request("poems-recital")
        assert [p.package for p in pending.cached] == [p.package for p in source.cached("poems-recital")]
        assert pending.done.wait(10) and pending.fresh is None
    assert pending.best() == pending.cached
    # For a package never asked about, the cached answers still give plain picks (no reason line).
    other = offline.cached("exhibit-book")
    assert other and "exhibit-book" not in [p.package for p in other] and all(not p.text for p in other)


def test_a_server_that_never_answers_is_given_up_on(tmp_path):
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)  # accepts the connection, never answers
        url = f"http://127.0.0.1:{silent.getsockname()[1]}"
        source = PickSource(lambda: (url, "k", "s"), tmp_path, timeout=0.3)
        pending = source.request("idiom-chain")
        assert pending.done.wait(10)
        assert pending.fresh is None and pending.cached == []


def test_complete_keeps_to_the_catalog_and_never_offers_the_same_package():
    picks = [Pick("a"), Pick("gone"), Pick("b")]
    assert [p.package for p in complete(picks, ["a", "b", "c", "d"], "b", lambda p: {"zh-CN": p})] == ["a", "c", "d"]


def _answer(picks):
    class Response(io.BytesIO):
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    def opener(request, timeout):
        assert request.full_url.startswith("http://kiosk-server/api/recommendations?after=org.yuedu.test.p00")
        assert request.get_header("Authorization") == "Basic " + base64.b64encode(b"key:secret").decode()
        return Response(json.dumps({"picks": picks}).encode())
    return opener


def _no_age_question() -> KioskConfig:
    config = KioskConfig()
    config.kiosk.ask_age_band = False  # straight to the menu (the age question: test_kiosk_ageband.py)
    return config


def test_shell_shows_what_next_after_an_experience_and_opens_a_pick(tmp_path):
    packages = [open_package(testing.write_test_package(tmp_path / f"pkg{n}", f"org.yuedu.test.p{n:02d}",
                                                       title=f"测试体验{n}", finish_after_frames=5))
                for n in range(4)]
    fresh = [{"package": "org.yuedu.test.p03", "title": {"zh-CN": "测试体验3"},
              "text": {"zh-CN": "喜欢《测试体验0》的小朋友也玩了《测试体验3》", "en": "…"}},
             {"package": "org.yuedu.test.p01", "text": {"zh-CN": "大家都爱玩《测试体验1》"}},
             {"package": "not-on-this-kiosk"}]
    source = PickSource(lambda: ("http://kiosk-server/xapi", "key", "secret"), tmp_path / "data",
                        opener=_answer(fresh))
    shell, sink = testing.headless_shell(packages, tmp_path / "data", config=_no_age_question(), size=SIZE,
                                         picks_source=source)
    try:
        click(5, 5)
        shell.frame(1 / 60)
        testing.play_first_card(shell, frames=6)
        assert shell.machine.state == MENU and shell.what_next is not None
        # Shown at once from the catalog (nothing cached), then the server's picks replace them.
        assert shell.pending_picks is None or shell.pending_picks.done.wait(10)
        shell.frame(1 / 60)
        assert [p.package for p in shell.what_next.picks] == ["org.yuedu.test.p03", "org.yuedu.test.p01",
                                                              "org.yuedu.test.p02"]
        shot = shell.save_screenshot(tmp_path / "what-next.png")
        image = pygame.image.load(str(shot))
        assert len(set(image.get_at((x, y))[:3] for x in range(0, SIZE[0], 16) for y in range(0, SIZE[1], 16))) > 40
        cards = shell.what_next.cards(SIZE)
        assert all(c.rect.width >= 120 and c.rect.height >= 120 for c in cards)
        click(*cards[0].rect.center)
        shell.frame(1 / 60)
        assert shell.machine.state == RUNNING and shell.what_next is None
        launched = [s["object"]["id"] for s in sink.statements if s["verb"]["id"] == VERBS["launched"][0]]
        assert launched[-1].endswith("org.yuedu.test.p03")
        assert len({s["actor"]["account"]["name"] for s in sink.statements}) == 1  # the same visitor session
    finally:
        shell.close()


def test_back_button_returns_to_the_menu(tmp_path):
    packages = [open_package(testing.write_test_package(tmp_path / f"pkg{n}", f"org.yuedu.test.p{n:02d}",
                                                       finish_after_frames=3)) for n in range(3)]
    source = PickSource(lambda: None, tmp_path / "data")  # offline, nothing cached: catalog picks
    shell, _sink = testing.headless_shell(packages, tmp_path / "data", config=_no_age_question(), size=SIZE,
                                          picks_source=source)
    try:
        click(5, 5)
        shell.frame(1 / 60)
        card = next(t for t in shell.menu.targets() if t.kind == "card")
        click(*card.rect.center)
        for _ in range(4):
            shell.frame(1 / 60)
        assert [p.package for p in shell.what_next.picks] == ["org.yuedu.test.p01", "org.yuedu.test.p02"]
        back = shell.what_next.cards(SIZE)[-1]
        assert back.kind == "back"
        click(*back.rect.center)
        shell.frame(1 / 60)
        assert shell.what_next is None and shell.machine.state == MENU
    finally:
        shell.close()


def test_a_young_visitors_what_next_titles_carry_pinyin(tmp_path):
    """As on the menu: an all-ages package's card gets a pinyin row once the visitor said 3-5 or 6-8."""
    from experiences.kiosk.covers import CoverCache
    from experiences.kiosk.whatnext_screen import WhatNextScreen
    from experiences.text import TextRenderer

    pygame.init()
    package = open_package(testing.write_test_package(tmp_path / "p", "org.yuedu.test.all", title="春晓诗会",
                                                      age_bands=("all",)))
    text = TextRenderer()
    shots = {}
    for band in (None, "9-12", "6-8"):
        screen = WhatNextScreen([Pick(package.id, text={"zh-CN": "再来一次"})], {package.id: package}, text,
                                CoverCache(text), "zh-CN", band)
        surface = pygame.Surface(SIZE)
        screen.draw(surface)
        shots[band] = pygame.image.tobytes(surface, "RGB")
    assert shots[None] == shots["9-12"]  # no pinyin for readers, nor when nobody said
    assert shots["6-8"] != shots[None]
