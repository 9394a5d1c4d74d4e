"""The ebook kind's check hook: the book file is there, is JSON, and every line has one pinyin syllable per
character; the preview ids name poems of the book. Texts: validation.ebook_* in experiences/ebook/messages."""
from __future__ import annotations

import json

from experiences.ebook.book import problems

MANIFEST = "experience.toml"


def check_ebook(package, report) -> None:
    content = package.manifest.content
    name = content.get("book")
    if not isinstance(name, str):
        return  # the schema reported it
    if not package.source.exists(name):
        report.error(MANIFEST, "content.book", "ebook_file_missing", name=name)
        return
    try:
        data = json.loads(package.source.read_bytes(name).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        report.error(name, "", "ebook_not_json", detail=str(exc)[:200])
        return
    found = problems(data)
    for field, detail in found[:50]:
        report.error(name, field, "ebook_book_problem", detail=detail)
    if found:
        return
    ids = {p["id"] for p in data["poems"]}
    for index, poem_id in enumerate(content.get("preview", []) if isinstance(content.get("preview"), list) else []):
        if poem_id not in ids:
            report.error(MANIFEST, f"content.preview[{index}]", "ebook_preview_unknown", id=poem_id, name=name)
