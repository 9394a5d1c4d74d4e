"""Families' share pages: kiosks upload a shared recitation (their xAPI credential) and, when the booth made one,
its video; anyone with the link sees the poem, scores, a player (the video inline) and a download until it expires or the 6-digit delete code removes it."""
from __future__ import annotations

import hashlib
import hmac
import json
import re
from datetime import timedelta
from pathlib import Path

from flask import current_app, g, jsonify, render_template, request, send_file
from sqlalchemy import delete, select, update

from server.db import write_transaction
from server.jsonbody import JSONBodyError, read_json
from server.portal.access import kiosk_required
from server.portal.blueprint import engine, now, share_bp, tr
from server.portal import share_view
from server.portal.models import Share
from server.private_files import write_private

TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{22,64}$")  # signed: 43 characters (256 bits); older kiosks: 30 (176 bits)
MARKS_RE = re.compile(r"[gum|]{0,1200}")  # per-character marks from the booth (experiences.share.MARKS_RE)
UPLOAD_ID_RE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
# A kiosk's queue of shares from before its upgrade (unsigned tokens) is kept this long on the kiosk.
UNSIGNED_GRACE = timedelta(days=7)
CODE_RE = re.compile(r"^[0-9]{6}$")
AUDIO_TYPES = {"FLAC": ("flac", "audio/flac"), "OGG": ("ogg", "audio/ogg")}
MAX_AUDIO_BYTES = 40 * 1024 * 1024
# The family's video (issue #18): H.264 + AAC MP4 at ≤ 2 Mbit/s; a booth take is at most 3 minutes (~46 MB).
MAX_VIDEO_BYTES = 48 * 1024 * 1024
# Per link, counted in the database (every server process sees the same count): 10 guesses an hour at a
# 1-in-a-million code is hopeless within a link's life, and a stranger's guesses lock the family out for an
# hour at most, never for good.
MAX_WRONG_CODES = 10
WRONG_CODE_WINDOW = timedelta(hours=1)


def delete_hash(token: str, code: str) -> str:
    return hashlib.sha256(f"{token}:{code}".encode()).hexdigest()


def share_dir() -> Path:
    from experiences import datadir

    from server.private_files import lock_down

    return lock_down(Path(current_app.config.get("SHARE_DIR") or datadir.server_dir() / "shares"))


def video_files(token: str) -> tuple[Path, Path]:
    """A share's video and its poster frame (there when the kiosk sent a video; older shares have none)."""
    return share_dir() / f"{token}.mp4", share_dir() / f"{token}.poster.jpg"


def remove_share_files(token: str, audio_file: str) -> None:
    for path in (share_dir() / audio_file, *video_files(token)):
        path.unlink(missing_ok=True)


def checked_video(data: bytes) -> bytes | None:
    """The poster (JPEG of the first frame) when `data` is an MP4 with H.264 video and AAC sound, else None."""
    import io

    if data[4:8] != b"ftyp":
        return None
    try:
        import av

        with av.open(io.BytesIO(data), format="mp4") as container:
            video, audio = container.streams.video, container.streams.audio
            if not video or video[0].codec_context.name != "h264" or (audio and audio[0].codec_context.name != "aac"):
                return None
            first = next(container.decode(video=0))
            poster = io.BytesIO()
            first.to_image().save(poster, format="JPEG", quality=82)
            return poster.getvalue()
    except Exception:  # not decodable: refused like any other bad upload
        return None


def purge_expired() -> int:
    """Delete expired shares and their audio and video files."""
    with write_transaction(engine()) as conn:
        rows = conn.execute(select(Share.id, Share.token, Share.audio_file).where(Share.expires <= now())).all()
        if rows:
            conn.execute(delete(Share).where(Share.id.in_([r.id for r in rows])))
    for row in rows:
        remove_share_files(row.token, row.audio_file)
    return len(rows)


@share_bp.route("/api/upload", methods=["POST"])
@kiosk_required
def upload_share():
    from experiences.share import NICKNAMES

    try:
        meta = read_json(request.form.get("meta", ""), "meta", max_depth=4)
    except JSONBodyError as error:
        return jsonify({"error": str(error)}), 400
    if not isinstance(meta, dict):
        return jsonify({"error": "meta must be a JSON object"}), 400
    token, code = str(meta.get("token", "")), str(meta.get("delete_code", ""))
    refusal = _token_refusal(token, str(meta.get("upload_id") or ""))
    if refusal:
        return jsonify({"error": refusal}), 400
    nickname = str(meta.get("nickname") or "")
    scores = meta.get("scores") if isinstance(meta.get("scores"), dict) else {}
    marks = meta.get("marks") if isinstance(meta.get("marks"), str) and MARKS_RE.fullmatch(meta["marks"]) else ""
    page_lang = meta.get("lang") if meta.get("lang") in ("zh-CN", "en") else ""  # the kiosk's language, if sent
    audio = request.files.get("audio")
    if not TOKEN_RE.match(token) or not CODE_RE.match(code) or audio is None:
        return jsonify({"error": "token, a 6-digit delete_code and the audio file are required"}), 400
    if nickname and nickname not in NICKNAMES:
        return jsonify({"error": "nickname must come from the kid-safe list"}), 400
    data = audio.stream.read(MAX_AUDIO_BYTES + 1)
    if len(data) > MAX_AUDIO_BYTES:
        return jsonify({"error": "recording too large"}), 413
    import io

    import soundfile

    try:
        info = soundfile.info(io.BytesIO(data))
    except Exception:
        return jsonify({"error": "the recording is not FLAC or OGG audio"}), 400
    if info.format not in AUDIO_TYPES:
        return jsonify({"error": "the recording is not FLAC or OGG audio"}), 400
    extension, _mime = AUDIO_TYPES[info.format]
    video = request.files.get("video")  # optional: the family's MP4, made by the booth beside the take
    video_data = poster = None
    if video is not None:
        video_data = video.stream.read(MAX_VIDEO_BYTES + 1)
        if len(video_data) > MAX_VIDEO_BYTES:
            return jsonify({"error": "video too large"}), 413
        poster = checked_video(video_data)
        if poster is None:
            return jsonify({"error": "the video is not an H.264/AAC MP4"}), 400
    with engine().connect() as conn:
        if conn.execute(select(Share.id).where(Share.token == token)).first() is not None:
            # A retried upload (already stored). The answer is that of a new upload, so it tells nobody whether
            # a token exists; a signed token can only be this kiosk's own anyway.
            return jsonify({"ok": True}), 201
    purge_expired()
    days = current_app.config["SHARE_DAYS"]
    if isinstance(meta.get("days"), int) and 0 < meta["days"] < days:
        days = meta["days"]
    audio_file = f"{token}.{extension}"
    write_private(share_dir() / audio_file, data)
    if video_data is not None:
        video_path, poster_path = video_files(token)
        write_private(poster_path, poster)
        write_private(video_path, video_data)
    created = now()
    with write_transaction(engine()) as conn:
        conn.execute(Share.__table__.insert().values(
            token=token, delete_hash=delete_hash(token, code), poem_id=str(meta.get("poem_id", ""))[:200],
            poem_title=str(meta.get("poem_title", ""))[:200], poem_text=str(meta.get("poem_text", ""))[:4000],
            scores=json.dumps({str(k)[:40]: v for k, v in scores.items() if isinstance(v, (int, float))}
                              | ({"_marks": marks} if marks else {}) | ({"_lang": page_lang} if page_lang else {})),
            nickname=nickname, audio_file=audio_file, audio_type=info.format, created=created,
            expires=created + timedelta(days=days)))
    return jsonify({"ok": True}), 201


def _token_refusal(token: str, upload_id: str) -> str:
    """Why this upload's token is refused, or "". A signed token must be share_token(this kiosk's secret,
    upload_id); an unsigned one (a kiosk not yet upgraded) is taken until that kiosk has signed for
    UNSIGNED_GRACE, and never when the library has set SHARE_ACCEPT_UNSIGNED to False."""
    from experiences.share import share_token
    from server.portal import publish as publishing
    from server.portal.access import basic_pair
    from server.portal.models import Kiosk

    if not TOKEN_RE.match(token):
        return "token, a 6-digit delete_code and the audio file are required"
    kiosk = publishing.kiosk_row(engine(), g.kiosk.key, g.kiosk.name)
    if upload_id:
        if not UPLOAD_ID_RE.match(upload_id) or not hmac.compare_digest(
                token.encode(), share_token(basic_pair()[1], upload_id).encode()):
            return "the token is not this kiosk's signature of upload_id"
        if kiosk["signed_shares_since"] is None:
            with write_transaction(engine()) as conn:
                conn.execute(update(Kiosk).where(Kiosk.id == kiosk["id"], Kiosk.signed_shares_since.is_(None))
                             .values(signed_shares_since=now()))
        return ""
    since = kiosk["signed_shares_since"]
    if not current_app.config["SHARE_ACCEPT_UNSIGNED"] or (since is not None and now() - since > UNSIGNED_GRACE):
        return "unsigned share tokens are no longer accepted from this kiosk: update its software"
    return ""


class ShareGone(Exception):
    """A share link that leads nowhere: "expired" (410) or "unknown" (404, also a deleted or long-expired one)."""

    def __init__(self, kind: str):
        super().__init__(kind)
        self.kind = kind


def _page_lang(row=None) -> str:
    """A share page speaks the language its kiosk spoke (zh-CN unless the booth sent "en"), or the one asked for
    with ?lang=; never the phone's Accept-Language: a family in a Chinese library reads Chinese."""
    asked = request.args.get("lang")
    if asked in ("zh-CN", "en"):
        return asked
    if row is not None:
        stored = json.loads(row.scores or "{}").get("_lang")
        if stored in ("zh-CN", "en"):
            return stored
    return "zh-CN"


def _live_share(token: str):
    g.page_lang = _page_lang()
    if not TOKEN_RE.match(token):
        raise ShareGone("unknown")
    with engine().connect() as conn:
        row = conn.execute(select(Share.__table__).where(Share.token == token)).first()
    if row is None:
        raise ShareGone("unknown")
    g.page_lang = _page_lang(row)
    if row.expires <= now():
        raise ShareGone("expired")
    return row


def share_gone_page(kind: str):
    status = 410 if kind == "expired" else 404
    g.page_lang = g.get("page_lang") or _page_lang()
    return render_template("share_gone.html", kind=kind, lang=g.page_lang), status


@share_bp.errorhandler(ShareGone)
def _gone(error: ShareGone):
    return share_gone_page(error.kind)


@share_bp.app_errorhandler(404)
def _not_found(error):
    """A mistyped share address (/s/…/…) gets the families' page too; every other 404 stays as it was."""
    if request.path.startswith("/s/") and not request.path.startswith("/s/api/"):
        return share_gone_page("unknown")
    return error


def _render_share(row, error: str = ""):
    scores = json.loads(row.scores or "{}")
    has_video = video_files(row.token)[0].is_file()
    wechat = "MicroMessenger" in request.headers.get("User-Agent", "")
    score = share_view.headline(scores)
    lines = share_view.poem_cells(row.poem_id, row.poem_text, scores)
    return render_template("share.html", share=row, lines=lines, byline=share_view.byline(row.poem_id),
                           marked=any(cell.mark for line in lines for phrase in line for cell in phrase), score=score, stars=share_view.stars(score), details=share_view.details(scores),
                           number=share_view.number, lang=g.page_lang, error=error, has_video=has_video,
                           wechat=wechat)


@share_bp.route("/<token>")
def share_page(token: str):
    return _render_share(_live_share(token))


@share_bp.route("/<token>/audio")
def share_audio(token: str):
    row = _live_share(token)
    extension, mime = AUDIO_TYPES[row.audio_type]
    download = request.args.get("download") == "1"
    return send_file(share_dir() / row.audio_file, mimetype=mime, as_attachment=download,
                     download_name=f"recitation.{extension}", max_age=0)


@share_bp.route("/<token>/video")
def share_video(token: str):
    """The MP4, with HTTP Range answered (206, Content-Range, Accept-Ranges): iOS and WeChat's browser need it."""
    row = _live_share(token)
    path = video_files(row.token)[0]
    if not path.is_file():
        raise ShareGone("unknown")
    download = request.args.get("download") == "1"
    return send_file(path, mimetype="video/mp4", as_attachment=download, download_name="recitation.mp4",
                     conditional=True, max_age=0)


@share_bp.route("/<token>/poster.jpg")
def share_poster(token: str):
    row = _live_share(token)
    path = video_files(row.token)[1]
    if not path.is_file():
        raise ShareGone("unknown")
    return send_file(path, mimetype="image/jpeg", max_age=0)


@share_bp.route("/<token>/delete", methods=["POST"])
def share_delete(token: str):
    row = _live_share(token)
    code = request.form.get("code", "").strip()
    window_open = row.wrong_since is not None and now() - row.wrong_since < WRONG_CODE_WINDOW
    if window_open and row.wrong_codes >= MAX_WRONG_CODES:
        return _render_share(row, tr("share.too_many")), 429
    if not CODE_RE.match(code) or not hmac.compare_digest(delete_hash(token, code), row.delete_hash):
        with write_transaction(engine()) as conn:
            if window_open:  # one UPDATE, so concurrent guesses are all counted
                conn.execute(update(Share).where(Share.id == row.id).values(wrong_codes=Share.wrong_codes + 1))
            else:
                conn.execute(update(Share).where(Share.id == row.id).values(wrong_codes=1, wrong_since=now()))
        return _render_share(row, tr("share.wrong_code")), 403
    with write_transaction(engine()) as conn:
        conn.execute(delete(Share).where(Share.id == row.id))
    remove_share_files(row.token, row.audio_file)
    return render_template("share_deleted.html", lang=g.page_lang)
