"""「What next?」 after a poem: the kiosk asks with the poem's activity IRI, shows a poem pick's title on its card,
and choosing it opens the real booth, through the real shell, straight on that poem's reading screen."""
from __future__ import annotations

import io
import json
import sys
import urllib.parse
from pathlib import Path

import pygame

from experiences.config import KioskConfig
from experiences.engagement import VERBS, Item
from experiences.kinds import default_registry
from experiences.kiosk import testing
from experiences.kiosk.states import MENU, RUNNING
from experiences.kiosk.testing import click
from experiences.kiosk.whatnext import Pick, PickSource, after_parts, complete, repeats
from experiences.package import open_package
from experiences.runtime import InputEvent

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "recitation"))
from poems_package import open_poems_package  # noqa: E402

SIZE = (1280, 720)
RECITAL = "org.example.recital"  # the id open_poems_package gives the 300-poem booth


def test_after_parts_and_repeats():
    iri = "https://lib.example.org/activities/org.example.recital/poem/xx-jingyesi"
    assert after_parts(iri) == (RECITAL, "xx-jingyesi")
    assert after_parts("org.yuedu.test.p00") == ("org.yuedu.test.p00", "")
    assert repeats(Pick(RECITAL), iri) and repeats(Pick(RECITAL, item_type="poem", item_id="xx-jingyesi"), iri)
    assert not repeats(Pick(RECITAL, item_type="poem", item_id="xx-chunxiao"), iri)
    picks = [Pick(RECITAL, {"zh-CN": "春晓"}, {}, "poem", "xx-chunxiao"), Pick(RECITAL), Pick("b")]
    chosen = complete(picks, [RECITAL, "a", "b"], iri, lambda p: {"zh-CN": p})
    assert [(p.package, p.item_id) for p in chosen] == [(RECITAL, "xx-chunxiao"), ("b", ""), ("a", "")]
    assert Pick.from_json(picks[0].as_json()) == picks[0] and "item_id" not in Pick("b").as_json()


def _answer(picks, asked):
    class Response(io.BytesIO):
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    def opener(request, timeout):
        asked.append(urllib.parse.parse_qs(urllib.parse.urlsplit(request.full_url).query)["after"][0])
        return Response(json.dumps({"picks": picks}).encode())
    return opener


def test_a_poem_pick_opens_the_booth_on_that_poem(tmp_path):
    booth_package = open_poems_package(tmp_path / "poems")
    tests = [open_package(testing.write_test_package(tmp_path / f"pkg{n}", f"org.yuedu.test.p{n:02d}",
                                                     title=f"测试体验{n}", finish_after_frames=5)) for n in range(2)]
    fresh = [{"package": RECITAL, "item_type": "poem", "item_id": "xx-chunxiao",
              "title": {"zh-CN": "春晓", "en": "春晓"},
              "text": {"zh-CN": "读了《静夜思》的小朋友也读了《春晓》", "en": "Children who read 《静夜思》 also read 《春晓》"}},
             {"package": RECITAL, "item_type": "poem", "item_id": "xx-jingyesi", "title": {"zh-CN": "静夜思"}},
             {"package": "org.yuedu.test.p01", "text": {"zh-CN": "大家都爱玩《测试体验1》"}}]
    asked: list[str] = []
    source = PickSource(lambda: ("http://kiosk-server/xapi", "key", "secret"), tmp_path / "data",
                        opener=_answer(fresh, asked))
    config = KioskConfig()
    config.kiosk.ask_age_band = False
    shell, sink = testing.headless_shell([booth_package, *tests], tmp_path / "data", config=config, size=SIZE,
                                         registry=testing.registry_with_test_kind(default_registry()),
                                         picks_source=source)
    try:
        click(5, 5)
        shell.frame(1 / 60)
        assert shell.open_by_id(RECITAL, "xx-jingyesi")
        booth = shell.host.experience
        assert booth.poem.title == "静夜思" and shell.host.ctx.start_item == "xx-jingyesi"
        # What a take reports (the headless shell has no microphone): the poem attempted, by the run's reporter.
        shell.host.ctx.reporter.report("attempted", Item("poem", "xx-jingyesi", {"zh-CN": "静夜思"}))
        for _ in range(2):  # back to the picker, back out of the booth
            shell.dispatch(InputEvent("action", action="back", source="keyboard"))
        shell.frame(1 / 60)
        assert shell.machine.state == MENU and shell.what_next is not None
        assert shell.pending_picks is None or shell.pending_picks.done.wait(10)
        shell.frame(1 / 60)
        assert after_parts(asked[0]) == (RECITAL, "xx-jingyesi")  # asked after the poem, not only the booth
        picks = shell.what_next.picks
        # The poem just read is never offered again; the booth itself comes back only as another poem.
        assert [(p.package, p.item_id) for p in picks] == [(RECITAL, "xx-chunxiao"), ("org.yuedu.test.p01", ""),
                                                           ("org.yuedu.test.p00", "")]
        assert [shell.what_next.card_title(p) for p in picks] == ["《春晓》", "测试体验1", "测试体验0"]
        shot = pygame.image.load(str(shell.save_screenshot(tmp_path / "what-next-poem.png")))
        assert len({shot.get_at((x, y))[:3] for x in range(0, SIZE[0], 16) for y in range(0, SIZE[1], 16)}) > 40
        click(*shell.what_next.cards(SIZE)[0].rect.center)
        shell.frame(1 / 60)
        assert shell.machine.state == RUNNING and shell.what_next is None
        booth = shell.host.experience
        assert shell.host.ctx.start_item == "xx-chunxiao"
        assert booth.poem.title == "春晓" and booth.flow.screen == "reading"
        launched = [s["object"]["id"] for s in sink.statements if s["verb"]["id"] == VERBS["launched"][0]]
        assert launched[-1].endswith(RECITAL) and len(launched) == 2
    finally:
        shell.close()
        booth_package.source.close()


def test_a_package_pick_still_opens_the_package_first_screen(tmp_path):
    """Picks without item fields behave as before: the booth opens on its picker."""
    booth_package = open_poems_package(tmp_path / "poems")
    test = open_package(testing.write_test_package(tmp_path / "pkg", "org.yuedu.test.p00", finish_after_frames=3))
    source = PickSource(lambda: ("http://kiosk-server/xapi", "", ""), tmp_path / "data",
                        opener=_answer([{"package": RECITAL, "title": {"zh-CN": "朗诵亭"}}], []))
    config = KioskConfig()
    config.kiosk.ask_age_band = False
    shell, _sink = testing.headless_shell([booth_package, test], tmp_path / "data", config=config, size=SIZE,
                                          registry=testing.registry_with_test_kind(default_registry()),
                                          picks_source=source)
    try:
        click(5, 5)
        shell.frame(1 / 60)
        assert shell.open_by_id("org.yuedu.test.p00")
        for _ in range(4):
            shell.frame(1 / 60)
        assert shell.pending_picks is None or shell.pending_picks.done.wait(10)
        shell.frame(1 / 60)
        assert [(p.package, p.item_id) for p in shell.what_next.picks][0] == (RECITAL, "")
        assert shell.what_next.card_title(shell.what_next.picks[0]) == "朗诵亭"
        click(*shell.what_next.cards(SIZE)[0].rect.center)
        shell.frame(1 / 60)
        assert shell.host.ctx.start_item is None and shell.host.experience.flow.screen == "picker"
    finally:
        shell.close()
        booth_package.source.close()
