"""「再读一首」: which poems the booth suggests after a reading, and why."""
from __future__ import annotations

from recitation.poems import Poem, suggestions


def _poem(pid, author="", grade=None, collection=""):
    return Poem(id=pid, title=pid, paragraphs=["床前明月光。"], author=author, grade=grade, collection=collection)


POEMS = [_poem("a1", "李白", 1, "小学古诗"), _poem("b1", "杜甫", 1, "小学古诗"), _poem("a2", "李白", 3, "小学古诗"),
         _poem("c1", "王维", 2, "唐诗三百首"), _poem("a3", "李白", None, "唐诗三百首"), _poem("d1", "孟浩然", 1, "小学古诗")]


def test_same_poet_first_then_grade_then_collection_never_one_already_read():
    picks = suggestions(POEMS, POEMS[0], set())
    assert [(p.id, why) for p, why in picks] == [("a2", "same_author"), ("a3", "same_author"), ("b1", "same_grade")]
    picks = suggestions(POEMS, POEMS[0], {"a2", "a3", "b1"})
    assert [(p.id, why) for p, why in picks] == [("d1", "same_grade")]  # c1 shares nothing with a1
    picks = suggestions(POEMS, POEMS[3], set())  # 王维, grade 2, 唐诗三百首: only the collection matches
    assert [(p.id, why) for p, why in picks] == [("a3", "same_collection")]


def test_nothing_alike_gives_nothing_and_k_caps_the_list():
    loner = _poem("z", "无名氏")
    assert suggestions(POEMS + [loner], loner, set()) == []
    assert len(suggestions(POEMS, POEMS[0], set(), k=1)) == 1
