"""去书架找一找 statements keep the contract: the LRS's validator takes them, the book is the activity
(urn:isbn: where there is an ISBN), the experience that led to it is the parent, extension keys are ours."""
from __future__ import annotations

from experiences.bookstatements import BOOK_TYPE, recommended
from experiences.engagement import EXTENSION_NAMESPACE, ListSink, SessionReporter
from experiences.kiosk.shelf import ShelfCard

from .helpers import PLACE, keep_contract, verbs


def test_recommended_books_keep_the_contract():
    session = SessionReporter(ListSink(), PLACE, age_band="6-8")
    with_isbn = ShelfCard("SAMPLE-0002", "唐诗三百首", "蘅塘退士", "I222.742/H45", "三楼文学区", True, "9787020002207",
                          "https://lrs.library.example/c/SAMPLE-0002", "poem * clc I222.742  # 唐诗")
    without = ShelfCard("SAMPLE-0003", "静夜思 李白诗歌绘本", qr="https://lrs.library.example/c/SAMPLE-0003")
    bare = ShelfCard("SAMPLE-0009", "没有链接的书")
    statements = [recommended(session, card, "org.example.poems", "recitation", "1.0.0")
                  for card in (with_isbn, without, bare)]
    keep_contract(statements)
    assert verbs(statements) == ["was recommended"] * 3
    assert [s["object"]["id"] for s in statements] == [
        "urn:isbn:9787020002207", "https://lrs.library.example/c/SAMPLE-0003",
        "https://library.example.cn/yuedu/books/SAMPLE-0009"]
    assert statements[0]["object"]["definition"]["type"] == BOOK_TYPE
    first = statements[0]["context"]
    assert first["contextActivities"]["parent"][0]["id"] == "https://library.example.cn/yuedu/activities/org.example.poems"
    assert first["extensions"][EXTENSION_NAMESPACE + "call-number"] == "I222.742/H45"
    assert first["extensions"][EXTENSION_NAMESPACE + "book-rule"].startswith("poem * clc")
    assert {s["actor"]["account"]["name"] for s in statements} == {session.session_id}
