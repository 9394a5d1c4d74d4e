"""Cover cards of the e-book waterfall: each package's cover (or poster) with its title on a paper band, or, when
it has none that decodes, a cover generated in code: aged paper, a title slip with the title set vertically in
the Kai font, pinyin beside each character for young readers. Nothing here is a committed binary.
"""
from __future__ import annotations

import hashlib
import io
import logging

from experiences import freetype_guard  # noqa: F401  (before pygame.freetype and panda3d)
import numpy as np
import pygame

from experiences.exhibits.paper import aged_paper
from experiences.kiosk.ageband import YOUNG_BANDS
from experiences.pinyin import pinyin_for

log = logging.getLogger(__name__)

CARD_WIDTH = 320  # px of a card texture; cards are ~200 px wide on a 1280×720 screen, so mipmaps do the rest
BAND_HEIGHT = 76  # px of the title band under a picture cover
GENERATED_ASPECT = 4 / 3  # height / width of a generated cover: a book's proportions
INK = (38, 30, 26)
PAPER = (246, 238, 220)
# Paper tones for generated covers (磁青 indigo, 赭 ochre, 黛绿 green, 绛 crimson, 藏蓝 navy): picked by the id,
# the title is always written on them, so colour never carries meaning alone.
COVER_TONES = ((52, 64, 92), (132, 96, 58), (62, 88, 72), (122, 54, 50), (44, 58, 84))
_cache: dict[tuple, np.ndarray] = {}


def card_pixels(package, text, lang: str = "zh-CN", pinyin: bool | None = None) -> np.ndarray:
    """The RGB card (rows top first) for a package, cached per package version and language.

    pinyin: None gives pinyin to packages for the 3-5 and 6-8 bands, True to all, False to none."""
    with_pinyin = bool(YOUNG_BANDS.intersection(package.manifest.age_bands or ())) if pinyin is None else pinyin
    key = (package.id, package.version, str(package.path), lang, with_pinyin)
    cached = _cache.get(key)
    if cached is None:
        if len(_cache) > 256:
            _cache.clear()
        picture = cover_picture(package)
        title = package.manifest.title(lang)
        surface = picture_card(picture, title, text, with_pinyin) if picture is not None else \
            generated_cover(title, package.id, text, with_pinyin)
        cached = _cache[key] = pygame.surfarray.array3d(surface).transpose(1, 0, 2).copy()
    return cached


def cover_picture(package) -> pygame.Surface | None:
    """The manifest's cover, else the content's poster (treasures have one), decoded; None if neither works."""
    for name in (package.manifest.cover, package.manifest.content.get("poster", "")):
        if not isinstance(name, str) or not name:
            continue
        try:
            return pygame.image.load(io.BytesIO(package.source.read_bytes(name)), name)
        except (OSError, pygame.error, FileNotFoundError, ValueError) as exc:
            log.warning("cover %s of %s could not be read (%s); trying the next", name, package.id, exc)
    return None


def picture_card(picture: pygame.Surface, title: str, text, pinyin: bool) -> pygame.Surface:
    """The picture at the card's width (its aspect kept within the waterfall's limits) above a title band."""
    from experiences.exhibits.waterfall_flow import MAX_ASPECT, MIN_ASPECT

    picture = picture.convert(24) if picture.get_bitsize() < 24 else picture  # smoothscale needs 24/32 bits
    width, height = picture.get_size()
    band = BAND_HEIGHT + (30 if pinyin else 0)
    # The whole card (picture and band) stays within the layout's aspect limits, so it is never stretched.
    aspect = min(MAX_ASPECT - band / CARD_WIDTH, max(MIN_ASPECT * 0.7, height / width))
    shown_h = round(CARD_WIDTH * aspect)
    scale = max(CARD_WIDTH / width, shown_h / height)
    scaled = pygame.transform.smoothscale(picture, (max(1, round(width * scale)), max(1, round(height * scale))))
    crop = pygame.Rect(0, 0, CARD_WIDTH, shown_h)
    crop.center = scaled.get_rect().center
    card = pygame.Surface((CARD_WIDTH, shown_h + band))
    card.fill(PAPER)
    card.blit(scaled, (0, 0), crop)
    pygame.draw.line(card, INK, (0, shown_h), (CARD_WIDTH, shown_h), 2)
    size = _fitting_size(text, title, CARD_WIDTH - 24, 34, pinyin)
    text.draw(card, title, (CARD_WIDTH / 2, shown_h + band / 2), size, INK, "center", pinyin=pinyin,
              ruby_size=ruby_size(size))
    pygame.draw.rect(card, INK, card.get_rect(), 3)  # an edge that separates cards by shape, not colour
    return card


def ruby_size(size: int) -> int:
    # Cards show at ~0.6 of their texture size on a 1280×720 screen: pinyin drawn smaller would not be legible.
    return max(18, round(size * 0.55))


def _fitting_size(text, title: str, width: int, size: int, pinyin: bool) -> int:
    while size > 16:
        measured = text.size_with_pinyin(title, size, ruby_size(size)) if pinyin else text.size(title, size)
        if measured[0] <= width:
            break
        size -= 2
    return size


def generated_cover(title: str, seed_text: str, text, pinyin: bool) -> pygame.Surface:
    """A thread-bound-book cover: tinted aged paper, a pale title slip on the right with the title top to
    bottom in Kai (pinyin to its right when asked), binding thread along the right edge."""
    width, height = CARD_WIDTH, round(CARD_WIDTH * GENERATED_ASPECT)
    digest = hashlib.sha1(seed_text.encode("utf-8")).digest()
    tone = np.array(COVER_TONES[digest[0] % len(COVER_TONES)], dtype=np.float32)
    paper = aged_paper(width, height, seed=digest[1], age=0.6, tone=tone)
    card = pygame.surfarray.make_surface(paper.transpose(1, 0, 2))
    chars = [ch for ch in title if not ch.isspace()][:9] or ["书"]
    syllables = pinyin_for("".join(chars)) if pinyin else [""] * len(chars)
    slip_w = int(width * (0.42 if pinyin else 0.24))
    slip = pygame.Rect(int(width * 0.62) - slip_w // 2, int(height * 0.07), slip_w, int(height * 0.78))
    slip_paper = aged_paper(slip.width, slip.height, seed=digest[2], age=0.35)
    card.blit(pygame.surfarray.make_surface(slip_paper.transpose(1, 0, 2)), slip)
    pygame.draw.rect(card, INK, slip.inflate(-8, -8), width=2)
    cell = min((slip.height - 24) / len(chars), int(width * 0.2))
    size = int(cell * 0.82)
    glyph_x = slip.centerx - (int(slip.width * 0.2) if pinyin else 0)
    for i, (ch, syllable) in enumerate(zip(chars, syllables)):
        center_y = slip.top + 12 + (i + 0.5) * cell
        text.draw(card, ch, (glyph_x, center_y), size, INK, "center")
        if syllable:
            text.draw(card, syllable, (glyph_x + size * 0.58, center_y), max(18, int(size * 0.42)), INK, "midleft")
    # Four-hole binding (四眼订法) along the spine on the right: a 线装书 opens right to left.
    spine_x = int(width * 0.92)
    holes = [int(height * f) for f in (0.1, 0.37, 0.63, 0.9)]
    for hy in holes:
        pygame.draw.line(card, (236, 228, 210), (spine_x, hy), (width, hy), 4)
        pygame.draw.circle(card, (20, 20, 24), (spine_x, hy), 4)
    pygame.draw.line(card, (236, 228, 210), (spine_x, holes[0]), (spine_x, holes[-1]), 4)
    pygame.draw.rect(card, INK, card.get_rect(), 3)
    return card
