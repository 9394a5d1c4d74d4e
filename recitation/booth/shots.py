"""The booth's screen states for `launcher.py shots` and the screen tests (Experience.shot_states): driven by
the taps a family would make, with headless (simulated) time moved on where a state needs seconds to pass.

Without a microphone the recording states need a stand-in: a WAV device playing a short generated voice-like
sound (the WavDevice used by tests and previews), so a contact sheet shows the whole path; tests pass a real
reading (tests/recitation: espeak-ng's 静夜思) as the kiosk's "audio" service instead.
"""
from __future__ import annotations

import numpy as np

from recitation.audio.devices import RECORD_RATE, WavDevice
from recitation.booth import flow as F

PREFERRED = "静夜思"  # the poem shown when the package has it (short, known to every family)
MAX_WAIT_FRAMES = 300


def preview_voice(seconds: float = 8.0, rate: int = RECORD_RATE) -> np.ndarray:
    """A voice-like stand-in: syllables of a harmonic tone with a falling pitch, short gaps between them."""
    t = np.arange(int(seconds * rate)) / rate
    syllable = 0.42
    phase_in = (t % syllable) / syllable
    envelope = np.sqrt(np.clip(np.sin(np.pi * np.minimum(phase_in / 0.75, 1.0)), 0.0, 1.0))
    f0 = 220 - 40 * phase_in
    phase = 2 * np.pi * np.cumsum(f0) / rate
    voice = sum(np.sin(k * phase) / k for k in range(1, 6))
    return (voice * envelope * 0.25 * 32767).astype(np.int16)


def _advance(booth, seconds: float) -> bool:
    clock = booth.ctx.clock
    if hasattr(clock, "advance"):
        clock.advance(seconds)
        return True
    return False


def _wait(booth, done, limit: int = MAX_WAIT_FRAMES):
    for _ in range(limit):
        if done():
            return
        yield None


def booth_shot_states(booth):
    poem = next((i for i, p in enumerate(booth.poems) if p.title == PREFERRED), 0)
    yield "picker"
    booth.press(f"poem:{poem}")
    yield "ready"

    booth.press("read_along")
    _advance(booth, 4.0)  # a line or two in: the current line's band and the per-character highlight
    yield "read_along"
    booth.press("family")
    yield "family"
    booth.press("family")
    _advance(booth, 60.0)  # to the end of the poem: praise, 再来一次 / 下一首
    yield None
    yield "read_along_end"

    if booth.device is None:  # a preview without a microphone: the stand-in voice (see the module doc)
        booth.device = WavDevice(samples=preview_voice())
        booth.flow.can_record = True
    if isinstance(booth.device, WavDevice):
        booth.device.clock = booth.ctx.clock.now  # the voice arrives as (simulated) time passes, as a mic's does
    booth.press("record")
    if booth.flow.screen == F.CONSENT:
        yield "consent"
        booth.press("agree")
    if booth.flow.screen != F.COUNTDOWN:
        return
    yield "countdown"
    yield from _wait(booth, lambda: booth.flow.screen != F.COUNTDOWN)
    _advance(booth, 3.5)
    yield None
    yield "recording"
    _advance(booth, 7.0)  # the rest of the reading
    yield None
    booth.press("stop")
    yield from _wait(booth, lambda: booth.flow.screen not in (F.SCORING,))
    yield "score" if booth.flow.screen == F.SCORE else "review"

    if booth.flow.can_share:
        booth.press("share")
        yield "share_pick"
        booth.press("nick:0")
        booth.press("share_confirm")
        if booth.sharing.job is not None:
            booth.sharing.job.wait(20.0)  # encoding runs on a worker thread, in wall-clock time
        yield from _wait(booth, lambda: booth.flow.screen != F.SHARING and booth.sharing.job is None)
        yield "share_qr" if booth.flow.screen == F.SHARED else "share_off"
