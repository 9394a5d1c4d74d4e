"""An e-book's text as the kind stores it (`book.json`): the book's title and credits, and its poems in order, each
with its lines and one pinyin syllable per character ("" under punctuation), grouped into sections.

Pure: no pygame, no Flask. Read by the kiosk runner, the EPUB builder (experiences.ebook.epub) and the service's
reading pages (server/ebooks). `problems(data)` says everything wrong with a parsed file, for validation.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from experiences.pinyin import is_han

BOOK_KEYS = ("title", "poems")


@dataclass(frozen=True)
class Poem:
    id: str
    title: str
    author: str = ""
    dynasty: str = ""
    section: str = ""
    lines: tuple[str, ...] = ()
    pinyin: tuple[tuple[str, ...], ...] = ()  # per line, one syllable per character
    title_pinyin: tuple[str, ...] = ()
    author_pinyin: tuple[str, ...] = ()
    note: str = ""  # a variant reading or subtitle, shown small under the poem

    @property
    def byline(self) -> str:
        """〔唐〕李白, or the author alone."""
        return (f"〔{self.dynasty}〕" if self.dynasty else "") + self.author

    @property
    def characters(self) -> int:
        return sum(len(line) for line in self.lines)


@dataclass(frozen=True)
class Section:
    title: str
    poems: tuple[int, ...]  # indexes into Book.poems


@dataclass(frozen=True)
class Book:
    title: str
    poems: tuple[Poem, ...]
    title_pinyin: tuple[str, ...] = ()
    byline: str = ""  # 〔清〕蘅塘退士 编
    description: str = ""
    identifier: str = ""  # a stable URN (the EPUB's dc:identifier)
    modified: str = "2026-01-01T00:00:00Z"  # when the text last changed (the EPUB's dcterms:modified)
    rights: str = ""
    language: str = "zh-CN"
    sections: tuple[Section, ...] = field(default=())

    def poem(self, poem_id: str) -> Poem | None:
        return next((p for p in self.poems if p.id == poem_id), None)

    def index_of(self, poem_id: str) -> int | None:
        return next((i for i, p in enumerate(self.poems) if p.id == poem_id), None)

    def preview(self, wanted: list[str] | None = None, count: int = 5) -> list[Poem]:
        """The poems the kiosk shows: `wanted` ids that exist, else the first `count` short ones (<= 8 lines of
        <= 16 characters, so a poem fits one screen with its pinyin), else the first ones."""
        chosen = [p for p in (self.poem(i) for i in (wanted or [])) if p is not None]
        if chosen:
            return chosen
        short = [p for p in self.poems if len(p.lines) <= 8 and max((len(line) for line in p.lines), default=0) <= 16]
        return (short or list(self.poems))[:count]


def _sections(poems: list[Poem]) -> tuple[Section, ...]:
    """Consecutive poems with the same `section` form one section (in the book's order)."""
    sections: list[tuple[str, list[int]]] = []
    for index, poem in enumerate(poems):
        if sections and sections[-1][0] == poem.section:
            sections[-1][1].append(index)
        else:
            sections.append((poem.section, [index]))
    return tuple(Section(title, tuple(indexes)) for title, indexes in sections)


def from_data(data: dict) -> Book:
    """A Book from parsed book.json; assumes `problems(data)` found nothing."""
    poems = [Poem(
        id=str(p["id"]), title=str(p["title"]), author=str(p.get("author", "")), dynasty=str(p.get("dynasty", "")),
        section=str(p.get("section", "")), lines=tuple(p["lines"]),
        pinyin=tuple(tuple(row) for row in p["pinyin"]), title_pinyin=tuple(p.get("title_pinyin", ())),
        author_pinyin=tuple(p.get("author_pinyin", ())), note=str(p.get("note", "")),
    ) for p in data["poems"]]
    return Book(
        title=str(data["title"]), poems=tuple(poems), title_pinyin=tuple(data.get("title_pinyin", ())),
        byline=str(data.get("byline", "")), description=str(data.get("description", "")),
        identifier=str(data.get("identifier", "")), modified=str(data.get("modified", Book.modified)),
        rights=str(data.get("rights", "")), language=str(data.get("language", "zh-CN")), sections=_sections(poems),
    )


def loads(text: str) -> Book:
    return from_data(json.loads(text))


def load_from_package(package) -> Book:
    """The package's book (its manifest's content.book); raises ValueError when it cannot be read."""
    name = package.manifest.content.get("book", "book.json")
    try:
        data = json.loads(package.source.read_text(name))
    except (OSError, KeyError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"{name}: {exc}") from exc
    found = problems(data)
    if found:
        raise ValueError(f"{name}: {found[0][0]}: {found[0][1]}")
    return from_data(data)


def _aligned(text: str, syllables, where: str) -> list[tuple[str, str]]:
    if not isinstance(syllables, list) or len(syllables) != len(text):
        count = len(syllables) if isinstance(syllables, list) else 0
        return [(where, f"{len(text)} characters but {count} syllables")]
    for char, syllable in zip(text, syllables):
        if not isinstance(syllable, str) or is_han(char) != bool(syllable):
            return [(where, f"{char!r} has syllable {syllable!r}")]
    return []


def problems(data) -> list[tuple[str, str]]:
    """(field, what is wrong) for a parsed book.json; empty when it can be read and every line has its pinyin."""
    if not isinstance(data, dict):
        return [("", "the book must be a JSON object")]
    found = [(key, "missing") for key in BOOK_KEYS if key not in data]
    if found:
        return found
    if not isinstance(data["title"], str) or not data["title"].strip():
        found.append(("title", "must be a non-empty string"))
    elif "title_pinyin" in data:
        found += _aligned(data["title"], data["title_pinyin"], "title_pinyin")
    poems = data["poems"]
    if not isinstance(poems, list) or not poems:
        return found + [("poems", "must be a non-empty list")]
    seen: set[str] = set()
    for index, poem in enumerate(poems):
        where = f"poems[{index}]"
        if not isinstance(poem, dict):
            found.append((where, "must be an object"))
            continue
        for key in ("id", "title"):
            if not isinstance(poem.get(key), str) or not poem.get(key):
                found.append((f"{where}.{key}", "must be a non-empty string"))
        if poem.get("id") in seen:
            found.append((f"{where}.id", f"{poem.get('id')!r} is used twice"))
        seen.add(poem.get("id"))
        lines, pinyin = poem.get("lines"), poem.get("pinyin")
        if not isinstance(lines, list) or not lines or not all(isinstance(line, str) for line in lines):
            found.append((f"{where}.lines", "must be a non-empty list of strings"))
            continue
        if not isinstance(pinyin, list) or len(pinyin) != len(lines):
            found.append((f"{where}.pinyin", "must have one list of syllables per line"))
            continue
        for number, (line, syllables) in enumerate(zip(lines, pinyin)):
            found += _aligned(line, syllables, f"{where}.pinyin[{number}]")
        for key in ("title", "author"):
            if f"{key}_pinyin" in poem and isinstance(poem.get(key), str):
                found += _aligned(poem[key], poem[f"{key}_pinyin"], f"{where}.{key}_pinyin")
    return found
