"""成语接龙's screens as the kiosk draws them, at every size of experiences.kiosk.shots, checked for what a child two
metres away needs (experiences.screencheck): no cut, no overlap, big enough, Chinese only; and by age, the young
bands play within the children's 500 by sound, ending kindly with a score. Real bundled content throughout."""
from __future__ import annotations

import json
import os
import random
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")

import pygame
import pytest

from experiences.catalog import Catalog
from experiences.kiosk.shots import SIZES, package_shots
from experiences.package import open_package
from experiences.screencheck import report
from games.chain import view
from games.idioms.chain import CHILD, ChainGame, ChainRules, young_dictionary
from games.idioms.dictionary import dictionary_for
from games.idioms.glyphs import default_glyphs

CONTENT = Path(__file__).resolve().parents[2] / "content"
SHOTS = os.environ.get("YUEDU_SHOTS")
STATES = ["first", "wrong", "right", "kiosk", "end"]


@pytest.fixture(scope="module")
def chain_package():
    package = open_package(CONTENT / "idiom-chain")
    return package, Catalog([package, open_package(CONTENT / "idioms-xinhua")])


def colour_count(surface, colour, tolerance=6) -> int:
    pixels = pygame.surfarray.pixels3d(surface)
    mask = (abs(pixels.astype(int) - colour) <= tolerance).all(axis=2)
    return int(mask.sum())


@pytest.mark.parametrize("band", ["6-8", "9-12"])
def test_every_state_fits_every_size_with_nothing_cut_overlapping_or_too_small(chain_package, band, tmp_path):
    package, catalog = chain_package
    for size in SIZES:
        shots = list(package_shots(package, size, age_band=band, catalog=catalog, data_dir=tmp_path,
                                   services={"seed": 5}))
        assert [s.state for s in shots] == STATES, size
        for shot in shots:
            if SHOTS:
                os.makedirs(SHOTS, exist_ok=True)
                pygame.image.save(shot.surface, os.path.join(SHOTS, f"{band}-{shot.name}.png"))
            assert not shot.findings, f"{shot.name} ({band}):\n{report(shot.findings)}"
        by_state = {s.state: s for s in shots}
        first, wrong, right, kiosk = (by_state[k] for k in STATES[:4])
        cards = [b for b in first.log.boxes if b.group == "cards"]
        assert 4 <= len(cards) <= 6
        # The prompt is a prompt (>= 48 px at 1080p, scaled): the checks above held it to that.
        assert any(t.role == "prompt" for t in first.log.texts)
        # ✕ sits beside the pinyin, never over it: the wrong card's badge meets none of the drawn texts.
        badges = [b for b in wrong.log.boxes if b.group == "badges"]
        assert badges and not any(view.pygame.Rect(b.box).colliderect(view.pygame.Rect(t.box))
                                  for b in badges for t in wrong.log.texts)
        # How to play: a hand on the first turn, none once the child has linked; stars celebrate the link.
        assert colour_count(first.surface, view.SKIN) > 200 * view.scale_of(size) ** 2
        assert colour_count(kiosk.surface, view.SKIN) == 0
        assert colour_count(right.surface, view.STAR) > 2 * colour_count(kiosk.surface, view.STAR)
        # The ending shows the score as words and stars, with 再玩一次 and 结束.
        end = by_state["end"]
        assert {b.label for b in end.log.boxes if b.group == "buttons"} == {"button:再玩一次", "button:结束"}
        assert any(t.text.startswith(("你接上了", "下次")) for t in end.log.texts)


def test_pinyin_on_the_chain_screens_comes_from_the_reviewed_idiom_readings(run_context):
    """The cards, the idiom to follow and the strip show the dictionary's reading of the idiom, not a per-character
    guess, and a right pick sounds the chime."""
    from experiences.runtime import InputEvent, create_experience

    package, ctx, _, _ = run_context("org.yuedu.idioms.chain", age_band="6-8", seed=2)
    exp = create_experience(package, ctx)
    exp.start()
    for card in exp.cards:
        assert card.pinyin == tuple(exp.dictionary.words[card.word].pinyin)
    right = next(c for c in exp.cards if exp.game.is_valid(c.word))
    exp.handle(InputEvent("pointer_down", *right.rect.center, source="touch"))
    assert "hit" in exp.sounds.played and exp.state == "kiosk"


@pytest.fixture(scope="module")
def young_game(chain_package):
    package, catalog = chain_package
    full = dictionary_for(package, catalog)
    children = frozenset(json.loads((CONTENT / "idiom-chain" / "preferred.json").read_text(encoding="utf-8")))
    return full, children


def test_the_same_sound_rule_gives_the_childrens_500_many_more_links(young_game):
    full, children = young_game
    young = young_dictionary(full, children)
    assert len(young) == len(children) == 500
    by_char = sum(1 for w in children if ChainRules(False).moves(young, w, {w}))
    by_sound = sum(1 for w in children if ChainRules(True).moves(young, w, {w}))
    assert by_char == 164  # the count: only 164 of the 500 have a same-character successor
    assert by_sound > 2 * by_char


def test_young_children_play_only_the_childrens_500_and_every_game_ends_kindly(run_context, young_game):
    from experiences.runtime import InputEvent, create_experience

    full, children = young_game
    for band in ("3-5", "6-8"):
        for seed in range(6):
            package, ctx, sink, _ = run_context("org.yuedu.idioms.chain", age_band=band, seed=seed)
            exp = create_experience(package, ctx)
            exp.start()
            assert exp.rules.same_pinyin and set(exp.dictionary.words) == set(children)
            seen = set(exp.game.chain)
            while exp.state != "end":
                if exp.state == "child":
                    seen |= {c.word for c in exp.cards}
                    right = next(c for c in exp.cards if exp.game.is_valid(c.word))
                    exp.handle(InputEvent("pointer_down", *right.rect.center, source="touch"))
                exp.update(2.0)
            seen |= set(exp.game.chain)
            assert seen <= children and not seen & {"水佩风裳", "水净鹅飞"}
            assert "输" not in exp.message and "你接上了" in exp.score_line
            assert exp.buttons and {b.key for b in exp.buttons} == {"again", "done"}
            scored = [s for s in sink.statements if s["verb"]["display"]["en-US"] == "scored"]
            assert scored[-1]["result"]["score"]["raw"] == exp.game.movers.count(CHILD) >= 1


def test_young_games_last_several_links_on_average(young_game):
    """With the same-sound rule and cards that the kiosk can answer, a young child's game is not over at once."""
    full, children = young_game
    young, rules = young_dictionary(full, children), ChainRules(same_pinyin=True)
    links = []
    for seed in range(40):
        game = ChainGame(young, rules, children, random.Random(seed), 4, 12, default_glyphs().drawable)
        game.start()
        while not game.over:
            if game.turn == CHILD:
                game.play_child(next(c for c in game.cards if game.is_valid(c)))
            else:
                game.play_kiosk()
        links.append(game.movers.count(CHILD))
    assert sum(links) / len(links) >= 3
