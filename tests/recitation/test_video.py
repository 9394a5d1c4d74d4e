"""The family's video (issue #18): files read back with PyAV, audio/video sync from clicks at known times,
loudness, the CLI. Readings are ≤ 3 s."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import soundfile

from recitation.fixtures import require_tools, synthesize
from recitation.video.frames import VideoCard
from recitation.video.make import make_video, poem_from_text
from recitation.video.sound import CEILING, TARGET_LUFS, integrated_loudness, own_integrated_loudness
from recitation.video.timeline import VideoTimeline, fill_gaps, timeline_from_times

av = pytest.importorskip("av")
LINE = "床前明月光。"
ROOT = Path(__file__).resolve().parents[2]


def decode(path: Path):
    """(video frames as RGB arrays with their times, mono audio at 48 kHz with the time of its first sample)."""
    with av.open(str(path)) as container:
        video = container.streams.video[0]
        frames = [(float(f.pts * f.time_base), f.to_ndarray(format="rgb24")) for f in container.decode(video=0)]
    with av.open(str(path)) as container:
        chunks, start = [], None
        for frame in container.decode(audio=0):
            if start is None:
                start = float(frame.pts * frame.time_base)
            chunks.append(frame.to_ndarray().reshape(-1))
    return frames, np.concatenate(chunks), start


@pytest.fixture(scope="module")
def reading(tmp_path_factory) -> Path:
    require_tools()
    return synthesize(LINE, tmp_path_factory.mktemp("video") / "line.wav", lead_silence_s=0.2)  # < 3 s


@pytest.fixture(scope="module")
def made(reading, tmp_path_factory):
    out = tmp_path_factory.mktemp("video") / "line.mp4"
    card = VideoCard(nickname="小熊猫", library="悦读图书馆", branch="少儿馆", date="2026-12-07", score=88)
    return make_video(reading, poem_from_text(LINE, "静夜思", "李白", "唐"), out, card)


def test_the_file_is_what_phones_play(made, reading):
    samples, sr = soundfile.read(reading)
    with av.open(str(made.path)) as container:
        video, audio = container.streams.video[0], container.streams.audio[0]
        assert (video.codec_context.name, video.codec_context.profile) == ("h264", "High")
        assert (video.codec_context.width, video.codec_context.height) == (720, 1280)
        assert video.codec_context.pix_fmt == "yuv420p"
        assert (audio.codec_context.name, audio.codec_context.profile) == ("aac", "LC")
        assert audio.codec_context.sample_rate == 48000
        video_s = float(video.duration * video.time_base)
        audio_s = float(audio.duration * audio.time_base)
        assert container.bit_rate <= 2_000_000
    assert abs(video_s - audio_s) <= 0.1
    assert abs(audio_s - (len(samples) / sr + made.timeline.outro_s)) <= 0.1  # the take and the outro
    head = made.path.read_bytes()
    assert head.index(b"moov") < head.index(b"mdat")  # faststart: phones start playing before the end arrives


def test_loudness_is_near_the_target_and_nothing_clips(made):
    _, audio, _ = decode(made.path)
    reading = audio[: int(made.timeline.reading_s * 48000)]
    assert abs(integrated_loudness(reading, 48000) - TARGET_LUFS) <= 1.0
    assert np.abs(audio).max() < 1.0


def test_own_loudness_measure_agrees_with_pyloudnorm(reading):
    pyloudnorm = pytest.importorskip("pyloudnorm")
    samples, sr = soundfile.read(reading)
    assert abs(own_integrated_loudness(samples, sr) - pyloudnorm.Meter(sr).integrated_loudness(samples)) < 0.2


def test_the_highlight_meets_each_click_within_one_frame(tmp_path):
    """A reading of clicks at known times: the frame where character k lights up is the click's frame."""
    sr, clicks = 48000, [0.5, 0.83, 1.21, 1.6, 2.07]
    take = np.zeros(int(2.6 * sr))
    rng = np.random.default_rng(3)
    for t in clicks:
        take[int(t * sr):int(t * sr) + 240] = rng.uniform(-0.8, 0.8, 240)
    made = make_video((take, sr), poem_from_text("床前明月光"), tmp_path / "clicks.mp4", VideoCard(),
                      reverb=False, char_times=clicks)
    frames, audio, audio_start = decode(made.path)
    # When each click sounds in the file's own audio
    loud = np.abs(audio) > 0.2 * np.abs(audio).max()
    onsets, last = [], -1.0
    for index in np.flatnonzero(loud):
        t = audio_start + index / 48000
        if t - last > 0.1:
            onsets.append(t)
        last = t
    assert len(onsets) == len(clicks)
    # When the picture changes (the highlight moving on), in the file's own video
    changes = [t for (_, before), (t, after) in zip(frames, frames[1:])
               if (np.abs(after.astype(np.int16) - before.astype(np.int16)).max(axis=2) > 40).sum() > 150]
    assert len(changes) >= len(clicks)
    for heard, shown in zip(onsets, changes):
        assert abs(shown - heard) <= 1 / 30 + 1e-3, (heard, shown)


def test_timeline_positions():
    timeline = timeline_from_times([0.5, 0.4, 1.0], reading_s=2.0)  # a time out of order is clamped
    assert timeline.char_times == (0.5, 0.5, 1.0)
    assert timeline.position(0.2) == -1.0
    assert 1.0 <= timeline.position(0.7) < 2.0
    assert timeline.position(1.1) == 2.0
    assert timeline.position(1.9) == 3.0  # all read: the poem shows as done
    assert timeline.frame_of_char(2) == 30
    assert VideoTimeline((0.1,), 1.0, 0.5).frames == 45
    assert fill_gaps([None, 1.0, None, 2.0, None], 3.0) == [0.5, 1.0, 1.5, 2.0, 2.5]


def test_cli_makes_a_video_and_refuses_a_real_name(reading, tmp_path):
    out = tmp_path / "cli.mp4"
    run = subprocess.run([sys.executable, "launcher.py", "recite", "video", str(reading), "--text", LINE, "-o",
                          str(out), "--nickname", "小熊猫", "--no-reverb"], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert out.stat().st_size > 10_000
    refused = subprocess.run([sys.executable, "launcher.py", "recite", "video", str(reading), "--text", LINE, "-o",
                              str(tmp_path / "no.mp4"), "--nickname", "王小明"], cwd=ROOT, capture_output=True,
                             text=True)
    assert refused.returncode == 2 and "昵称" in refused.stderr and "nickname" in refused.stderr
    assert not (tmp_path / "no.mp4").exists()
