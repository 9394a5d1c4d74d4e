"""One small device interface for the booth's sound: input blocks for the meter and recorder, output for playback.

`PyAudioDevice` is the real one (callback streams, so the display loop never blocks); `WavDevice` plays a WAV
file as the microphone (paced by an injectable clock) and records what is played: tests and previews.
"""
from __future__ import annotations

import logging
import queue
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Protocol

import numpy as np

log = logging.getLogger(__name__)

RECORD_RATE = 48000  # capture rate; analysis downsamples
BLOCK = 1024  # frames per block: 21 ms at 48 kHz, so the meter updates ~47 times a second


class InputStream(Protocol):
    sample_rate: int

    def blocks(self) -> list[np.ndarray]:
        """Blocks (int16 mono) captured since the last call; never waits."""

    def close(self) -> None: ...


class OutputStream(Protocol):
    sample_rate: int

    def write(self, samples: np.ndarray) -> None:
        """Queue int16 mono samples to play; never waits."""

    def pending_seconds(self) -> float: ...

    def close(self) -> None: ...


class AudioDevice(Protocol):
    def open_input(self, sample_rate: int = RECORD_RATE, block: int = BLOCK) -> InputStream: ...

    def open_output(self, sample_rate: int = RECORD_RATE) -> OutputStream: ...

    def close(self) -> None: ...


class AudioUnavailable(RuntimeError):
    """No usable microphone or speaker: the booth offers read-along without recording."""


# --- PyAudio -------------------------------------------------------------------------------------------


class _PyAudioInput:
    def __init__(self, pa, sample_rate: int, block: int, device_index: int | None):
        import pyaudio

        self.sample_rate = sample_rate
        self._queue: queue.Queue[np.ndarray] = queue.Queue()
        self.overflows = 0

        def callback(data, frames, time_info, status):
            if status & pyaudio.paInputOverflow:
                self.overflows += 1
            self._queue.put(np.frombuffer(data, dtype=np.int16).copy())
            return (None, pyaudio.paContinue)

        self._stream = pa.open(format=pyaudio.paInt16, channels=1, rate=sample_rate, input=True,
                               input_device_index=device_index, frames_per_buffer=block, stream_callback=callback)
        self._stream.start_stream()

    def blocks(self) -> list[np.ndarray]:
        out = []
        while True:
            try:
                out.append(self._queue.get_nowait())
            except queue.Empty:
                return out

    def close(self) -> None:
        self._stream.stop_stream()
        self._stream.close()


class _PyAudioOutput:
    def __init__(self, pa, sample_rate: int, device_index: int | None):
        import pyaudio

        self.sample_rate = sample_rate
        self._lock = threading.Lock()
        self._pending = np.zeros(0, dtype=np.int16)

        def callback(_data, frames, time_info, status):
            with self._lock:
                chunk = self._pending[:frames]
                self._pending = self._pending[frames:]
            if len(chunk) < frames:
                chunk = np.concatenate([chunk, np.zeros(frames - len(chunk), dtype=np.int16)])
            return (chunk.tobytes(), pyaudio.paContinue)

        self._stream = pa.open(format=pyaudio.paInt16, channels=1, rate=sample_rate, output=True,
                               output_device_index=device_index, stream_callback=callback)
        self._stream.start_stream()

    def write(self, samples: np.ndarray) -> None:
        with self._lock:
            self._pending = np.concatenate([self._pending, np.asarray(samples, dtype=np.int16)])

    def pending_seconds(self) -> float:
        return len(self._pending) / self.sample_rate

    def close(self) -> None:
        self._stream.stop_stream()
        self._stream.close()


class PyAudioDevice:
    """The kiosk's sound card through PortAudio; `input_name`/`output_name` pick devices by (part of) name."""

    def __init__(self, input_name: str = "", output_name: str = ""):
        import pyaudio

        self._pa = pyaudio.PyAudio()
        self.input_index = self._find(input_name, "maxInputChannels") if input_name else None
        self.output_index = self._find(output_name, "maxOutputChannels") if output_name else None
        if self._pa.get_device_count() == 0:
            self._pa.terminate()
            raise AudioUnavailable("PortAudio sees no audio device")

    def _find(self, name: str, channels_key: str) -> int:
        for index in range(self._pa.get_device_count()):
            info = self._pa.get_device_info_by_index(index)
            if name in info["name"] and info[channels_key] > 0:
                return index
        self._pa.terminate()
        raise AudioUnavailable(f"no audio device named {name!r}")

    def open_input(self, sample_rate: int = RECORD_RATE, block: int = BLOCK) -> InputStream:
        try:
            return _PyAudioInput(self._pa, sample_rate, block, self.input_index)
        except OSError as exc:
            raise AudioUnavailable(f"cannot open the microphone: {exc}") from exc

    def open_output(self, sample_rate: int = RECORD_RATE) -> OutputStream:
        try:
            return _PyAudioOutput(self._pa, sample_rate, self.output_index)
        except OSError as exc:
            raise AudioUnavailable(f"cannot open the speaker: {exc}") from exc

    def close(self) -> None:
        self._pa.terminate()


# --- WAV files (tests, previews) --------------------------------------------------------------------------


class WavInput:
    """A WAV file as a microphone: blocks become available as `clock()` advances (or all at once if None)."""

    def __init__(self, samples: np.ndarray, sample_rate: int, block: int, clock: Callable[[], float] | None):
        self.sample_rate = sample_rate
        self._samples = samples
        self._block = block
        self._clock = clock
        self._start = clock() if clock else 0.0
        self._position = 0

    def blocks(self) -> list[np.ndarray]:
        due = len(self._samples) if self._clock is None else int((self._clock() - self._start) * self.sample_rate)
        out = []
        while self._position + self._block <= due:
            chunk = self._samples[self._position:self._position + self._block]
            if len(chunk) < self._block:  # after the file: silence, as a quiet microphone gives
                chunk = np.concatenate([chunk, np.zeros(self._block - len(chunk), dtype=np.int16)])
            out.append(chunk)
            self._position += self._block
        return out

    @property
    def exhausted(self) -> bool:
        return self._position >= len(self._samples)

    def close(self) -> None:
        pass


@dataclass
class MemoryOutput:
    """Keeps what was played, for tests to inspect."""

    sample_rate: int
    played: list[np.ndarray] = field(default_factory=list)

    def write(self, samples: np.ndarray) -> None:
        self.played.append(np.asarray(samples, dtype=np.int16))

    def pending_seconds(self) -> float:
        return 0.0

    def close(self) -> None:
        pass

    @property
    def samples(self) -> np.ndarray:
        return np.concatenate(self.played) if self.played else np.zeros(0, dtype=np.int16)


class WavDevice:
    """Input from a WAV file (resampled to the requested rate), output into memory."""

    def __init__(self, path: str | Path | None = None, clock: Callable[[], float] | None = None,
                 samples: np.ndarray | None = None, sample_rate: int = RECORD_RATE):
        if path is not None:
            import soundfile

            samples, sample_rate = soundfile.read(str(path), dtype="int16", always_2d=True)
            samples = samples[:, 0]
        self._samples = np.zeros(0, dtype=np.int16) if samples is None else np.asarray(samples, dtype=np.int16)
        self._rate = sample_rate
        self.clock = clock
        self.outputs: list[MemoryOutput] = []

    def open_input(self, sample_rate: int = RECORD_RATE, block: int = BLOCK) -> WavInput:
        samples = self._samples
        if sample_rate != self._rate:
            from recitation.scoring.features import resample

            samples = np.clip(resample(samples.astype(np.float64), self._rate, sample_rate), -32768, 32767)
            samples = samples.astype(np.int16)
        return WavInput(samples, sample_rate, block, self.clock)

    def open_output(self, sample_rate: int = RECORD_RATE) -> MemoryOutput:
        output = MemoryOutput(sample_rate)
        self.outputs.append(output)
        return output

    def close(self) -> None:
        pass
