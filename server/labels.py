"""Plain words for a few stored values that staff and visitors read on pages: a kiosk's branch "main" (the
kiosks' default, experiences.config) is the library's main building, shown as 总馆 or the name the library set
(LIBRARY_MAIN_BRANCH_NAME / YUEDU_MAIN_BRANCH_NAME)."""
from __future__ import annotations

import os

MAIN_BRANCH = "main"
_WORDS = {"zh-CN": "总馆", "en": "Main library"}


def main_branch_name(lang: str, configured: str | None = None) -> str:
    name = configured if configured is not None else os.environ.get("YUEDU_MAIN_BRANCH_NAME", "")
    return name.strip() or _WORDS.get(lang, _WORDS["zh-CN"])


def branch_label(branch: str, lang: str, configured: str | None = None) -> str:
    """How a branch is shown: "main" in the library's words, any other branch as the library named it."""
    return main_branch_name(lang, configured) if branch == MAIN_BRANCH else branch
