"""Poems of a recitation package and the picker's search: by grade, collection, author, title or pinyin initials."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from recitation.scoring.text import ExpectedText, expected_from_paragraphs

GRADE_NAMES = {1: "一年级", 2: "二年级", 3: "三年级", 4: "四年级", 5: "五年级", 6: "六年级"}


# The picker opens at the lowest grade of the visitor's age band (children can always tap 全部 for more):
# ages 6–8 are grades 1–2 and ages 9–12 grades 3–6 in Chinese primary schools; adults see every grade.
STARTING_GRADE = {"3-5": 1, "6-8": 1, "9-12": 3}


def starting_grade(age_band: str | None) -> int | None:
    """The grade the booth's picker starts at for a visitor's age band (None: every grade)."""
    return STARTING_GRADE.get(age_band or "")


@dataclass
class Poem:
    id: str
    title: str
    paragraphs: list[str]
    author: str = ""
    dynasty: str = ""
    grade: int | None = None
    collection: str = ""
    pinyin: list[list[str]] = field(default_factory=list)
    lrc: str = ""
    audio: str = ""
    music: str = ""
    video_background: str = ""  # the family video's picture (else the package's, else ink-wash scenery)
    video_music: str = ""  # the family video's music (else the package's video_music, then the booth's music)

    @classmethod
    def from_dict(cls, raw: dict) -> "Poem":
        return cls(id=str(raw["id"]), title=str(raw["title"]), paragraphs=[str(p) for p in raw["paragraphs"]],
                   author=str(raw.get("author") or ""), dynasty=str(raw.get("dynasty") or ""),
                   grade=raw.get("grade"), collection=str(raw.get("collection") or ""),
                   pinyin=[list(p) for p in raw.get("pinyin") or []], lrc=str(raw.get("lrc") or ""),
                   audio=str(raw.get("audio") or ""), music=str(raw.get("music") or ""),
                   video_background=str(raw.get("video_background") or ""),
                   video_music=str(raw.get("video_music") or ""))

    @cached_property
    def expected(self) -> ExpectedText:
        return expected_from_paragraphs(self.paragraphs, self.pinyin or None)

    @property
    def text(self) -> str:
        return "".join(self.paragraphs)

    @cached_property
    def initials(self) -> str:
        """Pinyin initials of the title, e.g. 静夜思 → jys (what a child types on a kiosk keyboard)."""
        from pypinyin import Style, lazy_pinyin

        return "".join(s[:1] for s in lazy_pinyin(self.title, style=Style.NORMAL) if s[:1].isalpha()).lower()

    @cached_property
    def author_initials(self) -> str:
        from pypinyin import Style, lazy_pinyin

        return "".join(s[:1] for s in lazy_pinyin(self.author, style=Style.NORMAL) if s[:1].isalpha()).lower()


def load_poems(package, content_key: str = "poems") -> list[Poem]:
    """The package's poems in file order (the validator has checked the file against the schema)."""
    name = package.manifest.content[content_key]
    return [Poem.from_dict(raw) for raw in package.source.read_json(name)]


@dataclass
class PoemFilter:
    grade: int | None = None
    collection: str = ""
    author: str = ""
    query: str = ""  # part of the title or author, or pinyin initials of the title/author

    def matches(self, poem: Poem) -> bool:
        if self.grade is not None and poem.grade != self.grade:
            return False
        if self.collection and poem.collection != self.collection:
            return False
        if self.author and poem.author != self.author:
            return False
        if self.query:
            q = self.query.strip().lower()
            if not (q in poem.title or q in poem.author or poem.initials.startswith(q)
                    or poem.author_initials.startswith(q)):
                return False
        return True


def search(poems: list[Poem], poem_filter: PoemFilter) -> list[Poem]:
    """Matching poems: primary poems by grade first, then the rest in file order."""
    found = [p for p in poems if poem_filter.matches(p)]
    return sorted(found, key=lambda p: (p.grade is None, p.grade or 0))


SUGGESTION_REASONS = ("same_author", "same_grade", "same_collection")


def suggestions(poems: list[Poem], just_read: Poem, already_read: set[str], k: int = 3) -> list[tuple[Poem, str]]:
    """Poems to read next and why: by the same poet, then the same grade, then the same collection; never one
    already read in this visit. Deterministic (file order), so a family sees the same picks on a second look."""
    picked: list[tuple[Poem, str]] = []
    taken = set(already_read) | {just_read.id}
    tests = (("same_author", lambda p: bool(just_read.author) and p.author == just_read.author),
             ("same_grade", lambda p: just_read.grade is not None and p.grade == just_read.grade),
             ("same_collection", lambda p: bool(just_read.collection) and p.collection == just_read.collection))
    for reason, fits in tests:
        for poem in poems:
            if len(picked) == k:
                return picked
            if poem.id not in taken and fits(poem):
                picked.append((poem, reason))
                taken.add(poem.id)
    return picked


def collections(poems: list[Poem]) -> list[str]:
    seen: dict[str, None] = {}
    for poem in poems:
        if poem.collection:
            seen.setdefault(poem.collection)
    return list(seen)


def grades(poems: list[Poem]) -> list[int]:
    return sorted({p.grade for p in poems if p.grade is not None})
