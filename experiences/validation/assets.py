"""Asset checks: referenced files exist and have the right type; images, audio, JSON and glTF decode.

`require_file` and `load_json` are the helpers kinds' check hooks use for their cross-references.
"""
from __future__ import annotations

import json
import re
import struct
import warnings
from pathlib import PurePosixPath

from experiences.validation.limits import Limits
from experiences.validation.report import Report

FILE_TYPES: dict[str, tuple[str, ...]] = {
    "image": (".png", ".jpg", ".jpeg", ".webp", ".gif", ".bmp"),
    "audio": (".wav", ".ogg", ".oga", ".flac", ".mp3"),
    "json": (".json",),
    "model": (".gltf", ".glb", ".bam", ".egg"),
    "text": (".txt", ".md", ".toml", ".csv", ".tsv"),
    "font": (".ttf", ".otf", ".ttc"),
    "video": (".mp4", ".webm", ".ogv"),
}
COVER_EXTENSIONS = (".png", ".jpg", ".jpeg", ".webp")
# What an image file really is (Pillow's format), whatever its extension: the kiosk and browsers both show these.
IMAGE_FORMATS = frozenset({"PNG", "JPEG", "WEBP", "GIF", "BMP"})
# Audio that neither libsndfile nor pygame's mixer can play: say so instead of failing at a kiosk.
UNPLAYABLE_AUDIO = (".m4a", ".aac", ".wma", ".amr", ".ape")
EXECUTABLE = (".py", ".pyc", ".exe", ".dll", ".so", ".dylib", ".sh", ".bat", ".cmd", ".ps1", ".js", ".jar")


def error_detail(exc: Exception) -> str:
    """An exception as a short detail for curators: no object reprs or absolute paths."""
    text = re.sub(r"\s*<[^>]*>", "", str(exc)).strip()
    return text[:200] or type(exc).__name__


def file_type(name: str) -> str | None:
    suffix = PurePosixPath(name).suffix.lower()
    for type_name, suffixes in FILE_TYPES.items():
        if suffix in suffixes:
            return type_name
    return None


def _safe_relative(name: str) -> bool:
    pure = PurePosixPath(name)
    return bool(name) and not pure.is_absolute() and ".." not in pure.parts and "\\" not in name


def require_file(package, report: Report, name, field: str, kinds: tuple[str, ...] = (),
                 file: str = "experience.toml") -> bool:
    """Report unless `name` is a file in the package of one of the given types ("image", "audio", "json",
    "model", "text", "font", "video"; empty: any). `file`/`field` say where the reference is written."""
    for kind in kinds:
        if kind not in FILE_TYPES:
            raise ValueError(f"unknown file type {kind!r}; use one of {sorted(FILE_TYPES)}")
    source = package.source
    if not isinstance(name, str) or not _safe_relative(name):
        report.error(file, field, "path_invalid", name=str(name))
        return False
    if not source.exists(name):
        lowered = {n.casefold(): n for n in source.names()}
        actual = lowered.get(name.casefold())
        if actual is not None:
            report.error(file, field, "file_case_mismatch", name=name, actual=actual)
        else:
            report.error(file, field, "file_missing", name=name)
        return False
    if kinds and file_type(name) not in kinds:
        expected = sorted({s for k in kinds for s in FILE_TYPES[k]})
        report.error(file, field, "file_wrong_type", name=name, expected=expected)
        return False
    return True


def load_json(package, report: Report, name, field: str, file: str = "experience.toml"):
    """The parsed JSON file `name` (referenced at `file` › `field`), or None after reporting why not."""
    if not require_file(package, report, name, field, kinds=("json",), file=file):
        return None
    return _parse_json(package.source, name, report, field)


def _parse_json(source, name: str, report: Report, field: str = ""):
    try:
        text = source.read_bytes(name).decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        report.error(name, field, "text_not_utf8", offset=exc.start)
        return None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        report.error(name, field, "json_invalid", line=exc.lineno, column=exc.colno, detail=exc.msg)
        return None
    except RecursionError:  # "[[[[…" a hundred thousand deep: hostile, or at least unusable
        report.error(name, field, "nesting_too_deep")
        return None


def check_image(source, name: str, report: Report, limits: Limits, field: str = "") -> None:
    from PIL import Image  # heavy; only when a package has images

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(source.open(name)) as image:
                width, height = image.size
                # Look at the header's size before decoding a single pixel.
                if width > limits.max_image_side or height > limits.max_image_side:
                    report.error(name, field, "image_too_large", width=width, height=height,
                                 limit=limits.max_image_side)
                    return
                if width == 0 or height == 0:
                    report.error(name, field, "image_undecodable", detail="0 px")
                    return
                if image.format not in IMAGE_FORMATS:  # e.g. a TIFF or PSD renamed .png: browsers show nothing
                    report.error(name, field, "image_format_unusable", format=image.format or "?")
                    return
                image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        report.error(name, field, "image_bomb", detail=error_detail(exc))
    except Exception as exc:  # Pillow raises many types for broken files; each one means "does not decode"
        report.error(name, field, "image_undecodable", detail=error_detail(exc))


def check_audio(source, name: str, report: Report, limits: Limits, field: str = "") -> None:
    import soundfile

    try:
        with soundfile.SoundFile(source.open(name)) as sound:
            if sound.samplerate <= 0:
                report.error(name, field, "audio_undecodable", detail="sample rate 0")
                return
            rate = sound.samplerate
            declared = sound.frames / rate
            if declared > limits.max_audio_seconds:
                report.error(name, field, "audio_too_long", seconds=f"{declared:.0f}",
                             limit=f"{limits.max_audio_seconds:.0f}")
                return
            decoded = 0
            while True:
                block = sound.read(65536, dtype="int16", always_2d=True)
                if not len(block):
                    break
                decoded += len(block)
    except Exception as exc:  # libsndfile reports every failure as a RuntimeError subclass or TypeError
        report.error(name, field, "audio_undecodable", detail=error_detail(exc))
        return
    seconds = decoded / rate
    if decoded == 0:
        report.error(name, field, "audio_empty")
    elif seconds > limits.max_audio_seconds:
        report.error(name, field, "audio_too_long", seconds=f"{seconds:.0f}", limit=f"{limits.max_audio_seconds:.0f}")


def _check_gltf_document(source, name: str, document, report: Report, field: str, embedded_bin: bool) -> None:
    if not isinstance(document, dict) or not isinstance(document.get("asset"), dict):
        report.error(name, field, "gltf_invalid", detail="no asset object")
        return
    version = str(document["asset"].get("version", ""))
    if not version.startswith("2."):
        report.error(name, field, "gltf_invalid", detail=f"asset.version {version or '?'} (need 2.0)")
    base = PurePosixPath(name).parent
    for group in ("buffers", "images"):
        for index, item in enumerate(document.get(group) or []):
            uri = item.get("uri") if isinstance(item, dict) else None
            if uri is None:
                if group == "buffers" and not embedded_bin:
                    report.error(name, f"{group}[{index}]", "gltf_invalid", detail="buffer without uri")
                continue
            if not isinstance(uri, str) or uri.startswith("data:"):
                continue
            from urllib.parse import unquote

            target = unquote(uri)
            path = (base / target).as_posix() if str(base) != "." else target
            if not _safe_relative(path) or not source.exists(path):
                report.error(name, f"{group}[{index}].uri", "gltf_missing_resource", uri=uri)


def check_gltf(source, name: str, report: Report, limits: Limits, field: str = "") -> None:
    document = _parse_json(source, name, report, field)
    if document is not None:
        _check_gltf_document(source, name, document, report, field, embedded_bin=False)


def check_glb(source, name: str, report: Report, limits: Limits, field: str = "") -> None:
    data = source.read_bytes(name)
    if len(data) < 20:
        report.error(name, field, "gltf_invalid", detail="shorter than a GLB header")
        return
    magic, version, length = struct.unpack_from("<4sII", data, 0)
    if magic != b"glTF" or version != 2:
        report.error(name, field, "gltf_invalid", detail="not a glTF 2.0 binary (magic/version)")
        return
    if length != len(data):
        report.error(name, field, "gltf_invalid", detail=f"header says {length} bytes, file has {len(data)}")
        return
    chunk_length, chunk_type = struct.unpack_from("<II", data, 12)
    if chunk_type != 0x4E4F534A or 20 + chunk_length > len(data):
        report.error(name, field, "gltf_invalid", detail="first chunk is not JSON")
        return
    try:
        document = json.loads(data[20:20 + chunk_length].decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        report.error(name, field, "gltf_invalid", detail=f"JSON chunk: {error_detail(exc)}")
        return
    _check_gltf_document(source, name, document, report, field, embedded_bin=True)


# Codes check_asset reports: a file that already has one of these was decoded (e.g. by a kind's load_json).
ASSET_CODES = frozenset({"text_not_utf8", "json_invalid", "nesting_too_deep", "image_too_large", "image_undecodable", "image_bomb",
                         "image_format_unusable",
                         "audio_undecodable", "audio_too_long", "audio_empty", "gltf_invalid",
                         "gltf_missing_resource", "audio_unsupported_format", "executable_file"})


def check_asset(source, name: str, report: Report, limits: Limits, field: str = "") -> None:
    """Decode one file according to its extension; files of other types are left alone."""
    suffix = PurePosixPath(name).suffix.lower()
    kind = file_type(name)
    if kind == "image":
        check_image(source, name, report, limits, field)
    elif kind == "audio":
        check_audio(source, name, report, limits, field)
    elif suffix == ".json":
        _parse_json(source, name, report, field)
    elif suffix == ".gltf":
        check_gltf(source, name, report, limits, field)
    elif suffix == ".glb":
        check_glb(source, name, report, limits, field)
    elif suffix in UNPLAYABLE_AUDIO:
        report.error(name, field, "audio_unsupported_format", format=suffix)
    elif suffix in EXECUTABLE:
        report.warning(name, field, "executable_file")
