"""Synthetic readings for tests and benches: espeak-ng (voice cmn-latn-pinyin) reads tone-numbered pinyin.

Each variant imitates one way a child's reading goes wrong; sox adds noise, tempo changes and silences.
"""
from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from recitation.scoring.text import ExpectedText, expected_from_text

VOICE = "cmn-latn-pinyin"
JINGYESI = "床前明月光，疑是地上霜。举头望明月，低头思故乡。"  # 静夜思, the fixtures' usual poem
_WRONG_TONE = {"1": "3", "2": "4", "3": "1", "4": "2", "5": "5"}


@dataclass(frozen=True)
class Reading:
    """How to read a text: pauses after minor/major breaks, a line to skip, a hesitation, tones, range."""

    minor_pause_ms: int = 300
    major_pause_ms: int = 650
    skip_line: int | None = None
    hesitate_line: int | None = None  # a long stop after the second character of this line
    hesitate_ms: int = 3000
    wrong_tones: bool = False
    monotone: bool = False
    speed_wpm: int = 150  # espeak words (syllables here) per minute


def require_tools() -> None:
    missing = [tool for tool in ("espeak-ng", "sox") if shutil.which(tool) is None]
    if missing:
        raise RuntimeError(f"speech fixtures need {', '.join(missing)} (Debian: apt-get install espeak-ng sox)")


def ssml(expected: ExpectedText, reading: Reading) -> str:
    parts: list[str] = []
    for line in expected.lines:
        if line.index == reading.skip_line:
            continue
        syllables = [_read_tone(s, reading.wrong_tones) for s in line.pinyin]
        if line.index == reading.hesitate_line and len(syllables) > 2:
            syllables.insert(2, f'<break time="{reading.hesitate_ms}ms"/>')
        parts.append(" ".join(syllables))
        pause = reading.major_pause_ms if line.end_break == "major" else reading.minor_pause_ms
        if pause:
            parts.append(f'<break time="{pause}ms"/>')
    body = " ".join(parts)
    if reading.monotone:
        body = f'<prosody range="x-low">{body}</prosody>'
    return f"<speak>{body}</speak>"


def _read_tone(syllable: str, wrong: bool) -> str:
    if not syllable:
        return ""
    if wrong and syllable[-1] in _WRONG_TONE:
        return syllable[:-1] + _WRONG_TONE[syllable[-1]]
    return syllable


def synthesize(text: str | ExpectedText, out: Path, reading: Reading = Reading(), *, lead_silence_s: float = 0.4,
               sample_rate: int = 48000) -> Path:
    """Write a WAV of the reading at `sample_rate` with a little silence before and after, like a real take."""
    require_tools()
    expected = expected_from_text(text) if isinstance(text, str) else text
    raw = out.with_suffix(".espeak.wav")
    subprocess.run(["espeak-ng", "-v", VOICE, "-m", "-s", str(reading.speed_wpm), "-w", str(raw),
                    ssml(expected, reading)], check=True, capture_output=True)
    sox(raw, out, "rate", str(sample_rate), "pad", str(lead_silence_s), str(lead_silence_s))
    raw.unlink()
    return out


def sox(source: Path, out: Path, *effects: str) -> Path:
    subprocess.run(["sox", str(source), str(out), *effects], check=True, capture_output=True)
    return out


def speed_up(source: Path, out: Path, factor: float) -> Path:
    """Same pitch, `factor` times faster (sox tempo)."""
    return sox(source, out, "tempo", "-s", str(factor))


def add_noise(source: Path, out: Path, noise_db: float = -18.0, colour: str = "pinknoise") -> Path:
    """Mix in steady noise at `noise_db` dBFS (pink by default) for the whole length of the take."""
    duration = subprocess.run(["soxi", "-D", str(source)], check=True, capture_output=True, text=True).stdout.strip()
    rate = subprocess.run(["soxi", "-r", str(source)], check=True, capture_output=True, text=True).stdout.strip()
    noise = out.with_suffix(".noise.wav")
    subprocess.run(["sox", "-n", "-r", rate, "-c", "1", "-b", "16", str(noise), "synth", duration, colour,
                    "gain", "-n", str(noise_db)], check=True, capture_output=True)
    subprocess.run(["sox", "-m", "-v", "1", str(source), "-v", "1", str(noise), str(out)], check=True, capture_output=True)
    noise.unlink()
    return out


def scale(source: Path, out: Path, gain_db: float) -> Path:
    return sox(source, out, "gain", str(gain_db))
