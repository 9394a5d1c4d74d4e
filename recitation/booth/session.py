"""One take in progress, without any window: microphone blocks → crash-safe recorder, live meter, syllable
counter → the highlight (LRC timeline or pace model). The experience pumps it once per frame.
"""
from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field

import numpy as np

from recitation.audio.devices import BLOCK, RECORD_RATE, AudioDevice
from recitation.audio.recorder import StreamingRecorder
from recitation.meter import LiveMeter, MeterReading, SyllableCounter
from recitation.poems import Poem
from recitation.timing import PaceModel, Timeline

MAX_TAKE_S = 180.0
LRC_LEAD_S = 0.5  # a reader starts about this long after the countdown: shift an LRC timeline by it
PITCH_HISTORY = 90  # meter readings kept for the pitch trace (~2 s)


@dataclass
class Highlight:
    """Where the karaoke highlight is: an LRC timeline when the poem has one, else the adaptive pace model."""

    pace: PaceModel
    timeline: Timeline | None = None
    started_at: float | None = None
    listening: bool = False  # a microphone feeds observe(): the highlight waits for the reader


    def start(self, now: float) -> None:
        self.started_at = now
        self.pace.start(now)

    def observe(self, syllables: int, now: float) -> None:
        if self.timeline is None:
            self.pace.observe(syllables, now)

    def position(self, now: float) -> float:
        """Fractional index of the character to highlight (0 before the start)."""
        if self.started_at is None:
            return -1.0
        if self.timeline is not None:
            return self.timeline.progress_at(now - self.started_at)
        if not self.listening:  # reading along with nobody heard: the gentle default pace
            return self.pace.advance(0.0, now - self.started_at)
        return self.pace.position(now)


@dataclass
class TakeSession:
    device: AudioDevice
    folder: object  # Path of the recordings folder
    poem: Poem
    highlight: Highlight
    metadata: dict = field(default_factory=dict)

    def __post_init__(self):
        self.stream = self.device.open_input(RECORD_RATE, BLOCK)
        self.highlight.listening = True
        self.recorder = StreamingRecorder(self.folder, RECORD_RATE, {"poem_id": self.poem.id, **self.metadata})
        self.meter = LiveMeter(RECORD_RATE)
        self.counter = SyllableCounter(BLOCK / RECORD_RATE)
        self.last = MeterReading(level=0.0, level_db=-120.0, peak=0.0, pitch_hz=math.nan, voice=False)
        self.pitch_trace: deque[float] = deque(maxlen=PITCH_HISTORY)
        self.heard_voice = False
        self.closed = False
        self._shown: list[float] = []  # take time at which the highlight reached each character


    def pump(self, now: float) -> MeterReading:
        """Take every block the microphone delivered since the last call."""
        for block in self.stream.blocks():
            self.recorder.write(block)
            self.last = self.meter.update(block)
            self.pitch_trace.append(self.last.pitch_hz)
            syllables = self.counter.update(self.last.level_db)
            if self.last.voice:
                self.heard_voice = True
            self.highlight.observe(syllables, now)
        reached = int(self.highlight.position(now))
        while len(self._shown) < min(reached + 1, self.poem.expected.size):
            self._shown.append(self.recorder.seconds)
        return self.last

    def char_times(self) -> list[float]:
        """When each character was highlighted, in take seconds (the rest extrapolated): the scorer's prior."""
        times = list(self._shown)
        step = 0.4
        while len(times) < self.poem.expected.size:
            times.append((times[-1] if times else 0.0) + step)
        return times

    @property
    def seconds(self) -> float:
        return self.recorder.seconds

    @property
    def too_long(self) -> bool:
        return self.recorder.seconds >= MAX_TAKE_S

    def samples(self) -> np.ndarray:
        return self.recorder.samples()

    def close_stream(self) -> None:
        if not self.closed:
            self.stream.close()
            self.closed = True

    def finish(self, scores: dict | None):
        self.close_stream()
        return self.recorder.finish(scores)

    def abort(self) -> None:
        self.close_stream()
        self.recorder.abort()
