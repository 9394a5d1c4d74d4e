"""Tone evidence from pitch: each syllable's F0 contour, relative to the reader's own voice, against the four
Mandarin tone shapes (Chao's 55, 35, 214, 51).

F0-only tone recognition is right perhaps 70–90% of the time, so the scorer uses these as soft evidence.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from recitation.scoring.features import HOP_S
from recitation.scoring.pitch import PitchTrack

# Start, middle and end of each tone in units of the reader's pitch spread (z-scores around their median).
TEMPLATES = {
    1: np.array([0.9, 0.9, 0.9]),
    2: np.array([-0.5, 0.0, 0.9]),
    3: np.array([-0.6, -1.2, -0.7]),
    4: np.array([0.9, -0.2, -1.4]),
}
TEMPERATURE = 0.35  # softness of the tone probabilities (squared-distance units)
MIN_SPREAD_ST = 0.8  # a flat voice's tiny wobbles must not be blown up into tone shapes


@dataclass
class Contour:
    points: np.ndarray | None  # (start, middle, end) z-scores; None when too little of it was voiced
    semitones: np.ndarray  # voiced F0 of the syllable in semitones relative to the reader's median

    def tone_probabilities(self) -> dict[int, float]:
        if self.points is None:
            return {}
        distances = np.array([np.sum((self.points - t) ** 2) for t in TEMPLATES.values()])
        weights = np.exp(-(distances - distances.min()) / TEMPERATURE)
        weights /= weights.sum()
        return dict(zip(TEMPLATES, weights.tolist()))


def semitones(f0: np.ndarray, reference: float) -> np.ndarray:
    return 12.0 * np.log2(f0 / reference)


@dataclass
class VoiceProfile:
    """The reader's own pitch: median F0 and spread, so a child's and a grandfather's tones compare alike."""

    median_hz: float
    spread_st: float  # standard deviation of voiced F0 in semitones

    @classmethod
    def from_track(cls, pitch: PitchTrack, spans: list[tuple[float, float]]) -> "VoiceProfile":
        values = [pitch.f0[_frames(start, end, len(pitch.f0))] for start, end in spans]
        voiced = np.concatenate(values) if values else np.array([])
        voiced = voiced[~np.isnan(voiced)]
        if len(voiced) < 5:
            return cls(median_hz=float("nan"), spread_st=0.0)
        median = float(np.median(voiced))
        st = semitones(voiced, median)
        # A robust spread (IQR-based) so a few octave errors do not inflate it.
        q1, q3 = np.percentile(st, [25, 75])
        return cls(median_hz=median, spread_st=float((q3 - q1) / 1.349))


def _frames(start: float, end: float, total: int) -> slice:
    return slice(max(0, int(round(start / HOP_S))), min(total, int(round(end / HOP_S)) + 1))


def contour(pitch: PitchTrack, start: float, end: float, voice: VoiceProfile) -> Contour:
    values = pitch.f0[_frames(start, end, len(pitch.f0))]
    voiced = values[~np.isnan(values)]
    if len(voiced) < 4 or not np.isfinite(voice.median_hz):
        return Contour(points=None, semitones=np.array([]))
    st = semitones(voiced, voice.median_hz)
    # Octave jumps are tracking errors: fold them back towards the syllable's middle.
    centre = float(np.median(st))
    st = np.where(st - centre > 9, st - 12, np.where(st - centre < -9, st + 12, st))
    third = len(st) / 3.0
    a, b = int(round(third)), int(round(2 * third))
    points = np.array([st[:a].mean(), st[a:b].mean(), st[b:].mean()]) / max(voice.spread_st, MIN_SPREAD_ST)
    return Contour(points=points, semitones=st)


def tone_match(probabilities: dict[int, float], accepted: frozenset[int]) -> float | None:
    """Probability mass on the accepted tones; None when the tone is not scored (neutral, or no pitch)."""
    if not accepted or not probabilities:
        return None
    return float(sum(probabilities.get(tone, 0.0) for tone in accepted))
