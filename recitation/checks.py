"""The recitation kind's check hook: what the JSON Schema cannot say about a package's poems and files.

Every problem goes to `report.error/warning(file, field, code, **params)`; texts are validation.<code>.* in
recitation/messages. Checks: poems file readable and schema-valid, unique ids, pinyin aligned to the text,
LRC files present, parseable and matching the poem's wording, audio files present and decodable, and the
family video's pictures and music (recitation/video/media.py: present, right type, not too big, decoding).
"""
from __future__ import annotations

import io
import json
from functools import lru_cache
from pathlib import Path

from experiences.validation.content_file import read_content_json
from recitation.scoring.text import SPOKEN
from recitation.timing.lrc import LrcError, parse_lrc, timeline_for_text

SCHEMA_PATH = Path(__file__).with_name("schemas") / "recitation.schema.json"
MANIFEST = "experience.toml"
AUDIO_MAX_SECONDS = 600.0


@lru_cache(maxsize=1)
def _poems_validator():
    import jsonschema

    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    poems_schema = {"$defs": schema["$defs"], **schema["$defs"]["poems"]}
    return jsonschema.Draft202012Validator(poems_schema)


def _path(parts) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def check_package(package, report) -> None:
    content = package.manifest.content
    loaded = read_content_json(package, "poems")
    name, poems = loaded.name, loaded.data
    if loaded.missing:
        report.error(MANIFEST, "content.poems", "recitation_file_missing", name=name)
    elif loaded.not_json:
        report.error(name, "", "recitation_poems_not_json", detail=loaded.not_json[:200])
    if not loaded.ok:
        return  # (no name: the schema reported it)
    errors = sorted(_poems_validator().iter_errors(poems), key=lambda e: list(e.absolute_path))
    for error in errors[:50]:  # one error list for the whole file, but not thousands of lines
        report.error(name, _path(error.absolute_path), "recitation_poem_schema", detail=error.message[:200])
    if errors:
        return
    music = content.get("music")
    if isinstance(music, str):
        _check_audio(package, report, MANIFEST, "content.music", music)
    seen: dict[str, int] = {}
    for index, poem in enumerate(poems):
        where = f"[{index}]"
        if poem["id"] in seen:
            report.error(name, f"{where}.id", "recitation_duplicate_id", id=poem["id"], first=seen[poem["id"]])
        seen.setdefault(poem["id"], index)
        _check_pinyin(report, name, where, poem)
        if poem.get("lrc"):
            _check_lrc(package, report, name, where, poem)
        for key in ("audio", "music"):
            if poem.get(key):
                _check_audio(package, report, name, f"{where}.{key}", poem[key])
    from recitation.video.media import check_video_media

    check_video_media(package, report, poems, name)


def _check_pinyin(report, name: str, where: str, poem: dict) -> None:
    pinyin = poem.get("pinyin")
    if pinyin is None:
        return
    paragraphs = poem["paragraphs"]
    if len(pinyin) != len(paragraphs):
        report.error(name, f"{where}.pinyin", "recitation_pinyin_misaligned", title=poem["title"],
                     paragraph=len(pinyin), expected=len(paragraphs))
        return
    for p, (text, syllables) in enumerate(zip(paragraphs, pinyin)):
        if len(text) != len(syllables):
            report.error(name, f"{where}.pinyin[{p}]", "recitation_pinyin_misaligned", title=poem["title"],
                         paragraph=len(syllables), expected=len(text))
            continue
        blanks = [ch for ch, s in zip(text, syllables) if SPOKEN.match(ch) and not s.strip()]
        if blanks:
            report.warning(name, f"{where}.pinyin[{p}]", "recitation_pinyin_blank", title=poem["title"],
                           chars="".join(blanks))


def _check_lrc(package, report, name: str, where: str, poem: dict) -> None:
    lrc = poem["lrc"]
    if not package.source.exists(lrc):
        report.error(name, f"{where}.lrc", "recitation_file_missing", name=lrc)
        return
    try:
        timeline = parse_lrc(package.source.read_bytes(lrc).decode("utf-8-sig"))
    except UnicodeDecodeError:
        report.error(lrc, "", "recitation_lrc_encoding")
        return
    except LrcError as exc:
        report.error(lrc, f"line {exc.line}" if exc.line else "", f"recitation_{exc.code}", detail=exc.detail)
        return
    spoken = "".join(ch for ch in "".join(poem["paragraphs"]) if SPOKEN.match(ch))
    _, missing = timeline_for_text(timeline, spoken)
    extra = max(0, len(timeline.chars) - (len(spoken) - len(missing)))
    if missing or extra:
        report.warning(lrc, "", "recitation_lrc_text_mismatch", title=poem["title"], missing=len(missing),
                       extra=extra, sample="".join(spoken[i] for i in missing[:8]))


def _check_audio(package, report, file: str, field: str, audio: str) -> None:
    if not package.source.exists(audio):
        report.error(file, field, "recitation_file_missing", name=audio)
        return
    import soundfile

    try:
        info = soundfile.info(io.BytesIO(package.source.read_bytes(audio)))
    except Exception as exc:  # libsndfile raises its own error types for every kind of bad file
        report.error(audio, "", "recitation_audio_undecodable", detail=str(exc)[:200])
        return
    if info.frames == 0 or info.samplerate <= 0:
        report.error(audio, "", "recitation_audio_undecodable", detail="no audio frames")
    elif info.duration > AUDIO_MAX_SECONDS:
        report.warning(audio, "", "recitation_audio_long", seconds=round(info.duration), limit=AUDIO_MAX_SECONDS)
