"""成语接龙 through the Experience API, headless: cards, a wrong pick, hints, kiosk turns, a kind ending."""
from __future__ import annotations

import os

import pygame
import pytest

from experiences.engagement import extension_iri
from experiences.runtime import InputEvent, create_experience
from games.idioms.chain import CHILD, KIOSK

SHOTS = os.environ.get("YUEDU_SHOTS")
ANSWERED = "http://adlnet.gov/expapi/verbs/answered"


def save(surface, name):
    if SHOTS:
        os.makedirs(SHOTS, exist_ok=True)
        pygame.image.save(surface, os.path.join(SHOTS, name + ".png"))


@pytest.fixture
def surface():
    pygame.init()
    return pygame.Surface((1280, 720))


def tap(exp, rect):
    exp.handle(InputEvent("pointer_down", *rect.center, source="touch"))


def test_a_scripted_chain_game(run_context, surface):
    package, ctx, sink, clock = run_context("org.yuedu.idioms.chain", seed=11)
    exp = create_experience(package, ctx)
    exp.start()
    exp.draw(surface)
    save(surface, "chain_cards")
    assert exp.state == "child" and len(exp.cards) == 5
    assert exp.game.movers == [KIOSK] and exp.game.last in exp.preferred
    # A wrong card first (if any), then a hint, then the right card.
    wrong = [c for c in exp.cards if not exp.game.is_valid(c.word)]
    tap(exp, wrong[0].rect)
    assert wrong[0].state == "wrong" and exp.state == "child" and wrong[0].word in exp.message
    tap(exp, exp.hint_button.rect)
    tap(exp, exp.hint_button.rect)
    hinted = [c for c in exp.cards if c.state == "hinted"]
    assert len(hinted) == 1 and exp.game.is_valid(hinted[0].word)
    exp.draw(surface)
    save(surface, "chain_hint")
    clock.advance(7.0)
    tap(exp, hinted[0].rect)
    assert exp.state == "kiosk" and exp.game.movers[-1] == CHILD
    exp.draw(surface)
    for _ in range(100):
        exp.update(1 / 60)
    assert exp.game.movers[-1] == KIOSK and exp.state in ("child", "end")
    # Keep playing by keyboard until the game ends (max_turns = 6 in the test package).
    while exp.state == "child":
        valid = next(i for i, c in enumerate(exp.cards) if exp.game.is_valid(c.word))
        while exp.focus != valid:
            exp.handle(InputEvent("action", action="right", source="keyboard"))
        exp.handle(InputEvent("action", action="select", source="keyboard"))
        for _ in range(100):
            exp.update(1 / 60)
    assert exp.state == "end" and exp.game.end_reason
    exp.draw(surface)
    save(surface, "chain_end")
    answered = [s for s in sink.statements if s["verb"]["id"] == ANSWERED]
    assert len(answered) == exp.game.movers.count(CHILD)
    first = answered[0]["result"]
    assert first["success"] is False and first["extensions"][extension_iri("attempts")] == 2 and first["extensions"][extension_iri("hints")] == 2
    assert first["duration"] == "PT7.00S" and first["response"].split(",")[0] == wrong[0].word
    assert all(s["result"]["success"] for s in answered[1:])
    assert [s["verb"]["display"]["en-US"] for s in sink.statements][-2:] == ["scored", "completed"]
    assert sink.statements[-2]["result"]["score"]["raw"] == len(answered)
    done = next(b for b in exp.buttons if b.key == "done")
    tap(exp, done.rect)
    assert exp.finished


def test_chain_screen_draws_cards_where_they_are(run_context, surface):
    package, ctx, _, _ = run_context("org.yuedu.idioms.chain", seed=3)
    exp = create_experience(package, ctx)
    exp.start()
    exp.draw(surface)
    for card in exp.cards:
        assert surface.get_at((card.rect.left + 12, card.rect.centery))[:3] == (250, 240, 215)
        assert surface.get_at((card.rect.left - 6, card.rect.centery))[:3] != (250, 240, 215)
    # the idiom to follow is drawn in the upper part: light text pixels there
    band = surface.subsurface(pygame.Rect(400, 120, 480, 120))
    assert sum(1 for x in range(0, 480, 4) for y in range(0, 120, 4) if band.get_at((x, y))[0] > 200) > 20


def test_same_pinyin_option_is_read_from_the_package(run_context, make_chain_package, children):
    from experiences.catalog import Catalog
    package, ctx, _, _ = run_context("org.yuedu.idioms.chain", age_band="9-12")  # the young play by sound anyway
    chain = make_chain_package([r["word"] for r in children], extra="same_pinyin = true\ncandidates = 6\n")
    ctx.catalog = Catalog(ctx.catalog.all() + [chain])
    exp = create_experience(chain, ctx)
    exp.start()
    assert exp.rules.same_pinyin and len(exp.cards) == 6 and "同音" in exp.message
    assert len(exp.dictionary) > len(exp.preferred)  # 9-12 play with the whole dictionary
