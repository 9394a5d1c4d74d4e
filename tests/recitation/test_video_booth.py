"""The booth makes the family's video after a share (issue #18): in its own process while the booth keeps
drawing, a bar and a word on the QR screen, added to the queued share, kept beside the take and gone with it."""
from __future__ import annotations

import json
import time

import pytest

from recitation.audio.takes import prune_recordings
from recitation.booth import flow as F
from tests.recitation.test_booth_share import (PUBLIC, finish_share, frame, make_booth, package,  # noqa: F401
                                               queued_shares, record_take, screenshot, tap)

av = pytest.importorskip("av")


def test_a_shared_take_gets_its_video_added(make_booth, data_dir, tmp_path, monkeypatch):  # noqa: F811
    from recitation.video import job

    monkeypatch.setattr(job, "NICE", 0)  # on a test machine busy with other work a niced encoder may starve
    booth = make_booth(public_base_url=PUBLIC, video=True)
    record_take(booth, 9.2)
    tap(booth, "share")
    tap(booth, "nick:0")
    tap(booth, "share_confirm")
    finish_share(booth)
    assert booth.flow.screen == F.SHARED
    [folder] = queued_shares(data_dir)
    assert json.loads((folder / "meta.json").read_text(encoding="utf-8"))["video_pending"] is True
    seen, drawn = set(), set()
    deadline = time.monotonic() + 240
    while booth.sharing.video_token and time.monotonic() < deadline:  # the booth goes on drawing meanwhile
        frame(booth)
        screenshot(booth, tmp_path, "shared")
        drawn.update(s for s, _ in booth.test_text.drawn)
        seen.add(booth.sharing.video_progress)
        time.sleep(0.05)
    assert not booth.sharing.video_token, "the video was not made in time"
    assert booth.sharing.video_progress == 1.0 and len(seen) > 2  # the bar moved
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    assert meta["video"] == "video.mp4" and "video_pending" not in meta
    with av.open(str(folder / "video.mp4")) as container:
        stream = container.streams.video[0]
        assert (stream.codec_context.width, stream.codec_context.height) == (720, 1280)
        assert float(container.duration / 1e6) > 9.2  # the take and the outro
    screenshot(booth, tmp_path, "shared-done")
    drawn.update(s for s, _ in booth.test_text.drawn)
    assert any("视频生成中" in s for s in drawn) and any("视频已加入分享页" in s for s in drawn)
    [kept] = [p for p in (data_dir / "recordings").iterdir() if p.suffix == ".mp4"]
    # The kiosk's copy follows the recording's retention.
    gone = prune_recordings(data_dir / "recordings", keep_days=0, now=time.time() + 60)
    assert kept in gone and not kept.exists()
