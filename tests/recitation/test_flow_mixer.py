"""The booth's screen flow (pure) and the speaker mixer (ducking, volume cap)."""
from __future__ import annotations

import numpy as np

from recitation.audio.mixer import DUCKED_GAIN, MUSIC_GAIN, Mixer
from recitation.booth import flow as F


def test_consent_is_asked_once_then_countdown_then_recording():
    flow = F.BoothFlow()
    flow.pick(3)
    flow.record()
    assert flow.screen == F.CONSENT and not flow.busy
    flow.answer_consent(True)
    assert flow.screen == F.COUNTDOWN and flow.busy
    assert not flow.tick(2.0) and flow.tick(1.01)
    assert flow.screen == F.RECORDING and flow.busy
    flow.stop()
    assert flow.screen == F.SCORING
    flow.scored()
    assert flow.screen == F.SCORE and not flow.busy
    flow.record()
    assert flow.screen == F.COUNTDOWN  # consent is not asked again in this session


def test_no_score_and_scoring_disabled_go_to_review():
    flow = F.BoothFlow(scoring_enabled=False, consent=True, screen=F.READING)
    flow.record()
    flow.tick(3.5)
    flow.stop()
    assert flow.screen == F.REVIEW
    shy = F.BoothFlow(consent=True, screen=F.READING)
    shy.toggle_no_score()
    shy.record()
    shy.tick(3.5)
    shy.stop()
    assert shy.screen == F.REVIEW


def test_declined_consent_or_no_microphone_means_no_recording():
    flow = F.BoothFlow(screen=F.READING)
    flow.record()
    flow.answer_consent(False)
    assert flow.screen == F.READING and not flow.recording_allowed
    flow.record()
    assert flow.screen == F.READING
    silent = F.BoothFlow(can_record=False, screen=F.READING)
    silent.record()
    assert silent.screen == F.READING


def test_back_walks_home_and_finishes_from_the_picker():
    flow = F.BoothFlow()
    flow.pick(0)
    flow.back()
    assert flow.screen == F.PICKER and not flow.finished
    flow.back()
    assert flow.finished


def test_mixer_ducks_music_under_a_voice_and_caps_the_volume():
    mixer = Mixer(volume_cap=0.5)
    mixer.set_music(np.full(1000, 0.8, dtype=np.float32))
    mixer.music_on = True
    alone = mixer.produce(100)
    assert np.allclose(alone, 0.8 * MUSIC_GAIN * 0.5 * 32767, atol=2)
    mixer.play_voice(np.full(50, 0.5, dtype=np.float32))
    mixed = mixer.produce(100)
    assert np.allclose(mixed[:50], (0.5 + 0.8 * DUCKED_GAIN) * 0.5 * 32767, atol=2)
    assert np.allclose(mixed[50:], 0.8 * DUCKED_GAIN * 0.5 * 32767, atol=2)  # ducked for the whole block
    assert not mixer.voice_playing
    mixer.music_on = False
    assert not mixer.produce(10).any()


def test_warming_the_scorer_once():
    from recitation.scoring.warm import is_warm, warm_scorer

    warm_scorer()
    assert is_warm() and warm_scorer() == 0.0
