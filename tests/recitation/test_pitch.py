"""YIN pitch (batch and single frame) and the live meter on synthetic signals with known F0."""
from __future__ import annotations

import numpy as np
import pytest

from recitation.meter import LiveMeter
from recitation.scoring.pitch import yin_frame, yin_track


def harmonic(f0, sr, seconds):
    t = np.arange(int(sr * seconds)) / sr
    return 0.5 * np.sin(2 * np.pi * f0 * t) + 0.25 * np.sin(4 * np.pi * f0 * t) + 0.1 * np.sin(6 * np.pi * f0 * t)


@pytest.mark.parametrize("f0", [85.0, 130.0, 220.0, 330.0, 480.0])
def test_yin_track_finds_a_steady_pitch(f0):
    track = yin_track(harmonic(f0, 8000, 1.0), 8000, hop=80)
    middle = track.f0[10:-10]
    assert np.all(np.abs(middle - f0) / f0 < 0.01)


def test_yin_track_follows_a_glide_and_says_unvoiced_for_noise():
    sr = 8000
    t = np.arange(sr * 2) / sr
    freq = 120 + 60 * t  # 120 → 240 Hz
    glide = np.sin(2 * np.pi * np.cumsum(freq) / sr)
    noise = np.random.default_rng(0).normal(0, 0.3, sr)
    track = yin_track(np.concatenate([glide, noise]), sr, hop=80)
    expected = 120 + 60 * track.times[20:180]
    assert np.nanmax(np.abs(track.f0[20:180] - expected) / expected) < 0.02
    assert np.isnan(track.f0[220:-10]).mean() > 0.9


def test_yin_frame_agrees_with_the_track():
    x = harmonic(173.0, 8000, 0.2)
    assert yin_frame(x[:344], 8000) == pytest.approx(173.0, rel=0.005)
    assert np.isnan(yin_frame(np.random.default_rng(2).normal(0, 1, 344), 8000))
    with pytest.raises(ValueError):
        yin_frame(x[:100], 8000)


def test_live_meter_rises_fast_falls_slowly_and_reads_pitch():
    meter = LiveMeter(48000)
    voice = harmonic(200.0, 48000, 0.5)
    readings = [meter.update(voice[k:k + 1024]) for k in range(0, 1024 * 20, 1024)]
    assert readings[-1].voice and readings[-1].pitch_hz == pytest.approx(200.0, rel=0.01)
    assert readings[2].level > 0.6  # fast attack
    quiet = [meter.update(np.zeros(1024, dtype=np.int16)) for _ in range(3)]
    assert not quiet[0].voice and np.isnan(quiet[0].pitch_hz)
    assert quiet[0].level > quiet[1].level > quiet[2].level > 0.2  # slow release: no flicker


def test_live_meter_accepts_int16_blocks():
    meter = LiveMeter(48000)
    signal = (harmonic(150.0, 48000, 0.1) * 20000).astype(np.int16)
    for start in range(0, 3072, 1024):
        block = signal[start:start + 1024]
        reading = meter.update(block)
    assert reading.peak == pytest.approx(np.abs(block).max() / 32768, rel=0.01)
    assert reading.pitch_hz == pytest.approx(150.0, rel=0.01)


def test_syllable_counter_follows_a_reading(readings):
    import soundfile

    from recitation.meter import SyllableCounter

    take, sr = soundfile.read(readings["clean"], dtype="int16")
    block = 512
    meter, counter = LiveMeter(sr), SyllableCounter(block / sr)
    counts = [counter.update(meter.update(take[i:i + block]).level_db) for i in range(0, len(take) - block, block)]
    assert 16 <= counts[-1] <= 24  # 静夜思 has 20 syllables
    assert counts[len(counts) // 2] < counts[-1]  # it counts as the reading goes
