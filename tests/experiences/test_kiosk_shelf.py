"""去书架找一找 on the kiosk: cards from a live server (imported sample catalogue) fetched off the frame loop and
cached, the last known cards when the server is down, and the screen drawn at the five shot sizes with no
findings of the screen checks."""
from __future__ import annotations

import threading

import pygame
import pytest
from werkzeug.serving import make_server

from experiences import drawlog
from experiences.kiosk.shell_shots import sample_shelf_cards
from experiences.kiosk.shelf import CACHE_FILE, PendingCards, ShelfSource, shelf_query
from experiences.kiosk.shelf_screen import ShelfScreen
from experiences.kiosk.shots import SIZES
from experiences.runtime import InputEvent
from experiences.screencheck import check_screen
from experiences.text import TextRenderer
from tests.catalogue_samples import import_samples



@pytest.fixture
def live_catalogue(tmp_path):
    from server import create_app
    from server.auth import create_credential
    
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'lrs.sqlite3'}", "TESTING": True})
    engine = app.extensions["yuedu"].engine
    store = import_samples(engine)
    store.set_rules(store.rules_text() + "package 测试体验0 pick SAMPLE-0002  # 馆员精选\n")
    made = create_credential(engine, "kiosk-1", "kiosk")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/xapi", made.principal.key, made.secret
    server.shutdown()
    server.server_close()
    engine.dispose()


def test_cards_come_from_the_server_and_are_kept_for_offline(tmp_path, live_catalogue):
    source = ShelfSource(lambda: live_catalogue, tmp_path)
    pending = source.request("idiom", "班门弄斧", "6-8", "kiosk-1")
    assert pending.done.wait(10)
    cards = pending.fresh
    assert [c.call_number for c in cards] == ["H136.3/W12", "H136.3/L41", "H136.3/H21"]
    assert cards[0].location == "少儿阅览室" and cards[0].on_shelf
    assert cards[0].qr == "https://lrs.library.example/c/SAMPLE-0001"
    assert (tmp_path / CACHE_FILE).exists()

    offline = ShelfSource(lambda: ("http://127.0.0.1:9/xapi", "k", "s"), tmp_path, timeout=0.5)
    pending = offline.request("idiom", "班门弄斧", "6-8")
    assert pending.cached == cards  # shown at once, before the (failing) fetch ends
    assert pending.done.wait(5) and pending.fresh is None and pending.best() == cards
    assert offline.cached("idiom", "班门弄斧", "13+") == cards  # another band: the last known cards still
    assert offline.cached("idiom", "画蛇添足") == []


def test_what_the_catalogue_is_asked_after_an_experience():
    assert shelf_query("idiom-lanterns", "成语论箭", ("idiom", "班门弄斧", "班门弄斧")) == ("idiom", "班门弄斧")
    assert shelf_query("recitation", "唐诗", ("poem", "jingyesi", "静夜思")) == ("poem", "静夜思")
    assert shelf_query("exhibit-treasure", "青铜馆", ("object", "ding", "鼎")) == ("exhibit", "鼎")
    assert shelf_query("idiom-chain", "成语接龙", None) == ("package", "成语接龙")


CARDS = sample_shelf_cards()  # the contact sheet's three sample books


@pytest.fixture(scope="module")
def text():
    pygame.init()
    return TextRenderer()


@pytest.mark.parametrize("band", ["3-5", "13+"])
@pytest.mark.parametrize("count", [1, 3])
def test_screen_passes_the_checks_at_every_size(text, band, count):
    for size in SIZES:
        screen = ShelfScreen(CARDS[:count], text, "zh-CN", band)
        surface = pygame.Surface(size)
        with drawlog.recording() as log:
            screen.draw(surface)
        findings = check_screen(log, size)
        assert findings == [], f"{size}: " + "; ".join(map(str, findings))
        drawn = [d.text for d in log.texts]
        assert any("I222.742/L33" == d for d in drawn) and "去书架找一找" in drawn
        if count == 3:
            assert "在书架上" in drawn and "已借出" in drawn


def test_screen_shows_what_the_server_sends_then_goes_on(text):
    pending = PendingCards("k", [])
    screen = ShelfScreen(pending, text)
    assert screen.finding and not screen.nothing_to_show
    pending.fresh = CARDS[1:2]
    pending.done.set()
    screen.update()
    assert screen.cards_shown == CARDS[1:2]
    size = SIZES[3]
    button = screen.button_rect(size)
    assert screen.handle(InputEvent("pointer_down", x=button.centerx, y=button.centery), size) is None
    assert screen.handle(InputEvent("pointer_up", x=button.centerx, y=button.centery), size) == "next"
    empty = PendingCards("k", [])
    empty.fresh = []
    empty.done.set()
    nothing = ShelfScreen(empty, text)
    nothing.update()
    assert nothing.nothing_to_show


def test_shell_shows_shelf_cards_after_an_experience_then_what_next(tmp_path, live_catalogue):
    from experiences.config import KioskConfig
    from experiences.kiosk import testing
    from experiences.kiosk.states import MENU
    from experiences.kiosk.testing import click
    from experiences.kiosk.whatnext import PickSource
    from experiences.package import open_package

    packages = [open_package(testing.write_test_package(tmp_path / f"pkg{n}", f"org.yuedu.test.p{n:02d}",
                                                       title=f"测试体验{n}", finish_after_frames=5))
                for n in range(2)]
    config = KioskConfig()
    config.kiosk.ask_age_band = False
    endpoint = lambda: live_catalogue  # noqa: E731
    shell, _sink = testing.headless_shell(packages, tmp_path / "data", config=config, size=(1280, 720),
                                          picks_source=PickSource(endpoint, tmp_path / "data"),
                                          shelf_source=ShelfSource(endpoint, tmp_path / "data"))
    try:
        click(5, 5)
        shell.frame(1 / 60)
        testing.play_first_card(shell, frames=6)
        assert shell.machine.state == MENU and shell.shelf is not None
        assert shell.shelf.pending is None or shell.shelf.pending.done.wait(10)
        shell.frame(1 / 60)
        assert [c.call_number for c in shell.shelf.cards_shown] == ["I222.742/H45"]  # the librarian's pick
        with drawlog.recording() as log:
            shell.draw()
        assert check_screen(log, (1280, 720)) == []
        assert "I222.742/H45" in [d.text for d in log.texts]
        assert shell.shelf.qr_url(shell.shelf.cards_shown[0]) == \
            "https://lrs.library.example/c/SAMPLE-0002?from=org.yuedu.test.p00"
        books = [s for s in _sink.statements if s["verb"]["id"].endswith("/was-recommended")]
        assert [s["object"]["id"] for s in books] == ["urn:isbn:9787020002207"]  # once, however many frames
        assert books[0]["context"]["contextActivities"]["parent"][0]["id"].endswith("/org.yuedu.test.p00")
        button = shell.shelf.button_rect((1280, 720))
        click(*button.center)
        shell.frame(1 / 60)
        assert shell.shelf is None and shell.what_next is not None  # on to 「接下来玩什么？」
    finally:
        shell.close()


def test_leaving_by_the_home_button_after_meeting_something_leads_to_the_shelf(tmp_path, live_catalogue):
    """The way out of an exhibit (and of any run a visitor ends early) is the home button: after its goodbye, the
    books for what they met; a visitor who met nothing goes straight to the menu."""
    from experiences.config import KioskConfig
    from experiences.engagement import Item
    from experiences.kiosk import testing
    from experiences.kiosk.states import MENU
    from experiences.kiosk.testing import click
    from experiences.package import open_package

    packages = [open_package(testing.write_test_package(tmp_path / f"pkg{n}", f"org.yuedu.test.q{n:02d}",
                                                       title=f"测试展品{n}"))
                for n in range(2)]
    config = KioskConfig()
    config.kiosk.ask_age_band = False
    shell, sink = testing.headless_shell(packages, tmp_path / "data", config=config, size=(1280, 720),
                                         shelf_source=ShelfSource(lambda: live_catalogue, tmp_path / "data"))

    def run(index: int, meet: bool) -> None:
        card = next(t for t in shell.menu.targets() if t.kind == "card" and t.index == index)
        click(*card.rect.center)
        for _ in range(3):
            shell.frame(1 / 60)
        if meet:
            shell.host.ctx.reporter.report("experienced", Item("idiom", "banmennongfu", {"zh-CN": "班门弄斧"}))
        click(*shell.back_button_rect.center)
        shell.frame(1 / 60)
        assert shell.goodbye is not None and shell.shelf is None  # the goodbye first, alone
        for _ in range(200):  # GOODBYE_SECONDS at 1/60 s a frame
            shell.frame(1 / 60)
            if shell.goodbye is None:
                break
        shell.frame(1 / 60)

    try:
        click(5, 5)
        shell.frame(1 / 60)
        run(1, meet=False)
        assert shell.machine.state == MENU and shell.shelf is None  # nothing met: the menu

        run(0, meet=True)
        assert shell.machine.state == MENU and shell.shelf is not None
        assert shell.shelf.pending is None or shell.shelf.pending.done.wait(10)
        shell.frame(1 / 60)
        shown = [c.call_number for c in shell.shelf.cards_shown]
        assert shown, "no book for 班门弄斧 (the sample catalogue has 成语 books under H136.3)"
        assert all(c.startswith("H13") for c in shown), shown
        books = [s for s in sink.statements if s["verb"]["id"].endswith("/was-recommended")]
        assert len(books) == len(shown)
        assert books[0]["context"]["contextActivities"]["parent"][0]["id"].endswith("/org.yuedu.test.q00")
    finally:
        shell.close()
