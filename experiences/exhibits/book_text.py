"""Text of a thread-bound book (线装书): parse the package's JSON and set it in vertical columns, page by page.

Pure logic: columns run top to bottom and pages fill right to left; drawing them is `book_pages`' job.
Text JSON: {"title": {"zh-CN": ...}, "sections": [{"title": "静夜思", "author": "李白", "lines": ["床前明月光，", ...]}]}
"""
from __future__ import annotations

import json
from dataclasses import dataclass

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
    """One vertical column: role "title", "author", "text" or "blank"; `indent` cells left empty at the top."""

    role: str
    text: str
    indent: int = 0
    section: int = -1


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


def _wrap(text: str, cells: int) -> list[str]:
    """Split text into columns of at most `cells` characters; punctuation never starts a column."""
    columns, current = [], ""
    for ch in text:
        if len(current) >= cells and ch not in PUNCTUATION:
            columns.append(current)
            current = ""
        current += ch
    if current:
        columns.append(current)
    return columns


def section_columns(section: Section, index: int, cells: int) -> list[Column]:
    columns = []
    if section.title:
        columns += [Column("title", part, 1, index) for part in _wrap(section.title, cells - 1)]
    if section.author:
        indent = max(0, cells - len(section.author) - 1)
        columns.append(Column("author", section.author[: cells - 1], indent, index))
    for line in section.lines:
        columns += [Column("text", part, 0, index) for part in _wrap(line, cells)]
    return columns


def paginate(sections: list[Section], columns_per_page: int = 8, cells: int = 16) -> list[list[Column]]:
    """Pages of columns. A section starts on a fresh page unless it fits in what is left of the current one."""
    pages: list[list[Column]] = [[]]
    for index, section in enumerate(sections):
        columns = section_columns(section, index, cells)
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
