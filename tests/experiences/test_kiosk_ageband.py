"""「你几岁啦？」 through the real shell (headless, ManualClock): shown after attract, each answer reaches the run
context, the menu's order and pinyin, the statements' age-band extension and the what-next request; skip, idle
reset and `ask_age_band = false` leave no band behind. Plus the pure ordering rules and the screen's layout."""
from __future__ import annotations

import io
import json
import urllib.parse
from pathlib import Path

import numpy as np
import pygame
import pytest

from experiences.catalog import Catalog
from experiences.config import KioskConfig, parse_config
from experiences.engagement import VERBS, ListSink, Place, extension_iri
from experiences.kinds import default_registry
from experiences.kiosk import testing
from experiences.kiosk.ageband import BANDS, order_for_band, title_gets_pinyin
from experiences.kiosk.ageband_screen import MIN_BUTTON_HEIGHT, SKIP, AgeBandScreen
from experiences.kiosk.menu import title_has_pinyin
from experiences.kiosk.shell import KioskShell
from experiences.kiosk.states import ASK_AGE, ATTRACT, IDLE_WARNING, MENU, RUNNING, KioskStateMachine
from experiences.kiosk.testing import click
from experiences.kiosk.whatnext import PickSource
from experiences.package import open_package
from experiences.runtime import ManualClock
from experiences.text import shared_text

from tests.exhibits.helpers import write_package

SIZE = (960, 600)
DT = 1 / 60
# installed order: the band-first order must differ from it for every band
PACKAGE_BANDS = [["13+"], ["9-12"], ["all"], ["6-8", "9-12"], ["3-5"]]
# no band (skipped, or not asked): a children's corner's order — made for a child's band, for all, for teens
SKIPPED_ORDER = ["org.yuedu.test.a1", "org.yuedu.test.a3", "org.yuedu.test.a4", "org.yuedu.test.a2",
                 "org.yuedu.test.a0"]
AGE_BAND_EXT = extension_iri("age-band")


@pytest.fixture
def make_shell(tmp_path):
    shells = []

    def make(ask: bool | None = None, picks_source=None, finish_after_frames: int = 0):
        packages = [open_package(testing.write_test_package(tmp_path / f"pkg{n}", f"org.yuedu.test.a{n}",
                                                            title=f"年龄测试{n}", age_bands=bands,
                                                            finish_after_frames=finish_after_frames))
                    for n, bands in enumerate(PACKAGE_BANDS)]
        config = KioskConfig()
        if ask is not None:
            config.kiosk.ask_age_band = ask
        shell, sink = testing.headless_shell(packages, tmp_path / "data", config=config, size=SIZE,
                                             picks_source=picks_source)
        shells.append(shell)
        return shell, sink

    yield make
    for shell in shells:
        shell.close()


def key(k):
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=k, mod=0, unicode="", scancode=0))


def run_frames(shell, n=1):
    for _ in range(n):
        shell.frame(DT)


def wake(shell):
    run_frames(shell, 2)
    assert shell.machine.state == ATTRACT
    click(5, 5)
    run_frames(shell)


def answer(shell, band):
    choice = next(c for c in shell.age_screen.choices(SIZE) if c.band == band)
    click(*choice.rect.center)
    run_frames(shell)


def open_first_card(shell):
    testing.play_first_card(shell)


def band_extensions(sink):
    return [s["context"]["extensions"].get(AGE_BAND_EXT) for s in sink.statements]


def colours(surface) -> int:
    pixels = pygame.surfarray.array3d(pygame.transform.scale(surface, (SIZE[0] // 4, SIZE[1] // 4)))
    return len(np.unique(pixels.reshape(-1, 3), axis=0))


# --- through the shell ------------------------------------------------------------------------------------
def test_waking_the_kiosk_asks_the_age_and_the_screen_renders(make_shell, tmp_path):
    shell, sink = make_shell()
    wake(shell)
    assert shell.machine.state == ASK_AGE and shell.machine.session is not None
    assert shell.machine.age_band is None and sink.statements == []
    path = shell.save_screenshot(tmp_path / "age.png")
    image = pygame.image.load(str(path))
    assert image.get_size() == SIZE and colours(image) > 40
    choices = shell.age_screen.choices(SIZE)
    assert [c.band for c in choices] == [*BANDS, None]
    for choice in choices:
        assert choice.rect.height >= (MIN_BUTTON_HEIGHT if choice.band else 120) and choice.rect.width >= 120
        # each button is drawn: its face differs from the background gradient
        inside = pygame.surfarray.array3d(image.subsurface(choice.rect.inflate(-30, -30)))
        assert inside.std() > 10


@pytest.mark.parametrize("band", BANDS)
def test_each_answer_reaches_the_run_the_menu_and_the_statements(make_shell, band):
    shell, sink = make_shell()
    wake(shell)
    answer(shell, band)
    assert shell.machine.state == MENU and shell.machine.age_band == band
    menu = shell.menu
    assert sorted(p.id for p in menu.packages) == sorted(p.id for p in menu.all_packages)  # nothing hidden
    first_bands = menu.packages[0].manifest.age_bands
    assert band in first_bands and menu.packages != menu.all_packages
    young = band in ("3-5", "6-8")
    assert [title_has_pinyin(p, menu.band) for p in menu.packages] == [young] * len(menu.packages)
    open_first_card(shell)
    assert shell.machine.state == RUNNING and shell.host.package.id == menu.packages[0].id
    assert shell.host.ctx.age_band == band
    assert sink.statements and band_extensions(sink) == [band] * len(sink.statements)


def test_skip_leaves_no_band(make_shell):
    shell, sink = make_shell()
    wake(shell)
    answer(shell, None)
    assert shell.machine.state == MENU and shell.machine.age_band is None
    assert [p.id for p in shell.menu.packages] == SKIPPED_ORDER  # the old pinyin rule: the young bands' packages
    assert [title_has_pinyin(p, shell.menu.band) for p in shell.menu.packages] == [False, True, True, False, False]
    open_first_card(shell)
    assert shell.host.ctx.age_band is None
    assert band_extensions(sink) == [None] * len(sink.statements) and sink.statements


def test_keys_and_game_pads_answer_with_a_visible_focus_ring(make_shell):
    shell, sink = make_shell()
    wake(shell)
    screen = shell.age_screen
    before = pygame.surfarray.array3d(shell.surface).copy()
    assert not screen.keys_used  # touch visitors see no answer suggested
    key(pygame.K_RIGHT)
    run_frames(shell)
    assert screen.focus == 1 and shell.machine.state == ASK_AGE
    after = pygame.surfarray.array3d(shell.surface)
    focused = next(c for c in screen.choices(SIZE) if c.index == 1).rect
    ring = focused.inflate(14, 14)
    outside = [(ring.left, ring.centery), (ring.right - 1, ring.centery), (ring.centerx, ring.top)]
    # the ring is drawn outside the button: a change of shape, not only of colour
    assert all((before[x, y] != after[x, y]).any() for x, y in outside)
    pygame.event.post(pygame.event.Event(pygame.JOYHATMOTION, value=(1, 0), hat=0, joy=0, instance_id=0))
    run_frames(shell)
    assert screen.focus == 2
    key(pygame.K_DOWN)
    run_frames(shell)
    assert screen.focus == SKIP
    key(pygame.K_UP)
    run_frames(shell)
    assert screen.focus == 2
    pygame.event.post(pygame.event.Event(pygame.JOYBUTTONDOWN, button=0, joy=0, instance_id=0))  # A: select
    run_frames(shell)
    assert shell.machine.state == MENU and shell.machine.age_band == "9-12"


def test_back_on_the_age_screen_skips(make_shell):
    shell, _ = make_shell()
    wake(shell)
    key(pygame.K_ESCAPE)
    run_frames(shell)
    assert shell.machine.state == MENU and shell.machine.age_band is None


def test_a_tap_that_slides_off_its_button_answers_nothing(make_shell):
    shell, _ = make_shell()
    wake(shell)
    first, second = shell.age_screen.choices(SIZE)[:2]
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=first.rect.center, button=1, touch=False))
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=second.rect.center, button=1, touch=False))
    run_frames(shell)
    assert shell.machine.state == ASK_AGE


def test_idle_reset_clears_the_band_and_the_next_visitor_is_asked_again(make_shell):
    shell, sink = make_shell()
    wake(shell)
    answer(shell, "3-5")
    open_first_card(shell)
    session = shell.machine.session.session_id
    shell.clock.advance(shell.config.kiosk.idle_seconds + 0.1)
    run_frames(shell)
    assert shell.machine.state == IDLE_WARNING
    shell.clock.advance(shell.config.kiosk.warning_seconds + 0.1)
    run_frames(shell)
    assert shell.machine.state == ATTRACT and shell.machine.age_band is None
    assert shell.menu.band is None and [p.id for p in shell.menu.packages] == SKIPPED_ORDER
    assert band_extensions(sink) == ["3-5"] * len(sink.statements)  # the abandoned run still was theirs
    count = len(sink.statements)
    wake(shell)
    assert shell.machine.state == ASK_AGE and shell.machine.session.session_id != session
    answer(shell, None)
    open_first_card(shell)
    assert band_extensions(sink)[count:] == [None] * (len(sink.statements) - count)


def test_idle_on_the_age_screen_warns_over_it_then_resets(make_shell, tmp_path):
    shell, _ = make_shell()
    wake(shell)
    shell.clock.advance(shell.config.kiosk.idle_seconds + 0.1)
    run_frames(shell)
    assert shell.machine.state == IDLE_WARNING and shell.machine.screen == ASK_AGE
    assert colours(pygame.image.load(str(shell.save_screenshot(tmp_path / "warn.png")))) > 40
    click(5, 5)  # "still here": back to the question, not answered by that touch
    run_frames(shell)
    assert shell.machine.state == ASK_AGE
    shell.clock.advance(shell.config.kiosk.idle_seconds + 0.1)
    run_frames(shell)
    assert shell.machine.state == IDLE_WARNING
    shell.clock.advance(shell.config.kiosk.warning_seconds + 0.1)
    run_frames(shell)
    assert shell.machine.state == ATTRACT and shell.machine.age_band is None


def test_config_off_goes_straight_to_the_menu(make_shell):
    assert KioskConfig().kiosk.ask_age_band is True
    assert parse_config("[kiosk]\nask_age_band = false\n").kiosk.ask_age_band is False
    shell, sink = make_shell(ask=False)
    wake(shell)
    assert shell.machine.state == MENU and [p.id for p in shell.menu.packages] == SKIPPED_ORDER
    open_first_card(shell)
    assert shell.host.ctx.age_band is None and band_extensions(sink) == [None] * len(sink.statements)


class _Recorder:
    """An opener for PickSource: records the request and answers with no picks (the catalog's fill-ins)."""

    def __init__(self):
        self.queries: list[dict] = []

    def __call__(self, request, timeout):
        self.queries.append(urllib.parse.parse_qs(urllib.parse.urlsplit(request.full_url).query))

        class Response(io.BytesIO):
            def __enter__(self):
                return self

            def __exit__(self, *exc):
                return False

        return Response(json.dumps({"picks": []}).encode())


@pytest.mark.parametrize("band", ["6-8", None])
def test_what_next_requests_carry_the_band(make_shell, tmp_path, band):
    opener = _Recorder()
    source = PickSource(lambda: ("http://kiosk-server/xapi", "", ""), tmp_path / "picks", opener=opener)
    shell, _ = make_shell(picks_source=source, finish_after_frames=2)
    wake(shell)
    answer(shell, band)
    open_first_card(shell)
    run_frames(shell, 3)
    assert shell.machine.state == MENU and shell.what_next is not None
    assert shell.pending_picks is None or shell.pending_picks.done.wait(10)
    assert len(opener.queries) == 1
    assert opener.queries[0].get("age_band") == ([band] if band else None)


# --- the state machine and the pure rules ---------------------------------------------------------------
def test_state_machine_keeps_the_answer_in_the_session_only():
    sink, clock = ListSink(), ManualClock()
    machine = KioskStateMachine(sink, Place(), clock, ask_age_band=True)
    assert machine.on_input() is False and machine.state == ASK_AGE
    assert machine.on_input() is True  # the question takes input
    machine.choose_age_band("9-12")
    assert machine.state == MENU and machine.session.age_band == "9-12" == machine.age_band
    with pytest.raises(ValueError):
        machine.choose_age_band("7")
    machine.reset()
    assert machine.age_band is None and machine.session is None
    plain = KioskStateMachine(ListSink(), Place(), ManualClock())  # the default asks nothing
    plain.on_input()
    assert plain.state == MENU


class _P:
    def __init__(self, name, bands, kind="test", title="标题"):
        self.name, self.bands, self.kind, self.title = name, bands, kind, title


def test_order_for_band_puts_the_best_matches_first_then_kinds_then_titles():
    items = [_P("teen", ["13+"]), _P("all", ["all"]), _P("none", []), _P("young", ["3-5", "6-8"]),
             _P("mid", ["9-12"]), _P("open-mid", ["9-12", "13+", "all"]), _P("book-68", ["6-8", "all"], "ebook"),
             _P("game-68", ["6-8", "9-12"], "idiom-chain"), _P("hall", ["all"], "exhibit-panorama")]

    def order(band, reverse=False):
        return [p.name for p in order_for_band(items[::-1] if reverse else items, band, bands_of=lambda p: p.bands,
                                               kind_of=lambda p: p.kind, title_of=lambda p: p.title,
                                               id_of=lambda p: p.name)]

    # made for the band; for everyone (games, then exhibits and other kinds, then e-books; by title, then id);
    # open to all but aimed at others; for others only
    assert order("6-8") == ["game-68", "young", "all", "hall", "none", "book-68", "open-mid", "mid", "teen"]
    assert order("9-12") == ["game-68", "mid", "all", "hall", "none", "open-mid", "book-68", "teen", "young"]
    assert order("13+") == ["teen", "all", "hall", "none", "open-mid", "book-68", "game-68", "mid", "young"]
    assert order("3-5") == ["young", "all", "hall", "none", "open-mid", "book-68", "game-68", "mid", "teen"]
    # no band: a children's corner — what is made for a child's band first, teens' last
    assert order(None) == ["game-68", "mid", "young", "all", "hall", "none", "open-mid", "book-68", "teen"]
    for band in (*BANDS, None):  # the same order whatever order they were installed in
        assert order(band) == order(band, reverse=True)


def test_titles_are_in_the_librarys_order_by_pinyin():
    titles = ["唐诗三百首", "成语接龙", "第10册", "千家诗", "成语论箭", "朗诵亭", "古韵展厅", "青铜鼎", "Bronze", "宋词三百首",
              "第2册"]
    items = [_P(t, ["all"], "ebook", title=t) for t in titles]
    ordered = [p.name for p in order_for_band(items, "6-8", bands_of=lambda p: p.bands, kind_of=lambda p: p.kind,
                                              title_of=lambda p: p.title, id_of=lambda p: p.name)]
    assert ordered == ["Bronze", "成语接龙", "成语论箭", "第2册", "第10册", "古韵展厅", "朗诵亭", "千家诗", "青铜鼎", "宋词三百首",
                       "唐诗三百首"]  # 成 chéng before 第 dì; numbers by their value


def test_the_bundled_menu_shows_the_bands_own_games_before_the_e_books():
    """At 1280×720 a page holds six cards: page 1 of each band is what that band is best offered, not the
    e-books (sorted first by id before)."""
    catalog = Catalog.scan([Path(__file__).resolve().parents[2] / "content"])
    playable = catalog.playable(default_registry())
    for band in (*BANDS, None):
        page = [p.manifest.title("zh-CN") for p in order_for_band(playable, band)][:6]
        kinds = [p.kind for p in order_for_band(playable, band)][:6]
        assert kinds.count("ebook") <= 1, (band, page)
        assert len(set(kinds)) >= 3, (band, page)  # something to play, to look at, to read or recite
        if band in ("6-8", "9-12", None):
            assert page[:2] == ["成语接龙", "成语论箭"], (band, page)
        if band == "3-5":
            assert page[0] == "朗诵亭" and "成语接龙" not in page, page  # for 3-5: recite along, look


def test_card_pinyin_follows_the_visitor_band_when_known():
    assert title_gets_pinyin(["13+"], "3-5") and title_gets_pinyin(["all"], "6-8")
    assert not title_gets_pinyin(["3-5"], "9-12") and not title_gets_pinyin(["6-8"], "13+")
    assert title_gets_pinyin(["6-8", "9-12"], None) and not title_gets_pinyin(["9-12"], None)


@pytest.mark.parametrize("size", [(1280, 720), (1024, 600), (960, 600), (1920, 1080), (1080, 1920), (720, 1280)])
@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_big_buttons_fit_every_kiosk_screen(size, lang):
    pygame.display.init()
    screen = AgeBandScreen(shared_text(), lang)
    choices = screen.choices(size)
    window = pygame.Rect((0, 0), size)
    for i, choice in enumerate(choices):
        assert window.contains(choice.rect), (size, choice)
        assert choice.rect.height >= (MIN_BUTTON_HEIGHT if choice.band else 120)
        assert choice.rect.width >= 160
        assert not any(choice.rect.colliderect(other.rect) for other in choices[i + 1:])
    assert choices[0].rect.top >= screen.header_height(size)
    surface = pygame.Surface(size)
    screen.draw(surface)
    assert colours_of(surface) > 20


def colours_of(surface) -> int:
    small = pygame.transform.scale(surface, (surface.get_width() // 8, surface.get_height() // 8))
    return len(np.unique(pygame.surfarray.array3d(small).reshape(-1, 3), axis=0))


def test_verbs_are_unchanged_by_the_question(make_shell):
    """Asking reports nothing of its own: the first statements are the visitor's launch."""
    shell, sink = make_shell()
    wake(shell)
    answer(shell, "6-8")
    assert sink.statements == []
    open_first_card(shell)
    reverse = {iri: name for name, (iri, _) in VERBS.items()}
    assert [reverse[s["verb"]["id"]] for s in sink.statements] == ["launched", "initialized"]


def test_a_cover_picked_on_the_attract_wall_opens_after_the_question(tmp_path):
    """`[kiosk] attract_package`: the visitor's pick on the wall waits for their answer, then plays at it."""
    packages = [open_package(testing.write_test_package(tmp_path / f"pkg{n}", f"org.yuedu.test.w{n}"))
                for n in range(3)]
    packages.append(write_package(tmp_path / "wall", "exhibit-waterfall", "[content]\ncolumns = 3\n", {},
                                  package_id="org.test.wall"))
    config = KioskConfig()
    config.kiosk.attract_package = "org.test.wall"
    sink = ListSink()
    shell = KioskShell(config, catalog=Catalog(packages), registry=testing.registry_with_test_kind(default_registry()),
                       headless=True, size=SIZE, clock=ManualClock(), sink=sink, data_dir=tmp_path / "data")
    shell.open()
    try:
        run_frames(shell, 10)
        wall = shell.attract.host.experience
        for placement in wall.placements:
            quad = wall.screen_quad(placement)
            x, y = sum(q[0] for q in quad) / 4, sum(q[1] for q in quad) / 4
            if 40 < x < SIZE[0] - 40 and 40 < y < SIZE[1] - 80:
                break
        else:
            raise AssertionError("no cover on screen")
        chosen = wall.package_of(placement).id
        click(x, y)
        run_frames(shell)
        assert shell.machine.state == ASK_AGE and shell.open_after_age == chosen and sink.statements == []
        answer(shell, "6-8")
        assert shell.machine.state == RUNNING and shell.host.package.id == chosen
        assert shell.host.ctx.age_band == "6-8" and band_extensions(sink) == ["6-8"] * len(sink.statements)
    finally:
        shell.close()
