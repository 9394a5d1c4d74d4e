"""Test set-up shared by every package: headless drivers and a fresh data directory per test.

Real code paths run here; nothing is skipped for lack of a display, GPU or sound card.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

# Before anything imports pygame: no window system, no sound card.
os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
_numba_cache = Path(__file__).resolve().parent.parent / ".cache" / "numba"
_numba_cache.mkdir(parents=True, exist_ok=True)
os.environ.setdefault("NUMBA_CACHE_DIR", str(_numba_cache))

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch) -> Path:
    """Every test writes into its own data directory, never the user's."""
    root = tmp_path / "yuedu-data"
    root.mkdir()
    monkeypatch.setenv("YUEDU_DATA_DIR", str(root))
    return root


@pytest.fixture
def repo_root() -> Path:
    return REPO_ROOT
