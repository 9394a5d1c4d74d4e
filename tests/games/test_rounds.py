"""Round generation: exactly one lantern completes a real idiom; distractors teach; levels and gentle help."""
from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from games.idioms.dictionary import IdiomDictionary
from games.idioms.glyphs import default_glyphs
from games.idioms.levels import DEFAULT_LEVELS, level_for
from games.idioms.pinyin import near_sounds, toneless
from games.idioms.records import Idiom
from games.idioms.rounds import choose_idioms, distractor_candidates, fewer_lanterns, make_round

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
bands = st.sampled_from(sorted(DEFAULT_LEVELS))
seeds = st.integers(0, 2**32 - 1)


def completes(word: str, position: int, char: str, real_words) -> bool:
    return word[:position] + char + word[position + 1:] in real_words


@SETTINGS
@given(index=st.integers(0, 499), band=bands, seed=seeds)
def test_exactly_one_lantern_completes_a_real_idiom(full_dictionary, kid_idioms, real_words, index, band, seed):
    idiom, level = kid_idioms[index], level_for(band)
    rnd = make_round(idiom, level, full_dictionary, random.Random(seed))
    chars = rnd.chars()
    assert sum(completes(idiom.word, rnd.position, c, real_words) for c in chars) == 1
    assert rnd.answer in chars and len(set(chars)) == len(chars) == level.lanterns
    assert rnd.position in level.hidden
    assert all(c in default_glyphs().chars for c in chars)  # drawable in the Kai font
    assert rnd.shown.count("□") == 1 and rnd.shown.replace("□", rnd.answer) == idiom.word


@SETTINGS
@given(index=st.integers(0, 499), seed=seeds, keep=st.integers(2, 11))
def test_fewer_lanterns_keeps_the_answer_and_drops_the_missed(full_dictionary, kid_idioms, real_words, index, seed,
                                                              keep):
    rng = random.Random(seed)
    rnd = make_round(kid_idioms[index], level_for("9-12"), full_dictionary, rng)
    missed = next(c for c in rnd.chars() if c != rnd.answer)
    smaller = fewer_lanterns(rnd, keep, rng, drop_first=(missed,))
    assert len(smaller.lanterns) == min(keep, len(rnd.lanterns)) and rnd.answer in smaller.chars()
    if keep < len(rnd.lanterns):
        assert missed not in smaller.chars()
    assert sum(completes(rnd.idiom.word, rnd.position, c, real_words) for c in smaller.chars()) == 1


def test_distractors_teach(full_dictionary):
    idiom = full_dictionary.get("画龙点睛")
    found = distractor_candidates(idiom, 3, full_dictionary)
    assert all(toneless(full_pinyin(c)) == "jing" for c in found["homophone"][:5])
    assert "精" in found["homophone"]  # sounds and looks alike: taken once, as a homophone
    assert found["lookalike"] and set(found["lookalike"]) <= set(default_glyphs().lookalikes("睛"))
    assert all(toneless(full_pinyin(c)) in near_sounds("jing") for c in found["near-sound"][:5])
    assert found["related"]  # characters ending other idioms with 画, 龙 or 点 at the fourth place
    everything = [c for chars in found.values() for c in chars]
    assert "睛" not in everything and len(everything) == len(set(everything))
    # The upstream dictionary also lists the common misspelling 画龙点晴: so 晴 would complete a "real" idiom.
    assert full_dictionary.is_real("画龙点晴") and "晴" not in everything


def full_pinyin(char: str) -> str:
    from games.idioms.pinyin import readings
    return readings(char)[0]


def test_a_character_completing_another_idiom_never_shows():
    # 一□千金: 一刻千金 and 一诺千金 (and 一字千金) are all real: the others never appear on a lantern.
    words = ["一诺千金", "一刻千金", "一字千金", "千金一笑", "一言九鼎"]
    idioms = [Idiom(w, ("yī", "x", "qiān", "jīn")) for w in words]
    dictionary = IdiomDictionary(idioms, unplayable=["一掷千金"])
    for seed in range(30):
        rnd = make_round(idioms[0], level_for("13+"), dictionary, random.Random(seed), position=1)
        assert not set(rnd.chars()) & {"刻", "字", "掷"}
        assert rnd.answer == "诺" and len(rnd.lanterns) == 12


def test_levels_by_age_band_and_package_overrides():
    youngest = level_for("3-5")
    assert youngest.time_limit == 0 and youngest.pinyin == "all" and youngest.hidden == (3,)
    assert level_for("13+").timed and level_for("13+").lanterns >= 12
    assert level_for("unknown") == DEFAULT_LEVELS["all"]
    custom = level_for("6-8", {"6-8": {"hidden": [3, 0, 3], "lanterns": 1, "time_limit": 30}})
    assert custom.hidden == (0, 3) and custom.lanterns == 3 and custom.time_limit == 30 and custom.band == "6-8"


def test_choose_idioms_for_the_young_prefers_story_and_frequent_idioms(kid_idioms):
    picked = choose_idioms(kid_idioms, 8, random.Random(4), band="3-5")
    assert len({i.word for i in picked}) == 8
    allowed = sorted(kid_idioms, key=lambda i: (not i.classic, i.freq_rank or 10**6))[:40]
    assert all(i in allowed for i in picked)
    assert len(choose_idioms(kid_idioms[:3], 8, random.Random(4))) == 3


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=seeds, band=bands, rounds=st.integers(1, 12), shots=st.lists(st.integers(0, 15), min_size=40, max_size=40))
def test_a_lantern_game_never_repeats_an_idiom_and_reports_each_once(full_dictionary, kid_idioms, seed, band, rounds,
                                                                     shots):
    from experiences.engagement import ListSink, Place, SessionReporter
    from games.lanterns.play import HIT, LanternGame

    sink = ListSink()
    reporter = SessionReporter(sink, Place()).experience("p", "idiom-lanterns", "1.0.0")
    game = LanternGame(kid_idioms, full_dictionary, level_for(band), random.Random(seed), reporter, lambda: 0.0,
                       band, rounds)
    asked, pending = [], list(shots)
    while game.next_round() is not None:
        asked.append(game.round.idiom.word)
        while True:  # random shots until the answer is hit; help shrinks the lanterns but keeps the answer
            chars = game.round.chars()
            assert game.round.answer in chars
            if game.shot(chars[pending.pop(0) % len(chars)] if pending else game.round.answer) == HIT:
                break
    assert len(asked) == len(set(asked)) == min(rounds, len(kid_idioms))
    answered = [s for s in sink.statements if s["verb"]["display"]["en-US"] == "answered"]
    assert [s["object"]["definition"]["name"]["zh-CN"] for s in answered] == asked
    assert game.summary.correct == len(asked) and sink.statements[-1]["verb"]["display"]["en-US"] == "completed"
