"""Mic-delay calibration: the click is found at the right lag, through a loopback device, and stored."""
from __future__ import annotations

import numpy as np
import pytest

from recitation.audio.calibration import calibrate, click, load_mic_delay, measure_delay, save_mic_delay
from recitation.audio.devices import MemoryOutput


class LoopbackDevice:
    """A test double of a booth whose microphone hears its speaker `delay` samples later, with room noise;
    time runs with the samples played."""

    def __init__(self, delay: int, noise: float = 0.01, gain: float = 0.3):
        self.delay, self.noise, self.gain = delay, noise, gain
        self.rng = np.random.default_rng(7)
        self.output: MemoryOutput | None = None

    def open_output(self, sample_rate=48000):
        self.output = MemoryOutput(sample_rate)
        return self.output

    def open_input(self, sample_rate=48000, block=1024):
        device = self

        class Stream:
            def __init__(self):
                self.sent = 0

            def blocks(self):
                played = device.output.samples.astype(np.float64) if device.output else np.zeros(0)
                heard = np.concatenate([np.zeros(device.delay), played * device.gain])
                out = []
                # The speaker's clock is the room's clock: the microphone has heard as long as was played.
                while self.sent + block <= len(played):
                    chunk = heard[self.sent:self.sent + block]
                    chunk = chunk + device.rng.normal(0, device.noise * 32768, block)
                    out.append(np.clip(chunk, -32768, 32767).astype(np.int16))
                    self.sent += block
                return out

            def close(self):
                pass

        return Stream()

    def close(self):
        pass


@pytest.mark.parametrize("delay_ms", [12.0, 85.0, 240.0])
def test_measure_delay_finds_the_click(delay_ms):
    sr = 48000
    burst = click(sr)
    recorded = np.random.default_rng(1).normal(0, 0.01, sr)
    start = int(delay_ms / 1000 * sr)
    recorded[start:start + len(burst)] += 0.2 * burst
    result = measure_delay(recorded, burst, sr)
    assert result.heard
    assert result.seconds * 1000 == pytest.approx(delay_ms, abs=0.1)


def test_silence_is_not_a_click():
    result = measure_delay(np.random.default_rng(2).normal(0, 0.01, 48000), click(48000), 48000)
    assert not result.heard


def test_calibrate_through_a_loopback_and_store_it():
    result = calibrate(LoopbackDevice(delay=4800), wait=lambda s: None)
    # The double's microphone runs in whole 1024-sample blocks: within one block (21 ms) of the truth.
    assert result.heard and result.seconds == pytest.approx(0.1, abs=0.022)
    save_mic_delay(result.seconds)
    assert load_mic_delay() == pytest.approx(result.seconds, abs=0.0001)


def test_without_calibration_the_delay_is_zero():
    assert load_mic_delay() == 0.0


def test_calibrate_a_real_pyaudio_loop_through_pulseaudio(pulseaudio):
    from recitation.audio.devices import PyAudioDevice

    device = PyAudioDevice()
    try:
        result = calibrate(device, attempts=1)
    finally:
        device.close()
    assert result.heard
    assert 0.0 <= result.seconds < 0.5  # speaker → null sink monitor → microphone, on the mic's own clock
