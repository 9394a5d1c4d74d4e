"""The booth's kiosk screens (issue #13) at every test size: the bundled 朗诵亭 package driven through its
shot_states in a headless kiosk (picker → poem ready → read-along → family mode → praise → consent → 3-2-1 →
recording → score → share), a WAV microphone reading 静夜思 (espeak-ng), and every frame's drawn text checked by
experiences.screencheck: sizes, no Latin letters on zh-CN screens, nothing cut, nothing overlapping."""
from __future__ import annotations

from pathlib import Path

import pygame
import pytest

from experiences.kiosk import shots as kiosk_shots
from experiences.package import open_package
from experiences.screencheck import report
from recitation.audio.devices import WavDevice

BOOTH = Path(__file__).resolve().parents[2] / "content" / "poems-recital"
STATES = ["picker", "ready", "read_along", "family", "read_along_end", "consent", "countdown", "recording", "score",
          "share_pick", "share_qr"]


@pytest.fixture(scope="module")
def package():
    package = open_package(BOOTH)
    yield package
    package.source.close()


@pytest.fixture
def sharing_kiosk(monkeypatch):
    """A kiosk with its server set up, so the share ends on the QR screen (the upload itself is queued only)."""
    plain = kiosk_shots.kiosk_config

    def config(language="zh-CN", vr=False):
        config = plain(language, vr)
        config.server.url, config.server.key, config.server.secret = "https://lib.example.cn", "kiosk-7", "s3"
        config.server.public_base_url = "https://read.example-library.cn"
        return config

    monkeypatch.setattr(kiosk_shots, "kiosk_config", config)


@pytest.mark.parametrize("size", kiosk_shots.SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_booth_screen_passes_the_screen_checks(package, size, clean_reading, sharing_kiosk, tmp_path):
    pygame.init()
    shots = {}
    for shot in kiosk_shots.package_shots(package, size, age_band="6-8", data_dir=tmp_path / "data",
                                          services={"audio": WavDevice(clean_reading)}):
        pygame.image.save(shot.surface, str(tmp_path / f"{shot.name}.png"))
        shots[shot.state] = shot
    assert list(shots) == STATES
    problems = {state: report(shot.findings) for state, shot in shots.items() if shot.findings}
    assert not problems, problems

    def drawn(state):
        return [item.text for item in shots[state].log.texts]

    def buttons(state):
        return {box.label for box in shots[state].log.boxes if box.label.startswith("button:")}

    # One big record button beside toggles that say their state in words (开/关), 跟读 an action of its own.
    assert {"button:record", "button:read_along", "button:pinyin", "button:family"} <= buttons("ready")
    assert "开" in drawn("ready") and "关" in drawn("ready")  # pinyin on, family mode off
    assert any(text in ("chuáng", "chuang") for text in drawn("ready"))  # pinyin over the characters
    assert "，" in drawn("ready") and "。" in drawn("ready")  # the poem's punctuation
    # Family mode explains 甲/乙 in words; a finished read-along praises and offers the next step.
    assert {"大人读", "小朋友读", "甲", "乙"} <= set(drawn("family"))
    assert "读得真好！" in drawn("read_along_end")
    assert {"button:read_along", "button:next_poem"} <= buttons("read_along_end")
    assert "3" in drawn("countdown") and "button:stop" in buttons("recording")
    assert {"button:redo", "button:next_poem"} <= buttons("score")
    shots["score"].surface.get_at((0, 0))  # drawn
    # Pinyin rows at least 22 px at 1080p, scaled by the shorter side (the check enforces it; spelled out here).
    scale = min(size) / 1080
    pinyin = [item.size for item in shots["ready"].log.texts if item.role == "pinyin"]
    assert pinyin and min(pinyin) >= 22 * scale - 0.5


def test_english_screens_fit_too(package, clean_reading, sharing_kiosk, tmp_path):
    pygame.init()
    states = []
    for shot in kiosk_shots.package_shots(package, (1024, 768), age_band="6-8", language="en",
                                          data_dir=tmp_path / "data", services={"audio": WavDevice(clean_reading)}):
        assert not shot.findings, (shot.state, report(shot.findings))
        states.append(shot.state)
    assert states == STATES


def _booth(package, size, data_dir, audio):
    from experiences.config import KioskConfig
    from experiences.engagement import ListSink, Place, SessionReporter
    from experiences.runtime import ManualClock, RunContext
    from recitation.booth.experience import RecitationBooth

    clock = ManualClock(100.0)
    reporter = SessionReporter(ListSink(), Place()).experience(package.id, "recitation", "1.0.0")
    ctx = RunContext(config=KioskConfig(), reporter=reporter, size=size, data_dir=data_dir, headless=True,
                     clock=clock, services={"audio": WavDevice(audio, clock=clock.now)} if audio else {})
    booth = RecitationBooth(package, ctx)
    booth.start()
    return booth, clock


@pytest.mark.parametrize("size", kiosk_shots.SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_other_paths_pass_the_checks_too(package, size, clean_reading, tmp_path):
    """No microphone (read along only), consent declined, and a no-score take's review screen."""
    from experiences import drawlog
    from experiences.screencheck import check_screen
    from recitation.booth import flow as F

    pygame.init()
    window = pygame.Surface(size)

    def check(booth, name):
        with drawlog.recording() as log:
            booth.draw(window)
        pygame.image.save(window, str(tmp_path / f"{name}.png"))
        findings = check_screen(log, size)
        assert not findings, (name, report(findings))
        return log

    booth, _ = _booth(package, size, tmp_path / "a", None)
    booth.press("poem:0")
    log = check(booth, "no-microphone")
    assert "record" not in {b.key for b in booth.buttons()}
    assert any("话筒" in item.text for item in log.texts)  # says why there is no record button
    booth.stop("quit")

    booth, clock = _booth(package, size, tmp_path / "b", clean_reading)
    booth.press("poem:0")
    booth.press("record")
    booth.press("decline")
    check(booth, "declined")
    booth.stop("quit")

    booth, clock = _booth(package, size, tmp_path / "c", clean_reading)
    booth.press("poem:0")
    booth.press("no_score")
    booth.press("record")
    booth.press("agree")
    for _ in range(130):
        clock.advance(1 / 30)
        booth.update(1 / 30)
    booth.press("stop")
    assert booth.flow.screen == F.REVIEW
    check(booth, "review")
    booth.stop("quit")
