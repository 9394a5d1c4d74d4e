#!/usr/bin/env python3
"""Benchmark: score a ~30 s reading warm, beside librosa.pyin on the same file in the same run.

Goal (issue #7): ≤ 0.3 s per score and ≥ 8× faster than the pyin pitch track alone.
Run: .venv/bin/python bench/score.py [--seconds 30] [--repeat 5]
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("NUMBA_CACHE_DIR", str(Path(__file__).resolve().parent.parent / ".cache" / "numba"))

POEMS = Path(__file__).resolve().parents[1] / "content" / "poems-recital" / "poems.json"


def build_reading(seconds: float, folder: Path):
    """Concatenate espeak-ng readings of poems until the take is at least `seconds` long."""
    import numpy as np
    import soundfile

    from recitation.fixtures import synthesize
    from recitation.scoring import expected_from_paragraphs

    poems = json.loads(POEMS.read_text(encoding="utf-8"))
    paragraphs, pinyin, total = [], [], 0.0
    for index, poem in enumerate(poems):
        paragraphs += poem["paragraphs"]
        pinyin += poem["pinyin"]
        expected = expected_from_paragraphs(poem["paragraphs"], poem["pinyin"])
        total += expected.size / 2.3  # about the fixtures' pace, pauses included
        if total >= seconds:
            break
    expected = expected_from_paragraphs(paragraphs, pinyin)
    path = synthesize(expected, folder / "reading.wav")
    samples, sr = soundfile.read(path, dtype="float32")
    return samples, sr, expected


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    import librosa
    import numpy as np

    from recitation.scoring import score_take
    from recitation.scoring.features import resample

    with tempfile.TemporaryDirectory() as tmp:
        samples, sr, expected = build_reading(args.seconds, Path(tmp))
    duration = len(samples) / sr
    score_take(samples, sr, expected)  # warm: imports, pypinyin tables, scipy filters
    times = []
    for _ in range(args.repeat):
        began = time.perf_counter()
        report = score_take(samples, sr, expected)
        times.append(time.perf_counter() - began)
    ours = statistics.median(times)

    y16 = resample(samples.astype(np.float64), sr, 16000)
    librosa.pyin(y16[:16000], fmin=70, fmax=600, sr=16000, hop_length=160)  # warm numba's JIT
    began = time.perf_counter()
    librosa.pyin(y16, fmin=70, fmax=600, sr=16000, hop_length=160)
    pyin = time.perf_counter() - began

    print(f"reading: {duration:.1f} s, {expected.size} characters; scored overall {report.overall} "
          f"({', '.join(f'{k} {v}' for k, v in report.scores.items())})")
    print(f"score_take (warm, median of {args.repeat}): {ours * 1000:.0f} ms   [goal ≤ 300 ms]")
    print(f"librosa.pyin on the same 16 kHz audio (warm): {pyin * 1000:.0f} ms")
    print(f"ratio pyin / score_take: {pyin / ours:.1f}×   [goal ≥ 8×]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
