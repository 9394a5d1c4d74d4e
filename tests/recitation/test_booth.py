"""The booth experience headless: every screen drawn and screenshotted, a whole take from a WAV microphone
through consent, countdown, live meter, scoring and statements; no-score mode; read-along without consent."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pygame
import pytest

from experiences.config import KioskConfig
from experiences.engagement import ListSink, Place, SessionReporter
from experiences.package import open_package
from poems_package import POEMS_300, open_poems_package
from experiences.runtime import InputEvent, ManualClock, RunContext
from recitation.audio.devices import WavDevice
from recitation.audio.takes import read_take
from recitation.booth import flow as F
from recitation.booth.experience import RecitationBooth
from recitation.booth.widgets import ACCENT, JADE

JINGYESI = 12  # index of 静夜思 in the poems file
SIZE = (1280, 720)
FRAME = 1 / 30


@pytest.fixture
def package(tmp_path):
    package = open_poems_package(tmp_path / "poems")
    yield package
    package.source.close()


@pytest.fixture
def make_booth(package, data_dir, readings):
    pygame.init()
    made = []

    def make(audio=True, take="clean", age_band=None):
        clock = ManualClock(100.0)
        sink = ListSink()
        reporter = SessionReporter(sink, Place()).experience(package.id, "recitation", "1.0.0")
        activity = []
        services = {"audio": WavDevice(readings[take], clock=clock.now)} if audio else {}
        ctx = RunContext(config=KioskConfig(), reporter=reporter, size=SIZE, data_dir=data_dir, headless=True,
                         clock=clock, services=services, mark_activity=lambda: activity.append(clock.now()),
                         age_band=age_band)
        booth = RecitationBooth(package, ctx)
        booth.start()
        booth.test_clock, booth.test_sink, booth.test_activity = clock, sink, activity
        made.append(booth)
        return booth

    yield make
    for booth in made:
        booth.stop("quit")


def frame(booth, seconds=FRAME):
    booth.test_clock.advance(seconds)
    booth.update(seconds)


def screenshot(booth, folder: Path, name: str) -> pygame.Surface:
    surface = pygame.Surface(SIZE)
    booth.draw(surface)
    folder.mkdir(parents=True, exist_ok=True)
    pygame.image.save(surface, str(folder / f"{name}.png"))
    return surface


def colour_count(surface, colour, rect=None) -> int:
    pixels = pygame.surfarray.pixels3d(surface.subsurface(rect) if rect else surface)
    return int(np.all(pixels == np.array(colour), axis=2).sum())


def record_unscored_take(booth):
    """静夜思 read aloud in no-score mode: consent, countdown, a few seconds of the fixture, stop."""
    booth.press(f"poem:{JINGYESI}")
    booth.press("no_score")
    booth.press("record")
    booth.press("agree")
    for _ in range(100):
        frame(booth)
    booth.press("stop")


def tap(booth, key):
    [button] = [b for b in booth.buttons() if b.key == key]
    booth.handle(InputEvent("pointer_down", x=button.rect.centerx, y=button.rect.centery, source="touch"))


def test_a_whole_take_through_every_screen(make_booth, tmp_path, data_dir):
    booth = make_booth()
    shots = tmp_path / "screens"
    picker = screenshot(booth, shots, "1-picker")
    assert booth.flow.screen == F.PICKER and len(booth.picker_cards()) == 8
    # Find 静夜思 by its pinyin initials on the on-screen keypad, then tap its card.
    for letter in "jys":
        tap(booth, f"letter:{letter}")
    cards = booth.picker_cards()
    assert JINGYESI in [index for _, index in cards]
    screenshot(booth, shots, "2-picker-search")
    rect = next(r for r, index in cards if index == JINGYESI)
    booth.handle(InputEvent("pointer_down", x=rect.centerx, y=rect.centery))
    assert booth.flow.screen == F.READING
    reading = screenshot(booth, shots, "3-reading")
    tap(booth, "pinyin")
    no_pinyin = screenshot(booth, shots, "3b-reading-no-pinyin")
    assert pygame.image.tobytes(reading, "RGB") != pygame.image.tobytes(no_pinyin, "RGB")
    tap(booth, "pinyin")

    tap(booth, "record")
    assert booth.flow.screen == F.CONSENT
    consent = screenshot(booth, shots, "4-consent")
    assert colour_count(consent, ACCENT) > 1000  # the big "agree" button
    tap(booth, "agree")
    assert booth.flow.screen == F.COUNTDOWN and booth.busy
    screenshot(booth, shots, "5-countdown")
    for _ in range(int(3.0 / FRAME) + 1):
        frame(booth)
    assert booth.flow.screen == F.RECORDING and booth.busy

    levels, positions = [], []
    while booth.session.seconds < 9.2:
        frame(booth)
        levels.append(booth.session.last.level)
        positions.append(booth.highlight.position(booth.test_clock.now()))
        if len(levels) == 120:
            recording = screenshot(booth, shots, "6-recording")
    assert max(levels) > 0.5 and booth.test_activity  # the meter moved; voice kept the session alive
    assert positions[-1] > positions[len(positions) // 2] > 0  # the highlight followed the reading
    poem_area = pygame.Rect(40, 125, 1140, 440)
    assert colour_count(recording, ACCENT, poem_area) > 50  # the current character is marked

    tap(booth, "stop")
    assert booth.flow.screen == F.SCORING
    screenshot(booth, shots, "7-scoring")
    frame(booth)
    assert booth.flow.screen == F.SCORE and not booth.busy
    assert booth.report.overall >= 80
    screenshot(booth, shots, "8-score")

    verbs = [s["verb"]["display"]["en-US"] for s in booth.test_sink.statements]
    assert verbs == ["attempted", "completed"]
    completed = booth.test_sink.statements[-1]
    assert completed["result"]["score"]["raw"] == booth.report.overall
    assert completed["object"]["id"].endswith("/poem/xx-jingyesi")
    [take] = list((data_dir / "recordings").glob("*.flac"))
    info = read_take(take)
    assert info.poem_id == "xx-jingyesi" and info.details["scores"]["overall"] == booth.report.overall
    assert 9.0 <= info.seconds <= 9.5

    tap(booth, "playback")
    for _ in range(20):
        frame(booth)
    assert booth.output.samples.any()  # the take went to the speaker, under the volume cap
    assert np.abs(booth.output.samples).max() <= 0.8 * 32767 + 1


def _scored_take(booth, seconds=9.2):
    booth.press(f"poem:{JINGYESI}")
    booth.press("record")
    booth.press("agree")
    for _ in range(int(3.0 / FRAME) + 1):
        frame(booth)
    while booth.session.seconds < seconds:
        frame(booth)
    booth.press("stop")
    frame(booth)
    assert booth.flow.screen == F.SCORE


def test_the_score_shows_accuracy_first_and_a_mark_under_every_character(make_booth, tmp_path):
    """Issue #14: 准确 is the first bar; each character carries ● / ▲ / ✕ (shape and colour) and a legend."""
    from recitation.booth.score_screen import MARK_STYLE

    booth = make_booth()
    _scored_take(booth)
    report = booth.report
    assert report.accuracy is not None and list(report.scores)[0] == "accuracy"
    assert [len(m) for m in report.marks] == [5, 5, 5, 5] and report.verdict == "read"
    shot = screenshot(booth, tmp_path / "screens", "score-marks")
    lines_area = pygame.Rect(400, 100, 220, 230)
    assert colour_count(shot, MARK_STYLE["g"][1], lines_area) > 200  # the ● under characters said well
    assert "read_along_first" not in [b.key for b in booth.buttons()]


def test_another_poem_gets_the_kind_message_and_the_offer_to_read_along(make_booth, tmp_path):
    booth = make_booth(take="other_poem")
    _scored_take(booth)
    assert booth.report.overall <= 50 and booth.report.verdict == "other"
    assert booth.report.feedback[0] == "这好像不是这首诗哦，再试试？"
    screenshot(booth, tmp_path / "screens", "score-other")
    tap(booth, "read_along_first")
    assert booth.flow.screen == F.READING  # back to the text, the highlight reading along


def test_no_score_mode_records_without_a_score(make_booth, data_dir, tmp_path):
    booth = make_booth()
    record_unscored_take(booth)
    assert booth.flow.screen == F.REVIEW and booth.report is None
    review = screenshot(booth, tmp_path / "screens", "13-review")
    assert colour_count(review, ACCENT) > 1000  # the "again" button; no score circle is drawn
    assert "playback" in [b.key for b in booth.buttons()]
    completed = booth.test_sink.statements[-1]
    assert completed["verb"]["display"]["en-US"] == "completed" and "score" not in completed["result"]
    assert len(list((data_dir / "recordings").glob("*.flac"))) == 1


def test_declining_consent_leaves_read_along_only(make_booth, tmp_path, data_dir):
    booth = make_booth()
    booth.press(f"poem:{JINGYESI}")
    booth.press("record")
    booth.press("decline")
    assert booth.flow.screen == F.READING and not booth.flow.recording_allowed
    assert "record" not in [b.key for b in booth.buttons()]
    booth.press("read_along")
    for _ in range(60):
        frame(booth)
    assert booth.highlight.position(booth.test_clock.now()) > 2  # the highlight runs on the pace model
    screenshot(booth, tmp_path / "screens", "9-read-along")
    assert not (data_dir / "recordings").exists() or not list((data_dir / "recordings").iterdir())


def test_without_a_microphone_the_booth_reads_along(make_booth, tmp_path):
    booth = make_booth(audio=False)
    booth.press(f"poem:{JINGYESI}")
    assert not booth.flow.can_record and "record" not in [b.key for b in booth.buttons()]
    screenshot(booth, tmp_path / "screens", "10-no-microphone")


def test_redo_discards_the_take_and_counts_down_again(make_booth, data_dir):
    booth = make_booth()
    booth.press(f"poem:{JINGYESI}")
    booth.press("record")
    booth.press("agree")
    for _ in range(130):
        frame(booth)
    assert booth.flow.screen == F.RECORDING
    booth.press("redo")
    assert booth.flow.screen == F.COUNTDOWN and booth.session is None
    assert not list((data_dir / "recordings").glob("*.partial.*"))


def test_keyboard_and_game_pad_reach_every_button(make_booth):
    booth = make_booth()
    booth.handle(InputEvent("action", action="right"))
    booth.handle(InputEvent("action", action="select"))  # the second button: 一年级 (the picker has no back)
    assert booth.filter.grade == 1
    assert {p.grade for _, i in booth.picker_cards() for p in [booth.poems[i]]} == {1}
    booth.handle(InputEvent("action", action="back"))
    assert booth.finished


def test_family_mode_marks_readers_in_words(make_booth, tmp_path):
    booth = make_booth()
    booth.press(f"poem:{JINGYESI}")
    plain = screenshot(booth, tmp_path / "screens", "11-no-family")
    booth.press("family")
    shot = screenshot(booth, tmp_path / "screens", "11-family")
    margin = pygame.Rect(70, 150, 70, 450)  # 甲/乙 badges in front of each row, a word in a shape, not colour alone
    assert booth.flow.family_mode
    before, after = (pygame.surfarray.array3d(s.subsurface(margin)).astype(int) for s in (plain, shot))
    assert colour_count(plain, JADE, margin) == 0 and int((np.abs(after - before).sum(axis=2) > 30).sum()) > 60


def test_a_smaller_window_is_scaled_and_taps_still_land(package, data_dir, tmp_path):
    pygame.init()
    clock = ManualClock()
    reporter = SessionReporter(ListSink(), Place()).experience(package.id, "recitation", "1.0.0")
    ctx = RunContext(config=KioskConfig(), reporter=reporter, size=(960, 540), data_dir=data_dir, headless=True,
                     clock=clock)
    booth = RecitationBooth(package, ctx)
    booth.start()
    window = pygame.Surface((960, 540))
    booth.draw(window)
    pygame.image.save(window, str(tmp_path / "small.png"))
    assert pygame.surfarray.array3d(window).std() > 5
    rect, index = booth.picker_cards()[0]  # design coordinates; tap it in window coordinates
    booth.handle(InputEvent("pointer_down", x=rect.centerx * 0.75, y=rect.centery * 0.75))
    assert booth.flow.screen == F.READING and booth.flow.poem_index == index
    booth.stop("quit")


def test_reference_reading_plays_with_its_lrc_timing(tmp_path, data_dir, readings):
    import soundfile

    folder = tmp_path / "lrcpkg"
    folder.mkdir()
    (folder / "experience.toml").write_text(
        'format = 1\nid = "org.example.lrc"\nversion = "1.0.0"\nkind = "recitation"\n[title]\nzh-CN = "范读"\n'
        '[[credits]]\nname = "t"\n[content]\npoems = "poems.json"\nmusic = "loop.wav"\n', encoding="utf-8")
    poem = json.loads(POEMS_300.read_text(encoding="utf-8"))[JINGYESI]
    poem.update(lrc="jys.lrc", audio="jys.flac")
    (folder / "poems.json").write_text(json.dumps([poem], ensure_ascii=False), encoding="utf-8")
    (folder / "jys.lrc").write_text("[00:00.40]<00:00.40>床<00:00.80>前<00:01.20>明月光，\n"
                                    "[00:03.00]疑是地上霜。\n[00:05.00]举头望明月，\n[00:07.00]低头思故乡。\n",
                                    encoding="utf-8")
    samples, sr = soundfile.read(readings["clean"], dtype="int16")
    soundfile.write(folder / "jys.flac", samples, sr)
    soundfile.write(folder / "loop.wav", (np.sin(np.arange(4800) / 8) * 3000).astype(np.int16), 48000)
    package = open_package(folder)
    pygame.init()
    clock = ManualClock()
    reporter = SessionReporter(ListSink(), Place()).experience(package.id, "recitation", "1.0.0")
    device = WavDevice(readings["clean"], clock=clock.now)
    ctx = RunContext(config=KioskConfig(), reporter=reporter, size=SIZE, data_dir=data_dir, headless=True,
                     clock=clock, services={"audio": device})
    booth = RecitationBooth(package, ctx)
    booth.start()
    booth.press("poem:0")
    assert booth.highlight.timeline is not None and booth.highlight.timeline.enhanced
    assert "reference" in [b.key for b in booth.buttons()]
    booth.press("reference")
    assert booth.mixer.voice_playing
    clock.advance(0.3 + 0.45)  # the LRC is shifted to start 0.3 s after the press
    booth.update(0.75)
    assert booth.highlight.position(clock.now()) == pytest.approx(1.125, abs=0.01)  # halfway through 前
    screenshot(booth, tmp_path / "screens", "12-reference")
    played = booth.output.samples
    from recitation.audio.mixer import DUCKED_GAIN

    # The reading starts with 0.4 s of silence: what plays is the music loop, ducked, under the volume cap.
    assert np.abs(played[:4800]).max() == pytest.approx(3000 * DUCKED_GAIN * 0.8, rel=0.05)
    booth.stop("quit")
    package.source.close()


def test_a_real_time_take_through_pulseaudio_is_scored(pulseaudio, tmp_path, data_dir):
    """paplay plays a reading into the null speaker; the booth records it from PyAudio's default microphone
    (the speaker's monitor), in real time, and scores it."""
    import subprocess
    import time

    import soundfile

    from recitation.audio.devices import PyAudioDevice
    from recitation.fixtures import synthesize

    poem = {"id": "xx-jys-half", "title": "静夜思", "author": "李白", "dynasty": "唐",
            "paragraphs": ["床前明月光，疑是地上霜。"]}
    folder = tmp_path / "half"
    folder.mkdir()
    (folder / "experience.toml").write_text(
        'format = 1\nid = "org.example.half"\nversion = "1.0.0"\nkind = "recitation"\n[title]\nzh-CN = "半首"\n'
        '[[credits]]\nname = "t"\n[content]\npoems = "poems.json"\n', encoding="utf-8")
    (folder / "poems.json").write_text(json.dumps([poem], ensure_ascii=False), encoding="utf-8")
    reading = synthesize(poem["paragraphs"][0], tmp_path / "half.wav")
    package = open_package(folder)
    pygame.init()
    clock = ManualClock()
    sink = ListSink()
    reporter = SessionReporter(sink, Place()).experience(package.id, "recitation", "1.0.0")
    device = PyAudioDevice()
    ctx = RunContext(config=KioskConfig(), reporter=reporter, size=SIZE, data_dir=data_dir, headless=True,
                     clock=clock, services={"audio": device})
    booth = RecitationBooth(package, ctx)
    booth.start()
    try:
        for key in ("poem:0", "record", "agree"):
            booth.press(key)
        clock.advance(3.1)
        booth.update(3.1)
        assert booth.flow.screen == F.RECORDING
        player = subprocess.Popen(["paplay", "--device=vspk", str(reading)])
        last = time.monotonic()
        duration = soundfile.info(reading).duration
        while player.poll() is None or booth.session.seconds < duration + 0.3:
            now = time.monotonic()  # a real device: the booth's clock follows the wall clock here
            clock.advance(now - last)
            booth.update(now - last)
            last = now
            assert booth.session.seconds < duration + 10, "the microphone stopped delivering"
            time.sleep(1 / 60)  # one display frame
        booth.press("stop")
        booth.update(1 / 30)
        assert booth.flow.screen == F.SCORE
        assert booth.report.completeness == 100 and booth.report.overall >= 80, booth.report.to_dict()
        assert [s["verb"]["display"]["en-US"] for s in sink.statements] == ["attempted", "completed"]
    finally:
        booth.stop("quit")
        device.close()
        package.source.close()


@pytest.mark.parametrize("band, grades", [("6-8", {1}), ("9-12", {3}), ("13+", None), (None, None)])
def test_the_picker_opens_at_the_visitors_grade(make_booth, band, grades):
    booth = make_booth(age_band=band)
    shown = {poem.grade for poem in booth.filtered()}
    if grades is None:
        assert booth.filter.grade is None and len(shown) > 1
    else:
        assert booth.filter.grade == min(grades) and shown == grades
        tap(booth, "all")  # one tap away from every grade
        assert booth.filter.grade is None and len({poem.grade for poem in booth.filtered()}) > 1


def test_after_a_reading_the_picker_suggests_what_to_read_next(make_booth, tmp_path):
    booth = make_booth()
    record_unscored_take(booth)
    assert booth.flow.screen == F.REVIEW
    booth.press("next_poem")
    assert booth.flow.screen == F.PICKER
    jingyesi = booth.poems[JINGYESI]
    first = booth.filtered()[:3]
    assert [reason for _, reason in booth.suggested] == ["same_author"] * 3
    assert all(poem.author == jingyesi.author and poem.id != jingyesi.id for poem in first)
    shot = screenshot(booth, tmp_path / "screens", "12-suggested")
    assert colour_count(shot, JADE, pygame.Rect(30, 170, 1220, 40)) > 300  # the 「再读一首」 ribbons, in words
    for letter in "cx":  # typing a search shows plain results, no suggestions in front
        tap(booth, f"letter:{letter}")
    assert booth.filtered()[:3] != first
