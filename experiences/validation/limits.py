"""Size and sanity limits for content packages (defaults from docs/package-format.md; all configurable)."""
from __future__ import annotations

from dataclasses import dataclass

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    max_total_bytes: int = 500 * MB      # all files unpacked
    max_file_bytes: int = 200 * MB       # any one file
    max_files: int = 10_000
    max_ratio: float = 100.0             # uncompressed / compressed size of any zip entry
    max_image_side: int = 8192           # pixels, width and height
    max_audio_seconds: float = 3 * 3600  # longer is almost surely a mistake (or a bomb)
    max_manifest_bytes: int = 1 * MB


# Names that operating systems and tools leave behind: never packed, never checked as content.
JUNK_FILE_NAMES = frozenset({".DS_Store", "Thumbs.db", "desktop.ini", "ehthumbs.db"})
JUNK_DIR_NAMES = frozenset({"__MACOSX", "__pycache__", ".git", ".svn", ".hg", ".idea", ".vscode"})


def is_junk(name: str) -> bool:
    """Hidden files, OS leftovers and editor backups; `name` is a POSIX relative path."""
    parts = [p for p in name.split("/") if p]
    if any(p in JUNK_DIR_NAMES or p.startswith(".") for p in parts[:-1]):
        return True
    base = parts[-1] if parts else ""
    return base in JUNK_FILE_NAMES or base.startswith(".") or base.endswith("~")
