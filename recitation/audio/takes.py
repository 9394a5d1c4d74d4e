"""Saved takes: FLAC or OGG files in the recordings folder, with poem id, date and scores inside the file,
and the retention rule (kiosk copies are deleted after `storage.recordings_keep_days`).
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

FORMATS = {"FLAC": ".flac", "OGG": ".ogg"}
VIDEO_SUFFIXES = (".mp4", ".part")  # the family's video beside its take (issue #18), and an unfinished one
WRITE_BLOCK = 48000  # frames per write (≥ ~60 s of Vorbis in one call crashes libsndfile 1.2.2)


def save_take(base: Path, samples: np.ndarray, sample_rate: int, meta: dict, scores: dict | None,
              fmt: str = "FLAC") -> Path:
    """Write `base`.flac/.ogg atomically (via a temporary name) with metadata tags."""
    import soundfile

    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {sorted(FORMATS)}")
    target = Path(str(base) + FORMATS[fmt])
    tmp = target.with_name(target.name + ".tmp")
    started = meta.get("started", time.time())
    with soundfile.SoundFile(tmp, "w", samplerate=sample_rate, channels=1, format=fmt,
                             subtype="PCM_16" if fmt == "FLAC" else "VORBIS") as out:
        out.title = str(meta.get("poem_id", ""))
        out.date = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started))
        out.software = "Yuedu recitation booth"
        details = {k: v for k, v in meta.items() if k not in ("sample_rate",)}
        if scores is not None:
            details["scores"] = scores
        out.comment = json.dumps(details, ensure_ascii=False, separators=(",", ":"))
        samples = np.asarray(samples, dtype=np.int16)
        for start in range(0, len(samples), WRITE_BLOCK):  # one big Vorbis write segfaults libsndfile 1.2.2
            out.write(samples[start:start + WRITE_BLOCK])
    tmp.replace(target)
    return target


@dataclass
class TakeInfo:
    path: Path
    poem_id: str
    date: str
    seconds: float
    details: dict


def read_take(path: Path) -> TakeInfo:
    import soundfile

    with soundfile.SoundFile(path) as take:
        try:
            details = json.loads(take.comment or "{}")
        except ValueError:
            details = {}
        return TakeInfo(path=Path(path), poem_id=take.title, date=take.date, seconds=take.frames / take.samplerate,
                        details=details)


def prune_recordings(folder: Path, keep_days: float, now: float | None = None) -> list[Path]:
    """Delete takes, and the videos made of them, older than `keep_days` (by file time); returns what went."""
    now = time.time() if now is None else now
    removed = []
    folder = Path(folder)
    if not folder.is_dir():
        return removed
    for path in folder.iterdir():
        if path.suffix in (*FORMATS.values(), *VIDEO_SUFFIXES) and now - path.stat().st_mtime > keep_days * 86400:
            path.unlink()
            removed.append(path)
    return removed
