"""A tiny software mixer for the booth's speaker: a looping background track ducked under a voice
(the reference reading or a take played back), everything under the kiosk's volume cap. Pure numpy.
"""
from __future__ import annotations

import numpy as np

DUCKED_GAIN = 0.2  # music under a voice
MUSIC_GAIN = 0.5


class Mixer:
    def __init__(self, volume_cap: float = 0.8):
        self.volume_cap = float(volume_cap)
        self.music: np.ndarray | None = None
        self._music_pos = 0
        self.music_on = False
        self.voice = np.zeros(0, dtype=np.float32)

    def set_music(self, samples: np.ndarray | None) -> None:
        self.music = None if samples is None or not len(samples) else _to_float(samples)
        self._music_pos = 0

    def play_voice(self, samples: np.ndarray) -> None:
        """Start a voice (replacing any that is playing)."""
        self.voice = _to_float(samples)

    def stop_voice(self) -> None:
        self.voice = np.zeros(0, dtype=np.float32)

    @property
    def voice_playing(self) -> bool:
        return len(self.voice) > 0

    def produce(self, frames: int) -> np.ndarray:
        """The next `frames` samples to play, as int16."""
        out = np.zeros(frames, dtype=np.float32)
        voice = self.voice[:frames]
        self.voice = self.voice[frames:]
        out[:len(voice)] += voice
        if self.music_on and self.music is not None:
            gain = DUCKED_GAIN if len(voice) else MUSIC_GAIN
            idx = (self._music_pos + np.arange(frames)) % len(self.music)
            out += gain * self.music[idx]
            self._music_pos = int((self._music_pos + frames) % len(self.music))
        out *= self.volume_cap
        return np.clip(out * 32767.0, -32768, 32767).astype(np.int16)


def _to_float(samples: np.ndarray) -> np.ndarray:
    samples = np.asarray(samples)
    if samples.dtype == np.int16:
        return samples.astype(np.float32) / 32768.0
    return samples.astype(np.float32)
