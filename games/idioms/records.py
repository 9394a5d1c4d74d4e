"""One idiom record as the packages store it, and the record-level checks shared by validation and loading."""
from __future__ import annotations

import re
from dataclasses import dataclass

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Upstream pinyin separates clauses with Chinese or ASCII punctuation, sometimes without spaces.
_SYLLABLE_SPLIT = re.compile(r"[\s，,。；;：:、！!？?·\-—…]+")
REQUIRED_FIELDS = ("word", "pinyin", "explanation")
TEXT_FIELDS = ("word", "pinyin", "explanation", "derivation", "example")


@dataclass(frozen=True)
class Idiom:
    word: str
    pinyin: tuple[str, ...]  # one syllable (tone marks) per Han character of `word`
    explanation: str = ""
    derivation: str = ""
    example: str = ""
    example_source: str = ""
    freq_rank: int = 0
    classic: bool = False

    @property
    def pinyin_text(self) -> str:
        return " ".join(self.pinyin)

    @property
    def first(self) -> str:
        return self.word[0]

    @property
    def last(self) -> str:
        return self.word[-1]


def syllables(pinyin: str) -> list[str]:
    return [s for s in _SYLLABLE_SPLIT.split(pinyin.strip()) if s]


def han_count(word: str) -> int:
    return len(HAN.findall(word))


def record_problems(record, *, four_only: bool) -> list[tuple[str, str, dict]]:
    """Problems of one raw record as (field, code, params); an empty list means it is usable."""
    if not isinstance(record, dict):
        return [("", "idiom-record-not-object", {})]
    problems = []
    for name in REQUIRED_FIELDS:
        value = record.get(name)
        if not isinstance(value, str) or not value.strip():
            problems.append((name, "idiom-field-missing", {"name": name}))
    for name in TEXT_FIELDS:
        if name in record and not isinstance(record[name], str):
            problems.append((name, "idiom-field-not-text", {"name": name}))
    word = record.get("word")
    if isinstance(word, str) and word.strip():
        if four_only and (len(word) != 4 or han_count(word) != 4):
            problems.append(("word", "idiom-not-four-characters", {"word": word, "length": len(word)}))
        pinyin = record.get("pinyin")
        if isinstance(pinyin, str) and pinyin.strip():
            count = len(syllables(pinyin))
            if count != han_count(word) or not all(_looks_like_pinyin(s) for s in syllables(pinyin)):
                problems.append(("pinyin", "idiom-pinyin-mismatch",
                                 {"word": word, "pinyin": pinyin, "syllables": count, "characters": han_count(word)}))
    return problems


def _looks_like_pinyin(syllable: str) -> bool:
    # Letters with tone marks and ü only: catches upstream garbage such as "guī@jì" or "ji?èr".
    return bool(re.fullmatch(r"[a-zA-ZüÜāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ]+", syllable))


def to_idiom(record: dict) -> Idiom:
    """Build an Idiom from a record that passed record_problems(four_only=True)."""
    word = record["word"].strip()
    example = _clean(record.get("example", "")).replace("～", word)
    source = record.get("example_source", "") or ""
    if "★" in example and not source:  # upstream: "例句。★《出处》"
        example, _, source = example.partition("★")
    return Idiom(
        word=word,
        pinyin=tuple(s.lower() for s in syllables(record["pinyin"])),
        explanation=record.get("explanation", "") or "",
        derivation=_clean(record.get("derivation", "")),
        example=example.strip(),
        example_source=source.strip(),
        freq_rank=int(record.get("freq_rank", 0) or 0),
        classic=bool(record.get("classic", False)),
    )


def _clean(text) -> str:
    # Upstream writes "无" for "no source" and "～" for the idiom itself in examples.
    text = (text or "").strip() if isinstance(text, str) else ""
    return "" if text == "无" else text
