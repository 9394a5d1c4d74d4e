"""Warm the scorer once per process (imports, scipy filters, pypinyin tables) so the first score is quick.

Pure numpy/scipy, no numba: nothing is JIT-compiled, so NUMBA_CACHE_DIR plays no part here.
"""
from __future__ import annotations

import threading
import time

import numpy as np

_done = threading.Event()


def warm_scorer() -> float:
    """Score one second of a synthetic vowel; returns the seconds it took (0 when already warm)."""
    if _done.is_set():
        return 0.0
    began = time.perf_counter()
    from recitation.scoring import score_take

    sr = 16000
    t = np.arange(sr) / sr
    vowel = 0.3 * np.sin(2 * np.pi * 150 * t) * np.hanning(sr)
    score_take(vowel, sr, "春晓。")
    _done.set()
    return time.perf_counter() - began


def is_warm() -> bool:
    return _done.is_set()
