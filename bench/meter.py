#!/usr/bin/env python3
"""Benchmark: the live meter's cost per 1024-sample block (48 kHz), beside librosa.yin on the same frames.

Goal (issue #7): ≤ 0.2 ms per block.
Run: .venv/bin/python bench/meter.py [--blocks 2000]
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("NUMBA_CACHE_DIR", str(Path(__file__).resolve().parent.parent / ".cache" / "numba"))

BLOCK = 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--blocks", type=int, default=2000)
    args = parser.parse_args()

    import librosa
    import numpy as np
    import soundfile

    from recitation.fixtures import JINGYESI, synthesize
    from recitation.meter import PITCH_RATE, LiveMeter

    with tempfile.TemporaryDirectory() as tmp:
        path = synthesize(JINGYESI, Path(tmp) / "take.wav", sample_rate=48000)
        take, sr = soundfile.read(path, dtype="int16")
    count = len(take) // BLOCK
    blocks = [take[(i % count) * BLOCK:(i % count + 1) * BLOCK] for i in range(args.blocks)]

    meter = LiveMeter(sr)
    frames = []
    for block in blocks[:count]:  # warm, and collect the exact pitch frames the meter analyses
        meter.update(block)
        frames.append(meter.history.reshape(-1, meter.decimate).mean(axis=1).astype(np.float32))
    began = time.perf_counter()
    voiced = 0
    for block in blocks:
        reading = meter.update(block)
        voiced += reading.voice
    ours = (time.perf_counter() - began) / len(blocks)

    length = len(frames[0])
    librosa.yin(frames[0], fmin=70, fmax=600, sr=PITCH_RATE, frame_length=length, center=False)
    began = time.perf_counter()
    for i in range(len(blocks)):
        librosa.yin(frames[i % len(frames)], fmin=70, fmax=600, sr=PITCH_RATE, frame_length=length, center=False)
    theirs = (time.perf_counter() - began) / len(blocks)

    print(f"{len(blocks)} blocks of {BLOCK} samples at {sr} Hz ({BLOCK / sr * 1000:.1f} ms each, "
          f"{sr / BLOCK:.0f} updates/s); {voiced} with voice (pitch tracked)")
    print(f"LiveMeter.update: {ours * 1000:.3f} ms per block   [goal ≤ 0.2 ms]")
    print(f"librosa.yin on the same {length}-sample frames: {theirs * 1000:.3f} ms per block")
    print(f"ratio librosa.yin / LiveMeter: {theirs / ours:.1f}×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
