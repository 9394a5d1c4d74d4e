"""Which character is highlighted when in the video (pure: no pygame, no files).

The times come from this recording: the booth's own per-character highlight times, or the syllables heard in
the take aligned to the text (the scorer's segmenter and aligner), characters nobody was heard saying placed
between their neighbours.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

OUTRO_S = 2.5  # the library's card after the reading
HOLD_S = 0.35  # the last character stays lit this long before the poem shows as all read


@dataclass(frozen=True)
class VideoTimeline:
    char_times: tuple[float, ...]  # seconds into the video at which each character becomes the current one
    reading_s: float  # length of the reading (the take)
    outro_s: float = OUTRO_S
    fps: int = 30

    @property
    def duration(self) -> float:
        return self.reading_s + self.outro_s

    @property
    def frames(self) -> int:
        return max(1, math.ceil(self.duration * self.fps - 1e-9))

    def frame_time(self, index: int) -> float:
        return index / self.fps

    def in_outro(self, t: float) -> bool:
        return t >= self.reading_s

    def position(self, t: float) -> float:
        """Fractional index of the current character at `t` (−1 before the first, size when all are read),
        as the booth's draw_poem takes it."""
        times = self.char_times
        if not times or t < times[0]:
            return -1.0
        k = int(np.searchsorted(times, t, side="right")) - 1
        if k >= len(times) - 1:
            return float(len(times)) if t >= times[-1] + HOLD_S else float(len(times) - 1)
        span = times[k + 1] - times[k]
        return k + (min(0.999, (t - times[k]) / span) if span > 0 else 0.0)

    def frame_of_char(self, k: int) -> int:
        """The first frame on which character k is the current one."""
        return math.ceil(self.char_times[k] * self.fps - 1e-9)


def timeline_from_times(char_times, reading_s: float, fps: int = 30, outro_s: float = OUTRO_S) -> VideoTimeline:
    """Clean given times: monotonic (a later character never before an earlier one) and inside the reading."""
    clean, last = [], 0.0
    for t in char_times:
        t = min(max(float(t), last), reading_s)
        clean.append(t)
        last = t
    return VideoTimeline(tuple(clean), float(reading_s), outro_s, fps)


def fill_gaps(times: list[float | None], reading_s: float) -> list[float]:
    """Characters without a time (not heard) get one evenly between the neighbours that have one."""
    n = len(times)
    known = [i for i, t in enumerate(times) if t is not None]
    if not known:
        step = reading_s / (n + 1) if n else 0.0
        return [step * (i + 1) for i in range(n)]
    out = list(times)
    xs = np.array(known, dtype=float)
    ys = np.array([times[i] for i in known], dtype=float)
    slope = 0.4 if len(known) < 2 else max(0.15, float((ys[-1] - ys[0]) / max(1.0, xs[-1] - xs[0])))
    for i in range(n):
        if out[i] is None:
            if i < known[0]:
                out[i] = max(0.0, ys[0] - slope * (known[0] - i))
            elif i > known[-1]:
                out[i] = min(reading_s, ys[-1] + slope * (i - known[-1]))
            else:
                out[i] = float(np.interp(i, xs, ys))
    return [float(t) for t in out]


def char_times_from_take(samples: np.ndarray, sr: int, expected, prior: list[float] | None = None) -> list[float]:
    """When each character of `expected` (an ExpectedText) starts in the take: syllables heard, aligned to the
    text by the scorer's aligner (pauses at line breaks; `prior`, the booth's highlight times, as a gentle pull)."""
    from recitation.scoring.align import align, timing_cost
    from recitation.scoring.features import extract, to_mono_float
    from recitation.scoring.scorer import UNKNOWN_TONE_FIT
    from recitation.scoring.syllables import segment

    y = to_mono_float(samples)
    reading_s = len(y) / sr
    seg = segment(extract(y, sr))
    syllables = seg.syllables
    if not syllables:
        return fill_gaps([None] * expected.size, reading_s)
    gaps = [seg.gap_before(j) for j in range(len(syllables))]
    tone_fit = np.full((expected.size, len(syllables)), UNKNOWN_TONE_FIT)
    cost = None
    if prior is not None and len(prior) == expected.size:
        cost = timing_cost(prior, [s.nucleus for s in syllables])
    alignment = align(expected.boundaries(), gaps, tone_fit, cost)
    times = [None if j is None else syllables[j].start for j in alignment.char_to_syllable]
    return fill_gaps(times, reading_s)
