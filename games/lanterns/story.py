"""What the story card after a hit says, by age band: pure text rules, no drawing.

- 3–5, 6–8 (and the mixed "all" band): the meaning (释义) only, with pinyin, whole sentences only;
- 9–12: the meaning and an example sentence (例句), without its book reference;
- 13+: the meaning, the origin (出处) and the example with its source.

The example texts come from chinese-xinhua (via scripts/content_data.py). Upstream writes an example's source
after a 「★」 — moved to `example_source` by the build — and cites chapters with bare numerals after the title
(「梁斌《红旗谱》四十二」, 「《初刻拍案惊奇》二十二」); examples without a ★ carry the source in brackets at
their end (「……（茅盾《子夜》四）」). The card used to append the source to the example, so a chapter number
such as 十二 looked like a stray word at the end of the sentence. `example_sentence` drops the bracketed source
and `book_of` keeps a source's author and title without the chapter.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from experiences.clauses import SENTENCE_END
from games.idioms.records import Idiom

YOUNG_BANDS = ("3-5", "6-8", "all")
_NUMERAL = "零〇一二三四五六七八九十百千两0-9"
# A chapter reference after a book title: 第十四回, 卷三十二, 四十二, 第二卷第十七章, 第一部四, 第五一回 …
_CHAPTER = re.compile(rf"(第?[{_NUMERAL}]+[回章卷部节篇幕场折集]?|卷[{_NUMERAL}]+)+$")
# The bracketed source at the end of an upstream example: （茅盾《子夜》四）, (鲁迅《书信集·致曹靖华》)
_BRACKETED_SOURCE = re.compile(r"[（(][^（()）]*《[^》]*》[^（()）]*[）)]\s*$")


@dataclass(frozen=True)
class Section:
    key: str     # message key of its label: story_explanation, story_example, story_derivation
    text: str
    pinyin: bool  # drawn with a pinyin row (young readers)
    whole: bool = True  # may be shortened only by dropping whole sentences from its end


def book_of(source: str) -> str:
    """「清·曹雪芹《红楼梦》第十四回」 → 「清·曹雪芹《红楼梦》」: chapters, volumes (上册) and notes after the
    title (诗, 之三, 第二本第三折) are noise on a child's card; the author and title stay."""
    source = source.strip()
    if "》" not in source:
        return _CHAPTER.sub("", source).strip()
    return source[:source.rindex("》") + 1]


def example_sentence(example: str) -> str:
    """The example without a trailing bracketed source or chapter numbering."""
    text = _BRACKETED_SOURCE.sub("", example.strip()).strip()
    return text


def sections(idiom: Idiom, band: str) -> list[Section]:
    young = band in YOUNG_BANDS or band not in ("9-12", "13+")
    out = []
    if idiom.explanation:
        out.append(Section("story_explanation", idiom.explanation.strip(), pinyin=young))
    if young:
        return out
    sentence = example_sentence(idiom.example) if idiom.example else ""
    if band == "13+" and idiom.derivation:
        out.append(Section("story_derivation", idiom.derivation.strip(), pinyin=False))
    if sentence:
        source = book_of(idiom.example_source) if band == "13+" and idiom.example_source else ""
        out.append(Section("story_example", sentence + (f"——{source}" if source else ""), pinyin=False))
    return out


def sentences(text: str) -> list[str]:
    """Whole sentences, each with its end mark (a closing quote after it stays with it)."""
    out, current = [], ""
    for i, char in enumerate(text):
        current += char
        nxt = text[i + 1] if i + 1 < len(text) else ""
        if char in SENTENCE_END and nxt not in "”’」』）)":
            out.append(current)
            current = ""
        elif char in "”’」』" and current[-2:-1] and current[-2] in SENTENCE_END:
            out.append(current)
            current = ""
    if current.strip():
        out.append(current)
    return [s.strip() for s in out if s.strip()]


