"""Warm the installed kinds in the background once the attract screen is up (their `Kind.warm` hooks).

A failing warm-up is logged and forgotten: the kind still runs, only its first use is slower.
"""
from __future__ import annotations

import logging
import threading
from typing import Iterable

log = logging.getLogger(__name__)


def _warm_all(kinds: list) -> None:
    for kind in kinds:
        try:
            kind.load_warm()()
            log.info("kind %s warmed", kind.name)
        except Exception:
            log.exception("warming kind %s failed; its first use will be slower", kind.name)


def warm_kinds(kinds: Iterable, background: bool = True) -> threading.Thread | None:
    """Call each kind's warm hook once, in order, on one daemon thread (or right here when not background)."""
    with_hooks = [kind for kind in kinds if kind.warm]
    if not with_hooks:
        return None
    if not background:
        _warm_all(with_hooks)
        return None
    thread = threading.Thread(target=_warm_all, args=(with_hooks,), name="yuedu-warmup", daemon=True)
    thread.start()
    return thread


# Loading the booth's model (ctranslate2) starts native threads: a process that exits while a load is half done
# aborts ("terminate called without an active exception", SIGABRT) instead of ending cleanly.
EXIT_WAIT_SECONDS = 30.0


def warm_kinds_finished(thread: threading.Thread | None, timeout: float = EXIT_WAIT_SECONDS) -> bool:
    """Before the process exits: let a warm-up still running finish (at most `timeout` s); False if it did not."""
    if thread is None or not thread.is_alive():
        return True
    log.info("waiting for the kinds' warm-up to finish before exit")
    thread.join(timeout)
    if thread.is_alive():
        log.warning("the kinds' warm-up still runs after %.0f s; exiting anyway", timeout)
        return False
    return True
