"""The live volume and pitch meter: one cheap update per audio block (≥ 30 per second), pure numpy.

Volume is an RMS level with VU-like ballistics (fast rise, slow fall); pitch is YIN on the last ~43 ms,
decimated to 8 kHz.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from recitation.scoring.pitch import yin_frame

FLOOR_DB = -60.0  # the meter's empty end
PITCH_RATE = 8000
WINDOW_S = 0.043  # 25 ms + the longest period (70 Hz)
VOICE_DB = -45.0  # above this level a block counts as voice (keeps the session alive)


@dataclass
class MeterReading:
    level: float  # 0..1 for the bar (FLOOR_DB..0 dBFS, smoothed)
    level_db: float  # this block's RMS, dBFS
    peak: float  # this block's peak, 0..1
    pitch_hz: float  # NaN when unvoiced or quiet
    voice: bool  # loud enough to be someone speaking


class LiveMeter:
    """Feed blocks of mono samples (float in -1..1 or int16) at `sample_rate`; read `update()`'s result."""

    def __init__(self, sample_rate: int = 48000, attack: float = 0.6, release: float = 0.15):
        self.sample_rate = sample_rate
        self.decimate = max(1, sample_rate // PITCH_RATE)
        self.window = int(WINDOW_S * sample_rate) // self.decimate * self.decimate
        self.history = np.zeros(self.window, dtype=np.float64)
        self.attack, self.release = attack, release
        self.level = 0.0

    def update(self, block: np.ndarray) -> MeterReading:
        samples = np.asarray(block)
        if samples.dtype == np.int16:
            samples = samples.astype(np.float64) / 32768.0
        samples = samples.astype(np.float64, copy=False).ravel()
        count = len(samples)
        if count >= self.window:
            self.history[:] = samples[-self.window:]
        elif count:
            self.history[:-count] = self.history[count:]
            self.history[-count:] = samples
        mean_square = float(np.dot(samples, samples)) / count if count else 0.0
        level_db = 10.0 * math.log10(mean_square + 1e-12)
        target = min(1.0, max(0.0, (level_db - FLOOR_DB) / -FLOOR_DB))
        rate = self.attack if target > self.level else self.release
        self.level += rate * (target - self.level)
        peak = max(float(samples.max()), -float(samples.min())) if count else 0.0
        pitch = float("nan")
        voice = level_db > VOICE_DB
        if voice:
            # Box-filter then decimate: crude, but a meter needs F0 within a few percent, not hi-fi.
            low = self.history.reshape(-1, self.decimate).sum(axis=1)  # YIN ignores scale
            pitch = yin_frame(low, self.sample_rate // self.decimate, threshold=0.3)
        return MeterReading(level=self.level, level_db=level_db, peak=min(1.0, peak), pitch_hz=pitch, voice=voice)


class SyllableCounter:
    """Counts syllables live from block levels (a rise after a dip), for the pace model to follow the reader.

    Cruder than the offline scorer (no look-ahead), but it only has to keep the highlight near the reader.
    """

    def __init__(self, block_seconds: float, rise_db: float = 5.0, min_gap_s: float = 0.11):
        self.rise_db = rise_db
        self.min_gap_blocks = max(1, round(min_gap_s / block_seconds))
        self.count = 0
        self.valley = 0.0
        self.peak = FLOOR_DB
        self.in_syllable = False
        self.since_last = 10 ** 6

    def update(self, level_db: float) -> int:
        self.since_last += 1
        if self.in_syllable:
            self.peak = max(self.peak, level_db)
            if level_db < self.peak - self.rise_db or level_db < VOICE_DB:
                self.in_syllable, self.valley = False, level_db
        else:
            self.valley = min(self.valley, level_db)
            if level_db > VOICE_DB and level_db > self.valley + self.rise_db and self.since_last >= self.min_gap_blocks:
                self.in_syllable, self.peak, self.since_last = True, level_db, 0
                self.count += 1
        return self.count
