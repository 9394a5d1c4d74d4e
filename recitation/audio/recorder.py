"""Crash-safe recording: a take streams to disk block by block, so a crash or SIGKILL loses at most one block.

While recording, `<id>.partial.wav` grows with a placeholder header and `<id>.partial.json` holds the take's
metadata; `finish()` turns them into a FLAC (or OGG) take. At the next start, `recover_partial_takes()` repairs
any partial file left by a crash and saves it as a take marked "recovered".
"""
from __future__ import annotations

import json
import os
import struct
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from recitation.audio.takes import save_take

PARTIAL_SUFFIX = ".partial.wav"
FSYNC_EVERY_S = 1.0  # flush() after every block survives a killed process; fsync now and then survives power loss


def _wav_header(sample_rate: int, data_bytes: int) -> bytes:
    """A 44-byte PCM WAV header (mono, 16 bit)."""
    return (b"RIFF" + struct.pack("<I", min(0xFFFFFFFF, 36 + data_bytes)) + b"WAVE"
            + b"fmt " + struct.pack("<IHHIIHH", 16, 1, 1, sample_rate, sample_rate * 2, 2, 16)
            + b"data" + struct.pack("<I", min(0xFFFFFFFF, data_bytes)))


@dataclass
class StreamingRecorder:
    """Write int16 mono blocks straight to disk; call finish() for a saved take or abort() to discard."""

    folder: Path
    sample_rate: int = 48000
    metadata: dict = field(default_factory=dict)
    take_id: str = field(default_factory=lambda: time.strftime("%Y%m%d-%H%M%S-") + uuid.uuid4().hex[:6])

    def __post_init__(self):
        self.folder = Path(self.folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.path = self.folder / f"{self.take_id}{PARTIAL_SUFFIX}"
        self.meta_path = self.folder / f"{self.take_id}.partial.json"
        meta = {"take_id": self.take_id, "sample_rate": self.sample_rate, "started": time.time(), **self.metadata}
        self.meta_path.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        self._file = open(self.path, "wb")
        self._file.write(_wav_header(self.sample_rate, 0xFFFFFFFF - 36))  # "unknown length" until finished
        self._file.flush()
        self.frames = 0
        self._last_sync = 0

    def write(self, block: np.ndarray) -> None:
        data = np.asarray(block, dtype="<i2").tobytes()
        self._file.write(data)
        self._file.flush()  # into the OS: a killed process cannot lose it any more
        self.frames += len(data) // 2
        if self.frames - self._last_sync >= FSYNC_EVERY_S * self.sample_rate:
            os.fsync(self._file.fileno())
            self._last_sync = self.frames

    @property
    def seconds(self) -> float:
        return self.frames / self.sample_rate

    def samples(self) -> np.ndarray:
        """Everything recorded so far (read back from disk), for playback or scoring."""
        if not self._file.closed:
            self._file.flush()
        return np.fromfile(self.path, dtype="<i2", offset=44, count=self.frames)

    def finish(self, scores: dict | None = None, fmt: str = "FLAC") -> Path:
        """Close and save as a FLAC/OGG take with its metadata; the partial files are removed."""
        self._file.close()
        meta = json.loads(self.meta_path.read_text(encoding="utf-8"))
        take = save_take(self.folder / self.take_id, self.samples(), self.sample_rate, meta, scores, fmt)
        self.path.unlink()
        self.meta_path.unlink()
        return take

    def abort(self) -> None:
        """Discard the take (redo, or no consent after all)."""
        if not self._file.closed:
            self._file.close()
        for path in (self.path, self.meta_path):
            path.unlink(missing_ok=True)


def recover_partial_takes(folder: Path, fmt: str = "FLAC") -> list[Path]:
    """Save every take a crash left behind (all whole samples on disk), marked recovered; returns the takes."""
    folder = Path(folder)
    recovered = []
    if not folder.is_dir():
        return recovered
    for partial in sorted(folder.glob(f"*{PARTIAL_SUFFIX}")):
        take_id = partial.name[: -len(PARTIAL_SUFFIX)]
        meta_path = folder / f"{take_id}.partial.json"
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            meta = {"take_id": take_id, "sample_rate": 48000}
        sample_rate = int(meta.get("sample_rate", 48000))
        size = partial.stat().st_size
        frames = max(0, (size - 44) // 2)
        samples = np.fromfile(partial, dtype="<i2", offset=44, count=frames) if frames else np.zeros(0, np.int16)
        meta["recovered"] = True
        if len(samples):
            recovered.append(save_take(folder / take_id, samples, sample_rate, meta, None, fmt))
        partial.unlink()
        meta_path.unlink(missing_ok=True)
    return recovered
