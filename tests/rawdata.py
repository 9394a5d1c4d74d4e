"""The raw data the build scripts read, in the layout of ../shared/data: the full set when it sits beside the
repository (CI clones it there), else a small sample of its records kept in tests/data/shared-sample.

Tests build from the sample in a temporary folder; only the tests that compare the committed packages (or the
sample) with the full data need ../shared, and they skip without it.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "tests" / "data" / "shared-sample"
SAMPLE_FILES = ("idioms/idiom.json", "idioms/idioms_children_500.json", "poems/recital_300.json",
                "poems/xiaoxue_primary.json", "poems/tangshi300.json")
# Files of ../shared/data that the packages carry unchanged, so the repository already holds them.
CARRIED = {
    "idioms/LICENSE-chinese-xinhua.txt": "content/idioms-xinhua/LICENSE-chinese-xinhua.txt",
    "poems/LICENSE-chinese-poetry.txt": "content/poems-recital/LICENSE-chinese-poetry.txt",
    "fonts/StageKai-Regular-3500.subset.ttf": "assets/fonts/StageKai-Regular-3500.subset.ttf",
    "fonts/COPYRIGHT-lxgw-wenkai.debian.txt": "assets/fonts/OFL-StageKai.txt",
}


def full_shared_data() -> Path | None:
    """../shared/data beside the repository (a clone), else beside its parent (a worktree under wt/); None if absent.

    The same places scripts/build_content.py looks by default.
    """
    for shared in (REPO.parent / "shared", REPO.parent.parent / "shared"):
        if (shared / "data" / "idioms" / "idiom.json").is_file():
            return shared / "data"
    return None


def sample_records(name: str) -> list:
    """The records of one sample file (e.g. "idioms/idiom.json"): unchanged upstream records."""
    return json.loads((SAMPLE / name).read_text(encoding="utf-8"))


def write_sample(shared: Path) -> Path:
    """Write a small raw data folder at shared/data in the layout and formats of ../shared/data; return `shared`.

    The records come from tests/data/shared-sample; the licence texts and the Kai font from the copies the
    repository carries in content/ and assets/fonts/.
    """
    data = shared / "data"
    for name in SAMPLE_FILES:
        (data / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(SAMPLE / name, data / name)
    for name, copy in CARRIED.items():
        (data / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(REPO / copy, data / name)
    return shared


def build_content(shared: Path, root: Path) -> Path:
    """Run the real scripts/build_content.py on raw data `shared` into root/content and root/assets; returns root."""
    result = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "build_content.py"), "--shared", str(shared),
         "--out", str(root / "content"), "--assets", str(root / "assets")],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, f"build_content.py failed:\n{result.stdout}\n{result.stderr}"
    return root


def reviewed_pinyin_changes(reviewed: list[dict], poems: dict[str, dict]) -> list[tuple[str, str, str]]:
    """Check built poems against the reviewed primary-school records: same grade and text, the same pinyin but for
    一/不 (citation tones); returns each (char, reviewed, built) that differs."""
    changed = []
    for source in reviewed:
        poem = poems[source["id"]]
        assert (poem["grade"], poem["paragraphs"]) == (source["grade"], source["paragraphs"])
        for line, old, new in zip(poem["paragraphs"], source["pinyin"], poem["pinyin"]):
            for char, a, b in zip(line, old, new):
                assert a == b or char in "一不", (poem["id"], line, char, a, b)
                changed += [(char, a, b)] if a != b else []
    return changed
