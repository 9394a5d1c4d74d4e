"""Fundamental frequency by YIN (de Cheveigné & Kawahara 2002), vectorised over frames with numpy FFTs.

`yin_track` serves the offline scorer; `yin_frame` the live meter (one frame, same maths).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view


@dataclass
class PitchTrack:
    times: np.ndarray  # frame centres, seconds
    f0: np.ndarray  # Hz, NaN where unvoiced
    aperiodicity: np.ndarray  # YIN's cumulative-mean-normalised difference at the chosen lag (0 = perfectly periodic)

    @property
    def voiced(self) -> np.ndarray:
        return ~np.isnan(self.f0)


def _lags(sr: int, fmin: float, fmax: float) -> tuple[int, int]:
    return max(2, int(sr / fmax)), int(np.ceil(sr / fmin)) + 1


def _cmnd(frames: np.ndarray, window: int, tau_max: int) -> np.ndarray:
    """Cumulative-mean-normalised difference d'(tau), tau = 0..tau_max, for each row of `frames`."""
    length = frames.shape[1]
    nfft = 1 << int(np.ceil(np.log2(length)))
    spectrum = np.fft.rfft(frames, nfft)
    head = np.fft.rfft(frames[:, :window], nfft)
    corr = np.fft.irfft(spectrum * np.conj(head), nfft)[:, : tau_max + 1]
    power = np.concatenate([np.zeros((frames.shape[0], 1), frames.dtype), np.cumsum(frames * frames, axis=1)], axis=1)
    energy_at = power[:, window: window + tau_max + 1] - power[:, : tau_max + 1]
    diff = np.maximum(power[:, window: window + 1] + energy_at - 2.0 * corr, 0.0)
    diff[:, 0] = 0.0
    running = np.cumsum(diff[:, 1:], axis=1)
    taus = np.arange(1, tau_max + 1)
    cmnd = np.ones_like(diff)
    cmnd[:, 1:] = diff[:, 1:] * taus / np.maximum(running, np.float32(1e-12))
    return cmnd


def _pick(cmnd: np.ndarray, tau_min: int, threshold: float) -> tuple[np.ndarray, np.ndarray]:
    """YIN's absolute threshold step: the first dip under `threshold` (else the global minimum), refined."""
    rows = np.arange(cmnd.shape[0])
    search = cmnd[:, tau_min:]
    below = search < threshold
    has_dip = below.any(axis=1)
    first = np.where(has_dip, below.argmax(axis=1), search.argmin(axis=1))
    # Walk down to the bottom of that dip: the minimum in the next tau_min lags.
    span = np.minimum(first[:, None] + np.arange(tau_min)[None, :], search.shape[1] - 1)
    local = np.take_along_axis(search, span, axis=1).argmin(axis=1)
    best = np.take_along_axis(span, local[:, None], axis=1)[:, 0]
    best = np.where(has_dip, best, first)
    # Parabolic interpolation around the chosen lag.
    left = search[rows, np.maximum(best - 1, 0)]
    mid = search[rows, best]
    right = search[rows, np.minimum(best + 1, search.shape[1] - 1)]
    denom = left - 2 * mid + right
    shift = np.where(np.abs(denom) > 1e-12, 0.5 * (left - right) / np.where(denom == 0, 1, denom), 0.0)
    shift = np.clip(shift, -1.0, 1.0)
    return best + tau_min + shift, mid


def yin_track(y: np.ndarray, sr: int, *, hop: int | None = None, fmin: float = 70.0, fmax: float = 600.0,
              threshold: float = 0.2, window_s: float = 0.025, only: np.ndarray | None = None) -> PitchTrack:
    """F0 of a mono signal every `hop` samples (default 10 ms); frames are centred on their times.

    `only`: an optional boolean mask of frames worth analysing (e.g. loud enough to be speech); the others
    are reported unvoiced without being computed. Computed in float32: pitch needs no more.
    """
    hop = hop or sr // 100
    window = int(window_s * sr)
    tau_min, tau_max = _lags(sr, fmin, fmax)
    length = window + tau_max
    padded = np.pad(np.asarray(y, dtype=np.float32), (length // 2, length))
    count = max(1, 1 + (len(y) - 1) // hop)
    frames = sliding_window_view(padded, length)[::hop][:count]
    f0 = np.full(count, np.nan)
    aperiodicity = np.ones(count)
    chosen = np.arange(count) if only is None else np.flatnonzero(only[:count])
    if len(chosen):
        cmnd = _cmnd(frames[chosen], window, tau_max)
        lag, ap = _pick(cmnd, tau_min, threshold)
        f0[chosen] = sr / lag
        aperiodicity[chosen] = ap
    f0[(aperiodicity > threshold) | (f0 < fmin) | (f0 > fmax)] = np.nan
    return PitchTrack(times=np.arange(count) * hop / sr, f0=f0, aperiodicity=aperiodicity)


def yin_frame(frame: np.ndarray, sr: int, *, fmin: float = 70.0, fmax: float = 600.0,
              threshold: float = 0.2) -> float:
    """F0 of one frame (the live meter); NaN when unvoiced. The frame must hold ≥ 25 ms + one longest period.

    The same maths as `yin_track`, written for one 1-D frame with as few numpy calls as possible (each call
    costs microseconds, and the meter runs this ~47 times a second beside the display).
    """
    tau_min, tau_max = _lags(sr, fmin, fmax)
    x = np.asarray(frame, dtype=np.float64)
    window = len(x) - tau_max
    if window < tau_max // 2:
        raise ValueError(f"frame of {len(x)} samples is too short for fmin={fmin} Hz at {sr} Hz")
    # One frame: a matrix-vector product of lagged copies beats three FFTs.
    corr = sliding_window_view(x, window)[: tau_max + 1] @ x[:window]
    power = np.empty(len(x) + 1)
    power[0] = 0.0
    np.cumsum(x * x, out=power[1:])
    diff = power[window] + (power[window: window + tau_max + 1] - power[: tau_max + 1]) - 2.0 * corr
    diff[0] = 0.0
    running = np.cumsum(diff[1:])
    cmnd = diff[1:] * np.arange(1, tau_max + 1) / np.maximum(running, 1e-12)  # cmnd[k] is lag k + 1
    search = cmnd[tau_min - 1:]
    below = np.flatnonzero(search < threshold)
    if not len(below):
        return float("nan")
    best = int(below[0])
    while best + 1 < len(search) and search[best + 1] < search[best]:
        best += 1
    if 0 < best < len(search) - 1:
        left, mid, right = search[best - 1], search[best], search[best + 1]
        denom = left - 2 * mid + right
        shift = 0.5 * (left - right) / denom if abs(denom) > 1e-12 else 0.0
    else:
        shift = 0.0
    f0 = sr / (best + tau_min + max(-1.0, min(1.0, shift)))
    return float(f0) if fmin <= f0 <= fmax else float("nan")
