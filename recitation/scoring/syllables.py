"""Syllables heard in a take: speech regions from loudness, one nucleus per vowel-band energy peak.

One Chinese character is one syllable, so the nuclei are what the aligner matches to the text.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.signal import find_peaks

from recitation.scoring.features import HOP_S, Features

MIN_GAP_S = 0.08  # silences shorter than this are stop closures inside speech, not pauses
MIN_REGION_S = 0.06
MIN_SYLLABLE_S = 0.09  # nuclei closer than this are one syllable (fastest natural reading ≈ 8 per second)
PROMINENCE_DB = 3.0
VOICED_APERIODICITY = 0.4  # a nucleus needs a periodic (voiced) frame nearby: noise bursts have none


@dataclass
class Syllable:
    start: float
    end: float
    nucleus: float  # time of the vowel-band energy peak
    level_db: float
    region: int  # index of the speech region (stretch between pauses) it belongs to

    @property
    def duration(self) -> float:
        return self.end - self.start


@dataclass
class Segmentation:
    syllables: list[Syllable]
    regions: list[tuple[float, float]]  # speech stretches (start, end), seconds
    threshold_db: float

    def gap_before(self, index: int) -> float:
        """Silence between syllable `index - 1` and `index` (0 inside a speech region)."""
        if index <= 0 or index >= len(self.syllables):
            return 0.0
        previous, current = self.syllables[index - 1], self.syllables[index]
        if previous.region == current.region:
            return 0.0
        return max(0.0, self.regions[current.region][0] - self.regions[previous.region][1])


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """(start, end) frame index pairs of the True runs, end exclusive."""
    edges = np.diff(np.concatenate([[0], mask.astype(np.int8), [0]]))
    return list(zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)))


def speech_threshold(features: Features) -> float:
    """Speech is within 30 dB of the loudest (noise already subtracted from `speech_db`)."""
    peak = float(np.percentile(features.speech_db, 97))
    return peak - 30.0


def segment(features: Features) -> Segmentation:
    threshold = speech_threshold(features)
    active = features.speech_db > threshold
    min_gap = int(round(MIN_GAP_S / HOP_S))
    runs = _runs(active)
    merged: list[list[int]] = []
    for start, end in runs:
        if merged and start - merged[-1][1] < min_gap:
            merged[-1][1] = end
        else:
            merged.append([start, end])
    regions = [(s, e) for s, e in merged if e - s >= MIN_REGION_S / HOP_S]
    smooth = np.convolve(features.band_db, np.ones(5) / 5, mode="same")
    distance = max(1, int(round(MIN_SYLLABLE_S / HOP_S)))
    syllables: list[Syllable] = []
    for region_index, (start, end) in enumerate(regions):
        envelope = smooth[start:end]
        peaks, _ = find_peaks(np.concatenate([[-200.0], envelope, [-200.0]]), prominence=PROMINENCE_DB,
                              distance=distance)
        aperiodicity = features.pitch.aperiodicity
        near = 4  # frames either side of the peak
        peaks = [p - 1 for p in peaks if envelope[p - 1] > threshold - 6.0
                 and aperiodicity[max(0, start + p - 1 - near): start + p + near].min() < VOICED_APERIODICITY]
        if not peaks:
            continue  # a noise burst, a click, a breath: not a syllable
        # Syllable edges: the energy minima between neighbouring nuclei.
        edges = [0]
        for left, right in zip(peaks, peaks[1:]):
            edges.append(left + int(np.argmin(envelope[left:right + 1])))
        edges.append(end - start)
        for k, peak in enumerate(peaks):
            syllables.append(Syllable(start=(start + edges[k]) * HOP_S, end=(start + edges[k + 1]) * HOP_S,
                                      nucleus=(start + peak) * HOP_S, level_db=float(envelope[peak]),
                                      region=region_index))
    # Keep only regions that hold syllables, so a pause with a noise burst in it is still one pause.
    kept = sorted({s.region for s in syllables})
    renumber = {old: new for new, old in enumerate(kept)}
    for syllable in syllables:
        syllable.region = renumber[syllable.region]
    return Segmentation(syllables=syllables, regions=[(regions[r][0] * HOP_S, regions[r][1] * HOP_S) for r in kept],
                        threshold_db=threshold)
