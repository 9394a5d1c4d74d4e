"""分享给家人 at the booth, headless with a WAV microphone and the kiosk's real idle state machine: consent → read
→ score → nickname → the take queued in the share outbox, the QR screen (QR modules checked against the link,
delete code drawn as text), idle handling, the disk guard and expiry leaving the queued take alone; without a
public base URL a kind message instead; and long OGG takes (they crashed libsndfile)."""
from __future__ import annotations

import datetime
import json
import time
from pathlib import Path

import numpy as np
import pygame
import pytest

from experiences.config import KioskConfig
from experiences.diskguard import DiskGuard
from experiences.engagement import ListSink, Place
from experiences.i18n import catalog, t
from experiences.kiosk.states import KioskStateMachine, RunInfo
from poems_package import POEMS_300, open_poems_package
from experiences.runtime import InputEvent, ManualClock, RunContext
from experiences.share import NICKNAMES, queue_share
from recitation.audio.devices import WavDevice
from recitation.audio.takes import prune_recordings
from recitation.booth import flow as F
from recitation.booth.experience import RecitationBooth
from recitation.booth.share_screens import QR_BOX

JINGYESI = 12  # index of 静夜思 in the poems file
SIZE = (1280, 720)
FRAME = 1 / 30
PUBLIC = "https://read.example-library.cn"


class SpyText:
    """The kiosk's real text renderer, remembering every string drawn and its size."""

    def __init__(self):
        from experiences.text import shared_text

        self.inner = shared_text()
        self.drawn: list[tuple[str, int]] = []

    def draw(self, surface, text, pos, size, *args, **kwargs):
        self.drawn.append((text, size))
        return self.inner.draw(surface, text, pos, size, *args, **kwargs)

    def draw_paragraph(self, surface, text, rect, size, *args, **kwargs):
        self.drawn.append((text, size))
        return self.inner.draw_paragraph(surface, text, rect, size, *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self.inner, name)


@pytest.fixture(scope="module")
def package(tmp_path_factory):
    package = open_poems_package(tmp_path_factory.mktemp("poems"))
    yield package
    package.source.close()


@pytest.fixture
def make_booth(package, data_dir, clean_reading):
    pygame.init()
    made = []

    def make(public_base_url="", language="zh-CN", server=True, video=False):
        config = KioskConfig()
        config.server.public_base_url = public_base_url
        if server:  # a kiosk with its library's server and credential: the share uploader runs
            config.server.url, config.server.key, config.server.secret = "https://lib.example.cn", "kiosk-7", "s3"
        clock = ManualClock(100.0)
        sink = ListSink()
        machine = KioskStateMachine(sink, Place(), clock, idle_seconds=90.0, warning_seconds=10.0)
        machine.on_input()  # attract → menu: a visitor is here
        reporter = machine.launch(RunInfo("org.example.recital", "recitation", "1.0.0", {"zh-CN": "朗诵亭"}))
        text = SpyText()
        ctx = RunContext(config=config, reporter=reporter, size=SIZE, data_dir=data_dir, headless=True,
                         language=language, clock=clock, mark_activity=machine.mark_activity,
                         services={"audio": WavDevice(clean_reading, clock=clock.now), "fonts": text})
        booth = RecitationBooth(package, ctx)
        booth.sharing.video_enabled = video  # the video's own test (test_video_booth.py) makes one
        booth.start()
        booth.test_clock, booth.test_sink, booth.test_machine, booth.test_text = clock, sink, machine, text
        made.append(booth)
        return booth

    yield make
    for booth in made:
        booth.stop("quit")


def frame(booth, seconds=FRAME) -> list[str]:
    """One kiosk frame: the clock moves, the booth updates, the kiosk's idle machine ticks with its busy flag."""
    booth.test_clock.advance(seconds)
    booth.update(seconds)
    return booth.test_machine.tick(busy=booth.busy)


def tap(booth, key):
    [button] = [b for b in booth.buttons() if b.key == key]
    assert button.rect.width >= 72 and button.rect.height >= 72  # children's fingers
    booth.test_machine.on_input()
    booth.handle(InputEvent("pointer_down", x=button.rect.centerx, y=button.rect.centery, source="touch"))


def screenshot(booth, folder: Path, name: str) -> pygame.Surface:
    surface = pygame.Surface(SIZE)
    booth.test_text.drawn.clear()
    booth.draw(surface)
    folder.mkdir(parents=True, exist_ok=True)
    pygame.image.save(surface, str(folder / f"{name}.png"))
    return surface


def record_take(booth, seconds: float, no_score: bool = False) -> None:
    booth.press(f"poem:{JINGYESI}")
    if no_score:
        tap(booth, "no_score")
    tap(booth, "record")
    tap(booth, "agree")
    for _ in range(int(F.COUNTDOWN_S / FRAME) + 1):
        frame(booth)
    while booth.session is not None and booth.session.seconds < seconds:
        frame(booth)
    tap(booth, "stop")
    frame(booth)  # scoring happens in this frame (or the no-score take is already saved)


def queued_shares(data_dir: Path) -> list[Path]:
    outbox = data_dir / "share-outbox"
    return sorted(p for p in outbox.iterdir()) if outbox.is_dir() else []


def finish_share(booth) -> None:
    assert booth.flow.screen == F.SHARING and booth.busy
    assert booth.sharing.job.wait(60), "the share job did not finish"
    frame(booth)


def qr_modules_drawn(surface: pygame.Surface, url: str) -> tuple[np.ndarray, np.ndarray]:
    """(dark modules read back from the screenshot, the QR matrix of `url`), both without the quiet zone."""
    import segno

    expected = np.array(segno.make(url, error="m").matrix, dtype=bool)
    total = expected.shape[0] + 8  # experiences.share draws a 4-module border
    per_module = (QR_BOX.width - 20) // total
    left = QR_BOX.centerx - per_module * total // 2
    top = QR_BOX.centery - per_module * total // 2
    grey = pygame.surfarray.array3d(surface).mean(axis=2)  # indexed [x, y]
    centres = [int((k + 4 + 0.5) * per_module) for k in range(expected.shape[0])]
    drawn = np.array([[grey[left + cx, top + cy] < 128 for cx in centres] for cy in centres])
    return drawn, expected


def test_a_family_shares_a_scored_take_with_a_nickname(make_booth, data_dir, tmp_path):
    booth = make_booth(public_base_url=PUBLIC)
    shots = tmp_path / "screens"
    record_take(booth, 9.2)
    assert booth.flow.screen == F.SCORE and booth.report.overall >= 80
    assert "share" in [b.key for b in booth.buttons()]
    screenshot(booth, shots, "20-score-with-share")

    tap(booth, "share")
    assert booth.flow.screen == F.SHARE_PICK and not booth.busy
    nick_buttons = [b for b in booth.buttons() if b.key.startswith("nick:")]
    chinese = [name for name in NICKNAMES if any("\u4e00" <= ch <= "\u9fff" for ch in name)]  # a zh-CN kiosk
    assert [b.label for b in nick_buttons[:-1]] == chinese and nick_buttons[-1].key == "nick:none"
    assert nick_buttons[0].ruby == "xiǎo xióng māo"  # pinyin for children, nothing to type
    assert nick_buttons[-1].on  # no nickname unless the family picks one
    tap(booth, "nick:0")
    assert booth.flow.nickname == "小熊猫"
    pick = screenshot(booth, shots, "21-share-pick")
    assert pygame.surfarray.array3d(pick).std() > 5
    assert t("recite.share.pick_what", "zh-CN") in [s for s, _ in booth.test_text.drawn]
    assert [b.on for b in booth.buttons() if b.key.startswith("nick:")].count(True) == 1

    tap(booth, "share_confirm")
    finish_share(booth)
    assert booth.flow.screen == F.SHARED
    ticket = booth.sharing.ticket
    assert ticket.url == f"{PUBLIC}/s/{ticket.token}" and len(ticket.delete_code) == 6

    # The outbox holds the take, re-encoded, with the right metadata; the recordings folder keeps its own copy.
    [folder] = queued_shares(data_dir)
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    scores = {"overall": booth.report.overall, **booth.report.scores}
    assert meta == {"token": ticket.token, "delete_code": ticket.delete_code, "poem_id": "xx-jingyesi",
                    "poem_title": "静夜思", "poem_text": "床前明月光，疑是地上霜。\n举头望明月，低头思故乡。",
                    "scores": scores, "marks": "|".join(booth.report.marks), "nickname": "小熊猫",
                    "audio": "audio.ogg", "days": 30, "upload_id": meta["upload_id"], "lang": "zh-CN"}
    assert len(meta["marks"]) == 20 + 3  # a mark for each character (issue #14), "|" between lines
    from experiences.share import share_token

    assert ticket.token == share_token("s3", meta["upload_id"])  # signed with the kiosk's secret
    import soundfile

    queued = soundfile.info(str(folder / "audio.ogg"))
    assert queued.format == "OGG" and 9.0 <= queued.duration <= 9.5

    shot = screenshot(booth, shots, "22-shared-qr")
    assert pygame.surfarray.array3d(shot).std() > 5
    drawn = dict(booth.test_text.drawn)
    code = ticket.delete_code
    assert drawn.get(f"{code[:3]} {code[3:]}") == 96  # the delete code, as text, in big digits
    expires = booth.sharing.outcome.expires
    assert (expires - datetime.date.today()).days in (30, 31)  # 30 days on (31 if midnight passed meanwhile) ...
    assert any(f"{expires.year}年{expires.month}月{expires.day}日" in s for s in drawn)  # ... shown in words
    assert t("recite.share.delete_how", "zh-CN") in drawn and "昵称：小熊猫" in drawn
    read_back, expected = qr_modules_drawn(shot, ticket.url)
    assert (read_back == expected).all()  # the QR on screen is the link, module for module

    # xAPI: one "interacted" statement marking the share; nothing personal in any statement.
    statements = booth.test_sink.statements
    shared = statements[-1]
    assert shared["verb"]["display"]["en-US"] == "interacted"
    assert shared["object"]["id"].endswith("/poem/xx-jingyesi")
    extensions = shared["context"]["extensions"]
    assert {k.rsplit("/", 1)[-1]: v for k, v in extensions.items() if "recitation-share" in k} == {
        "recitation-share": "queued", "recitation-share-days": 30}
    everything = json.dumps(statements, ensure_ascii=False)
    assert "小熊猫" not in everything and code not in everything and ticket.token not in everything

    # The QR screen holds the idle reset off for a while, then the kiosk's usual warning and reset end it.
    assert booth.busy
    events = []
    while booth.busy:
        events += frame(booth, 1.0)
    assert booth.flow.screen == F.SHARED and not events  # held for SHARE_HOLD_S, no warning meanwhile
    held_until = booth.test_clock.now()
    while "reset" not in events:
        events += frame(booth, 1.0)
        assert booth.test_clock.now() - held_until <= 101, "the QR screen kept the kiosk from resetting"
    assert events == ["idle_warning", "reset"]

    # The queued take survives the disk guard (disk full, keep time over) and the booth's recording expiry.
    later = time.time() + 30 * 86400
    prune_recordings(data_dir / "recordings", 7, now=later)
    guard = DiskGuard(data_dir / "recordings", [data_dir / "cache"], min_free_mb=10 ** 6, recordings_keep_days=0,
                      free_bytes=lambda: 0, clock=lambda: later, min_age_seconds=0)
    guard.run_once()
    assert not list((data_dir / "recordings").glob("*.flac"))
    assert queued_shares(data_dir) == [folder] and soundfile.info(str(folder / "audio.ogg")).duration > 9


def test_the_qr_can_be_shown_again_without_queueing_twice(make_booth, data_dir, tmp_path):
    booth = make_booth(public_base_url=PUBLIC, language="en")
    record_take(booth, 3.0)
    tap(booth, "share")
    tap(booth, "share_confirm")  # no nickname
    finish_share(booth)
    ticket = booth.sharing.ticket
    tap(booth, "share_done")
    assert booth.flow.screen == F.SCORE and not booth.busy
    [again] = [b for b in booth.buttons() if b.key == "share"]
    assert again.label == t("recite.share.again", "en")
    tap(booth, "share")
    assert booth.flow.screen == F.SHARED and booth.sharing.ticket is ticket
    screenshot(booth, tmp_path / "screens", "24-shared-qr-en")
    assert "Delete code" in dict(booth.test_text.drawn) and "Nickname: " not in str(booth.test_text.drawn)
    assert len(queued_shares(data_dir)) == 1
    meta = json.loads((queued_shares(data_dir)[0] / "meta.json").read_text(encoding="utf-8"))
    assert meta["nickname"] == ""
    tap(booth, "back")
    tap(booth, "redo")  # a new take: the old QR is no longer offered for it
    assert booth.sharing.ticket is None and not booth.flow.can_share


def test_without_a_public_address_the_booth_says_so_kindly(make_booth, data_dir, tmp_path):
    booth = make_booth(language="en")
    record_take(booth, 3.0, no_score=True)
    assert booth.flow.screen == F.REVIEW
    tap(booth, "share")
    tap(booth, "nick:12")  # Little Panda
    tap(booth, "share_confirm")
    finish_share(booth)
    assert booth.flow.screen == F.SHARE_OFF and not booth.busy
    shot = screenshot(booth, tmp_path / "screens", "23-share-not-set-up-en")
    assert pygame.surfarray.array3d(shot).std() > 5
    drawn = [s for s, _ in booth.test_text.drawn]
    assert "Sharing is not available here" in drawn and any("Nothing is lost" in s for s in drawn)
    assert not queued_shares(data_dir)  # nothing queued, no half-written folder left behind
    assert len(list((data_dir / "recordings").glob("*.flac"))) == 1  # the take is still there to play back
    assert "playback" in [b.key for b in booth.buttons()]
    extensions = booth.test_sink.statements[-1]["context"]["extensions"]
    assert [v for k, v in extensions.items() if k.endswith("/recitation-share")] == ["unavailable"]
    tap(booth, "share_done")
    assert booth.flow.screen == F.REVIEW


def test_without_an_upload_server_no_dead_link_is_shown(make_booth, data_dir):
    booth = make_booth(public_base_url=PUBLIC, server=False)  # embedded server: nothing would upload the take
    record_take(booth, 3.0, no_score=True)
    tap(booth, "share")
    tap(booth, "share_confirm")
    finish_share(booth)
    assert booth.flow.screen == F.SHARE_OFF and booth.sharing.ticket is None
    assert not queued_shares(data_dir)


def test_sharing_is_offered_only_after_consent_for_a_saved_take():
    flow = F.BoothFlow(screen=F.SCORE, take_saved=True)
    assert not flow.can_share  # consent not asked in this run
    flow.consent = False
    assert not flow.can_share
    flow.consent = True
    assert flow.can_share
    flow.share()
    assert flow.screen == F.SHARE_PICK
    flow.back()
    flow.redo()  # a new take starts: nothing saved to share yet
    assert flow.screen == F.COUNTDOWN and not flow.take_saved


def test_share_catalogs_have_the_same_keys():
    zh = {k for k in catalog("zh-CN") if k.startswith("recite.share.")}
    en = {k for k in catalog("en") if k.startswith("recite.share.")}
    assert zh == en and len(zh) >= 20


def test_a_long_take_is_queued_as_ogg(tmp_path, data_dir):
    """libsndfile 1.2.2 segfaulted writing ~60 s of Vorbis in one call; queue_share now writes in blocks."""
    import soundfile

    take = tmp_path / "long.flac"
    samples = (np.sin(np.arange(48000 * 70) / 9) * 6000).astype(np.int16)
    soundfile.write(take, samples, 48000)
    config = KioskConfig()
    config.server.public_base_url = PUBLIC
    ticket = queue_share(take, "p", {"overall": 90}, config=config, audio_format="ogg")
    info = soundfile.info(str(data_dir / "share-outbox" / ticket.token / "audio.ogg"))
    assert info.duration == pytest.approx(70.0, abs=0.01)
