"""Microphone-delay calibration per booth: play a click, hear it back, measure the lag by cross-correlation.

The delay (input + output latency) is stored in the data directory's `recitation.toml`; the booth shifts its
highlight times by it so the scorer's timing prior lines up with what the microphone heard.
"""
from __future__ import annotations

import time
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from experiences import datadir

SETTINGS_NAME = "recitation.toml"
CLICK_S = 0.004
LEAD_S = 0.25  # silence before the click: freshly opened streams may drop their first samples
LISTEN_S = 1.5
MIN_CONFIDENCE = 6.0  # correlation peak over the median: below this the click was not heard


def click(sample_rate: int) -> np.ndarray:
    """A short 2 kHz burst with a Hann envelope: sharp in time, easy to find again."""
    n = int(CLICK_S * sample_rate)
    t = np.arange(n) / sample_rate
    return (0.6 * np.sin(2 * np.pi * 2000 * t) * np.hanning(n)).astype(np.float32)


@dataclass
class DelayMeasurement:
    seconds: float
    confidence: float

    @property
    def heard(self) -> bool:
        return self.confidence >= MIN_CONFIDENCE


def measure_delay(recorded: np.ndarray, reference: np.ndarray, sample_rate: int) -> DelayMeasurement:
    """Where `reference` starts inside `recorded` (both float or int16 mono), by FFT cross-correlation."""
    rec = np.asarray(recorded, dtype=np.float64)
    ref = np.asarray(reference, dtype=np.float64)
    if rec.dtype.kind == "i" or np.abs(rec).max(initial=0) > 2:
        rec = rec / 32768.0
    size = 1 << int(np.ceil(np.log2(len(rec) + len(ref))))
    corr = np.fft.irfft(np.fft.rfft(rec, size) * np.conj(np.fft.rfft(ref, size)), size)[: len(rec)]
    strength = np.abs(corr)
    lag = int(np.argmax(strength))
    # Peak over the typical correlation with room noise (a digitally silent input has none: a floor keeps
    # the ratio meaningful).
    floor = max(float(np.median(strength)), 1e-4 * float(np.sqrt(np.sum(ref * ref))))
    confidence = float(strength[lag] / floor)
    return DelayMeasurement(seconds=lag / sample_rate, confidence=confidence)


def calibrate(device, sample_rate: int = 48000, wait: Callable[[float], None] = time.sleep,
              attempts: int = 3) -> DelayMeasurement:
    """Play a click on `device` and listen for it; the median of `attempts` heard clicks (blocking: an operator
    tool, never run while a visitor is in the booth).

    Time is counted on the microphone's own clock: the click is written once the input runs steadily, when
    `position` samples have arrived; the delay is where it is heard minus that position.
    """
    found = []
    block = 1024
    for _ in range(attempts):
        stream = device.open_input(sample_rate, block)
        output = device.open_output(sample_rate)
        output.write(np.zeros(int(LEAD_S * sample_rate), dtype=np.int16))  # streams settle on silence
        heard: list[np.ndarray] = []
        while sum(map(len, heard)) < LEAD_S * sample_rate / 2:
            blocks = stream.blocks()
            heard += blocks
            if not blocks:
                wait(0.005)
        position = sum(map(len, heard))
        burst = click(sample_rate)
        output.write(np.clip(burst * 32767, -32768, 32767).astype(np.int16))
        output.write(np.zeros(int(LISTEN_S * sample_rate), dtype=np.int16))
        while sum(map(len, heard)) < position + LISTEN_S * sample_rate:
            blocks = stream.blocks()
            heard += blocks
            if not blocks:
                wait(0.01)
        stream.close()
        output.close()
        recorded = np.concatenate(heard)[position:]
        result = measure_delay(recorded, burst, sample_rate)
        if result.heard:
            found.append(result)
    if not found:
        return DelayMeasurement(seconds=0.0, confidence=0.0)
    found.sort(key=lambda m: m.seconds)
    return found[len(found) // 2]


def settings_path() -> Path:
    return datadir.data_dir() / SETTINGS_NAME


def load_mic_delay() -> float:
    """The stored delay in seconds (0 when never calibrated or unreadable)."""
    try:
        data = tomllib.loads(settings_path().read_text(encoding="utf-8"))
        return float(data.get("booth", {}).get("mic_delay_ms", 0.0)) / 1000.0
    except (OSError, ValueError, TypeError):
        return 0.0


def save_mic_delay(seconds: float) -> Path:
    path = settings_path()
    tmp = path.with_suffix(".toml.tmp")
    tmp.write_text("# Recitation booth settings (朗诵亭). Written by `launcher.py recite calibrate`.\n"
                   f"[booth]\nmic_delay_ms = {seconds * 1000:.1f}\n", encoding="utf-8")
    tmp.replace(path)
    return path
