"""scripts/build_exhibits.py rebuilds the bundled packages: valid, small, and the same model as committed."""
from __future__ import annotations

import importlib.util
import os
from pathlib import Path

from experiences.kinds import KindRegistry
from experiences.package import open_package

from .helpers import RecordingReport

# The shared data sits beside the checkout (../shared/data); a worktree elsewhere names it in YUEDU_SHARED_DATA.
DATA = Path(os.environ.get("YUEDU_SHARED_DATA") or Path(__file__).resolve().parents[3] / "shared" / "data")


def load_script(repo_root: Path):
    spec = importlib.util.spec_from_file_location("build_exhibits", repo_root / "scripts" / "build_exhibits.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_build_script_makes_valid_small_packages_reproducibly(repo_root, tmp_path):
    script = load_script(repo_root)
    assert script.main(["--data", str(DATA), "--out", str(tmp_path)]) == 0
    registry = KindRegistry.from_entry_points()
    for folder in ("exhibit-treasure", "exhibit-book", "exhibit-panorama"):
        package = open_package(tmp_path / folder)
        report = RecordingReport()
        registry.get(package.kind).load_check()(package, report)
        assert report.errors == [], folder
        assert max(f.stat().st_size for f in (tmp_path / folder).iterdir()) <= 300 * 1024
        committed = repo_root / "content" / folder / "experience.toml"
        assert (tmp_path / folder / "experience.toml").read_text(encoding="utf-8") == committed.read_text(encoding="utf-8")
    # The procedural model is deterministic: the same bytes as the committed one.
    built = (tmp_path / "exhibit-treasure" / "ding.glb").read_bytes()
    assert built == (repo_root / "content" / "exhibit-treasure" / "ding.glb").read_bytes()
    book = open_package(tmp_path / "exhibit-book")
    assert len(book.source.read_json("poems.json")["sections"]) == 29
