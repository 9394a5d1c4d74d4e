"""One video from a saved take: read it, time each character from this recording, mix the sound, render and
encode. The CLI (`launcher.py recite video`) and the booth's background process both run `make_video`."""
from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from recitation.video.frames import SIZE, VideoCard
from recitation.video.timeline import OUTRO_S, VideoTimeline, char_times_from_take, timeline_from_times

FPS = 30


@dataclass
class VideoResult:
    path: Path
    seconds: float  # the video's length
    frames: int
    bytes: int
    encode_seconds: float
    timeline: VideoTimeline


def poem_from_text(text: str, title: str = "", author: str = "", dynasty: str = ""):
    """A Poem for any text (newlines split paragraphs), as `recite score --text` takes it."""
    from recitation.poems import Poem

    paragraphs = [p.strip() for p in text.replace("\\n", "\n").split("\n") if p.strip()]
    ident = "text-" + hashlib.sha256("\n".join(paragraphs).encode()).hexdigest()[:12]
    return Poem(id=ident, title=title, paragraphs=paragraphs, author=author, dynasty=dynasty)


def read_mono(path, rate: int | None = None) -> tuple[np.ndarray, int]:
    import soundfile

    from recitation.scoring.features import resample

    data, sr = soundfile.read(str(path), dtype="float32", always_2d=True)
    mono = data.mean(axis=1).astype(np.float64)
    if rate is not None and sr != rate:
        return resample(mono, sr, rate), rate
    return mono, sr


def make_video(take, poem, out, card: VideoCard | None = None, music=None, background=None, reverb: bool = True,
               char_times: list[float] | None = None, prior: list[float] | None = None,
               progress: Callable[[float], None] | None = None, fps: int = FPS) -> VideoResult:
    """`take`: the recording (a file, or (samples, rate)); `char_times`: exact per-character times to use as they
    are (else they come from the take, with `prior`, the booth's highlight times, as a pull); `music`: a sound file
    to duck under the voice; `background`: an image file (else generated ink-wash scenery)."""
    from recitation.video import sound
    from recitation.video.encode import AUDIO_RATE, encode_mp4
    from recitation.video.frames import FrameRenderer, cover_image

    began = time.perf_counter()
    samples, sr = read_mono(take) if not isinstance(take, tuple) else (np.asarray(take[0], np.float64), take[1])
    reading_s = len(samples) / sr
    if char_times is None:
        char_times = char_times_from_take(samples, sr, poem.expected, prior)
    timeline = timeline_from_times(char_times, reading_s, fps=fps, outro_s=OUTRO_S)
    from recitation.scoring.features import resample

    voice = resample(samples, sr, AUDIO_RATE)
    bed = read_mono(music, AUDIO_RATE)[0] if music else None
    audio = sound.mix(voice, AUDIO_RATE, timeline.duration - len(voice) / AUDIO_RATE, bed, reverb)
    renderer = FrameRenderer(poem, card or VideoCard(), cover_image(background) if background else None)

    def frame_at(i: int) -> np.ndarray:
        t = timeline.frame_time(i)
        if timeline.in_outro(t):
            return renderer.frame(0.0, t - timeline.reading_s)
        return renderer.frame(timeline.position(t))

    path = encode_mp4(Path(out), frame_at, timeline.frames, fps, audio, SIZE, progress)
    return VideoResult(path, timeline.frames / fps, timeline.frames, path.stat().st_size,
                       time.perf_counter() - began, timeline)
