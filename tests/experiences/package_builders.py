"""Builders for validation tests: a good package folder, a test kind with a check hook, hand-made zips.

Imported by test_validation.py, test_archives.py and test_pack.py (same folder, no conftest needed).
"""
from __future__ import annotations

import json
import re
import struct
import sys
import zipfile
import zlib
from pathlib import Path

import numpy as np
import soundfile
from PIL import Image

from experiences.kinds import Kind, KindRegistry

KIND_NAME = "test-quiz"

QUIZ_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["data"],
    "properties": {
        "data": {"type": "string"},
        "sound": {"type": "string"},
        "rounds": {"type": "integer", "minimum": 1},
    },
    "additionalProperties": False,
}

# A kind's check hook, written the way kinds write theirs: only the public helpers and report API.
HOOK_MODULE = '''
"""Check hook of the test kind used by the validation tests."""
from experiences.validation import load_json, require_file


class Experience:
    """The runner a playable kind names; validation never starts it."""


def check(package, report):
    content = package.manifest.content
    if "sound" in content:
        require_file(package, report, content["sound"], "content.sound", kinds=("audio",))
    data_file = content["data"]
    data = load_json(package, report, data_file, "content.data")
    if not isinstance(data, dict):
        return
    for i, question in enumerate(data.get("questions", [])):
        if "image" in question:
            require_file(package, report, question["image"], f"questions[{i}].image", kinds=("image",),
                         file=data_file)
        if question.get("answer") not in question.get("choices", []):
            report.error(data_file, f"questions[{i}].answer", "quiz_answer_not_a_choice",
                         answer=question.get("answer"), choices=question.get("choices", []))


def crash(package, report):
    raise RuntimeError("hook exploded")
'''


def install_hook_module(folder: Path, monkeypatch) -> None:
    (folder / "yuedu_test_quiz.py").write_text(HOOK_MODULE, encoding="utf-8")
    monkeypatch.syspath_prepend(str(folder))
    sys.modules.pop("yuedu_test_quiz", None)


def quiz_registry(folder: Path, check: str = "yuedu_test_quiz:check", schema: dict | None = None,
                  runner: str = "yuedu_test_quiz:Experience") -> KindRegistry:
    schema_path = folder / f"{KIND_NAME}.schema.json"
    schema_path.write_text(json.dumps(schema if schema is not None else QUIZ_SCHEMA), encoding="utf-8")
    return KindRegistry([Kind(name=KIND_NAME, schema_path=schema_path, runner=runner, check=check)])


def _toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(value)


def _toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key, ensure_ascii=False)


def dump_toml(data: dict) -> str:
    """Enough TOML for manifests: scalars, lists, one level of tables and arrays of tables."""
    lines, tables = [], []
    for key, value in data.items():
        if isinstance(value, dict) or (isinstance(value, list) and value and all(isinstance(v, dict) for v in value)):
            tables.append((key, value))
        else:
            lines.append(f"{_toml_key(key)} = {_toml_value(value)}")
    for key, value in tables:
        for table in value if isinstance(value, list) else [value]:
            lines.append("")
            lines.append(f"[[{_toml_key(key)}]]" if isinstance(value, list) else f"[{_toml_key(key)}]")
            lines.extend(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in table.items())
    return "\n".join(lines) + "\n"


def good_manifest(**changes) -> dict:
    manifest = {
        "format": 1,
        "id": "org.example.library.quiz",
        "version": "1.0.0",
        "kind": KIND_NAME,
        "engine": ">=0.1,<1",
        "language": "zh-CN",
        "age_bands": ["6-8", "9-12"],
        "cover": "cover.png",
        "title": {"zh-CN": "小测验", "en": "Little quiz"},
        "description": {"zh-CN": "看图选字。", "en": "Pick the character."},
        "credits": [{"name": "Yuedu tests", "role": "everything", "license": "MIT", "license_file": "LICENSE.txt"}],
        "content": {"data": "data/questions.json", "sound": "audio/ding.wav"},
    }
    manifest.update(changes)
    return {k: v for k, v in manifest.items() if v is not None}


def write_png(path: Path, size=(64, 48), color="orange") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, color).save(path)


def write_wav(path: Path, seconds: float = 0.2, rate: int = 16000) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    t = np.arange(int(seconds * rate)) / rate
    soundfile.write(path, (0.3 * np.sin(2 * np.pi * 440 * t)).astype("float32"), rate, subtype="PCM_16")


def make_package(folder: Path, manifest: dict | None = None, questions: list | None = None) -> Path:
    """A complete, valid package folder (unless the arguments break it)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "experience.toml").write_text(dump_toml(manifest or good_manifest()), encoding="utf-8")
    write_png(folder / "cover.png", (320, 200))
    write_png(folder / "images" / "horse.png")
    write_wav(folder / "audio" / "ding.wav")
    (folder / "LICENSE.txt").write_text("MIT License\n", encoding="utf-8")
    if questions is None:
        questions = [{"image": "images/horse.png", "choices": ["马", "鸟"], "answer": "马"}]
    (folder / "data").mkdir(exist_ok=True)
    (folder / "data" / "questions.json").write_text(json.dumps({"questions": questions}, ensure_ascii=False),
                                                    encoding="utf-8")
    return folder


def zip_folder(folder: Path, zip_path: Path, top: str = "") -> Path:
    with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                zf.write(path, top + path.relative_to(folder).as_posix())
    return zip_path


def write_zip(zip_path: Path, entries: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> Path:
    """A zip whose entry names are written exactly as given (zipfile keeps '..', '/', '\\' on Linux)."""
    with zipfile.ZipFile(zip_path, "w", compression) as zf:
        for name, data in entries.items():
            zf.writestr(zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0)), data, compress_type=compression)
    return zip_path


def patch_central_entry(zip_path: Path, name: str, *, flag_bits: int | None = None,
                        file_size: int | None = None, header_offset: int | None = None,
                        extract_version: int | None = None) -> None:
    """Rewrite fields of one central-directory record, as a hostile tool would."""
    data = bytearray(zip_path.read_bytes())
    raw_name = name.encode("utf-8")
    pos = 0
    while True:
        pos = data.find(b"PK\x01\x02", pos)
        if pos < 0:
            raise KeyError(name)
        name_len = struct.unpack_from("<H", data, pos + 28)[0]
        if bytes(data[pos + 46:pos + 46 + name_len]) == raw_name:
            break
        pos += 4
    if flag_bits is not None:
        struct.pack_into("<H", data, pos + 8, struct.unpack_from("<H", data, pos + 8)[0] | flag_bits)
    if extract_version is not None:
        struct.pack_into("<H", data, pos + 6, extract_version)
    if file_size is not None:
        struct.pack_into("<I", data, pos + 24, file_size)
    if header_offset is not None:
        struct.pack_into("<I", data, pos + 42, header_offset)
    zip_path.write_bytes(bytes(data))


def png_header_only(width: int, height: int) -> bytes:
    """A PNG whose header claims a size (a decompression-bomb shape) with almost no pixel data."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 16)) + chunk(b"IEND", b"")
