"""The booth's side of 分享给家人: queue a saved take with experiences.share on a worker thread (a 3-minute take
takes ~1.3 s to encode, too long for a frame), then hand the screen its ticket or a kind "not here" outcome.
"""
from __future__ import annotations

import datetime as dt
import logging
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable

from experiences.share import NICKNAMES, ShareError, ShareTicket, queue_share

log = logging.getLogger(__name__)

DEFAULT_SHARE_DAYS = 30  # the server's default SHARE_DAYS; a package may ask for fewer ([content] share_days)
AUDIO_FORMAT = "ogg"  # Vorbis: a 10 s take is ~30 kB to upload instead of ~170 kB as FLAC


@dataclass(frozen=True)
class ShareOutcome:
    """What the booth shows after a share attempt: a ticket (QR, delete code) and the expiry date, or nothing."""

    ticket: ShareTicket | None
    expires: dt.date | None
    days: int

    @property
    def queued(self) -> bool:
        return self.ticket is not None


@lru_cache(maxsize=None)
def nickname_pinyin(name: str) -> str:
    """Tone-marked pinyin for a Chinese nickname (小熊猫 → xiǎo xióng māo); "" for the English ones."""
    if not any("\u4e00" <= ch <= "\u9fff" for ch in name):
        return ""
    from pypinyin import Style, lazy_pinyin

    return " ".join(lazy_pinyin(name, style=Style.TONE))


def nickname_choices() -> tuple[str, ...]:
    """The kid-safe list, in its order; the booth never lets anyone type a name."""
    return NICKNAMES


def uploads_configured(config) -> bool:
    """Shares are uploaded only by a kiosk with its server and credential (experiences.kiosk.services starts the
    uploader then); without them a QR would point at a page that never comes, so the booth does not offer one."""
    return bool(config.server.url and config.server.key)


def expiry_date(now_wall: float, days: int) -> dt.date:
    """The last local calendar day the link works (the server counts `days` from the upload; this is at most)."""
    return (dt.datetime.fromtimestamp(now_wall) + dt.timedelta(days=days)).date()


class ShareJob:
    """One share attempt running on a worker thread; `poll()` returns its outcome once, when it is done."""

    def __init__(self, take_path: Path, poem, scores: dict, nickname: str, config, days: int,
                 now_wall: float, queue: Callable[..., ShareTicket] = queue_share, video: str | None = None):
        self.days = days
        self.video = video  # "pending": the booth makes the family's video next; the share waits for it
        self._outcome: ShareOutcome | None = None
        self._done = threading.Event()
        args = dict(take_path=take_path, poem=poem, scores=scores, nickname=nickname, config=config,
                    now_wall=now_wall, queue=queue)
        self._thread = threading.Thread(target=self._run, kwargs=args, name="recitation-share", daemon=True)
        self._thread.start()

    def _run(self, take_path, poem, scores, nickname, config, now_wall, queue) -> None:
        try:
            if not uploads_configured(config):
                raise ShareError("kiosk.toml [server] url and key are needed to upload shares")
            extra = {"video": self.video} if self.video else {}
            ticket = queue(take_path, poem.id, scores, nickname, config=config, poem_title=poem.title,
                           poem_text="\n".join(poem.paragraphs), audio_format=AUDIO_FORMAT, days=self.days, **extra)
            self._outcome = ShareOutcome(ticket, expiry_date(now_wall, self.days), self.days)
        except ShareError as exc:  # not set up here (no public address), or the take could not be read
            log.warning("share not queued: %s", exc)
            self._outcome = ShareOutcome(None, None, self.days)
        except Exception:  # never crash the booth over a share; the take stays for playback
            log.exception("share failed")
            self._outcome = ShareOutcome(None, None, self.days)
        finally:
            self._done.set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until done (tests, and the booth's stop); True when finished."""
        return self._done.wait(timeout)

    def poll(self) -> ShareOutcome | None:
        return self._outcome if self._done.is_set() else None


class BoothSharing:
    """The share screens' side of one booth: the saved take, the job in flight, the outcome on screen.
    The booth passes it the share buttons' keys, calls update() each frame and draw() on the share screens."""

    def __init__(self, booth, wall_clock: Callable[[], float]):
        self.booth = booth
        self.wall_clock = wall_clock
        self.take_path: Path | None = None
        self.scores: dict = {}
        self.job: ShareJob | None = None
        self.outcome: ShareOutcome | None = None  # only a queued share: its QR can be shown again
        # The family's video (issue #18): made after a share in its own process, added to the queued share.
        self.video_enabled = bool(booth.package.manifest.content.get("video", True))
        self.video = None  # recitation.video.job.VideoJob in flight or finished
        self.video_token = ""

    @property
    def ticket(self) -> ShareTicket | None:
        return self.outcome.ticket if self.outcome is not None else None

    @property
    def days(self) -> int:
        return int(self.booth.package.manifest.content.get("share_days", DEFAULT_SHARE_DAYS))

    def take_saved(self, path: Path, scores: dict) -> None:
        """A new take is on disk: it is what a share sends; an earlier take's QR is no longer offered."""
        self.take_path, self.scores, self.outcome = Path(path), dict(scores), None
        self.booth.flow.take_saved = True

    def forget(self) -> None:
        """A new take or poem: drop the ticket from the screen (a queued share still goes up)."""
        self.take_path, self.scores, self.outcome = None, {}, None

    def press(self, key: str) -> None:
        flow = self.booth.flow
        if key == "share":
            flow.share(already_queued=self.ticket is not None)
        elif key.startswith("nick:"):
            flow.pick_nickname("" if key == "nick:none" else nickname_choices()[int(key[5:])])
        elif key == "share_confirm" and self.take_path is not None:
            from recitation.booth.flow import SHARING

            flow.confirm_share()
            if flow.screen == SHARING:
                self.job = ShareJob(self.take_path, self.booth.poem, self.scores, flow.nickname,
                                    self.booth.ctx.config, self.days, self.wall_clock(),
                                    video="pending" if self.video_enabled else None)
        elif key == "share_done":
            flow.back()

    def update(self) -> None:
        if self.job is None:
            return
        outcome = self.job.poll()
        if outcome is None:
            return
        video, self.job = self.job.video, None
        self.outcome = outcome if outcome.queued else None
        if outcome.queued and video == "pending":
            self._start_video(outcome.ticket.token)
        self.booth.flow.shared(outcome.queued)
        self.booth.ctx.mark_activity()  # the QR is up: give the family the whole idle time to scan it
        # No nickname, token or delete code in the statement: only that a family shared (or could not here).
        self.booth.ctx.reporter.report("interacted", self.booth._item(), extensions={
            "recitation-share": "queued" if outcome.queued else "unavailable", "recitation-share-days": outcome.days})

    @property
    def video_progress(self) -> float | None:
        """0..1 while the video is made (1.0: added to the share), None when there is none to show."""
        if self.video is None or self.video.failed:
            return None
        return self.video.progress

    def _start_video(self, token: str) -> None:
        from recitation.video.frames import VideoCard
        from recitation.video.job import VideoJob
        from recitation.video.media import video_media

        booth, flow = self.booth, self.booth.flow
        kiosk = booth.ctx.config.kiosk
        overall = self.scores.get("overall")
        card = VideoCard(nickname=flow.nickname, library=kiosk.library,
                         branch="" if kiosk.branch == "main" else kiosk.branch,
                         date=dt.date.fromtimestamp(self.wall_clock()).isoformat(),
                         score=int(overall) if isinstance(overall, (int, float)) and not flow.no_score else None,
                         show_pinyin=flow.show_pinyin)
        if self.video is not None and self.video.running:
            self.video.cancel()  # an earlier take's video: this share is the one the family waits for
        # The curator's picture and music for this poem (else the package's, else the booth's own music and
        # generated scenery): recitation.video.media.
        try:
            background, music = video_media(booth.package, booth.poem)
        except Exception:  # an unreadable file (the validator reports it): the video goes with the defaults
            log.exception("video media of %s unusable", booth.poem.id)
            background, music = None, None
        # Beside the take, so it follows the recording's retention (recitation.audio.takes.prune_recordings).
        self.video = VideoJob(self.take_path, booth.poem, self.take_path.with_suffix(".mp4"), card, music=music,
                              background=background).start()
        self.video_token = token

    def update_video(self) -> None:
        from experiences.share import attach_video, video_failed

        if self.video is None or not self.video_token:
            return
        if self.video.done:
            if not attach_video(self.video_token, self.video.path):
                log.info("share %s left before its video was ready", self.video_token[:6])
            self.video_token = ""
        elif self.video.failed:
            video_failed(self.video_token)  # the share goes without it
            self.video_token = ""

    def draw(self, surface, text, lang: str) -> None:
        from recitation.booth import flow as F
        from recitation.booth import share_screens

        screen = self.booth.flow.screen
        if screen == F.SHARE_PICK:
            share_screens.draw_share_pick(surface, text, self.days, lang)
        elif screen == F.SHARING:
            share_screens.draw_sharing(surface, text, lang)
        elif screen == F.SHARED and self.outcome is not None:
            share_screens.draw_shared(surface, text, self.outcome, self.booth.flow.nickname, lang,
                                      video=self.video_progress)
        elif screen == F.SHARE_OFF:
            share_screens.draw_share_off(surface, text, self.booth.ctx.config.storage.recordings_keep_days, lang)

    def stop(self, timeout: float = 5.0) -> None:
        """The family confirmed: let an encode in flight finish into the outbox before the booth closes.
        A video in the making goes on in its own process (the family may walk away); its share waits for it
        up to experiences.share.VIDEO_WAIT_S and then goes without."""
        if self.job is not None:
            self.job.wait(timeout)
