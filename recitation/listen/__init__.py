"""Listening to what was said: the Whisper base model (CTranslate2, int8, CPU) that checks a reading's words.

An edge package: it loads a model from a local folder. The judgements built on its numbers are pure logic in
`recitation.scoring.content`. `shared_checker()` loads the model once per process (the kind's warm-up does it
after the attract screen is up); it is None when the model is not installed or the check is turned off
(`YUEDU_CONTENT_CHECK=0`), and the booth then scores how the reading sounds only.
"""
from __future__ import annotations

import logging
import os
import threading

log = logging.getLogger(__name__)
_lock = threading.Lock()
_checker = None
_failed = False


def content_check_enabled() -> bool:
    return os.environ.get("YUEDU_CONTENT_CHECK", "1").strip().lower() not in ("0", "false", "no", "off")


def shared_checker():
    """The process's ContentChecker, loaded on first use; None when unavailable (logged once)."""
    global _checker, _failed
    if not content_check_enabled():
        return None
    with _lock:
        if _checker is None and not _failed:
            from recitation.listen.checker import ContentChecker
            from recitation.listen.model_files import ModelMissing

            try:
                _checker = ContentChecker()
                log.info("recitation: content check loaded in %.1f s", _checker.load_seconds)
            except (ModelMissing, ImportError, RuntimeError) as exc:
                _failed = True
                log.warning("recitation: content check unavailable, scoring the sound only: %s", exc)
        return _checker


def warm_booth() -> float:
    """The kind's warm hook: the acoustic scorer, then the model and one short check."""
    import time

    import numpy as np

    from recitation.scoring.warm import warm_scorer

    began = time.perf_counter()
    warm_scorer()
    checker = shared_checker()
    if checker is not None:
        t = np.arange(16000) / 16000
        checker.check((0.2 * np.sin(2 * np.pi * 200 * t)).astype(np.float32), 16000, "春晓",
                      syllables=[["chun1", "xiao3"]])  # the sound-alike spellings' path too
    return time.perf_counter() - began
