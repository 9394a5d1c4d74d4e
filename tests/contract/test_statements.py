"""The statement contract: scripted sessions of every kind, on the repo's content/ packages, and EVERY statement
they produce taken by the LRS's own validator with its extension keys in the project's namespace.

Kinds: 成语论箭 (2D and VR; hits and misses), 成语接龙, the recitation booth (scored, unscored, family mode, a
family's share), each exhibit (treasure hotspot, book page, panorama and waterfall picks), and the kiosk shell's
own statements (launched, initialized, terminated, abandoned, a what-next card).
"""
from __future__ import annotations

import re
from pathlib import Path

import pygame
import pytest

from experiences.engagement import EXTENSION_NAMESPACE, EXTENSIONS
from experiences.runtime import InputEvent, create_experience
from server.analytics import events

from .helpers import keep_contract, verbs

SURFACE = (1280, 720)


def frames(exp, seconds: float, clock=None, dt: float = 1 / 30, surface=None) -> None:
    for _ in range(max(1, int(seconds / dt))):
        if clock is not None:
            clock.advance(dt)
        exp.update(dt)
    if surface is not None:
        exp.draw(surface)


# --- 成语论箭 ----------------------------------------------------------------------------------------------------
def shoot(exp, char, surface) -> None:
    lantern = exp.field.find(exp.t, char)
    exp.handle(InputEvent("pointer_down", lantern.x, lantern.y, source="touch"))
    frames(exp, 0.8, surface=surface)


def test_lanterns_hits_and_misses(run):
    package, ctx, sink, clock = run("org.yuedu.idioms.children", age_band="9-12", seed=5)
    exp = create_experience(package, ctx)
    exp.start()
    surface = pygame.Surface(SURFACE)
    try:
        shoot(exp, next(c for c in exp.round.chars() if c != exp.round.answer), surface)  # a miss
        assert exp.attempts == 1
        while exp.state != "summary":
            if exp.state == "aim":
                shoot(exp, exp.round.answer, surface)  # a hit
                frames(exp, 1.0, surface=surface)
            assert exp.state in ("story", "summary")
            if exp.state == "story":
                exp.handle(InputEvent("action", action="select"))
    finally:
        exp.stop("completed")
    seen = keep_contract(sink.statements)
    answered = [s for s in sink.statements if verbs([s]) == ["answered"]]
    assert len(answered) == exp.rounds_total and all(s["result"]["success"] for s in answered)
    assert seen["answered"] == {"attempts", "hidden-position", "points", "age-band"}
    assert seen["scored"] == {"correct", "total"}
    assert answered[0]["result"]["extensions"][EXTENSION_NAMESPACE + "attempts"] == 2


def test_lanterns_in_vr_hit_and_miss(run):
    from games.lanterns.vr.courtyard import pose_towards

    package, ctx, sink, clock = run("org.yuedu.idioms.children", age_band="6-8", seed=8, vr=True)
    exp = create_experience(package, ctx)
    assert type(exp).__name__ == "LanternsVRExperience"
    exp.start()
    surface = pygame.Surface(SURFACE)

    def look_and_shoot(char):
        hanging = exp.courtyard.find(exp.t, char)
        yaw, pitch = pose_towards((hanging.x, hanging.y, hanging.z), exp.origin)
        exp.handle(InputEvent("aim", yaw=yaw, pitch=pitch, source="head"))
        exp.handle(InputEvent("action", action="select", source="gamepad"))
        frames(exp, 2.0, surface=surface)

    try:
        look_and_shoot(next(c for c in exp.game.round.chars() if c != exp.game.round.answer))
        assert exp.game.attempts == 1
        while exp.state != "summary":
            if exp.state == "aim":
                look_and_shoot(exp.game.round.answer)
            assert exp.state in ("story", "summary")
            if exp.state == "story":
                exp.handle(InputEvent("action", action="select"))
    finally:
        exp.stop("completed")
    seen = keep_contract(sink.statements)
    assert verbs(sink.statements).count("answered") == len(exp.game.idioms)
    assert seen["answered"] == {"attempts", "hidden-position", "points", "age-band"}
    assert seen["scored"] == {"correct", "total"}


# --- 成语接龙 ----------------------------------------------------------------------------------------------------
def test_chain_game(run):
    package, ctx, sink, clock = run("org.yuedu.idioms.chain", seed=11)
    exp = create_experience(package, ctx)
    exp.start()
    surface = pygame.Surface(SURFACE)
    try:
        wrong = [c for c in exp.cards if not exp.game.is_valid(c.word)]
        if wrong:  # a wrong pick first
            exp.handle(InputEvent("pointer_down", *wrong[0].rect.center, source="touch"))
        exp.handle(InputEvent("pointer_down", *exp.hint_button.rect.center, source="touch"))
        for _ in range(40):
            if exp.state == "end":
                break
            if exp.state == "child":
                valid = [c for c in exp.cards if exp.game.is_valid(c.word)]
                exp.handle(InputEvent("pointer_down", *valid[0].rect.center, source="touch"))
            frames(exp, 2.0, clock=clock, dt=1 / 20)
        exp.draw(surface)
        assert exp.state == "end"
    finally:
        exp.stop("completed")
    seen = keep_contract(sink.statements)
    answered = [s for s in sink.statements if verbs([s]) == ["answered"]]
    assert len(answered) >= 2, verbs(sink.statements)
    assert seen["answered"] == {"attempts", "hints", "follows", "chain-length"}
    assert seen["scored"] == {"chain-length", "hints", "end"}


# --- the recitation booth ---------------------------------------------------------------------------------------
JINGYESI = 12  # index of 静夜思 in content/poems-recital/poems.json
FRAME = 1 / 30


@pytest.fixture(scope="module")
def clean_reading(tmp_path_factory) -> Path:
    from recitation.fixtures import JINGYESI as TEXT, require_tools, synthesize

    require_tools()
    return synthesize(TEXT, tmp_path_factory.mktemp("reading") / "clean.wav")


@pytest.mark.parametrize("mode", ["scored", "unscored", "family"])
def test_booth_takes(run, clean_reading, mode):
    from experiences.config import KioskConfig
    from recitation.audio.devices import WavDevice
    from recitation.booth import flow as F

    config = KioskConfig()
    if mode == "family":  # a family shares its take: the booth queues it and reports that it did
        config.server.public_base_url = "https://read.example-library.cn"
        config.server.url, config.server.key, config.server.secret = "https://lib.example.cn", "kiosk-7", "s3"
    package, ctx, sink, clock = run("org.yuedu.poems.recital", age_band=None, config=config)
    ctx.services["audio"] = WavDevice(clean_reading, clock=clock.now)
    booth = create_experience(package, ctx)
    booth.start()

    def frame():
        clock.advance(FRAME)
        booth.update(FRAME)

    try:
        booth.press(f"poem:{JINGYESI}")
        if mode == "unscored":
            booth.press("no_score")
        if mode == "family":
            booth.press("family")
        booth.press("record")
        booth.press("agree")
        for _ in range(int(F.COUNTDOWN_S / FRAME) + 1):
            frame()
        while booth.session is not None and booth.session.seconds < (3.0 if mode == "unscored" else 9.2):
            frame()
        booth.press("stop")
        frame()
        assert booth.flow.screen == (F.REVIEW if mode == "unscored" else F.SCORE)
        if mode == "family":
            booth.press("share")
            booth.press("nick:0")
            booth.press("share_confirm")
            assert booth.sharing.job.wait(60), "the share job did not finish"
            frame()
            assert booth.flow.screen == F.SHARED
    finally:
        booth.stop("completed")
    seen = keep_contract(sink.statements)
    assert verbs(sink.statements)[:2] == ["attempted", "completed"]
    completed = sink.statements[1]
    assert ("score" in completed["result"]) == (mode != "unscored")
    assert seen.get("completed", set()) == (set() if mode == "unscored" else {"recitation-scores", "recitation-flags"})
    if mode == "family":
        shared = sink.statements[-1]["context"]["extensions"]
        assert shared[EXTENSION_NAMESPACE + "recitation-share"] == "queued"
        assert shared[EXTENSION_NAMESPACE + "recitation-share-days"] == 30


# --- exhibits -----------------------------------------------------------------------------------------------------
def tap(exp, x, y) -> None:
    exp.handle(InputEvent("pointer_down", x, y))
    exp.handle(InputEvent("pointer_up", x, y))


def on_screen(point, size) -> bool:
    return point is not None and 20 <= point[0] < size[0] - 20 and 20 <= point[1] < size[1] - 20


EXHIBIT_SIZE = (640, 360)


@pytest.fixture
def exhibit(run):
    started = []

    def make(package_id: str, size=EXHIBIT_SIZE):
        package, ctx, sink, clock = run(package_id, size=size)
        opened = []
        ctx.services["open_package"] = opened.append
        exp = create_experience(package, ctx)
        exp.start()
        started.append(exp)
        return exp, sink, clock, opened

    yield make
    for exp in started:
        if getattr(exp, "stage", None) is not None:
            exp.stop("quit")


def test_treasure_hotspot(exhibit):
    exp, sink, clock, _ = exhibit("org.yuedu.exhibits.ding")
    surface = pygame.Surface(EXHIBIT_SIZE)
    for _ in range(120):  # the model loads, turns: a hotspot comes into view
        frames(exp, 1 / 30, clock=clock, surface=surface)
        spot = next((s for s in exp.hotspots if s.visible and on_screen(s.screen, EXHIBIT_SIZE)), None)
        if spot is not None:
            break
    assert spot is not None, "no hotspot came into view"
    tap(exp, *spot.screen)
    frames(exp, 1 / 30, clock=clock, surface=surface)
    exp.stop("quit")
    seen = keep_contract(sink.statements)
    assert sink.statements[0]["object"]["id"].endswith(f"/hotspot/{spot.id}")
    assert verbs(sink.statements) == ["experienced", "progressed"] and seen["progressed"] == {"items-experienced"}


def test_book_pages(exhibit):
    exp, sink, clock, _ = exhibit("org.yuedu.exhibits.tangshi-book", size=SURFACE)
    surface = pygame.Surface(SURFACE)
    frames(exp, 1 / 30, clock=clock, surface=surface)
    for _ in range(3):  # the page turns forward (a thread-bound book turns from the left): cover, then pages
        tap(exp, 380 if exp.side < 0 else 900, 360)
        frames(exp, 1.0, clock=clock, surface=surface)
    exp.stop("quit")
    seen = keep_contract(sink.statements)
    pages = [s["object"]["id"].rsplit("/", 2)[-2:] for s in sink.statements if verbs([s]) == ["experienced"]]
    assert pages and all(kind == "page" for kind, _ in pages)
    assert seen["progressed"] == {"pages-read", "pages-total"}


def test_panorama_pick(exhibit):
    exp, sink, clock, opened = exhibit("org.yuedu.exhibits.hall")
    surface = pygame.Surface(EXHIBIT_SIZE)
    exp.draw(surface)
    spot = None
    for _ in range(24):  # look round until a hotspot that opens another exhibit is in view
        spot = next((s for s in exp.spots if s.opens and on_screen(s.screen, EXHIBIT_SIZE)), None)
        if spot is not None:
            break
        exp.look(15, 0, clock.now())
        exp.draw(surface)
    assert spot is not None
    tap(exp, *spot.screen)
    exp.draw(surface)
    button = next(b for b in exp.buttons if b.key == "open")
    tap(exp, *button.rect.center)
    assert opened == [spot.opens] and exp.finished
    exp.stop("completed")
    seen = keep_contract(sink.statements)
    assert verbs(sink.statements) == ["experienced", "progressed"] and seen["progressed"] == {"items-experienced"}


def test_waterfall_pick(exhibit):
    exp, sink, clock, opened = exhibit("org.yuedu.exhibits.waterfall")
    surface = pygame.Surface(EXHIBIT_SIZE)
    frames(exp, 0.1, clock=clock, surface=surface)
    card = next(p for p in exp.placements if (quad := exp.screen_quad(p))
                and all(on_screen(corner, EXHIBIT_SIZE) for corner in quad))
    quad = exp.screen_quad(card)
    tap(exp, sum(x for x, _ in quad) / 4, sum(y for _, y in quad) / 4)
    assert opened == [exp.package_of(card).id] and exp.finished
    exp.stop("completed")
    seen = keep_contract(sink.statements)
    assert verbs(sink.statements) == ["experienced", "progressed"]
    assert seen["progressed"] == {"items-experienced", "covers-shown"}


# --- the kiosk shell: its own statements and a what-next card ------------------------------------------------------
def test_kiosk_session_with_what_next(tmp_path):
    from experiences.config import KioskConfig
    from experiences.kiosk import testing
    from experiences.kiosk.states import ASK_AGE, ATTRACT, MENU, RUNNING
    from experiences.kiosk.testing import click
    from experiences.kiosk.whatnext import PickSource
    from experiences.package import open_package

    from .helpers import PLACE

    size = (960, 600)
    packages = [open_package(testing.write_test_package(tmp_path / f"pkg{n}", f"org.yuedu.test.p{n:02d}",
                                                       title=f"测试体验{n}", finish_after_frames=5))
                for n in range(3)]
    config = KioskConfig()
    config.server.activity_base = PLACE.activity_base
    config.kiosk.kiosk_id, config.kiosk.branch, config.kiosk.library = PLACE.kiosk_id, PLACE.branch, PLACE.library
    source = PickSource(lambda: None, tmp_path / "data")  # offline, nothing cached: picks from the catalog
    shell, sink = testing.headless_shell(packages, tmp_path / "data", config=config, size=size, picks_source=source)
    try:
        shell.frame(1 / 60)
        click(5, 5)  # wake the kiosk: the age question
        shell.frame(1 / 60)
        assert shell.machine.state == ASK_AGE
        choice = next(c for c in shell.age_screen.choices(size) if c.band == "6-8")
        click(*choice.rect.center)
        shell.frame(1 / 60)
        assert shell.machine.state == MENU
        testing.play_first_card(shell, frames=8)  # the scripted run finishes: terminated, then the what-next cards
        assert shell.what_next is not None
        pick = shell.what_next.cards(size)[0]
        picked = shell.what_next.picks[pick.index].package
        click(*pick.rect.center)
        shell.frame(1 / 60)
        assert shell.machine.state == RUNNING
        shell.clock.advance(95)  # the visitor walks away mid-run: warning, then reset
        for _ in range(6):
            shell.frame(1 / 60)
        shell.clock.advance(15)
        for _ in range(6):
            shell.frame(1 / 60)
        assert shell.machine.state == ATTRACT
    finally:
        shell.close()
    keep_contract(sink.statements)
    kiosk_verbs = [v for v in verbs(sink.statements) if v != "completed"]  # "completed" is the scripted kind's
    assert kiosk_verbs == ["launched", "initialized", "terminated", "launched", "initialized", "abandoned"]
    launched = [s for s in sink.statements if verbs([s]) == ["launched"]]
    assert launched[1]["object"]["id"] == PLACE.iri("activities", picked) != launched[0]["object"]["id"]
    assert {s["context"]["extensions"][EXTENSION_NAMESPACE + "age-band"] for s in sink.statements} == {"6-8"}


# --- the namespace itself -----------------------------------------------------------------------------------------
ROOT = Path(__file__).resolve().parents[2]


def test_every_name_is_documented_and_the_server_reads_the_same_namespace():
    from experiences.engagement import extension_iri, extension_name

    doc = (ROOT / "docs" / "engagement-outbox.md").read_text(encoding="utf-8")
    assert EXTENSION_NAMESPACE in doc
    documented = set(re.findall(r"^\| `([a-z0-9-]+)` \|", doc, flags=re.M))
    assert documented == set(EXTENSIONS)
    assert events.EXTENSION_NAMESPACE == EXTENSION_NAMESPACE  # the server's mirror of the kiosk's constant
    for name in EXTENSIONS:
        for key in (extension_iri(name), f"https://any-library.example.org/base/extensions/{name}"):
            assert events.extension_name(key) == extension_name(key) == name


def test_kinds_pass_short_names_and_never_build_extension_iris():
    """Only experiences/engagement.py makes extension IRIs: no kind names the namespace or the old form."""
    offenders = []
    for folder in ("games", "recitation", "experiences/exhibits", "experiences/kiosk"):
        for path in (ROOT / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            if re.search(r"iri\(\s*[\"']extensions[\"']|/extensions/|w3id\.org/yuedu", text):
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
