"""The video made beside the booth: `make_video` in its own process (spawned, lowered priority), so the booth
keeps drawing at full rate; the booth polls `progress` each frame and the family may walk away meanwhile.
"""
from __future__ import annotations

import logging
import multiprocessing as mp
import os
from pathlib import Path

log = logging.getLogger(__name__)
NICE = 10  # the kiosk's UI first: the encoder takes what is left of the two cores


def _work(take, poem, out, card, music, background, prior, progress, status, nice) -> None:
    try:
        os.nice(nice)
    except OSError:
        pass
    from recitation.video.make import make_video

    def report(share: float) -> None:
        progress.value = share

    try:
        try:
            make_video(Path(take), poem, Path(out), card, music=music, background=background, prior=prior,
                       progress=report)
        except Exception:
            if not (music or background):
                raise
            # A curator's file that went bad on this kiosk (the portal checked it): the family still gets a
            # video, with the generated scenery and no music.
            logging.getLogger(__name__).exception("video of %s with %s / %s failed, made without", take,
                                                  background, music)
            make_video(Path(take), poem, Path(out), card, prior=prior, progress=report)
        status.value = 1
    except Exception:  # the booth shows that the video could not be made; the take itself is unharmed
        logging.getLogger(__name__).exception("video of %s failed", take)
        status.value = -1


class VideoJob:
    """One video in the making: `progress` 0..1, `done`, `failed`; `path` once done."""

    def __init__(self, take: Path, poem, out: Path, card, music: str | None = None, background: str | None = None,
                 prior: list[float] | None = None):
        context = mp.get_context("spawn")  # a clean interpreter: no copy of the booth's window or audio
        self.out = Path(out)
        self._progress = context.Value("d", 0.0)
        self._status = context.Value("i", 0)
        self._process = context.Process(target=_work, name="yuedu-video", daemon=True, args=(
            str(take), poem, str(out), card, music, background, prior, self._progress, self._status, NICE))

    def start(self) -> "VideoJob":
        self._process.start()
        return self

    @property
    def progress(self) -> float:
        return 1.0 if self.done else min(0.99, self._progress.value)

    @property
    def done(self) -> bool:
        return self._status.value == 1 and self.out.exists()

    @property
    def failed(self) -> bool:
        return self._status.value == -1 or (not self._process.is_alive() and self._process.exitcode not in (None, 0)) \
            or (self._process.exitcode == 0 and not self.out.exists())

    @property
    def running(self) -> bool:
        return self._process.is_alive()

    @property
    def path(self) -> Path | None:
        return self.out if self.done else None

    def cancel(self) -> None:
        if self._process.is_alive():
            self._process.terminate()
        self._process.join(timeout=5)

    def wait(self, timeout: float | None = None) -> bool:
        self._process.join(timeout)
        return self.done
