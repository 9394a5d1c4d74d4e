"""E-book covers drawn in code: a thread-bound book (线装书) — an indigo, ochre or green paper cover, a pale title
slip with the title set top to bottom in the Kai font, the editor beside it, four-hole binding on the right —
as a small deterministic palette PNG (content_cover.png_bytes). Nothing is downloaded; all text is Chinese.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from content_cover import _font, png_bytes

# For the few characters the Kai subset lacks (蘅): Noto Serif CJK SC from Debian's fonts-noto-cjk (scripts/setup.sh).
NOTO_SERIF = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")
NOTO_SC_INDEX = 2


@lru_cache(maxsize=4)
def _covered(font_path: Path) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    return frozenset(TTFont(str(font_path), lazy=True).getBestCmap())


def _font_for(char: str, font_path: Path, size: int):
    if ord(char) in _covered(font_path) or not NOTO_SERIF.is_file():
        return _font(font_path, size)
    return ImageFont.truetype(str(NOTO_SERIF), size, index=NOTO_SC_INDEX, layout_engine=ImageFont.Layout.BASIC)

SIZE = (600, 800)
INK = (30, 24, 20)
SLIP = (244, 236, 214)
THREAD = (236, 228, 206)
SEAL = (170, 40, 32)


def _paper(tone: tuple[int, int, int]) -> Image.Image:
    """The cover board: the tone with faint horizontal fibres (a fixed pattern, no randomness)."""
    image = Image.new("RGB", SIZE, tone)
    draw = ImageDraw.Draw(image)
    for y in range(0, SIZE[1], 6):
        shade = 6 if (y * 37) % 11 < 4 else -4
        colour = tuple(max(0, min(255, c + shade)) for c in tone)
        draw.line([(0, y), (SIZE[0], y)], fill=colour, width=2)
    return image


def _vertical(draw, text: str, font_path: Path, size: int, x: int, top: int, step: int, fill) -> None:
    """`text` top to bottom, each character centred on x."""
    for index, char in enumerate(text):
        font = _font_for(char, font_path, size)
        left, upper, right, lower = draw.textbbox((0, 0), char, font=font)
        draw.text((x - (left + right) / 2, top + index * step - upper), char, font=font, fill=fill)


def draw_ebook_cover(title: str, editor: str, tagline: str, tone: tuple[int, int, int], font_path: Path) -> Image.Image:
    """`title` big and vertical on the slip (at most 7 characters), `editor` smaller and vertical to its left,
    `tagline` (e.g. 三百二十首 · 带拼音) across the foot, a red seal 悦读 under the slip."""
    image = _paper(tone)
    draw = ImageDraw.Draw(image)
    width, height = SIZE
    slip = (96, 56, 96 + 150, 56 + 560)
    draw.rectangle(slip, fill=SLIP, outline=INK, width=3)
    draw.rectangle((slip[0] + 8, slip[1] + 8, slip[2] - 8, slip[3] - 8), outline=INK, width=1)
    chars = title[:7]
    step = min(100, (slip[3] - slip[1] - 40) // max(1, len(chars)))
    size = int(step * 0.9)
    _vertical(draw, chars, font_path, size, (slip[0] + slip[2]) // 2, slip[1] + 24 + (step - size) // 2,
              step, INK)
    if editor:
        _vertical(draw, editor[:12], font_path, 36, slip[2] + 48, slip[1] + 20, 40, SLIP)
    seal = (slip[0] + 35, slip[3] + 24, slip[0] + 115, slip[3] + 104)
    draw.rectangle(seal, fill=SEAL)
    seal_font = _font(font_path, 30)
    for row, pair in enumerate(("悦", "读")):
        left, upper, right, lower = draw.textbbox((0, 0), pair, font=seal_font)
        draw.text(((seal[0] + seal[2]) / 2 - (left + right) / 2, seal[1] + 6 + row * 36 - upper), pair,
                  font=seal_font, fill=SLIP)
    if tagline:
        font = _font(font_path, 36)
        left, upper, right, lower = draw.textbbox((0, 0), tagline, font=font)
        draw.text((width * 0.45 - (left + right) / 2, height - 70 - upper), tagline, font=font, fill=SLIP)
    # Four-hole binding (四眼订法) along the spine on the right: a 线装书 opens right to left.
    spine = width - 44
    holes = [int(height * f) for f in (0.08, 0.36, 0.64, 0.92)]
    draw.line([(spine, holes[0]), (spine, holes[-1])], fill=THREAD, width=4)
    for y in holes:
        draw.line([(spine, y), (width, y)], fill=THREAD, width=4)
        draw.ellipse((spine - 5, y - 5, spine + 5, y + 5), fill=INK)
    draw.rectangle((0, 0, width - 1, height - 1), outline=INK, width=4)
    return image


def ebook_cover_png(title: str, editor: str, tagline: str, tone, font_path: Path) -> bytes:
    return png_bytes(draw_ebook_cover(title, editor, tagline, tuple(tone), font_path))
