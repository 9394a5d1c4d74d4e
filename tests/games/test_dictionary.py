"""The idiom dictionary: indexes, loading from packages, and merging the children's corrected idioms."""
from __future__ import annotations

import pytest

from experiences.catalog import Catalog
from games.idioms.dictionary import dictionary_for, load_dictionary
from games.idioms.pinyin import near_sounds, toneless


def test_indexes(full_dictionary):
    assert "画龙点睛" in full_dictionary and len(full_dictionary) > 29000
    assert "一心一意" in full_dictionary.starting_with("一")
    assert "精益求精" in full_dictionary.starting_with_sound("jīng")
    assert "画龙点睛" in full_dictionary.containing("龙")
    assert {"睛", "晴"} <= full_dictionary.completions("画龙点睛", 3)
    assert all(len(w) == 4 for w in full_dictionary.words)


def test_garbled_records_are_not_played_but_still_count_as_real(upstream_dictionary):
    d = upstream_dictionary
    assert "悬龟系鱼" not in d and d.is_real("悬龟系鱼")  # upstream pinyin "xuán guī@jì yú"
    assert "系" in d.completions("悬龟系鱼", 2)


def test_children_pinyin_wins_when_merged(make_dictionary_package, upstream_sample, kid_idioms):
    # Raw upstream records: the bundled dictionary has the children's pinyin already (tests/content checks it).
    upstream = load_dictionary(make_dictionary_package(upstream_sample))
    merged = upstream.merged(kid_idioms)
    assert upstream.get("名胜古迹").pinyin[-1] == "jī" and merged.get("名胜古迹").pinyin[-1] == "jì"


def test_load_from_packages_through_the_catalog(tmp_path, make_dictionary_package, make_lanterns_package, children):
    dictionary_package = make_dictionary_package(children[:50] + [{"word": "自作自受", "pinyin": "zì zuò zì shòu",
                                                                   "explanation": "自己做了错事自己承担后果。"}])
    game = make_lanterns_package(children[40:60])
    catalog = Catalog.scan([tmp_path])
    assert load_dictionary(catalog.get(dictionary_package.id)) is load_dictionary(catalog.get(dictionary_package.id))
    d = dictionary_for(catalog.get(game.id), catalog)
    assert len(d) == 61 and "自作自受" in d
    with pytest.raises(LookupError, match="org.yuedu.idioms.xinhua"):
        dictionary_for(game, Catalog([]))


def test_pinyin_helpers():
    assert toneless("lǜ") == "lü" and toneless("Jīng") == "jing"
    assert near_sounds("zhang") == {"zang", "zhan"} and near_sounds("lan") == {"nan", "lang", "ran"}
