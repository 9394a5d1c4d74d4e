"""Frame-level features of a take: loudness, voicing, F0 and the recording-quality flags.

Everything downstream works on 10 ms frames of a 16 kHz copy; pitch is tracked on an 8 kHz copy (cheaper, and
speech F0 sits far below 4 kHz).
"""
from __future__ import annotations

from dataclasses import dataclass
from math import gcd

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from scipy.signal import resample_poly

from recitation.scoring.pitch import PitchTrack, yin_track

ANALYSIS_RATE = 16000
PITCH_RATE = 8000
HOP_S = 0.01
FLAG_CODES = ("too_quiet", "clipping", "noisy")

# Recording-quality thresholds: tuned on espeak-ng fixtures and sox noise; see tests/recitation.
QUIET_PEAK_DBFS = -38.0  # loudest speech frames below this: the reader is too far from the microphone
CLIP_FRACTION = 0.002  # share of samples at full scale
NOISY_SNR_DB = 18.0  # speech peaks less than this above the noise floor


@dataclass
class Features:
    duration: float
    frame_db: np.ndarray  # RMS level per 10 ms frame, dBFS
    band_db: np.ndarray  # level of the 250–2500 Hz band (vowels) with steady noise taken out, dBFS
    speech_db: np.ndarray  # level of 100–4000 Hz with steady noise taken out, dBFS (finds speech in noise)
    pitch: PitchTrack
    noise_floor_db: float
    speech_peak_db: float
    flags: list[str]

    @property
    def frames(self) -> int:
        return len(self.frame_db)

    @property
    def snr_db(self) -> float:
        return self.speech_peak_db - self.noise_floor_db


def resample(y: np.ndarray, sr: int, target: int) -> np.ndarray:
    if sr == target:
        return y
    g = gcd(sr, target)
    return resample_poly(y, target // g, sr // g)


def to_mono_float(y: np.ndarray) -> np.ndarray:
    y = np.asarray(y)
    if y.ndim == 2:
        y = y.mean(axis=1)
    if np.issubdtype(y.dtype, np.integer):
        y = y.astype(np.float64) / float(np.iinfo(y.dtype).max)
    return y.astype(np.float64, copy=False)


def _frame_levels(y: np.ndarray, hop: int, count: int) -> np.ndarray:
    """RMS per hop-long frame (25 ms windows centred on the hop grid), in dBFS."""
    window = int(0.025 * ANALYSIS_RATE)
    padded = np.pad(y, (window // 2, window))
    squares = np.concatenate([[0.0], np.cumsum(padded * padded)])
    starts = np.arange(count) * hop
    mean_sq = (squares[starts + window] - squares[starts]) / window
    return 10.0 * np.log10(mean_sq + 1e-12)


def _denoised_levels(y: np.ndarray, hop: int, count: int) -> tuple[np.ndarray, np.ndarray]:
    """Vowel-band and speech-band levels after spectral subtraction of the steady noise (hum, fans, hiss).

    The noise level is each band's 10th percentile over the take: a reader is silent at least that often.
    """
    size = 512
    padded = np.pad(y, (size // 2, size))
    frames = sliding_window_view(padded, size)[::hop][:count]
    power = np.abs(np.fft.rfft(frames * np.hanning(size), axis=1)) ** 2
    freqs = np.fft.rfftfreq(size, 1.0 / ANALYSIS_RATE)
    scale = 2.0 / (np.sum(np.hanning(size) ** 2) * size)  # a full-scale sine reads about 0 dBFS
    levels = []
    for low, high in ((250, 2500), (100, 4000)):
        band = power[:, (freqs >= low) & (freqs <= high)].sum(axis=1) * scale
        # Summed over many bins, steady noise is nearly constant: subtract its level with a small margin.
        noise = np.percentile(band, 10)
        levels.append(np.maximum(band - 1.3 * noise, 0.0))
    vowel, speech = levels
    return 10.0 * np.log10(vowel + 1e-12), 10.0 * np.log10(speech + 1e-12)


def extract(y: np.ndarray, sr: int) -> Features:
    """Analyse a mono take (any rate, float or int samples)."""
    y = to_mono_float(y)
    clipped = float(np.mean(np.abs(y) >= 0.985)) if len(y) else 0.0
    y16 = resample(y, sr, ANALYSIS_RATE)
    hop = int(HOP_S * ANALYSIS_RATE)
    count = max(1, 1 + (len(y16) - 1) // hop)
    frame_db = _frame_levels(y16, hop, count)
    band_db, speech_db = _denoised_levels(y16, hop, count)
    # Pitch only where something is sounding: silence is most of a slow reading and costs the most.
    audible = frame_db > max(float(np.percentile(frame_db, 97)) - 45.0, float(np.percentile(frame_db, 10)) + 3.0)
    audible = np.convolve(audible, np.ones(5), mode="same") > 0  # keep the edges of syllables
    pitch = yin_track(resample(y16, ANALYSIS_RATE, PITCH_RATE), PITCH_RATE, hop=int(HOP_S * PITCH_RATE),
                      only=audible)
    n = min(count, len(pitch.f0))
    frame_db, band_db, speech_db = frame_db[:n], band_db[:n], speech_db[:n]
    pitch = PitchTrack(pitch.times[:n], pitch.f0[:n], pitch.aperiodicity[:n])
    noise_floor = float(np.percentile(frame_db, 10))
    speech_peak = float(np.percentile(frame_db, 97))
    flags = []
    if speech_peak < QUIET_PEAK_DBFS:
        flags.append("too_quiet")
    if clipped > CLIP_FRACTION:
        flags.append("clipping")
    if speech_peak - noise_floor < NOISY_SNR_DB and "too_quiet" not in flags:
        flags.append("noisy")
    return Features(duration=len(y) / sr, frame_db=frame_db, band_db=band_db, speech_db=speech_db, pitch=pitch,
                    noise_floor_db=noise_floor, speech_peak_db=speech_peak, flags=flags)
