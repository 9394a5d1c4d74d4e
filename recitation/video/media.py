"""The family's video's own picture and music, as a recitation package names them (issue #18):
`video_background` / `video_music` on a poem, else the package's `[content]` defaults, else the booth's music
(`music`) and generated ink-wash scenery.

`check_video_media` is the check hook's part: every file is really decoded (Pillow for pictures, libsndfile for
sound, as the video job reads them), with clear 中文/English messages (validation.recitation_video_* in
recitation/messages/video.*.toml). `video_media` is the booth's part: real file paths for the video job.
"""
from __future__ import annotations

import io
import warnings
from pathlib import PurePosixPath

BACKGROUND_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp")
MUSIC_SUFFIXES = (".ogg", ".oga", ".wav", ".flac", ".mp3")
BACKGROUND_MAX_BYTES = 15 * 1024 * 1024
MUSIC_MAX_BYTES = 30 * 1024 * 1024
BACKGROUND_MAX_SIDE = 8192  # pixels; the video is 720×1280, anything bigger is only scaled down
BACKGROUND_MIN_SIDE = 360  # shorter side; smaller pictures look blurry behind the poem (a warning)
MUSIC_MAX_SECONDS = 600.0  # longer is almost surely the wrong file (a warning): a video is a minute or two
MANIFEST = "experience.toml"


def _suffix(name: str) -> str:
    return PurePosixPath(name).suffix.lower()


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}"


def check_video_media(package, report, poems: list[dict], poems_file: str) -> None:
    """Report on every `video_background` / `video_music` the package names (its defaults and each poem's)."""
    content = package.manifest.content
    for key, check in (("video_background", check_background), ("video_music", check_music)):
        if isinstance(content.get(key), str):
            check(package, report, MANIFEST, f"content.{key}", content[key])
    for index, poem in enumerate(poems):
        for key, check in (("video_background", check_background), ("video_music", check_music)):
            if poem.get(key):
                check(package, report, poems_file, f"[{index}].{key}", poem[key])


def _present(package, report, file: str, field: str, name: str, suffixes: tuple[str, ...], limit: int,
             what: str) -> bool:
    if not package.source.exists(name):
        report.error(file, field, "recitation_file_missing", name=name)
        return False
    if _suffix(name) not in suffixes:
        report.error(file, field, f"recitation_video_{what}_type", name=name, suffix=_suffix(name) or "—",
                     expected="、".join(s.lstrip(".").upper() for s in suffixes))
        return False
    size = package.source.size(name)
    if size > limit:
        report.error(file, field, f"recitation_video_{what}_too_big", name=name, size_mb=_mb(size),
                     limit_mb=_mb(limit))
        return False
    return True


def check_background(package, report, file: str, field: str, name: str) -> None:
    """A picture the video can stand on: present, PNG/JPEG/WebP, not too big, and decoding to pixels."""
    if not _present(package, report, file, field, name, BACKGROUND_SUFFIXES, BACKGROUND_MAX_BYTES, "background"):
        return
    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(package.source.read_bytes(name))) as image:
                width, height = image.size
                if max(width, height) > BACKGROUND_MAX_SIDE:
                    report.error(name, "", "recitation_video_background_huge", width=width, height=height,
                                 limit=BACKGROUND_MAX_SIDE)
                    return
                image.load()  # every pixel: a truncated or corrupt file fails here, not in the booth
                image.convert("RGB")
    except Exception as exc:  # Pillow raises many types for broken files; each one means "does not decode"
        report.error(name, "", "recitation_video_background_undecodable", name=name, detail=_detail(exc))
        return
    if min(width, height) < BACKGROUND_MIN_SIDE:
        report.warning(name, "", "recitation_video_background_small", width=width, height=height,
                       limit=BACKGROUND_MIN_SIDE)


def check_music(package, report, file: str, field: str, name: str) -> None:
    """Music the video can play: present, OGG/FLAC/WAV/MP3, not too big, decoding to sound from start to end."""
    if not _present(package, report, file, field, name, MUSIC_SUFFIXES, MUSIC_MAX_BYTES, "music"):
        return
    import numpy as np
    import soundfile

    try:
        with soundfile.SoundFile(io.BytesIO(package.source.read_bytes(name))) as sound:
            rate, frames, peak = sound.samplerate, 0, 0.0
            for block in sound.blocks(blocksize=65536, dtype="float32", always_2d=True):
                frames += len(block)
                peak = max(peak, float(np.abs(block).max(initial=0.0)))
    except Exception as exc:  # libsndfile raises its own error types for every kind of bad file
        report.error(name, "", "recitation_video_music_undecodable", name=name, detail=_detail(exc))
        return
    if frames == 0 or rate <= 0:
        report.error(name, "", "recitation_video_music_undecodable", name=name, detail="no audio frames")
        return
    if frames / rate > MUSIC_MAX_SECONDS:
        report.warning(name, "", "recitation_video_music_long", seconds=round(frames / rate),
                       limit=round(MUSIC_MAX_SECONDS))
    if peak < 1e-4:
        report.warning(name, "", "recitation_video_music_silent", name=name)


def _detail(exc: Exception) -> str:
    from experiences.validation.assets import error_detail

    return error_detail(exc)


def video_media(package, poem) -> tuple[str | None, str | None]:
    """(background picture, music) file paths for this poem's video: its own, else the package's video
    defaults, else the booth's music (this poem's loop or the package's) and None (generated scenery).
    A zip package's files are unpacked into the kiosk's cache (PackageSource.local_path)."""
    content = package.manifest.content
    background = getattr(poem, "video_background", "") or content.get("video_background") or ""
    music = (getattr(poem, "video_music", "") or content.get("video_music") or getattr(poem, "music", "")
             or content.get("music") or "")

    def path(name: str) -> str | None:
        if not name or not package.source.exists(name):
            return None
        return str(package.source.local_path(name))

    return path(background), path(music)
