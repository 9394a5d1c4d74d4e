"""A recitation package of the 300 bundled poems, built in a test's folder (booth tests share it)."""
from __future__ import annotations

import shutil
from pathlib import Path

from experiences.package import open_package

POEMS_300 = Path(__file__).resolve().parents[2] / "content" / "poems-recital" / "poems.json"


def open_poems_package(folder: Path):
    """A recitation package in `folder` holding the 300 bundled poems, opened (close its source when done)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "experience.toml").write_text(
        'format = 1\nid = "org.example.recital"\nversion = "1.0.0"\nkind = "recitation"\n'
        '[title]\nzh-CN = "朗诵亭"\n[[credits]]\nname = "test"\n[content]\npoems = "poems.json"\n', encoding="utf-8")
    shutil.copy(POEMS_300, folder / "poems.json")
    return open_package(folder)
