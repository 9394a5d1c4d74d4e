"""Link rules a curator can read and edit, and the index that turns (kind, item) into 去书架找一找 cards.

A rule is one line: `KIND ITEM HOW VALUE  # note`
  KIND   idiom | poem | poet | exhibit | package | … or * for every kind
  ITEM   the item's id (班门弄斧, 静夜思) or * for every item of the kind
  HOW    pick      VALUE is an ISBN or a record id: a hand-picked book, always first
         title     the title contains VALUE
         subject   a subject heading equals VALUE (or starts with it: 成语 matches 成语－儿童读物)
         keyword   the title or a subject heading contains VALUE
         clc       a 中图法 class starts with VALUE (H136.3 成语, I222.742 唐诗, K876.41 青铜器)
         juvenile  for young visitors, books for children (audience code, children's room) gain VALUE points
  VALUE  `{item}` stands for the item's id, so `poem * title {item}` finds 《静夜思》 for 静夜思.

Scores: pick 1000, title 400, subject 300, keyword 200, clc 100 + 10 per character of the prefix (a narrower
class wins); a rule naming its item gains 50; a copy on the shelf gains 5. Each card keeps the rule that chose it.

Pure: no Flask, no database.
"""
from __future__ import annotations

import bisect
import heapq
import re
from dataclasses import dataclass, field

from server.catalogue.model import Holding, Record, is_childrens_location, normalise_isbn

HOWS = ("pick", "title", "subject", "keyword", "clc", "juvenile")
BASE_SCORE = {"pick": 1000, "title": 400, "subject": 300, "keyword": 200, "clc": 100}
ITEM_BONUS = 50
ON_SHELF_BONUS = 5
YOUNG_BANDS = ("3-5", "6-8")  # as experiences.kiosk.ageband.YOUNG_BANDS (no kiosk import on the server side)
MAX_CARDS = 3

DEFAULT_RULES = """\
# 去书架找一找: which books follow which experience. One rule a line: KIND ITEM HOW VALUE  # note
# KIND/ITEM may be * ; HOW is pick, title, subject, keyword, clc or juvenile ; {item} is the item's id.
idiom  *  title    {item}        # 书名里有这个成语
idiom  *  subject  成语          # 主题词「成语」
idiom  *  clc      H136.3        # 中图法 H136.3 成语
poem   *  title    {item}        # 书名里有这首诗
poem   *  clc      I222.742      # 中图法 I222.742 唐诗
poem   *  clc      I207.22       # 中图法 I207.22 古典诗歌研究
poet   *  keyword  {item}        # 书名或主题词里有诗人的名字
poet   *  clc      I222.742      # 唐诗
exhibit *  keyword {item}        # 展品的名字
exhibit *  clc     K876.41       # 中图法 K876.41 青铜器
package *  title   {item}        # 书名里有这个体验的名字
*      *  juvenile 80            # 小读者优先看到少儿读物
"""


class RuleError(ValueError):
    """A line the parser could not read: its number and the reason in 中文 and English."""

    def __init__(self, line_no: int, line: str, zh: str, en: str):
        super().__init__(f"第 {line_no} 行 / line {line_no}: {zh} / {en}: {line.strip()}")
        self.line_no = line_no


@dataclass(frozen=True)
class Rule:
    kind: str
    item: str
    how: str
    value: str
    note: str = ""
    line_no: int = 0

    def applies(self, kind: str, item: str) -> bool:
        return self.kind in ("*", kind) and self.item in ("*", item)

    def text(self) -> str:
        note = f"  # {self.note}" if self.note else ""
        return f"{self.kind} {self.item} {self.how} {self.value}{note}"


def parse_rules(text: str) -> list[Rule]:
    """The rules of a curator's text; raises RuleError naming the first bad line."""
    rules = []
    for no, line in enumerate(text.splitlines(), start=1):
        body, _, note = line.partition("#")
        parts = body.split()
        if not parts:
            continue
        if len(parts) != 4:
            raise RuleError(no, line, "要写四项：类型 条目 方式 值", "a rule has four parts: KIND ITEM HOW VALUE")
        kind, item, how, value = parts
        if how not in HOWS:
            raise RuleError(no, line, f"方式只能是 {'、'.join(HOWS)}", f"HOW must be one of {', '.join(HOWS)}")
        if how == "juvenile" and not value.isdigit():
            raise RuleError(no, line, "juvenile 后面写加分（数字）", "juvenile takes a number of points")
        if how == "pick" and item == "*":
            raise RuleError(no, line, "精选书要写明条目", "a pick names its item")
        rules.append(Rule(kind, item, how, value, note.strip(), no))
    return rules


@dataclass
class Card:
    """One 去书架找一找 card: the book, the copy to look for, and the rule that chose it."""

    record: Record
    holding: Holding | None
    rule: Rule
    score: int

    def as_json(self) -> dict:
        r, h = self.record, self.holding
        return {"id": r.id, "title": r.title, "author": r.author, "isbn": r.isbn, "clc": r.clc[:1],
                "call_number": h.call_number if h else "", "location": h.location if h else "",
                "on_shelf": r.on_shelf, "status": h.status if h else "unknown", "audience": r.audience,
                "cover": r.cover, "rule": self.rule.text(), "score": self.score}


def _fold(text: str) -> str:
    return re.sub(r"[\s·・:：,，.。\-—《》「」()（）]", "", text).lower()


def _clc_key(value: str) -> str:
    return value.strip().upper()


@dataclass
class Catalogue:
    """An index of the records for card look-ups: by id and ISBN, 中图法 classes in sorted order (prefix
    search by bisection), subject headings, and the characters of titles and subjects (substring search)."""

    records: list[Record] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.by_id: dict[str, int] = {}
        self.by_isbn: dict[str, int] = {}
        self.subjects: dict[str, list[int]] = {}
        self.shelf: list[bool] = []  # a copy on the shelf now
        self.young: list[bool] = []  # for children: audience code or a copy in a children's room
        # 中图法 classes in sorted order, one list per (for children, on the shelf) pair: a prefix that matches
        # thousands of books needs only the first few of each list to find the best cards
        self.clc_groups: list[list[tuple[str, int]]] = [[], [], [], []]
        self.chars: dict[str, set[int]] = {}
        self.titles: list[str] = []
        self.texts: list[str] = []
        for index, record in enumerate(self.records):
            self._add(index, record)
        for group in self.clc_groups:
            group.sort()

    def _add(self, index: int, record: Record) -> None:
        self.by_id[record.id] = index
        if record.isbn:
            self.by_isbn[record.isbn] = index
        for subject in record.subjects:
            self.subjects.setdefault(_fold(subject), []).append(index)
        shelf = record.on_shelf
        young = record.audience == "juvenile" or any(is_childrens_location(h.location) for h in record.holdings)
        self.shelf.append(shelf)
        self.young.append(young)
        for clc in record.clc:
            self.clc_groups[2 * young + shelf].append((_clc_key(clc), index))
        title = _fold(record.title)
        text = title + "|" + "|".join(_fold(s) for s in record.subjects)
        self.titles.append(title)
        self.texts.append(text)
        for char in set(text):
            if char != "|":
                self.chars.setdefault(char, set()).add(index)

    # --- matching -----------------------------------------------------------------------------------------
    def _containing(self, value: str, in_title: bool) -> list[int]:
        needle = _fold(value)
        if not needle:
            return []
        postings = sorted((self.chars.get(c, set()) for c in set(needle)), key=len)
        found = set(postings[0]).intersection(*postings[1:]) if postings else set()
        haystack = self.titles if in_title else self.texts
        return [i for i in found if needle in haystack[i]]

    def _clc_prefix(self, prefix: str, first: int | None = None) -> list[int]:
        """Records with a class under `prefix`; with `first`, only the first few of each group (enough to rank)."""
        key = _clc_key(prefix)
        out = []
        for group in self.clc_groups:
            taken = 0
            for position in range(bisect.bisect_left(group, (key, -1)), len(group)):
                clc, index = group[position]
                if not clc.startswith(key) or (first is not None and taken >= first):
                    break
                out.append(index)
                taken += 1
        return out

    def _subject(self, value: str) -> list[int]:
        needle = _fold(value)
        exact = self.subjects.get(needle, [])
        if exact:
            return exact
        return [i for key, ids in self.subjects.items() if key.startswith(needle) for i in ids]

    def matches(self, rule: Rule, item: str, first: int | None = None) -> list[int]:
        value = rule.value.replace("{item}", item)
        if rule.how == "pick":
            found = self.by_isbn.get(normalise_isbn(value)) if normalise_isbn(value) else None
            found = found if found is not None else self.by_id.get(value)
            return [] if found is None else [found]
        if rule.how == "title":
            return self._containing(value, in_title=True)
        if rule.how == "keyword":
            return self._containing(value, in_title=False)
        if rule.how == "subject":
            return self._subject(value)
        if rule.how == "clc":
            return self._clc_prefix(value, first)
        return []

    # --- cards --------------------------------------------------------------------------------------------
    def cards(self, rules: list[Rule], kind: str, item: str, band: str | None = None,
              limit: int = MAX_CARDS) -> list[Card]:
        """The best `limit` books for a visitor who just met `item` of `kind`, each with the rule that chose it."""
        young = band in YOUNG_BANDS
        applying = [r for r in rules if r.applies(kind, item)]
        juvenile = sum(int(r.value) for r in applying if r.how == "juvenile") if young else 0
        best: dict[int, tuple[int, Rule]] = {}
        for rule in applying:
            if rule.how == "juvenile":
                continue
            score = BASE_SCORE[rule.how] + (ITEM_BONUS if rule.item != "*" else 0)
            if rule.how == "clc":
                score += 10 * len(_clc_key(rule.value))
            for index in self.matches(rule, item, first=limit):
                if index not in best or best[index][0] < score:
                    best[index] = (score, rule)

        shelf, for_children = self.shelf, self.young

        def total(index: int) -> int:
            return best[index][0] + (ON_SHELF_BONUS if shelf[index] else 0) + (juvenile if for_children[index] else 0)

        ranked = heapq.nsmallest(limit, best, key=lambda i: (-total(i), self.records[i].id))
        return [Card(self.records[i], self.records[i].best_holding(children=young), best[i][1], total(i))
                for i in ranked]
