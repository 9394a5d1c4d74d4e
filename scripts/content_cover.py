"""Package covers drawn in code: warm red ground, gold frame and motif, big Kai title; a small deterministic PNG.

The PNG is written by hand (palette + zlib from the standard library) so its bytes do not depend on the zlib
that Pillow was built with; only Pillow's drawing and FreeType's glyphs have to match.
"""
from __future__ import annotations

import math
import struct
import zlib
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

SIZE = (640, 400)
RED_TOP, RED_BOTTOM = (122, 18, 20), (176, 40, 30)
GOLD, GOLD_PALE = (236, 186, 78), (250, 222, 150)
INK = (30, 22, 18)
LANTERN = (214, 56, 36)
PALETTE_COLOURS = 96


def _font(path: Path, size: int) -> ImageFont.FreeTypeFont:
    # The basic layout engine: identical glyph placement whether or not raqm is installed.
    return ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.BASIC)


def _ground(image: Image.Image) -> None:
    draw = ImageDraw.Draw(image)
    width, height = image.size
    for y in range(height):
        mix = y / (height - 1)
        colour = tuple(round(a + (b - a) * mix) for a, b in zip(RED_TOP, RED_BOTTOM))
        draw.line([(0, y), (width, y)], fill=colour)


def _frame(draw: ImageDraw.ImageDraw) -> None:
    width, height = SIZE
    draw.rectangle([12, 12, width - 13, height - 13], outline=GOLD, width=4)
    draw.rectangle([22, 22, width - 23, height - 23], outline=GOLD, width=1)
    # 回纹-like hooks in each corner.
    for cx, cy, sx, sy in ((22, 22, 1, 1), (width - 23, 22, -1, 1), (22, height - 23, 1, -1),
                           (width - 23, height - 23, -1, -1)):
        points = [(0, 26), (0, 0), (26, 0), (26, 16), (10, 16), (10, 8), (18, 8)]
        draw.line([(cx + sx * (x + 6), cy + sy * (y + 6)) for x, y in points], fill=GOLD, width=3)


def _lantern(draw: ImageDraw.ImageDraw, x: int, y: int, scale: float) -> None:
    w, h = 46 * scale, 56 * scale
    draw.line([(x, y - h / 2 - 22 * scale), (x, y - h / 2)], fill=GOLD, width=2)
    draw.ellipse([x - w / 2, y - h / 2, x + w / 2, y + h / 2], fill=LANTERN, outline=GOLD, width=2)
    draw.ellipse([x - w / 5, y - h / 2, x + w / 5, y + h / 2], outline=GOLD, width=1)
    cap = 11 * scale
    draw.rectangle([x - cap, y - h / 2 - 5 * scale, x + cap, y - h / 2 + 2 * scale], fill=GOLD)
    draw.rectangle([x - cap, y + h / 2 - 2 * scale, x + cap, y + h / 2 + 5 * scale], fill=GOLD)
    for dx in (-4, 0, 4):
        draw.line([(x + dx * scale, y + h / 2 + 5 * scale), (x + dx * scale, y + h / 2 + 24 * scale)],
                  fill=GOLD_PALE, width=1)


def _motif_lanterns(draw: ImageDraw.ImageDraw) -> None:
    for x, y, scale in ((78, 112, 1.0), (580, 100, 1.1), (468, 322, 0.8)):
        _lantern(draw, x, y, scale)
    # An arrow in flight along the bottom, towards the low lantern.
    draw.line([(70, 352), (436, 326)], fill=GOLD_PALE, width=3)
    draw.polygon([(450, 325), (432, 316), (434, 334)], fill=GOLD_PALE)
    for i in range(3):
        bx, by = 74 + i * 9, 351.7 - i * 0.64
        draw.line([(bx, by), (bx - 12, by - 10)], fill=GOLD_PALE, width=2)
        draw.line([(bx, by), (bx - 10, by + 12)], fill=GOLD_PALE, width=2)


def _motif_chain(draw: ImageDraw.ImageDraw) -> None:
    for i in range(8):
        x, y = 96 + i * 52, 322 + (8 if i % 2 else -8)
        draw.ellipse([x - 34, y - 20, x + 34, y + 20], outline=GOLD, width=5)


def _motif_book(draw: ImageDraw.ImageDraw) -> None:
    # Two thread-bound books (线装书) standing in the lower left.
    for x0, y0 in ((66, 282), (146, 290)):
        draw.rectangle([x0, y0, x0 + 64, y0 + 82], fill=INK, outline=GOLD, width=2)
        draw.rectangle([x0 + 38, y0 + 10, x0 + 54, y0 + 70], fill=GOLD_PALE)
        for y in (y0 + 10, y0 + 30, y0 + 52, y0 + 72):
            draw.line([(x0 + 4, y), (x0 + 13, y)], fill=GOLD, width=2)
        draw.line([(x0 + 9, y0 + 4), (x0 + 9, y0 + 78)], fill=GOLD, width=1)


def _motif_moon(draw: ImageDraw.ImageDraw) -> None:
    draw.ellipse([494, 40, 586, 132], fill=GOLD_PALE)
    # Ink hills along the bottom, two layers.
    width, height = SIZE
    for base, amplitude, phase, colour in ((330, 34, 0.0, (88, 20, 18)), (352, 26, 1.7, INK)):
        points = [(24, height - 24)]
        for x in range(24, width - 23, 8):
            y = base - amplitude * (0.6 * math.sin(x / 70 + phase) + 0.4 * math.sin(x / 29 + 2 * phase))
            points.append((x, round(y)))
        points.append((width - 24, height - 24))
        draw.polygon(points, fill=colour)


MOTIFS = {"lanterns": _motif_lanterns, "chain": _motif_chain, "book": _motif_book, "moon": _motif_moon}


def _centred(draw, text, font, y, fill, shadow=None):
    left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
    x = (SIZE[0] - (right - left)) // 2 - left
    if shadow:
        draw.text((x + 4, y + 4), text, font=font, fill=shadow)
    draw.text((x, y), text, font=font, fill=fill)


def _seal(draw, font_path: Path) -> None:
    x0, y0, side = SIZE[0] - 96, SIZE[1] - 100, 60
    draw.rectangle([x0, y0, x0 + side, y0 + side], fill=INK, outline=GOLD, width=2)
    font = _font(font_path, 24)
    for i, char in enumerate("悦读"):
        _, top, _, bottom = draw.textbbox((0, 0), char, font=font)
        draw.text((x0 + 18, y0 + 4 + i * 26 - top // 2), char, font=font, fill=GOLD)


def draw_cover(title: str, subtitle: str, tagline: str, motif: str, font_path: Path) -> Image.Image:
    """The cover as an RGB image: `title` in big Kai characters, a Chinese `subtitle` saying what it is and a short
    tagline. All Chinese: the cover is shown on zh-CN kiosk screens, where English does not belong."""
    image = Image.new("RGB", SIZE)
    _ground(image)
    draw = ImageDraw.Draw(image)
    MOTIFS[motif](draw)
    _frame(draw)
    size = min(128, 440 // max(len(title), 1))
    _centred(draw, title, _font(font_path, size), 150 - size // 2 - 10, GOLD, shadow=INK)
    _centred(draw, subtitle, _font(font_path, 34), 214, GOLD_PALE)
    _centred(draw, tagline, _font(font_path, 26), 260, GOLD_PALE)
    _seal(draw, font_path)
    return image


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_bytes(image: Image.Image) -> bytes:
    """An 8-bit palette PNG with no metadata: the same pixels always give the same bytes."""
    indexed = image.quantize(colors=PALETTE_COLOURS, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    width, height = indexed.size
    palette = indexed.getpalette()[: 3 * (max(indexed.getdata()) + 1)]
    pixels = indexed.tobytes()
    raw = b"".join(b"\x00" + pixels[y * width:(y + 1) * width] for y in range(height))
    return b"".join([
        b"\x89PNG\r\n\x1a\n",
        _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 3, 0, 0, 0)),
        _chunk(b"PLTE", bytes(palette)),
        _chunk(b"IDAT", zlib.compress(raw, 9)),
        _chunk(b"IEND", b""),
    ])
