"""The pinyin case table (tests/data/pinyin_cases.toml) through the code that produces what is drawn."""
from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from experiences.package import open_package
from experiences.pinyin import pinyin_for
from games.idioms.dictionary import load_dictionary
from games.idioms.pinyin import readings
from recitation.poems import load_poems

REPO = Path(__file__).resolve().parents[2]
CASES = tomllib.loads((REPO / "tests/data/pinyin_cases.toml").read_text(encoding="utf-8"))["case"]


def _idioms() -> dict[str, tuple[str, ...]]:
    words = {}
    for name in ("idioms-xinhua", "idioms-children"):
        words.update({w: tuple(i.pinyin) for w, i in load_dictionary(open_package(REPO / "content" / name)).words.items()})
    return words


def _poem_lines() -> dict[str, list[str]]:
    poems = load_poems(open_package(REPO / "content/poems-recital"))
    lines = {}
    for poem in poems:
        for paragraph, syllables in zip(poem.paragraphs, poem.pinyin):
            for line_start, char in enumerate(paragraph):  # each line of a paragraph, cut at its punctuation
                if line_start == 0 or paragraph[line_start - 1] in "，。？！；：":
                    end = next((i for i in range(line_start, len(paragraph)) if paragraph[i] in "，。？！；："),
                               len(paragraph))
                    lines.setdefault(paragraph[line_start:end], syllables[line_start:end])
    return lines


@pytest.fixture(scope="module")
def drawn():
    cache = {}

    def pinyin_drawn(context: str, text: str) -> list[str]:
        if context == "text":
            return pinyin_for(text)
        if context == "lone":
            return [readings(text)[0]]
        source = cache.setdefault(context, _idioms() if context == "idiom" else _poem_lines())
        assert text in source, f"{text} is not in the bundled {context} package"
        return list(source[text])
    return pinyin_drawn


def test_the_table_covers_every_context_and_the_shared_readme_heteronyms():
    assert {c["context"] for c in CASES} == {"text", "lone", "idiom", "poem"}
    poem_lines = {c["text"] for c in CASES if c["context"] == "poem"}
    assert {"一行白鹭上青天", "朝辞白帝彩云间", "轻舟已过万重山", "千里江陵一日还"} <= poem_lines
    for case in CASES:
        assert len(case["pinyin"]) == len(case["text"]), case["text"]


@pytest.mark.parametrize("case", CASES, ids=[f'{c["context"]}-{c["text"]}' for c in CASES])
def test_pinyin_as_drawn(case, drawn):
    assert drawn(case["context"], case["text"]) == case["pinyin"], case["where"]


def test_a_han_character_without_a_syllable_is_drawn_under_an_empty_cell():
    from experiences.text import shared_text
    text = shared_text()
    line = text.render_with_pinyin("这儿", 40)
    assert line.get_width() >= text.render_with_pinyin("这", 40).get_width() + text.size("儿", 40)[0]

