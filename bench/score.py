#!/usr/bin/env python3
"""Benchmark: score a ~30 s reading warm, beside librosa.pyin on the same file in the same run.

Goal (issue #7): ≤ 0.3 s per score and ≥ 8× faster than the pyin pitch track alone.
Issue #14: the same reading scored with the content check (Whisper base) beside the acoustic-only scorer, in
the same run, with the ratio; goal ≤ 50 ms per second of reading. --memory: peak RSS of a process that warms the
booth (as the kiosk does after attract) and scores the reading, with the content check on and off.
Run: .venv/bin/python bench/score.py [--seconds 30] [--repeat 5] [--window S] [--memory]
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
    parser.add_argument("--window", type=float, default=0.0, help="the content check's window length (s); "
                        "default recitation.scoring.content.WINDOW_S")
    parser.add_argument("--memory", action="store_true", help="also the peak RSS with the content check on and off")
    parser.add_argument("--memory-child", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_child:
        return memory_child(Path(args.memory_child))

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

    from recitation.listen import shared_checker

    checker = shared_checker()
    if checker is None:
        print("content check: the model is not installed (scripts/setup.sh)")
        return 1
    from recitation.scoring import content

    from recitation.listen import checker as checker_module

    def timed(window_s: float, pad_step_s: float, alike: int):
        saved = content.WINDOW_S, checker.pad_step_s, checker_module.ALIKE_SPELLINGS
        content.WINDOW_S, checker.pad_step_s, checker_module.ALIKE_SPELLINGS = window_s, pad_step_s, alike
        try:
            began = time.perf_counter()
            checked = score_take(samples, sr, expected, checker=checker)
            return time.perf_counter() - began, checked
        finally:
            content.WINDOW_S, checker.pad_step_s, checker_module.ALIKE_SPELLINGS = saved

    # Named baselines in the same run: the check as it was first built (windows up to 28 s, padded to 5 s steps),
    # and with two sound-alike spellings instead of content.ALIKE_SPELLINGS (the rule before, issue #14's refit).
    plans = {"short windows": (args.window or content.WINDOW_S, checker.pad_step_s, content.ALIKE_SPELLINGS),
             "short windows, two sound-alike spellings": (args.window or content.WINDOW_S, checker.pad_step_s, 2),
             "28 s windows (baseline)": (28.0, 5.0, content.ALIKE_SPELLINGS)}
    runs: dict[str, list] = {name: [] for name in plans}
    for name, plan in plans.items():
        timed(*plan)  # warm (the spellings' probabilities on silence are cached)
    for _ in range(args.repeat):
        for name, plan in plans.items():  # interleaved: the machine's load hits both alike
            runs[name].append(timed(*plan))
    medians = {}
    for name, results in runs.items():
        full = medians[name] = statistics.median(t for t, _ in results)
        checked = results[-1][1]
        print(f"score_take with the content check, {name} (warm, median of {args.repeat}): {full * 1000:.0f} ms "
              f"= {full / duration * 1000:.0f} ms per second of reading   [goal ≤ 50 ms/s]; the check alone "
              f"{statistics.median(c.measures['seconds_to_check'] for _, c in results) * 1000:.0f} ms; "
              f"verdict {checked.verdict}, accuracy {checked.accuracy}")
    full = medians["short windows"]
    print(f"ratio with content check / acoustic only: {full / ours:.1f}×; "
          f"28 s windows / short windows: {medians['28 s windows (baseline)'] / full:.2f}×; "
          f"{content.ALIKE_SPELLINGS} / 2 sound-alike spellings: "
          f"{full / medians['short windows, two sound-alike spellings']:.2f}×; "
          f"load average {os.getloadavg()[0]:.1f}")
    if args.memory:
        with tempfile.TemporaryDirectory() as tmp:
            wav = Path(tmp) / "reading.wav"
            soundfile_write(wav, samples, sr, expected)
            off = _child_rss(wav, "0")
            on = _child_rss(wav, "1")
        print(f"peak RSS, warm-up + one score: content check off {off:.0f} MB, on {on:.0f} MB, "
              f"difference {on - off:+.0f} MB   [goal ≤ +400 MB]")
    return 0


def soundfile_write(path: Path, samples, sr: int, expected) -> None:
    import soundfile

    soundfile.write(path, samples, sr)
    path.with_suffix(".txt").write_text("\n".join(line.text + ("，" if line.end_break == "minor" else "。")
                                                 for line in expected.lines), encoding="utf-8")


def _child_rss(wav: Path, check: str) -> float:
    import subprocess

    env = {**os.environ, "YUEDU_CONTENT_CHECK": check}
    out = subprocess.run([sys.executable, __file__, "--memory-child", str(wav)], env=env, check=True,
                         capture_output=True, text=True).stdout
    return float(out.strip().splitlines()[-1])


def memory_child(wav: Path) -> int:
    """One process as the kiosk runs the booth: the kind's warm-up, then one take scored; prints peak RSS (MB).

    VmHWM, not ru_maxrss: Linux keeps ru_maxrss across fork+exec, so a child would report this bench's own peak."""
    import soundfile

    from recitation.listen import shared_checker, warm_booth
    from recitation.scoring import score_take

    warm_booth()
    samples, sr = soundfile.read(wav, dtype="float32")
    score_take(samples, sr, wav.with_suffix(".txt").read_text(encoding="utf-8"), checker=shared_checker())
    status = Path("/proc/self/status").read_text()
    print(int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:"))) / 1024)
    return 0


if __name__ == "__main__":
    sys.exit(main())
