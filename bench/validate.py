"""What full validation costs on a realistic package zip, against a baseline of the bare decoding it cannot
avoid (read every entry, json.loads, Pillow load, soundfile read) in the same run; and safe_extract against
zipfile.extractall.

    .venv/bin/python bench/validate.py [IMAGES] [SOUNDS] [JSON_RECORDS]
"""
from __future__ import annotations

import io
import json
import shutil
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import numpy as np
import soundfile
from PIL import Image

from experiences.catalog import Catalog
from experiences.kinds import Kind, KindRegistry
from experiences.validation import safe_extract, validate_package

MANIFEST = """format = 1
id = "org.example.bench"
version = "1.0.0"
kind = "bench-data"
engine = ">=0.1"
age_bands = ["all"]
cover = "images/0000.png"
[title]
zh-CN = "基准"
[[credits]]
name = "bench"
license = "MIT"
"""


def build(folder: Path, images: int, sounds: int, records: int) -> Path:
    rng = np.random.default_rng(7)
    zip_path = folder / "bench.zip"
    with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("experience.toml", MANIFEST)
        for i in range(images):
            buffer = io.BytesIO()
            Image.fromarray(rng.integers(0, 255, (384, 512, 3), dtype=np.uint8)).save(buffer, "PNG")
            zf.writestr(f"images/{i:04d}.png", buffer.getvalue())
        for i in range(sounds):
            buffer = io.BytesIO()
            soundfile.write(buffer, rng.normal(0, 0.1, 16000 * 5).astype("float32"), 16000, format="WAV")
            zf.writestr(f"audio/{i:03d}.wav", buffer.getvalue())
        data = [{"word": f"词{i}", "pinyin": "ci", "explanation": "释义" * 20} for i in range(records)]
        zf.writestr("data/records.json", json.dumps(data, ensure_ascii=False))
    return zip_path


def baseline(zip_path: Path) -> None:
    with zipfile.ZipFile(zip_path) as zf:
        for info in zf.infolist():
            data = zf.read(info)
            if info.filename.endswith(".png"):
                Image.open(io.BytesIO(data)).load()
            elif info.filename.endswith(".wav"):
                soundfile.read(io.BytesIO(data))
            elif info.filename.endswith(".json"):
                json.loads(data)


def best_of(runs: int, fn) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    given = [int(a) for a in sys.argv[1:4]]
    images, sounds, records = given + [100, 20, 30000][len(given):]
    work = Path(tempfile.mkdtemp(prefix="yuedu-bench-validate-"))
    try:
        schema = work / "bench-data.schema.json"
        schema.write_text('{"type": "object"}')
        registry = KindRegistry([Kind(name="bench-data", schema_path=schema)])
        zip_path = build(work, images, sounds, records)
        report = validate_package(zip_path, registry=registry, catalog=Catalog([]))
        assert report.ok, report.render("en")
        base = best_of(3, lambda: baseline(zip_path))
        full = best_of(3, lambda: validate_package(zip_path, registry=registry, catalog=Catalog([])))
        size = zip_path.stat().st_size / 1e6
        print(f"package: {images} PNG 512x384, {sounds} WAV 5 s, {records} JSON records; zip {size:.1f} MB")
        print(f"baseline decode-everything: {base:.3f} s")
        print(f"validate_package:           {full:.3f} s  (ratio {full / base:.2f}x)")

        def extract_plain():
            target = work / "plain"
            shutil.rmtree(target, ignore_errors=True)
            with zipfile.ZipFile(zip_path) as zf:
                zf.extractall(target)

        def extract_safe():
            target = work / "safe"
            shutil.rmtree(target, ignore_errors=True)
            assert safe_extract(zip_path, target).ok

        plain = best_of(3, extract_plain)
        safe = best_of(3, extract_safe)
        print(f"zipfile.extractall:         {plain:.3f} s")
        print(f"safe_extract:               {safe:.3f} s  (ratio {safe / plain:.2f}x)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
