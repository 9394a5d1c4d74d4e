"""Where Chinese text breaks naturally for a reader: after a clause's mark. Pure."""
from __future__ import annotations

SENTENCE_END = "。！？!?"
CLAUSE_END = "，、；：,;:" + SENTENCE_END


def clauses(text: str, marks: str | set[str] = CLAUSE_END) -> list[str]:
    """Clauses ending at one of `marks` (the mark kept), the rest after the last one as a clause of its own:
    the places to break a line for a young reader, or a poem's line into a book's columns."""
    out, current = [], ""
    for char in text:
        current += char
        if char in marks:
            out.append(current)
            current = ""
    if current:
        out.append(current)
    return out
