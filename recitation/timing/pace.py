"""The pace model: when to highlight each character when there is no LRC, adapting to how fast this reader goes.

It starts from a gentle pace (characters per second, longer pauses at commas and line ends), then follows the
syllables the live meter hears: it learns the reader's rate and never runs far ahead of them.
"""
from __future__ import annotations

from dataclasses import dataclass

from recitation.scoring.text import ExpectedText
from recitation.timing.lrc import CharTime, Timeline

DEFAULT_RATE = 2.5  # characters per second: a child reading a poem aloud
RATE_RANGE = (0.8, 6.0)
MINOR_PAUSE_S = 0.35
MAJOR_PAUSE_S = 0.75
LEARNING = 0.35  # how much each observation moves the learned rate
MAX_LEAD = 1.5  # characters the highlight may run ahead of what was heard
SMOOTHING = 0.5  # share of the gap between prediction and the reader closed per observation


@dataclass
class PaceModel:
    expected: ExpectedText
    rate: float = DEFAULT_RATE
    minor_pause: float = MINOR_PAUSE_S
    major_pause: float = MAJOR_PAUSE_S

    def __post_init__(self):
        self._breaks = self.expected.boundaries()
        self.anchor_time = 0.0
        self.anchor_position = 0.0
        self.heard = 0
        self.started = False
        self.first_heard_at: float | None = None

    # The schedule: seconds to go from one character position to another at the current rate.
    def _pause_before(self, index: int) -> float:
        brk = self._breaks[index] if 0 <= index < len(self._breaks) else ""
        scale = DEFAULT_RATE / self.rate  # a quick reader also pauses more briefly
        return {"minor": self.minor_pause, "major": self.major_pause}.get(brk, 0.0) * scale

    def advance(self, position: float, seconds: float) -> float:
        """Where the reader will be `seconds` after being at `position`, following the schedule."""
        total = self.expected.size
        left = seconds
        while left > 0 and position < total:
            index = int(position)
            if position == index and index > 0:
                pause = self._pause_before(index)
                if left < pause:
                    return position
                left -= pause
            step = min(1.0 - (position - index), left * self.rate)
            position += step
            left -= step / self.rate
            if position - int(position) < 1e-9:
                position = float(round(position))
        return min(position, float(total))

    def timeline(self, start: float = 0.0) -> Timeline:
        """The whole schedule at the current rate, from `start` (for a display before anyone reads)."""
        chars, t = [], start
        for index, ch in enumerate(self.expected.chars):
            if index > 0:
                t += self._pause_before(index)
            chars.append(CharTime(ch, t, t + 1.0 / self.rate))
            t += 1.0 / self.rate
        return Timeline(chars)

    # Following the reader.
    def start(self, now: float) -> None:
        self.anchor_time, self.anchor_position, self.heard, self.started = now, 0.0, 0, True
        self.first_heard_at = None

    def position(self, now: float) -> float:
        """Fractional character position to highlight at `now` (0 before start)."""
        if not self.started:
            return 0.0
        predicted = self.advance(self.anchor_position, max(0.0, now - self.anchor_time))
        return min(predicted, self.heard + MAX_LEAD, float(self.expected.size))

    def observe(self, syllables_heard: int, now: float) -> None:
        """The live meter heard `syllables_heard` syllables so far: learn the rate and re-anchor gently."""
        if not self.started:
            self.start(now)
        if syllables_heard <= self.heard:
            return
        shown = self.position(now)
        if self.first_heard_at is None:
            self.first_heard_at = now - 1.0 / self.rate  # the first syllable began about one syllable ago
        # The reader's own rate over the whole reading so far, the pauses the text asks for left out.
        pauses = sum(self._pause_before(i) for i in range(1, min(syllables_heard, len(self._breaks))))
        speaking = now - self.first_heard_at - pauses
        if syllables_heard >= 3 and speaking > 0.5:
            observed_rate = syllables_heard / speaking
            learned = (1 - LEARNING) * self.rate + LEARNING * observed_rate
            self.rate = min(RATE_RANGE[1], max(RATE_RANGE[0], learned))
        self.heard = syllables_heard
        self.anchor_position = min(float(self.expected.size), shown + SMOOTHING * (syllables_heard - shown))
        self.anchor_time = now
