"""Text of a thread-bound book (线装书): parse the package's JSON and set it in vertical columns, page by page.

Pure logic: columns run top to bottom and pages fill right to left; drawing them is `book_pages`' job. With
`pinyin`, every column carries a syllable for each of its characters, read over the whole line before it is
split into columns (experiences.pinyin's phrase table), so the pages can set pinyin over young readers' text.
Text JSON: {"title": {"zh-CN": ...}, "sections": [{"title": "静夜思", "author": "李白", "lines": ["床前明月光，", ...]}]}
"""
from __future__ import annotations

import json
from dataclasses import dataclass

from experiences.clauses import clauses
from experiences.pinyin import pinyin_for

# Marks set in the upper right of their cell in vertical text, as vertical typesetting does.
PUNCTUATION = set("，。、；：？！,.;:?!")


class BookTextError(ValueError):
    """The text file is not usable; the message names the section and field."""


@dataclass(frozen=True)
class Section:
    title: str
    author: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Column:
    """One vertical column: role "title", "author", "text" or "blank"; `indent` cells left empty at the top;
    `pinyin`: a syllable for each character ("" for marks), or () when the page has no pinyin."""

    role: str
    text: str
    indent: int = 0
    section: int = -1
    pinyin: tuple[str, ...] = ()


def parse_book_text(data: bytes | str) -> list[Section]:
    try:
        raw = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BookTextError(f"not JSON: {exc}") from None
    sections = raw.get("sections") if isinstance(raw, dict) else raw
    if not isinstance(sections, list) or not sections:
        raise BookTextError("needs a non-empty list \"sections\"")
    out = []
    for index, item in enumerate(sections):
        if not isinstance(item, dict):
            raise BookTextError(f"sections[{index}] is not an object")
        lines = item.get("lines")
        if not isinstance(lines, list) or not lines or not all(isinstance(x, str) and x.strip() for x in lines):
            raise BookTextError(f"sections[{index}].lines must be a non-empty list of non-empty strings")
        title, author = item.get("title", ""), item.get("author", "")
        if not isinstance(title, str) or not isinstance(author, str):
            raise BookTextError(f"sections[{index}]: title and author must be strings")
        out.append(Section(title.strip(), author.strip(), tuple(x.strip() for x in lines)))
    return out


def _split(text: str, cells: int) -> list[str]:
    """Split text into pieces of at most `cells` characters; punctuation never starts one (a mark that would
    takes the character before it along)."""
    columns, current = [], ""
    for ch in text:
        if len(current) >= cells:
            if ch in PUNCTUATION and len(current.rstrip("".join(PUNCTUATION))) > 1:
                keep = len(current.rstrip("".join(PUNCTUATION))) - 1
                columns.append(current[:keep])
                current = current[keep:]
            else:
                columns.append(current)
                current = ""
        current += ch
    if current:
        columns.append(current)
    return columns


def _wrap(text: str, cells: int) -> list[str]:
    """Split text into columns of at most `cells` characters, at its clauses' marks where it can: a line
    "白日依山尽，黄河入海流。" too long for a column becomes one clause a column, not "白日依山尽，黄河入" and
    "海流。"; a clause longer than a column is split where the column is full (punctuation never starts one)."""
    columns: list[str] = []
    for clause in clauses(text, PUNCTUATION):
        if columns and len(columns[-1]) + len(clause) <= cells:
            columns[-1] += clause
        else:
            columns += _split(clause, cells)
    return columns


def _columns(role: str, text: str, cells: int, indent: int, index: int, pinyin: bool) -> list[Column]:
    syllables = pinyin_for(text) if pinyin else []
    out, at = [], 0
    for part in _wrap(text, cells):
        out.append(Column(role, part, indent, index, tuple(syllables[at:at + len(part)])))
        at += len(part)
    return out


def section_columns(section: Section, index: int, cells: int, pinyin: bool = False) -> list[Column]:
    columns = []
    if section.title:
        columns += _columns("title", section.title, cells - 1, 1, index, pinyin)
    if section.author:
        indent = max(0, cells - len(section.author) - 1)
        columns += _columns("author", section.author[: cells - 1], cells - 1, indent, index, pinyin)[:1]
    for line in section.lines:
        columns += _columns("text", line, cells, 0, index, pinyin)
    return columns


def paginate(sections: list[Section], columns_per_page: int = 8, cells: int = 16,
             pinyin: bool = False) -> list[list[Column]]:
    """Pages of columns. A section starts on a fresh page unless it fits in what is left of the current one;
    one longer than what is left flows on to the next page."""
    pages: list[list[Column]] = [[]]
    for index, section in enumerate(sections):
        columns = section_columns(section, index, cells, pinyin)
        page = pages[-1]
        needed = len(columns) + (1 if page else 0)  # a blank column between sections
        if page and needed > columns_per_page - len(page):
            pages.append([])
            page = pages[-1]
        if page:
            page.append(Column("blank", ""))
        for column in columns:
            if len(page) >= columns_per_page:
                pages.append([])
                page = pages[-1]
            page.append(column)
    return [page for page in pages if page]
