"""Speech fixtures for the recitation tests, generated once per session with espeak-ng and sox."""
from __future__ import annotations

from pathlib import Path

import pytest

from recitation.fixtures import JINGYESI, Reading, add_noise, require_tools, scale, speed_up, synthesize



@pytest.fixture(scope="session")
def readings(tmp_path_factory) -> dict[str, Path]:
    """name -> WAV of 静夜思 read cleanly or with one fault (see recitation.fixtures.Reading)."""
    require_tools()
    folder = tmp_path_factory.mktemp("readings")
    out = {
        "clean": synthesize(JINGYESI, folder / "clean.wav"),
        "skipped_line": synthesize(JINGYESI, folder / "skip.wav", Reading(skip_line=1)),
        "hesitation": synthesize(JINGYESI, folder / "hesitation.wav", Reading(hesitate_line=1, hesitate_ms=3000)),
        "no_pauses": synthesize(JINGYESI, folder / "no_pauses.wav", Reading(minor_pause_ms=0, major_pause_ms=0)),
        "monotone": synthesize(JINGYESI, folder / "monotone.wav", Reading(monotone=True)),
        "wrong_tones": synthesize(JINGYESI, folder / "wrong_tones.wav", Reading(wrong_tones=True)),
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
