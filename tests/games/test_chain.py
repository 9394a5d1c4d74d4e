"""Idiom chain: every move is valid, no idiom repeats, cards always hold a valid move, the game ends kindly."""
from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from games.idioms.chain import (CHILD, END_CHILD_STUCK, END_KIOSK_STUCK, END_MAX_TURNS, KIOSK, ChainGame,
                                ChainRules, candidate_cards, kiosk_move)
from games.idioms.dictionary import IdiomDictionary
from games.idioms.glyphs import default_glyphs
from games.idioms.pinyin import toneless
from games.idioms.records import Idiom

SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def links(previous: Idiom, word: Idiom, same_pinyin: bool) -> bool:
    """The rule, restated independently of ChainRules."""
    if word.word[0] == previous.word[-1]:
        return True
    return same_pinyin and toneless(word.pinyin[0]) == toneless(previous.pinyin[-1])


@SETTINGS
@given(seed=st.integers(0, 2**32 - 1), same_pinyin=st.booleans(), cards=st.integers(4, 6),
       max_turns=st.integers(2, 16), picks=st.lists(st.integers(0, 5), min_size=20, max_size=20))
def test_games_only_make_valid_moves_and_never_repeat(full_dictionary, kid_idioms, seed, same_pinyin, cards,
                                                      max_turns, picks):
    game = ChainGame(full_dictionary, ChainRules(same_pinyin), frozenset(i.word for i in kid_idioms),
                     random.Random(seed), cards, max_turns, default_glyphs().drawable)
    game.start()
    turn = 0
    while not game.over and turn < 40:
        if game.turn == CHILD:
            assert len(game.cards) == cards and len(set(game.cards)) == cards
            assert not set(game.cards) & set(game.chain)
            last = full_dictionary.get(game.last)
            valid = [c for c in game.cards if links(last, full_dictionary.get(c), same_pinyin)]
            assert valid, "the child always has at least one valid card"
            wrong = [c for c in game.cards if c not in valid]
            if wrong and picks[turn % len(picks)] % 2:
                before = list(game.chain)
                assert not game.play_child(wrong[0]) and game.chain == before  # a wrong card changes nothing
            assert game.play_child(valid[picks[turn % len(picks)] % len(valid)])
        else:
            game.play_kiosk()
        turn += 1
    assert game.over
    assert len(game.chain) == len(set(game.chain)), "no idiom repeats in a game"
    for previous, word in zip(game.chain, game.chain[1:]):
        assert links(full_dictionary.get(previous), full_dictionary.get(word), same_pinyin), (previous, word)
    assert all(default_glyphs().drawable(w) for w in game.chain)
    assert game.movers[0] == KIOSK and all(a != b for a, b in zip(game.movers, game.movers[1:]))
    assert (game.end_reason == END_MAX_TURNS) == (len(game.chain) >= max_turns)


def tiny(words: list[str]) -> IdiomDictionary:
    return IdiomDictionary(Idiom(w, tuple("jīng" if c in "睛精经" else "x" for c in w)) for w in words)


def test_kiosk_prefers_childrens_idioms_that_leave_the_child_a_move():
    d = tiny(["画龙点睛", "睛天霹雳", "睛彩纷呈", "彩云追月", "精益求精"])
    rules = ChainRules()
    # 睛彩纷呈 is not preferred; 睛天霹雳 is, but leaves no move; so the kiosk picks ... the one with a follow-up.
    assert kiosk_move(d, rules, "画龙点睛", {"画龙点睛"}, {"睛天霹雳", "彩云追月"}, random.Random(1)) == "睛天霹雳"
    assert kiosk_move(d, rules, "画龙点睛", {"画龙点睛"}, {"睛天霹雳"}, random.Random(1)) == "睛天霹雳"
    assert kiosk_move(d, rules, "画龙点睛", {"画龙点睛", "睛天霹雳", "睛彩纷呈"}, set(), random.Random(1)) is None


def test_same_pinyin_option_links_by_sound():
    d = tiny(["画龙点睛", "精益求精", "经天纬地"])
    assert ChainRules().moves(d, "画龙点睛") == []
    assert ChainRules(same_pinyin=True).moves(d, "画龙点睛") == ["精益求精", "经天纬地"]
    assert not ChainRules(same_pinyin=True).follows(d, "画龙点睛", "画龙点睛")


def test_cards_hold_a_valid_move_and_teaching_distractors(full_dictionary, kid_idioms):
    preferred = frozenset(i.word for i in kid_idioms)
    rules = ChainRules()
    for seed in range(20):
        cards = candidate_cards(full_dictionary, rules, "一心一意", {"一心一意"}, preferred, 6, random.Random(seed))
        assert len(cards) == 6 and 1 <= sum(c[0] == "意" for c in cards) <= 2
        assert all(c in full_dictionary and c != "一心一意" for c in cards)
        wrong = [c for c in cards if c[0] != "意"]
        # distractors teach: sound-alike starts (yi) or the character later in the idiom come first
        assert any(toneless(full_dictionary.get(c).pinyin[0]) == "yi" or "意" in c for c in wrong)
    # 画龙点睛: no idiom starts with 睛, so no card can be valid
    cards = candidate_cards(full_dictionary, rules, "画龙点睛", {"画龙点睛"}, preferred, 4, random.Random(0))
    assert len(cards) == 4 and not any(rules.follows(full_dictionary, "画龙点睛", c) for c in cards)


def test_child_stuck_ends_the_game_kindly():
    d = tiny(["画龙点睛", "一心一意", "三心二意", "四面八方", "五湖四海", "六神无主"])
    game = ChainGame(d, ChainRules(), frozenset(d.words), random.Random(0), card_count=4)
    game.chain, game.movers = [], []
    game._append("画龙点睛", KIOSK)
    assert game.over and game.end_reason == END_CHILD_STUCK


def test_kiosk_stuck_means_the_child_wins():
    d = tiny(["一心一意", "意气风发", "发人深省"])
    game = ChainGame(d, ChainRules(), frozenset(d.words), random.Random(0), card_count=4)
    game.chain, game.movers = [], []
    game._append("一心一意", KIOSK)
    assert game.turn == CHILD and "意气风发" in game.cards
    assert game.play_child("意气风发")
    assert game.play_kiosk() == "发人深省" and game.turn == CHILD
    assert game.over and game.end_reason == END_CHILD_STUCK  # nothing follows 省 either


def test_hints_first_the_sound_then_the_card(full_dictionary, kid_idioms):
    game = ChainGame(full_dictionary, ChainRules(), frozenset(i.word for i in kid_idioms), random.Random(2))
    game.start()
    first = game.hint()
    assert first["kind"] == "sound" and first["char"] == game.last[-1] and first["pinyin"]
    second = game.hint()
    assert second["kind"] == "card" and game.is_valid(second["word"]) and second["word"] in game.cards
    assert game.hints_used == 2


def test_kiosk_stuck_reason():
    d = tiny(["一心一意", "意气风发"])
    game = ChainGame(d, ChainRules(), frozenset(d.words), random.Random(0))
    game.chain, game.movers, game.turn = ["一心一意", "意气风发"], [KIOSK, CHILD], KIOSK
    assert game.play_kiosk() is None and game.end_reason == END_KIOSK_STUCK


def test_outside_the_childrens_list_the_kiosk_prefers_familiar_characters():
    words = ["画龙点睛", "睛一一一", "睛龘龘龘"] + [f"一{c}一{c}" for c in "心意人生天地大小上下中山水火木金土日月风"]
    d = tiny(words)
    picks = {kiosk_move(d, ChainRules(), "画龙点睛", {"画龙点睛"}, set(), random.Random(s)) for s in range(10)}
    assert picks == {"睛一一一"}  # 一 is in 20+ idioms here; 龘 in one
