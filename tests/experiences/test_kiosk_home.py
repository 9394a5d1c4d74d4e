"""The home button (返回) in every experience: drawn and hit-testable at every window size, also in VR (both
eyes); a tap leaves through a goodbye that says what the visitor did, the run ending as terminated."""
from __future__ import annotations

import pygame
import pytest

from experiences.catalog import Catalog
from experiences.config import KioskConfig
from experiences.engagement import VERBS
from experiences.kinds import default_registry
from experiences.kiosk import testing, theme
from experiences.kiosk.goodbye import GOODBYE_SECONDS, TAP_GUARD_SECONDS
from experiences.kiosk.states import MENU, RUNNING
from experiences.kiosk.testing import click
from experiences.package import open_package
from experiences.runtime import InputEvent, home_scale

SIZES = [(1920, 1080), (1280, 720), (1024, 768), (960, 540), (1080, 1920)]
DT = 1 / 30
LANTERNS, CHAIN, BOOTH = "org.yuedu.idioms.children", "org.yuedu.idioms.chain", "org.yuedu.poems.recital"
TREASURE, BOOK, PANORAMA, WATERFALL = ("org.yuedu.exhibits.ding", "org.yuedu.exhibits.tangshi-book",
                                       "org.yuedu.exhibits.hall", "org.yuedu.exhibits.waterfall")


def verbs(sink):
    reverse = {iri: name for name, (iri, _) in VERBS.items()}
    return [reverse[s["verb"]["id"]] for s in sink.statements]


def frames(shell, n):
    for _ in range(n):
        shell.frame(DT)


@pytest.fixture(scope="module")
def bundled():
    return {p.id: p for p in Catalog.scan().all()}  # the dictionary too: the idiom games require it


@pytest.fixture
def make_shell(tmp_path, bundled):
    shells = []

    def make(size=(1280, 720), services=None, scripted=None, band=None, vr=False):
        packages = list(bundled.values())  # every bundled package (the idiom games need the dictionary)
        registry = default_registry()
        if scripted is not None:
            packages.append(open_package(testing.write_test_package(tmp_path / "scripted", **scripted)))
            registry = testing.registry_with_test_kind(registry)
        config = KioskConfig()
        config.kiosk.ask_age_band = False
        shell, sink = testing.headless_shell(packages, tmp_path / "data", config=config, size=size, registry=registry)
        shells.append(shell)
        shell.run_services = {"seed": 3, **(services or {})}
        shell.vr = vr  # as [kiosk] mode = "vr" sets it
        click(5, 5)  # wake the kiosk: the menu
        frames(shell, 1)
        shell.machine.choose_age_band(band)
        return shell, sink, {p.id: p for p in packages}

    yield make
    for shell in shells:
        shell.close()


def launch(shell, package, n=3):
    assert shell.launch(package)
    frames(shell, n)
    assert shell.machine.state == RUNNING


def tap_home(shell, rect=None):
    click(*(rect or shell.back_button_rect).center)
    frames(shell, 1)


def paper_share(surface, rect) -> float:
    """How much of `rect` shows the button's paper colour (the kind under it never draws exactly that)."""
    inner = rect.inflate(-rect.width // 5, -rect.height // 5)
    count = sum(surface.get_at((x, y))[:3] == theme.PAPER for x in range(inner.left, inner.right, 3)
                for y in range(inner.top, inner.bottom, 3))
    return count / len(range(inner.left, inner.right, 3)) / len(range(inner.top, inner.bottom, 3))


def assert_left_through_goodbye(shell, sink):
    assert shell.machine.state == MENU and shell.goodbye is not None and shell.host is None
    assert verbs(sink)[-1] == "terminated" and "abandoned" not in verbs(sink)
    frames(shell, int(GOODBYE_SECONDS / DT) + 2)
    assert shell.goodbye is None and shell.machine.state == MENU


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_button_is_big_drawn_in_reach_and_answers_before_the_kind(make_shell, size):
    shell, sink, packages = make_shell(size=size, scripted={})
    experience_package = packages["org.yuedu.test.scripted"]
    launch(shell, experience_package)
    rect = shell.back_button_rect
    scale = home_scale(size)
    assert rect.width / scale >= 96 and rect.height / scale >= 96  # at least 96 px at 1080p, scaled
    assert shell.surface.get_rect().contains(rect)
    assert rect.left < size[0] * 0.1 and rect.bottom > size[1] * 0.85  # the bottom-left corner, also in portrait
    assert paper_share(shell.surface, rect) > 0.3
    kind = shell.host.experience
    seen = len(kind.inputs)
    tap_home(shell)
    assert len(kind.inputs) == seen  # neither the press nor the release reached the experience
    assert kind.stopped_with == "back"
    assert verbs(sink)[-3:] == ["launched", "initialized", "terminated"]
    assert shell.goodbye.lines() == ["谢谢你来玩！下次见！"]  # the scripted kind has nothing to tell
    assert_left_through_goodbye(shell, sink)


def test_a_press_that_slides_off_the_button_does_not_leave_and_other_touches_go_to_the_kind(make_shell):
    shell, sink, packages = make_shell(scripted={})
    launch(shell, packages["org.yuedu.test.scripted"])
    rect, kind = shell.back_button_rect, shell.host.experience
    shell.dispatch(InputEvent("pointer_down", *rect.center))
    shell.dispatch(InputEvent("pointer_move", 600, 300))
    shell.dispatch(InputEvent("pointer_up", 600, 300))
    frames(shell, 1)
    assert shell.machine.state == RUNNING and not kind.inputs
    click(600, 300)
    frames(shell, 1)
    assert [e.type for e in kind.inputs] == ["pointer_down", "pointer_up"]


def test_the_goodbye_can_be_tapped_away_but_not_by_the_second_tap_of_a_double_tap(make_shell):
    shell, sink, packages = make_shell(scripted={})
    launch(shell, packages["org.yuedu.test.scripted"])
    tap_home(shell)
    click(600, 300)  # the double tap's second half
    frames(shell, 1)
    assert shell.goodbye is not None
    frames(shell, int(TAP_GUARD_SECONDS / DT) + 1)
    click(600, 300)
    frames(shell, 1)
    assert shell.goodbye is None and shell.machine.state == MENU and shell.host is None


def test_escape_still_ends_a_game_for_staff_without_a_goodbye(make_shell, bundled):
    shell, sink, _ = make_shell()
    launch(shell, bundled[LANTERNS])
    shell.dispatch(InputEvent("action", action="back", source="keyboard"))
    frames(shell, 1)
    assert shell.machine.state == MENU and shell.host is None and shell.goodbye is None
    assert verbs(sink)[-1] == "terminated"


# --- every kind -------------------------------------------------------------------------------------------
def kind_targets(shell) -> list[pygame.Rect]:
    """The running kind's own touch targets, in window pixels, where it exposes them."""
    experience = shell.host.experience
    if hasattr(experience, "flow"):  # the booth's buttons and cards in window pixels (its own test hook)
        return list(experience.test_targets().values())
    if hasattr(experience, "cards"):  # 成语接龙
        return [card.rect for card in experience.cards] + [experience.hint_button.rect]
    return [button.rect for button in getattr(experience, "buttons", [])]  # exhibits


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_kinds_own_targets_keep_clear_of_the_button(make_shell, bundled, size):
    shell, sink, _ = make_shell(size=size)
    for package_id in (CHAIN, BOOTH, TREASURE, BOOK):
        launch(shell, bundled[package_id], n=2)
        if package_id == BOOTH:
            shell.host.experience.press("poem:0")  # the reading screen: its row of buttons along the bottom
        targets = kind_targets(shell)
        assert targets, package_id
        overlapping = [r for r in targets if r.colliderect(shell.back_button_rect)]
        assert not overlapping, (package_id, overlapping)
        tap_home(shell)
        assert_left_through_goodbye(shell, sink)


def hit_one_lantern(shell):
    game = shell.host.experience
    for _ in range(200):
        if game.solved:
            break
        if game.arrow is None:
            lantern = game.field.find(game.t, game.round.answer)
            shell.dispatch(InputEvent("pointer_down", lantern.x, lantern.y, source="mouse"))
        frames(shell, 1)
    assert game.solved


def test_lanterns_goodbye_counts_the_idioms_hit(make_shell, bundled):
    shell, sink, _ = make_shell(band="6-8")
    launch(shell, bundled[LANTERNS])
    hit_one_lantern(shell)
    tap_home(shell)
    assert shell.goodbye.lines() == ["你答对了 1 个成语", "真棒！下次见！"] and shell.goodbye.pinyin
    assert verbs(sink)[-1] == "terminated" and "completed" not in verbs(sink)  # left mid-game
    assert_left_through_goodbye(shell, sink)


def test_chain_goodbye_counts_the_links_made(make_shell, bundled):
    shell, sink, _ = make_shell(band="13+")
    launch(shell, bundled[CHAIN])
    chain = shell.host.experience
    card = next(c for c in chain.cards if chain.game.is_valid(c.word))
    click(*card.rect.center)
    frames(shell, 1)
    tap_home(shell)
    assert shell.goodbye.lines() == ["你接上了 1 个成语", "真棒！下次见！"] and not shell.goodbye.pinyin
    assert_left_through_goodbye(shell, sink)


def test_booth_goodbye_counts_the_poems_and_its_own_button_only_steps_back(make_shell, bundled):
    shell, sink, _ = make_shell()
    launch(shell, bundled[BOOTH])
    booth = shell.host.experience
    assert "back" not in [b.key for b in booth.buttons()]  # on the picker the home button is the way out
    booth.press("poem:0")
    assert [b.label for b in booth.buttons() if b.key == "back"] == ["上一步"]
    tap_home(shell)
    assert shell.goodbye.lines() == ["你看了 1 首诗", "真棒！下次见！"]
    assert_left_through_goodbye(shell, sink)


def test_exhibits_goodbye_counts_what_was_opened(make_shell, bundled):
    shell, sink, _ = make_shell()
    launch(shell, bundled[TREASURE], n=30)
    treasure = shell.host.experience
    spot = next(s for s in treasure.hotspots if s.visible and s.screen)
    click(*spot.screen)
    frames(shell, 1)
    tap_home(shell)
    assert shell.goodbye.lines() == ["你发现了 1 个小秘密", "真棒！下次见！"]
    progressed = [s for s in sink.statements if s["verb"]["id"].endswith("progressed")][-1]
    assert progressed["result"]["completion"] is False  # stop("back"): left, not completed
    assert_left_through_goodbye(shell, sink)
    launch(shell, bundled[PANORAMA], n=3)
    panorama = shell.host.experience
    panorama.open(panorama.spots[0])
    tap_home(shell)
    assert shell.goodbye.lines()[0] == "你去看了 1 个地方"
    assert_left_through_goodbye(shell, sink)
    launch(shell, bundled[WATERFALL], n=3)
    tap_home(shell)
    assert shell.goodbye.lines() == ["谢谢你来玩！下次见！"]
    assert_left_through_goodbye(shell, sink)


# --- VR: side-by-side stereo --------------------------------------------------------------------------------
@pytest.mark.parametrize("package_id", [LANTERNS, TREASURE], ids=["lanterns-vr", "exhibit-vr"])
def test_in_vr_the_button_is_in_both_eyes_and_either_one_leaves(make_shell, bundled, package_id):
    size = (1280, 720)
    shell, sink, _ = make_shell(size=size, vr=True)
    launch(shell, bundled[package_id], n=3)
    assert shell.host.stereo
    left, right = shell.back_button_rects
    eye = size[0] // 2
    assert left.right <= eye <= right.left and right.move(-eye, 0) == left  # the same place in each eye
    assert left.top > size[1] * 0.3 and left.bottom <= size[1]  # low in the view, not above the eyes
    assert left.height / home_scale(size, stereo=True) >= 96
    for rect in (left, right):
        assert paper_share(shell.surface, rect) > 0.3
    tap_home(shell, right)
    assert_left_through_goodbye(shell, sink)


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)], ids=["landscape", "portrait"])
def test_screenshots_of_a_game_with_the_button_and_of_the_goodbye(make_shell, bundled, size, tmp_path):
    """Rendered for people to look at (saved beside the test's data); the goodbye's words are on the screen."""
    shell, sink, _ = make_shell(size=size, band="6-8")
    launch(shell, bundled[LANTERNS])
    hit_one_lantern(shell)
    shell.save_screenshot(tmp_path / f"lanterns-home-{size[0]}x{size[1]}.png")
    tap_home(shell)
    shot = pygame.image.load(str(shell.save_screenshot(tmp_path / f"goodbye-{size[0]}x{size[1]}.png")))
    # The same goodbye without the summary differs where the summary's line is: it is really drawn.
    shell.goodbye.summary = None
    shell.draw()
    words_band = pygame.Rect(0, int(size[1] * 0.42), size[0], int(size[1] * 0.12))
    changed = sum(shot.get_at((x, y)) != shell.surface.get_at((x, y))
                  for x in range(words_band.left, words_band.right, 4) for y in range(words_band.top, words_band.bottom, 4))
    assert changed > 200
