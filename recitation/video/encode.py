"""The MP4 (PyAV's bundled FFmpeg): H.264 High yuv420p, AAC-LC 48 kHz mono, at most ~2 Mbit/s, the index at
the front (movflags=faststart) — what WeChat and phones play. Written under a temporary name, then renamed."""
from __future__ import annotations

import os
from fractions import Fraction
from pathlib import Path
from typing import Callable

import numpy as np

AUDIO_RATE = 48000
AAC_FRAME = 1024
VIDEO_OPTIONS = {"preset": "veryfast", "crf": "23", "maxrate": "1800k", "bufsize": "3600k", "profile": "high",
                 "tune": "stillimage"}


def encode_mp4(path: Path, frame_at: Callable[[int], np.ndarray], frames: int, fps: int, audio: np.ndarray,
               size=(720, 1280), progress: Callable[[float], None] | None = None) -> Path:
    """Encode `frames` frames (frame_at(i) → H×W×3 uint8 RGB; returning the same array again costs no colour
    conversion) with `audio` (mono float32 at 48 kHz) interleaved, into `path`."""
    import av

    path = Path(path)
    tmp = path.with_name(path.name + ".part")
    width, height = size
    try:
        with av.open(str(tmp), "w", format="mp4", options={"movflags": "+faststart"}) as out:
            video = out.add_stream("libx264", rate=fps, options=dict(VIDEO_OPTIONS))
            video.width, video.height, video.pix_fmt = width, height, "yuv420p"
            sound = out.add_stream("aac", rate=AUDIO_RATE, layout="mono")
            sound.bit_rate = 96000
            audio = np.clip(np.asarray(audio, dtype=np.float32), -1.0, 1.0)
            sent = 0
            last_rgb, last_yuv = None, None
            for i in range(frames):
                rgb = frame_at(i)
                if rgb is not last_rgb:
                    last_yuv = av.VideoFrame.from_ndarray(rgb, format="rgb24").reformat(format="yuv420p")
                    last_rgb = rgb
                frame = last_yuv
                frame.pts = i
                frame.time_base = Fraction(1, fps)
                out.mux(video.encode(frame))
                until = min(len(audio), int(round((i + 1) * AUDIO_RATE / fps)))
                sent = _send_audio(out, sound, audio, sent, until)
                if progress is not None and i % 15 == 0:
                    progress(i / frames)
            _send_audio(out, sound, audio, sent, len(audio), final=True)
            out.mux(video.encode(None))
            out.mux(sound.encode(None))
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    if progress is not None:
        progress(1.0)
    return path


def _send_audio(out, stream, audio: np.ndarray, sent: int, until: int, final: bool = False) -> int:
    import av

    while until - sent >= AAC_FRAME or (final and sent < until):
        chunk = audio[sent:sent + AAC_FRAME]
        frame = av.AudioFrame.from_ndarray(chunk.reshape(1, -1), format="fltp", layout="mono")
        frame.sample_rate = AUDIO_RATE
        frame.pts = sent
        out.mux(stream.encode(frame))
        sent += len(chunk)
    return sent
