"""Families' share links for the recitation booth: `queue_share(...)` encodes the take, queues it in a durable
folder outbox and returns the link, a 6-digit delete code and a QR code; `ShareUploader` sends the queue.

The booth calls only queue_share, and only when the family chose to share. No names: an optional nickname
comes from NICKNAMES (picked on screen, never typed).
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import os
import re
import secrets
import shutil
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

from experiences import datadir
from experiences.periodic import PeriodicTask

log = logging.getLogger(__name__)

# Kid-safe nicknames a family may pick at the booth (the server accepts nothing else).
NICKNAMES = ("小熊猫", "小老虎", "小白兔", "小海豚", "小松鼠", "小燕子", "小企鹅", "小鲸鱼", "小狐狸", "小鹿",
             "小猫头鹰", "小蜜蜂", "Little Panda", "Little Tiger", "Little Rabbit", "Little Dolphin")
FORMATS = {"flac": ("FLAC", "PCM_16"), "ogg": ("OGG", "VORBIS")}
UPLOAD_PATH = "/s/api/upload"
WRITE_BLOCK = 48000  # frames per write: ~60 s of Vorbis in one call crashes the process
VIDEO_WAIT_S = 15 * 60  # a share whose video is still being made waits this long for it, then goes without


def share_token(secret: str, upload_id: str) -> str:
    """The share link's token: an HMAC-SHA256 of the kiosk's secret and a random upload id (256 bits, URL-safe).

    The kiosk knows it at once (the QR shows while the service is down); the server, which sees the secret on the
    upload's HTTP Basic header, recomputes it, so no kiosk can choose a token."""
    mac = hmac.new(secret.encode("utf-8"), f"yuedu-share-v1:{upload_id}".encode("utf-8"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).decode("ascii").rstrip("=")


class ShareError(ValueError):
    """The share could not be queued (no public base URL, unknown nickname, unreadable recording)."""


@dataclass(frozen=True)
class ShareTicket:
    """What the booth shows: the link (as a QR code) and the delete code."""

    url: str
    delete_code: str
    qr_png: bytes
    token: str


def share_outbox_dir() -> Path:
    return datadir.sub_dir("share-outbox")


def _public_base_url(config) -> str:
    base = (config.server.public_base_url or "").rstrip("/")
    host = base.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0].lower()
    if not base.startswith(("http://", "https://")) or host in ("127.0.0.1", "localhost", "0.0.0.0", "::1", "[::1]"):
        raise ShareError("kiosk.toml [server] public_base_url must be the library's public address "
                         "(not 127.0.0.1) before recordings can be shared")
    return base


def qr_png(url: str, scale: int = 8) -> bytes:
    import io

    import segno

    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()


MARKS_RE = re.compile(r"[gum|]{0,1200}")  # per-character marks (g said well, u unclear, m not heard), "|" per line


def marks_of(scores: dict | None) -> str:
    """The recitation's per-character marks sent beside the scores (scores["marks"]), or "" when absent/invalid."""
    marks = (scores or {}).get("marks")
    return marks if isinstance(marks, str) and MARKS_RE.fullmatch(marks) else ""


def queue_share(recording_path, poem_id: str, scores: dict, nickname: str = "", *, config=None,
                poem_title: str = "", poem_text: str = "", audio_format: str = "ogg", days: int | None = None,
                outbox: Path | None = None, video=None) -> ShareTicket:
    """Queue a recording for its share page; returns the URL, the 6-digit delete code and a QR PNG at once
    (the page works as soon as the upload has gone through). `days`: a shorter expiry than the server's
    SHARE_DAYS (default 30) for this library. `video`: the family's MP4 of this take (a path), or "pending" while
    the booth still makes it (attach_video adds it; the uploader waits up to VIDEO_WAIT_S)."""
    import soundfile

    if config is None:
        from experiences.config import load_config

        config = load_config(create=False)
    base = _public_base_url(config)
    if nickname and nickname not in NICKNAMES:
        raise ShareError(f"nickname must be one of the kid-safe list, not {nickname!r}")
    if audio_format not in FORMATS:
        raise ShareError(f"audio_format must be one of {sorted(FORMATS)}")
    upload_id = secrets.token_urlsafe(16)
    secret = config.server.secret
    if secret:
        token = share_token(secret, upload_id)
    else:  # no credential to sign with: a random token, which a server refusing unsigned shares will not take
        log.warning("kiosk.toml [server] secret is unset: this share's token is unsigned")
        token = secrets.token_urlsafe(22)  # 176 bits
    delete_code = f"{secrets.randbelow(10**6):06d}"
    outbox = Path(outbox) if outbox is not None else share_outbox_dir()
    staging = outbox / f".{token}.partial"
    staging.mkdir(parents=True)
    try:
        data, rate = soundfile.read(str(recording_path), always_2d=False)
        container, subtype = FORMATS[audio_format]
        with soundfile.SoundFile(str(staging / f"audio.{audio_format}"), "w", rate, 1 if data.ndim == 1 else
                                 data.shape[1], format=container, subtype=subtype) as out:
            for start in range(0, len(data), WRITE_BLOCK):  # one big Vorbis write segfaults libsndfile 1.2.2
                out.write(data[start:start + WRITE_BLOCK])
        meta = {"token": token, "delete_code": delete_code, "poem_id": poem_id, "poem_title": poem_title,
                "poem_text": poem_text, "scores": {str(k): v for k, v in (scores or {}).items()
                                                   if isinstance(v, (int, float))},
                "marks": marks_of(scores),
                "nickname": nickname, "audio": f"audio.{audio_format}",
                # the page speaks the kiosk's language, never the phone's
                "lang": "en" if str(getattr(getattr(config, "kiosk", None), "language", "")).startswith("en")
                else "zh-CN"}
        if secret:
            meta["upload_id"] = upload_id  # the server recomputes the token from it and the secret
        if days is not None:
            meta["days"] = int(days)
        if video == "pending":  # the booth is still making it: attach_video() adds it, the uploader waits
            meta["video_pending"] = True
        elif video is not None:
            shutil.copyfile(video, staging / "video.mp4")
            meta["video"] = "video.mp4"
        (staging / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        os.replace(staging, outbox / token)  # durable and complete, or not there at all
    except Exception as exc:
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(exc, ShareError):
            raise
        raise ShareError(f"the recording could not be prepared: {exc}") from exc
    url = f"{base}/s/{token}"
    return ShareTicket(url=url, delete_code=delete_code, qr_png=qr_png(url), token=token)


def attach_video(token: str, video_path, outbox: Path | None = None) -> bool:
    """Add the family's finished video to a share still in the queue (queued with video="pending"); False when
    the share has already gone (uploaded or expired) — it then stays audio-only."""
    folder = (Path(outbox) if outbox is not None else share_outbox_dir()) / token
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    partial = folder / ".video.mp4.partial"
    try:
        shutil.copyfile(video_path, partial)
        os.replace(partial, folder / "video.mp4")
    except OSError:  # the share was sent (or expired) meanwhile
        return False
    meta.pop("video_pending", None)
    meta["video"] = "video.mp4"
    fresh = folder / ".meta.json.partial"
    fresh.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    os.replace(fresh, folder / "meta.json")  # atomic: the uploader reads the old meta or the new, never half
    return True


def video_failed(token: str, outbox: Path | None = None) -> None:
    """The booth could not make the video: send the share without waiting for it."""
    folder = (Path(outbox) if outbox is not None else share_outbox_dir()) / token
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    meta.pop("video_pending", None)
    fresh = folder / ".meta.json.partial"
    fresh.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    os.replace(fresh, folder / "meta.json")


class ShareUploader:
    """Sends queued shares to the server (kiosk credential); an entry leaves the queue only when stored."""

    def __init__(self, server_url: str, key: str, secret: str, outbox: Path | None = None, timeout: float = 60.0,
                 keep_days: float = 7.0, clock=time.time):
        self.server_url = server_url.rstrip("/")
        self.keep_seconds = keep_days * 86400  # the consent screen's promise: kiosk copies go after this
        self.clock = clock
        self.auth = "Basic " + base64.b64encode(f"{key}:{secret}".encode()).decode()
        self.outbox = Path(outbox) if outbox is not None else share_outbox_dir()
        self.timeout = timeout
        self._task: PeriodicTask | None = None

    def pending(self) -> list[Path]:
        return sorted(p for p in self.outbox.iterdir() if p.is_dir() and not p.name.startswith("."))

    def expire(self) -> int:
        """Delete queued shares older than the kiosk keeps recordings (never uploaded: the family was told the
        copy here is gone after that), and staging folders a crash left behind. Returns how many went."""
        gone = 0
        now = self.clock()
        for folder in self.outbox.iterdir():
            if not folder.is_dir():
                continue
            limit = 3600 if folder.name.startswith(".") else self.keep_seconds
            if now - folder.stat().st_mtime > limit:
                shutil.rmtree(folder, ignore_errors=True)
                gone += 1
                log.info("share %s expired on this kiosk before it could be uploaded", folder.name)
        return gone

    def send_all(self) -> int:
        """Upload every queued share; returns how many were stored. Failures stay queued for the next try."""
        self.expire()
        sent = 0
        for folder in self.pending():
            try:
                meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
                if meta.get("video_pending") and self.clock() - folder.stat().st_mtime < VIDEO_WAIT_S:
                    continue  # its video is still being made in the booth
                audio = (folder / meta["audio"]).read_bytes()
                video = (folder / meta["video"]).read_bytes() if meta.get("video") else None
            except (OSError, ValueError, KeyError):
                log.warning("share %s is unreadable; left in the queue", folder.name)
                continue
            if self._post(meta, audio, video):
                shutil.rmtree(folder, ignore_errors=True)
                sent += 1
        return sent

    def _post(self, meta: dict, audio: bytes, video: bytes | None = None) -> bool:
        boundary = uuid.uuid4().hex
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"meta\"\r\n"
                f"Content-Type: application/json\r\n\r\n").encode() + json.dumps(meta).encode("utf-8") + (
            f"\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"audio\"; filename=\"{meta['audio']}\"\r\n"
            f"Content-Type: application/octet-stream\r\n\r\n").encode() + audio
        if video is not None:
            body += (f"\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"video\"; filename=\"video.mp4\"\r\n"
                     f"Content-Type: video/mp4\r\n\r\n").encode() + video
        body += f"\r\n--{boundary}--\r\n".encode()
        request = urllib.request.Request(self.server_url + UPLOAD_PATH, data=body, method="POST", headers={
            "Authorization": self.auth, "Content-Type": f"multipart/form-data; boundary={boundary}"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.status in (200, 201)
        except urllib.error.HTTPError as exc:
            log.warning("share upload refused: HTTP %s", exc.code)
            return False
        except OSError as exc:
            log.info("share upload failed, will retry: %s", exc)
            return False

    def start(self, interval: float = 30.0) -> "ShareUploader":
        if self._task is None:
            self._task = PeriodicTask(self.send_all, interval, "yuedu-share", "share upload").start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        if self._task is not None:
            self._task.stop(timeout)
            self._task = None
