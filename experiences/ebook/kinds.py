"""The ebook kind as the runtime sees it. Registered through the `yuedu.kinds` entry point
`ebook = "experiences.ebook.kinds:EBOOK"`; the runner and the check are imported only when used."""
from __future__ import annotations

from pathlib import Path

from experiences.kinds import Kind

EBOOK = Kind(
    name="ebook",
    schema_path=Path(__file__).resolve().parent / "schemas" / "ebook.schema.json",
    runner="experiences.ebook.experience:EbookExperience",
    check="experiences.ebook.checks:check_ebook",
    title=(("zh-CN", "电子书"), ("en", "E-book")),
)
