"""The ebook kind's check hook: the book file is there, is JSON, and every line has one pinyin syllable per
character; the preview ids name poems of the book. Texts: validation.ebook_* in experiences/ebook/messages."""
from __future__ import annotations

from experiences.ebook.book import problems
from experiences.validation.content_file import read_content_json

MANIFEST = "experience.toml"


def check_ebook(package, report) -> None:
    content = package.manifest.content
    book = read_content_json(package, "book")
    name, data = book.name, book.data
    if book.missing:
        report.error(MANIFEST, "content.book", "ebook_file_missing", name=name)
    elif book.not_json:
        report.error(name, "", "ebook_not_json", detail=book.not_json[:200])
    if not book.ok:
        return  # (no name: the schema reported it)
    found = problems(data)
    for field, detail in found[:50]:
        report.error(name, field, "ebook_book_problem", detail=detail)
    if found:
        return
    ids = {p["id"] for p in data["poems"]}
    for index, poem_id in enumerate(content.get("preview", []) if isinstance(content.get("preview"), list) else []):
        if poem_id not in ids:
            report.error(MANIFEST, f"content.preview[{index}]", "ebook_preview_unknown", id=poem_id, name=name)
