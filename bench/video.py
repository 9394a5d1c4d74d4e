#!/usr/bin/env python3
"""The family's video (issue #18): encode time of a 40 s reading beside its duration (goal ≤ 0.5× real time on
2 cores), file size per minute (goal ≤ 15 MB), and the booth's frame time while a video is made in its
background process beside the same frames idle (the baseline, same run; goal: 95th percentile ≤ 33 ms).

Run: .venv/bin/python bench/video.py [--seconds 40] [--out /tmp/bench-video.mp4] [--curator]
(--curator: a curator's 1080×1920 photo-like JPEG as the background and a 30 s music track ducked under the voice)
Look at it: .venv/bin/python -m recitation.video.stills /tmp/bench-video.mp4 /tmp/bench-video-stills
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
POEMS = ["床前明月光，疑是地上霜。举头望明月，低头思故乡。", "春眠不觉晓，处处闻啼鸟。夜来风雨声，花落知多少。",
         "白日依山尽，黄河入海流。欲穷千里目，更上一层楼。", "鹅，鹅，鹅，曲项向天歌。白毛浮绿水，红掌拨清波。",
         "锄禾日当午，汗滴禾下土。谁知盘中餐，粒粒皆辛苦。", "离离原上草，一岁一枯荣。野火烧不尽，春风吹又生。"]


def long_reading(folder: Path, seconds: float) -> tuple[Path, str]:
    """Poems read one after another (espeak-ng) until `seconds`; the text of what was read."""
    import numpy as np
    import soundfile

    from recitation.fixtures import synthesize

    parts, text, total = [], [], 0.0
    for k in range(100):
        poem = POEMS[k % len(POEMS)]
        samples, sr = soundfile.read(synthesize(poem, folder / f"p{k}.wav"))
        parts.append(samples)
        text.append(poem)
        total += len(samples) / sr
        if total >= seconds:
            break
    take = np.concatenate(parts)[: int(seconds * sr)]
    path = folder / "reading.wav"
    soundfile.write(path, take, sr)
    return path, "\n".join(text)


def booth_frames(seconds: float, stop=None) -> list[float]:
    """Milliseconds per frame of the booth's reading screen (header + karaoke poem at 1280×720), paced at 60 Hz."""
    import pygame

    from experiences.text import shared_text
    from recitation.booth import screens
    from recitation.video.make import poem_from_text

    poem = poem_from_text(POEMS[0], "静夜思", "李白", "唐")
    surface, text = pygame.Surface((1280, 720)), shared_text()
    times, began, k = [], time.perf_counter(), 0
    while time.perf_counter() - began < seconds and not (stop and stop()):
        started = time.perf_counter()
        surface.fill((246, 238, 222))
        screens.draw_header(surface, text, poem, "zh-CN")
        screens.draw_poem(surface, text, poem, pygame.Rect(40, 125, 1140, 445), (k / 20) % 20, True, False, "zh-CN")
        pygame.transform.smoothscale(surface, (960, 540))  # the booth scales its design canvas to the window
        times.append((time.perf_counter() - started) * 1000)
        k += 1
        time.sleep(max(0.0, 1 / 60 - (time.perf_counter() - started)))
    return times


def curator_media(folder: Path) -> dict[str, str]:
    """A 1080×1920 JPEG with photo-like detail (noise over gradients) and 30 s of chord music at 44.1 kHz."""
    import numpy as np
    import soundfile
    from PIL import Image

    rng = np.random.default_rng(18)
    y, x = np.mgrid[0:1920, 0:1080].astype(np.float32)
    rgb = np.stack([40 + 120 * y / 1920, 60 + 100 * x / 1080, 150 - 80 * y / 1920], axis=-1)
    rgb += rng.normal(0, 18, rgb.shape)
    Image.fromarray(np.clip(rgb, 0, 255).astype(np.uint8)).save(folder / "picture.jpg", quality=90)
    t = np.arange(30 * 44100) / 44100
    music = sum(0.2 * np.sin(2 * np.pi * f * t) * np.exp(-(t % 0.5) * 4) for f in (392.0, 523.25, 659.25))
    soundfile.write(folder / "music.ogg", music.astype(np.float32), 44100)
    return {"background": str(folder / "picture.jpg"), "music": str(folder / "music.ogg")}


def p95(values: list[float]) -> float:
    return sorted(values)[int(0.95 * (len(values) - 1))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=40.0)
    parser.add_argument("--out", default=str(Path(tempfile.gettempdir()) / "bench-video.mp4"))
    parser.add_argument("--curator", action="store_true", help="a curator's picture and music (issue #18)")
    args = parser.parse_args()
    from recitation.video.frames import VideoCard
    from recitation.video.job import VideoJob
    from recitation.video.make import make_video, poem_from_text

    with tempfile.TemporaryDirectory() as tmp:
        take, text = long_reading(Path(tmp), args.seconds)
        poem = poem_from_text(text, "古诗连读")
        card = VideoCard(nickname="小熊猫", library="悦读图书馆", branch="少儿馆", date="2026-12-07", score=90)
        media = curator_media(Path(tmp)) if args.curator else {}
        result = make_video(take, poem, args.out, card, **media)
        idle = booth_frames(6.0)
        job = VideoJob(take, poem, Path(tmp) / "beside.mp4", card, **media).start()
        busy = booth_frames(120.0, stop=lambda: not job.running)
        job.wait()
    ratio = result.encode_seconds / result.seconds
    mb_per_min = result.bytes / 1e6 / (result.seconds / 60)
    print(f"{'measure':44s} {'value':>10s} {'goal':>10s}")
    print(f"{'video length (s)':44s} {result.seconds:10.1f}")
    print(f"{'make + encode time (s)':44s} {result.encode_seconds:10.1f}")
    print(f"{'time / real time':44s} {ratio:10.2f} {'<= 0.50':>10s}")
    print(f"{'file size (MB per minute)':44s} {mb_per_min:10.2f} {'<= 15':>10s}")
    print(f"{'booth frame idle: median / p95 (ms)':44s} {statistics.median(idle):5.1f}/{p95(idle):4.1f}")
    print(f"{'booth frame while encoding: median / p95 (ms)':44s} {statistics.median(busy):5.1f}/{p95(busy):4.1f}"
          f" {'p95 <= 33':>10s}")
    print(f"{'  ratio to idle (p95)':44s} {p95(busy) / max(1e-6, p95(idle)):10.2f}")
    print(f"{'  frames measured while encoding':44s} {len(busy):10d}")
    print(f"video: {args.out}")
    return 0 if ratio <= 0.5 and mb_per_min <= 15 and p95(busy) <= 33 else 1


if __name__ == "__main__":
    sys.exit(main())
