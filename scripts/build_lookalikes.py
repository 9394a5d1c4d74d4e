#!/usr/bin/env python3
"""Precompute look-alike characters by comparing glyphs rendered from the bundled Kai font.

Writes games/data/lookalikes.json: {"chars": every character the font draws, "lookalikes": {char: "up to 8 most
similar characters, best first"}}. Run again when the font
or the character set changes: `.venv/bin/python scripts/build_lookalikes.py`.
"""
from __future__ import annotations

import argparse
import json
import re
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

ROOT = Path(__file__).resolve().parent.parent
FONT = Path(__file__).resolve().parents[1] / "assets" / "fonts" / "StageKai-Regular-3500.subset.ttf"
CHARSET = FONT.with_name("charset_staged_plus3500.txt")
OUT = ROOT / "games" / "data" / "lookalikes.json"
SIZE = 48       # render size in px
GRID = 16       # compare on a blurred 16×16 grid: strokes shift a little between similar characters
KEEP = 8
MIN_SIMILARITY = 0.80


def glyph_vector(font: ImageFont.FreeTypeFont, char: str) -> np.ndarray:
    image = Image.new("L", (SIZE, SIZE), 0)
    ImageDraw.Draw(image).text((SIZE // 2, SIZE // 2), char, fill=255, font=font, anchor="mm")
    image = image.filter(ImageFilter.GaussianBlur(2)).resize((GRID, GRID), Image.Resampling.BILINEAR)
    vector = np.asarray(image, dtype=np.float32).ravel()
    vector -= vector.mean()  # centre, so ink density alone does not make characters "similar"
    norm = np.linalg.norm(vector)
    return vector / norm if norm else vector


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--font", type=Path, default=FONT, help="the Kai font the games draw with")
    parser.add_argument("--charset", type=Path, default=CHARSET, help="text file holding every character to compare")
    args = parser.parse_args()
    chars = sorted(set(re.findall(r"[\u4e00-\u9fff]", args.charset.read_text(encoding="utf-8"))))
    font = ImageFont.truetype(str(args.font), SIZE - 6)
    vectors = np.stack([glyph_vector(font, c) for c in chars])
    table: dict[str, str] = {}
    for start in range(0, len(chars), 512):
        block = vectors[start:start + 512] @ vectors.T
        for row, similarities in enumerate(block):
            similarities[start + row] = -1.0  # not itself
            best = np.argsort(similarities)[::-1][:KEEP]
            picks = "".join(chars[j] for j in best if similarities[j] >= MIN_SIMILARITY)
            if picks:
                table[chars[start + row]] = picks
    args.out.parent.mkdir(parents=True, exist_ok=True)
    data = {"chars": "".join(chars), "lookalikes": table}
    args.out.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n",
                        encoding="utf-8")
    print(f"{len(table)} of {len(chars)} characters have look-alikes -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
