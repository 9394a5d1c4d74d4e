"""Audio edges: a real PyAudio stream on a file-backed ALSA device, the WAV test device, crash-safe recording
(SIGKILL mid-take), saved FLAC/OGG takes with metadata, and retention."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest
import soundfile

from experiences.runtime import ManualClock
from recitation.audio.devices import WavDevice
from recitation.audio.recorder import StreamingRecorder, recover_partial_takes
from recitation.audio.takes import prune_recordings, read_take, save_take


@pytest.fixture(scope="module")
def take_48k(readings):
    samples, sr = soundfile.read(readings["clean"], dtype="int16")
    assert sr == 48000
    return samples


def test_wav_device_delivers_blocks_as_the_clock_advances(take_48k):
    clock = ManualClock()
    stream = WavDevice(samples=take_48k, clock=clock.now).open_input(48000, 1024)
    assert stream.blocks() == []
    clock.advance(0.1)
    first = stream.blocks()
    assert len(first) == 4  # 4800 samples due: four whole blocks
    clock.advance(100.0)
    rest = stream.blocks()
    got = np.concatenate(first + rest)
    assert np.array_equal(got[:len(take_48k)], take_48k[:len(got)])
    assert not got[len(take_48k):].any()  # silence after the file


def test_pyaudio_reads_a_file_backed_alsa_device_bit_exactly(tmp_path, take_48k, repo_root):
    raw = tmp_path / "mic.raw"
    take_48k.astype("<i2").tofile(raw)
    (tmp_path / ".asoundrc").write_text(textwrap.dedent(f"""
        pcm.yuedu_raw {{
          type file
          slave.pcm "null"
          file "/dev/null"
          infile "{raw}"
          format "raw"
        }}
        pcm.yuedu_mic {{
          type plug
          slave {{ pcm "yuedu_raw"; rate 48000; channels 1; format S16_LE }}
        }}
        """))
    out = tmp_path / "captured.raw"
    child = textwrap.dedent(f"""
        import time, numpy as np
        from recitation.audio.devices import PyAudioDevice
        device = PyAudioDevice(input_name="yuedu_mic")
        stream = device.open_input(48000, 1024)
        got, deadline = [], time.monotonic() + 20
        while sum(map(len, got)) < {len(take_48k)} and time.monotonic() < deadline:
            blocks = stream.blocks()
            got += blocks
            if not blocks:
                time.sleep(0.005)
        stream.close(); device.close()
        np.concatenate(got).astype("<i2").tofile({str(out)!r})
        """)
    env = {**os.environ, "HOME": str(tmp_path)}
    subprocess.run([sys.executable, "-c", child], cwd=repo_root, env=env, check=True, capture_output=True, timeout=60)
    captured = np.fromfile(out, dtype="<i2")
    assert len(captured) >= len(take_48k)
    assert np.array_equal(captured[:len(take_48k)], take_48k)


def test_a_sigkill_mid_take_loses_at_most_half_a_second(tmp_path, readings, repo_root):
    folder = tmp_path / "recordings"
    child = textwrap.dedent(f"""
        import sys, time
        from recitation.audio.devices import WavDevice
        from recitation.audio.recorder import StreamingRecorder
        device = WavDevice({str(readings["clean"])!r}, clock=time.monotonic)  # paced like a real microphone
        stream = device.open_input(48000, 1024)
        recorder = StreamingRecorder({str(folder)!r}, 48000, {{"poem_id": "xx-jingyesi"}}, take_id="take1")
        while True:
            for block in stream.blocks():
                recorder.write(block)
                print(recorder.frames, flush=True)
            time.sleep(0.002)
        """)
    process = subprocess.Popen([sys.executable, "-c", child], cwd=repo_root, stdout=subprocess.PIPE, text=True)
    written = 0
    try:
        for line in process.stdout:
            written = int(line)
            if written >= 48000:  # a second of audio is on disk: kill it mid-take
                os.kill(process.pid, signal.SIGKILL)
                break
    finally:
        process.kill()
        process.wait(timeout=10)
    assert written >= 48000
    assert (folder / "take1.partial.wav").exists()
    [take] = recover_partial_takes(folder)
    recovered, sr = soundfile.read(take, dtype="int16")
    source, _ = soundfile.read(readings["clean"], dtype="int16")
    assert len(recovered) >= written - sr // 2
    assert np.array_equal(recovered, source[:len(recovered)])
    info = read_take(take)
    assert info.poem_id == "xx-jingyesi" and info.details["recovered"] is True
    assert recover_partial_takes(folder) == []  # nothing left to recover


@pytest.mark.parametrize("fmt, suffix", [("FLAC", ".flac"), ("OGG", ".ogg")])
def test_finished_takes_carry_poem_date_and_scores(tmp_path, take_48k, fmt, suffix):
    recorder = StreamingRecorder(tmp_path, 48000, {"poem_id": "xx-jingyesi"})
    for start in range(0, 48000 * 2, 1024):
        recorder.write(take_48k[start:start + 1024])
    assert recorder.seconds == pytest.approx(2.0, abs=0.03)
    path = recorder.finish({"overall": 91, "tones": 80}, fmt=fmt)
    assert path.suffix == suffix and not list(tmp_path.glob("*.partial.*"))
    info = read_take(path)
    assert info.poem_id == "xx-jingyesi"
    assert info.details["scores"] == {"overall": 91, "tones": 80}
    assert info.date.startswith(time.strftime("%Y-", time.gmtime()))
    assert info.seconds == pytest.approx(recorder.frames / 48000, abs=0.01)
    if fmt == "FLAC":  # lossless: the very samples
        audio, _ = soundfile.read(path, dtype="int16")
        assert np.array_equal(audio, take_48k[:len(audio)])


def test_abort_leaves_nothing(tmp_path, take_48k):
    folder = tmp_path / "takes"
    recorder = StreamingRecorder(folder, 48000, {"poem_id": "x"})
    recorder.write(take_48k[:1024])
    recorder.abort()
    assert list(folder.iterdir()) == []


def test_old_recordings_are_pruned(tmp_path, take_48k):
    old = save_take(tmp_path / "old", take_48k[:4800], 48000, {"poem_id": "a"}, None)
    new = save_take(tmp_path / "new", take_48k[:4800], 48000, {"poem_id": "b"}, None)
    now = time.time()
    os.utime(old, (now - 8 * 86400, now - 8 * 86400))
    assert prune_recordings(tmp_path, keep_days=7, now=now) == [old]
    assert new.exists()
