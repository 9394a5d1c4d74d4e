"""A curator sets the family video's background for one poem in the portal (issue #18), in Debian chromium:
the portal makes a new version of the recitation package and publishes it where the old one was live, a kiosk
syncs it the normal way, and the booth's video of 静夜思 shows the curator's picture — checked on the decoded
MP4's pixels against the picture — while another poem keeps the generated scenery."""
from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import numpy as np
import pytest
import soundfile
from PIL import Image
from playwright.sync_api import expect

from experiences.package import open_package
from experiences.sync import ContentSync
from experiences.validation import pack_package
from server.portal.accounts import create_user
from server.portal.publish import publish
from tests.server.a11y_audit import audit, chromium
from tests.server.portal_helpers import (Clock, browser_sign_in, engine_of, kiosk_auth, make_app,
                                         serving)

av = pytest.importorskip("av")
REPO = Path(__file__).resolve().parents[2]
RECITAL = REPO / "content" / "poems-recital"
PACKAGE_ID = "org.yuedu.poems.recital"
# Four flat colours, one a quadrant: far from the rice-paper colours of the generated scenery, and flat enough
# that H.264 keeps them within a few levels.
QUADRANTS = ((120, 40, 160), (230, 120, 30), (20, 140, 140), (30, 60, 200))


def quadrant_picture(path: Path) -> np.ndarray:
    """A 720×1280 picture (the video's own size: no scaling, so each pixel is known)."""
    rgb = np.zeros((1280, 720, 3), np.uint8)
    rgb[:640, :360], rgb[:640, 360:], rgb[640:, :360], rgb[640:, 360:] = QUADRANTS
    Image.fromarray(rgb).save(path)
    return rgb


def short_take(path: Path) -> Path:
    """Two seconds of voice-like bursts (16 kHz)."""
    t = np.arange(int(2.0 * 16000)) / 16000
    voice = 0.3 * np.sin(2 * np.pi * 220 * t) * (np.sin(2 * np.pi * 2.5 * t) > 0)
    soundfile.write(path, voice.astype("float32"), 16000)
    return path


def uncovered(frame: np.ndarray) -> dict[str, np.ndarray]:
    """Parts of a video frame that nothing is drawn over (frames.py: the title veil, card, footer, badge)."""
    return {"left edge": frame[300:1000, 2:18], "right edge": frame[300:1000, 702:718],
            "between card and footer": frame[1020:1040, 40:680], "bottom": frame[1250:1278, 40:680]}


def first_frame(path: Path) -> np.ndarray:
    with av.open(str(path)) as container:
        return next(container.decode(video=0)).to_ndarray(format="rgb24")


def booth_video(package, poem_id: str, take: Path, data_dir: Path) -> Path:
    """The booth's own path after a family confirms 分享: its share job, then its video job in a spawned process.
    The take is given to the booth as saved (recording and scoring are other tests' business)."""
    from experiences.config import KioskConfig
    from experiences.engagement import ListSink, Place
    from experiences.kiosk.states import KioskStateMachine, RunInfo
    from experiences.runtime import ManualClock, RunContext
    from recitation.booth import flow as F
    from recitation.booth.experience import RecitationBooth
    from recitation.video import job

    job.NICE = 0  # a test machine busy with other work may starve a niced encoder
    config = KioskConfig()
    config.server.public_base_url = "https://read.example-library.cn"
    config.server.url, config.server.key, config.server.secret = "https://lib.example.cn", "kiosk-7", "s3"
    clock = ManualClock(100.0)
    machine = KioskStateMachine(ListSink(), Place(), clock, idle_seconds=90.0, warning_seconds=10.0)
    machine.on_input()
    reporter = machine.launch(RunInfo(PACKAGE_ID, "recitation", "1.0.1", {"zh-CN": "朗诵亭"}))
    booth = RecitationBooth(package, RunContext(config=config, reporter=reporter, size=(1280, 720),
                                                data_dir=data_dir, headless=True, clock=clock))
    booth.start()
    try:
        [index] = [i for i, p in enumerate(booth.poems) if p.id == poem_id]
        booth.press(f"poem:{index}")
        saved = data_dir / "recordings" / f"{poem_id}.wav"
        saved.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(take, saved)
        booth.flow.consent = True
        booth.sharing.take_saved(saved, {"overall": 90})
        booth.flow.screen = F.SCORE
        for key in ("share", "nick:0", "share_confirm"):
            booth.sharing.press(key)
        assert booth.sharing.job.wait(60)
        booth.sharing.update()
        assert booth.sharing.video is not None, "the booth made no video"
        assert booth.sharing.video.wait(240), "the video was not made in time"
        return booth.sharing.video.path
    finally:
        booth.stop("quit")


def test_a_curators_background_reaches_the_booths_video(tmp_path, data_dir):
    app = make_app(tmp_path / "server", Clock())
    engine = engine_of(app)
    zip_path = app.extensions["yuedu_portal_store"].incoming("recital.zip")
    assert pack_package(RECITAL, zip_path).ok
    ingested = app.extensions["yuedu_portal_store"].ingest(zip_path, "setup")
    assert ingested.ok
    publish(engine, ingested.version_id, "all", by="setup")
    made = create_user(engine, "curator-video", "curator")
    _headers, key, secret = kiosk_auth(app, "booth-1")
    picture = quadrant_picture(tmp_path / "moon-night.png")

    with serving(app) as url, chromium() as browser:
        page = browser.new_page(locale="zh-CN", viewport={"width": 1280, "height": 900}, bypass_csp=True)  # axe
        browser_sign_in(page, url, made.user.name, made.password)
        page.get_by_role("link", name="视频背景与音乐").click()
        findings = audit(page, "video media packages").failures
        page.get_by_role("link", name="设置《朗诵亭》的视频背景和音乐").click()
        findings += audit(page, "video media").failures
        shots = Path(os.environ.get("YUEDU_PAGE_SCREENSHOTS") or tmp_path)
        page.screenshot(path=str(shots / "portal-video-media.png"), full_page=True)
        page.get_by_label("诗", exact=True).select_option(label="静夜思 · 李白")
        (tmp_path / "moon.gif").write_bytes(b"GIF89a")
        page.get_by_label("背景图文件").set_input_files(str(tmp_path / "moon.gif"))
        page.get_by_role("button", name="保存为新版本").click()
        expect(page.locator("#background-error")).to_contain_text("格式（.gif）不能用")
        expect(page.get_by_label("诗", exact=True)).to_have_value("xx-jingyesi")  # the choice is kept
        findings += audit(page, "video media with errors").failures
        page.screenshot(path=str(shots / "portal-video-media-errors.png"), full_page=True)
        assert not findings, "\n".join(findings)
        page.get_by_label("背景图文件").set_input_files(str(tmp_path / "moon-night.png"))
        expect(page.get_by_label("保存后发布到原版本已发布的位置（所有终端），终端下次同步时收到")).to_be_checked()
        page.get_by_role("button", name="保存为新版本").click()
        expect(page.get_by_text("已保存新版本 1.0.1，并已发布到原来的位置；终端下次同步时收到。")).to_be_visible()
        # The page says what each poem has now.
        page.get_by_role("link", name="设置《朗诵亭》的视频背景和音乐").click()
        expect(page.get_by_role("row", name="静夜思 · 李白")).to_contain_text("video/poem-xx-jingyesi-background.png")
        browser.close()

        kiosk = ContentSync(url, key, secret, packages_dir=data_dir / "packages")
        result = kiosk.check()
        assert not result.errors and PACKAGE_ID in result.staged, result
        deadline = time.monotonic() + 30
        while PACKAGE_ID not in kiosk.apply_pending() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert kiosk.installed_versions()[PACKAGE_ID] == "1.0.1"

    package = open_package(data_dir / "packages" / PACKAGE_ID)
    take = short_take(tmp_path / "take.wav")
    video = booth_video(package, "xx-jingyesi", take, data_dir)
    frame = first_frame(video)
    expected = uncovered(picture)
    for name, pixels in uncovered(frame).items():
        error = np.abs(pixels.astype(int) - expected[name].astype(int)).mean()
        assert error < 6, f"{name}: the video's pixels are {error:.1f} levels from the curator's picture"

    # Another poem has no picture of its own: the generated ink-wash scenery, nowhere near the quadrants.
    other = booth_video(package, "xx-chunxiao", take, data_dir)
    far = [np.abs(pixels.astype(int) - expected[name].astype(int)).mean()
           for name, pixels in uncovered(first_frame(other)).items()]
    assert min(far) > 40
