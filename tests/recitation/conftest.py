"""Speech fixtures for the recitation tests, generated once per session with espeak-ng and sox."""
from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

import pytest

from recitation.fixtures import JINGYESI, Reading, add_noise, require_tools, scale, speed_up, synthesize



@pytest.fixture(scope="session")
def checker():
    """The content check's model (Whisper base), loaded once per test session."""
    from recitation.listen import shared_checker
    from recitation.listen.model_files import require

    require()  # a clear message (run scripts/setup.sh) when the model was never assembled
    loaded = shared_checker()
    assert loaded is not None
    return loaded


@pytest.fixture(scope="session")
def clean_reading(tmp_path_factory) -> Path:
    """A WAV of 静夜思 read cleanly, made once per session (tests that need no faulty readings use only this)."""
    require_tools()
    return synthesize(JINGYESI, tmp_path_factory.mktemp("clean") / "clean.wav")


@pytest.fixture(scope="session")
def readings(tmp_path_factory, clean_reading) -> dict[str, Path]:
    """name -> WAV of 静夜思 read cleanly or with one fault (see recitation.fixtures.Reading)."""
    require_tools()
    folder = tmp_path_factory.mktemp("readings")
    out = {
        "clean": clean_reading,
        "skipped_line": synthesize(JINGYESI, folder / "skip.wav", Reading(skip_line=1)),
        "hesitation": synthesize(JINGYESI, folder / "hesitation.wav", Reading(hesitate_line=1, hesitate_ms=3000)),
        "no_pauses": synthesize(JINGYESI, folder / "no_pauses.wav", Reading(minor_pause_ms=0, major_pause_ms=0)),
        "monotone": synthesize(JINGYESI, folder / "monotone.wav", Reading(monotone=True)),
        "wrong_tones": synthesize(JINGYESI, folder / "wrong_tones.wav", Reading(wrong_tones=True)),
        # 春晓 read where 静夜思 is expected (issue #14: another text of the same shape)
        "other_poem": synthesize("春眠不觉晓，处处闻啼鸟。夜来风雨声，花落知多少。", folder / "other_poem.wav"),
    }
    out["too_fast"] = speed_up(out["clean"], folder / "fast.wav", 2.5)
    out["noisy"] = add_noise(out["clean"], folder / "noisy.wav", noise_db=-9.0)
    out["quiet"] = scale(out["clean"], folder / "quiet.wav", -40.0)
    out["clipping"] = scale(out["clean"], folder / "clipping.wav", 18.0)
    return out


@pytest.fixture(scope="session")
def scored(readings):
    """name -> ScoreReport, each reading scored once."""
    import soundfile

    from recitation.scoring import score_take

    reports = {}
    for name, path in readings.items():
        samples, sr = soundfile.read(path)
        reports[name] = score_take(samples, sr, JINGYESI)
    return reports


@pytest.fixture
def pulseaudio(tmp_path, monkeypatch):
    """A private PulseAudio: a null speaker whose monitor is the default microphone (paced in real time)."""
    if shutil.which("pulseaudio") is None or shutil.which("pactl") is None:
        raise RuntimeError("pulseaudio and pactl are needed (Debian: apt-get install pulseaudio)")
    run = tmp_path / "run"
    run.mkdir(mode=0o700)
    env = {"HOME": str(tmp_path), "XDG_RUNTIME_DIR": str(run), "PULSE_SERVER": f"unix:{run}/pulse/native"}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    server = subprocess.Popen(
        ["pulseaudio", "-n", "--daemonize=no", "--exit-idle-time=-1", "--use-pid-file=no",
         "-L", "module-native-protocol-unix", "-L", "module-null-sink sink_name=vspk",
         "-L", "module-virtual-source source_name=vmic master=vspk.monitor"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while subprocess.run(["pactl", "info"], capture_output=True).returncode != 0:  # up in ~0.1 s
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError("the private PulseAudio server did not start")
        subprocess.run(["pactl", "set-default-source", "vmic"], check=True, capture_output=True)
        subprocess.run(["pactl", "set-default-sink", "vspk"], check=True, capture_output=True)
        yield env
    finally:
        server.terminate()
        server.wait(timeout=10)
