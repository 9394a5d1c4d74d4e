"""The video's sound (pure numpy/scipy): the voice loudness-normalised (EBU R128 / BS.1770 integrated loudness,
about −16 LUFS), an optional gentle room reverb, the booth's music ducked under the voice, and a limiter so
no sample reaches full scale."""
from __future__ import annotations

import numpy as np
from scipy.ndimage import maximum_filter1d, uniform_filter1d
from scipy.signal import bilinear, fftconvolve, lfilter

RATE = 48000
TARGET_LUFS = -16.0
CEILING = 0.708  # −3 dBFS: the limiter's ceiling; AAC decoding overshoots sharp peaks by up to ~2 dB
MUSIC_BED_DB = -26.0  # music alone, relative to full scale loudness (LUFS) — quiet, under everything
DUCK_DB = -14.0  # the music goes this much lower while someone reads
FADE_S = 1.2


def k_weighting(sr: int) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """BS.1770's two K-weighting stages (high shelf, then the RLB high-pass), designed for `sr` from the analog
    prototypes the standard's 48 kHz coefficients come from."""
    # Stage 1: shelving filter (+4 dB above ~1.5 kHz); stage 2: second-order high-pass at ~38 Hz.
    f0, gain_db, q = 1681.974450955533, 3.999843853973347, 0.7071752369554196
    k = np.tan(np.pi * f0 / sr)
    vh = 10 ** (gain_db / 20)
    vb = vh ** 0.4996667741545416
    a0 = 1 + k / q + k * k
    b1 = np.array([(vh + vb * k / q + k * k) / a0, 2 * (k * k - vh) / a0, (vh - vb * k / q + k * k) / a0])
    a1 = np.array([1.0, 2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0])
    f0, q = 38.13547087602444, 0.5003270373238773
    k = np.tan(np.pi * f0 / sr)
    a0 = 1 + k / q + k * k
    b2 = np.array([1.0, -2.0, 1.0])
    a2 = np.array([1.0, 2 * (k * k - 1) / a0, (1 - k / q + k * k) / a0])
    return (b1, a1), (b2, a2)


def integrated_loudness(y: np.ndarray, sr: int) -> float:
    """Integrated loudness (LUFS) of mono `y`: pyloudnorm when installed, else the same BS.1770-4 measure here
    (K-weighting, 400 ms blocks with 75 % overlap, −70 LUFS absolute and −10 LU relative gates)."""
    y = np.asarray(y, dtype=np.float64)
    try:
        import pyloudnorm

        return float(pyloudnorm.Meter(sr).integrated_loudness(y))
    except ImportError:
        return own_integrated_loudness(y, sr)


def own_integrated_loudness(y: np.ndarray, sr: int) -> float:
    (b1, a1), (b2, a2) = k_weighting(sr)
    z = lfilter(b2, a2, lfilter(b1, a1, np.asarray(y, dtype=np.float64)))
    block, hop = int(0.4 * sr), int(0.1 * sr)
    if len(z) < block:
        return float("-inf")
    energy = np.concatenate([[0.0], np.cumsum(z * z)])
    starts = np.arange(0, len(z) - block + 1, hop)
    power = (energy[starts + block] - energy[starts]) / block
    with np.errstate(divide="ignore"):
        loud = -0.691 + 10 * np.log10(power)
    gated = power[loud > -70.0]
    if not len(gated):
        return float("-inf")
    relative = -0.691 + 10 * np.log10(gated.mean()) - 10.0
    final = power[(loud > -70.0) & (loud > relative)]
    return float(-0.691 + 10 * np.log10(final.mean())) if len(final) else float("-inf")


def gain_to(y: np.ndarray, sr: int, target: float) -> float:
    loudness = integrated_loudness(y, sr)
    return 1.0 if not np.isfinite(loudness) else float(10 ** ((target - loudness) / 20))


def room_reverb(y: np.ndarray, sr: int, wet: float = 0.16, decay_s: float = 0.9, seed: int = 7) -> np.ndarray:
    """A gentle small-hall reverb: the voice convolved with decaying, low-passed noise (pre-delay 18 ms)."""
    rng = np.random.default_rng(seed)
    n = int(decay_s * sr)
    t = np.arange(n) / sr
    tail = rng.standard_normal(n) * np.exp(-6.9 * t / decay_s)  # −60 dB at decay_s
    tail = lfilter([0.35], [1, -0.65], tail)  # darker tail, like a room
    tail = np.concatenate([np.zeros(int(0.018 * sr)), tail])
    tail /= np.sqrt(np.sum(tail ** 2))
    return y + wet * fftconvolve(y, tail)[: len(y)]


def voice_envelope(y: np.ndarray, sr: int) -> np.ndarray:
    """0..1: how much someone is reading now (RMS over 50 ms against the take's loud parts), smoothed so the
    music ducks in ~80 ms and comes back over ~600 ms."""
    hop = sr // 100
    frames = len(y) // hop + 1
    padded = np.zeros(frames * hop)
    padded[: len(y)] = y
    rms = np.sqrt(uniform_filter1d((padded ** 2).reshape(frames, hop).mean(axis=1), 5))
    loud = np.percentile(rms, 95) if len(rms) else 0.0
    active = (rms > max(loud * 0.1, 1e-4)).astype(float)
    held = maximum_filter1d(active, 60, origin=-29)  # hold 0.6 s after a word, start 0.3 s before it
    smooth = uniform_filter1d(held, 8)
    return np.repeat(smooth, hop)[: len(y)]


def loop_to(music: np.ndarray, n: int) -> np.ndarray:
    if not len(music):
        return np.zeros(n)
    reps = -(-n // len(music))
    return np.tile(music, reps)[:n]


def limit(y: np.ndarray, sr: int, ceiling: float = CEILING) -> np.ndarray:
    """A look-ahead peak limiter: gain falls smoothly before any peak over `ceiling` and recovers after it."""
    peak = np.abs(y)
    if peak.max(initial=0.0) <= ceiling:
        return y
    need = np.minimum(1.0, ceiling / np.maximum(peak, 1e-12))
    window = int(0.005 * sr) | 1
    gain = -maximum_filter1d(-need, window * 2 + 1)  # the lowest gain within ±window
    gain = uniform_filter1d(gain, window)
    gain = np.minimum(gain, need)  # smoothing never lets a peak through
    return y * gain


def mix(voice: np.ndarray, sr: int, tail_s: float, music: np.ndarray | None = None, reverb: bool = True,
        target: float = TARGET_LUFS) -> np.ndarray:
    """The video's soundtrack at `sr`: the voice at `target` LUFS (reverb optional), then `tail_s` of the music
    alone fading out; music (same rate, mono) loops under everything, ducked while someone reads."""
    voice = np.asarray(voice, dtype=np.float64)
    voice = voice - voice.mean() if len(voice) else voice
    if reverb and len(voice):
        voice = room_reverb(voice, sr)
    voice = voice * gain_to(voice, sr, target)
    n = len(voice) + int(round(tail_s * sr))
    out = np.zeros(n)
    out[: len(voice)] = voice
    if music is not None and len(music):
        bed = loop_to(np.asarray(music, dtype=np.float64), n)
        bed = bed * gain_to(bed, sr, MUSIC_BED_DB)
        env = np.zeros(n)
        env[: len(voice)] = voice_envelope(voice, sr)
        duck = 10 ** (DUCK_DB * env / 20)
        fade = np.ones(n)
        fade_n = min(n, int(FADE_S * sr))
        fade[n - fade_n:] = np.linspace(1.0, 0.0, fade_n)
        out += bed * duck * fade
    out = limit(out, sr)
    if len(voice):  # the limiter took a little off the loudest words: one correction, limited again
        out = limit(out * gain_to(out[: len(voice)], sr, target), sr)
    return out.astype(np.float32)
