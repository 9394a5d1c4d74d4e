"""The video's frames (pygame + numpy): a portrait 720×1280 card with the booth's own karaoke drawing
(recitation.booth.screens.draw_poem: pinyin ruby, per-character highlight, punctuation) over an ink-wash
background generated from the poem's id (or a curator's image), the reader's kid-safe nickname, the library and
date, an optional score badge, then a short outro with the library's name. Only the changes of highlighted
character re-draw; every frame is converted with one bytes copy, never a per-pixel Python loop."""
from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass

import numpy as np
import pygame

from recitation.booth.widgets import ACCENT, INK, JADE, PAPER

SIZE = (720, 1280)
CARD = pygame.Rect(24, 236, 672, 780)
CARD_ALPHA = 222
FOOTER_ALPHA = 216  # the nickname, library and date: clear over a busy photo too
VEIL_ALPHA = 196  # behind the title and poet: enough for ink text over a dark picture, the picture still shows


@dataclass
class VideoCard:
    """What the frames say besides the poem (no name, no face: a nickname the child chose from a list)."""

    nickname: str = ""
    library: str = ""
    branch: str = ""
    date: str = ""  # as printed, e.g. 2026-12-07
    score: int | None = None
    show_pinyin: bool = True


def ink_wash(seed_text: str, size=SIZE) -> np.ndarray:
    """A generated ink-wash landscape (rice paper, misty ridges, a vermilion sun), H×W×3 uint8, drawn with
    whole-array numpy operations; the poem's id picks the hills so each poem keeps its own scenery."""
    w, h = size
    rng = np.random.default_rng(int(hashlib.sha256(seed_text.encode()).hexdigest()[:8], 16))
    y = np.arange(h, dtype=np.float32)[:, None] / h
    x = np.arange(w, dtype=np.float32)[None, :] / w
    top, bottom = np.array([241, 235, 221], np.float32), np.array([226, 216, 194], np.float32)
    img = top + (bottom - top) * y[..., None]
    img = np.broadcast_to(img, (h, w, 3)).copy()
    ink = np.array([38, 44, 52], np.float32)
    sun_x, sun_y, sun_r = 0.72 + 0.12 * rng.random(), 0.60, 0.085
    sun = np.clip((sun_r - np.hypot((x - sun_x) * w / h, y - sun_y)) * 160, 0, 1) * 0.55
    img += (np.array([196, 70, 52], np.float32) - img) * sun[..., None]
    for layer in range(4):  # far (pale, high) to near (dark, low)
        base = 0.62 + 0.085 * layer
        ridge = np.full_like(x, base)
        for _ in range(4):
            freq = rng.uniform(0.6, 2.2) * (1 + layer * 0.3)
            ridge = ridge - rng.uniform(0.012, 0.04) * np.abs(np.sin(np.pi * (freq * x + rng.random())))
        ridge = ridge + 0.006 * np.sin(2 * np.pi * (9.0 * x + rng.random()))  # a little ruggedness
        depth = y - ridge
        fade = 0.10 + 0.05 * layer
        alpha = (depth > 0) * np.exp(-np.clip(depth, 0, None) / fade) * (0.18 + 0.17 * layer)
        alpha = alpha + (depth > 0) * (0.04 + 0.05 * layer)
        img += (ink - img) * np.clip(alpha, 0, 0.85)[..., None]
    grain = rng.normal(0, 2.2, (h, w, 1)).astype(np.float32)
    return np.clip(img + grain, 0, 255).astype(np.uint8)


def cover_image(path, size=SIZE) -> np.ndarray:
    """A curator's picture (PNG/JPEG/WebP, decoded by Pillow as the package check does) turned upright as the
    phone that took it meant (EXIF orientation) and scaled to cover the frame (centre crop), H×W×3 uint8."""
    from PIL import Image, ImageOps

    with Image.open(str(path)) as picture:
        upright = ImageOps.exif_transpose(picture).convert("RGB")
    fitted = ImageOps.fit(upright, size, method=Image.Resampling.LANCZOS, centering=(0.5, 0.5))
    return np.asarray(fitted, dtype=np.uint8)


def soft_veil(size: tuple[int, int], alpha: int, colour=PAPER, radius: int = 40, feather: int = 18) -> pygame.Surface:
    """A rounded paper panel whose edges fade out over `feather` pixels (a rounded rectangle's distance field in
    numpy: smooth corners, no stair steps)."""
    w, h = size
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    half_w, half_h = w / 2 - feather, h / 2 - feather
    qx = np.abs(x + 0.5 - w / 2) - (half_w - radius)
    qy = np.abs(y + 0.5 - h / 2) - (half_h - radius)
    outside = np.hypot(np.maximum(qx, 0), np.maximum(qy, 0)) + np.minimum(np.maximum(qx, qy), 0) - radius
    shade = np.clip(0.5 - outside / feather, 0.0, 1.0)
    veil = pygame.Surface(size, pygame.SRCALPHA)
    veil.fill((*colour, 0))
    pygame.surfarray.pixels_alpha(veil)[:] = (alpha * shade.T).astype(np.uint8)
    return veil


def surface_rgb(surface: pygame.Surface) -> np.ndarray:
    w, h = surface.get_size()
    return np.frombuffer(pygame.image.tobytes(surface, "RGB"), np.uint8).reshape(h, w, 3)


class FrameRenderer:
    """Frames for one video: `frame(position, outro_t)` → H×W×3 uint8 (the same array while nothing changed)."""

    def __init__(self, poem, card: VideoCard, background: np.ndarray | None = None, text=None, size=SIZE):
        from recitation.booth import screens

        if text is None:
            from experiences.text import shared_text

            text = shared_text()
        self.poem, self.card, self.text, self.size, self.screens = poem, card, text, size, screens
        back = background if background is not None else ink_wash(poem.id or poem.text, size)
        self.background = pygame.image.frombuffer(np.ascontiguousarray(back).tobytes(), size, "RGB").copy()
        self._base = self._static()
        self._key = None
        self._frame = None

    # --- the parts that never change -------------------------------------------------------------------
    def _static(self) -> pygame.Surface:
        text, poem, card = self.text, self.poem, self.card
        w, h = self.size
        base = self.background.copy()
        byline = " · ".join(part for part in (poem.dynasty, poem.author) if part)
        widths = [text.size(poem.title, 56)[0]] if poem.title else []
        widths += [text.size(byline, 30)[0]] if byline else []
        if widths:  # the title stays readable over any picture (a night sky, a busy photo): a soft paper veil
            veil_w = min(w - 24, max(widths) + 136)
            base.blit(soft_veil((veil_w, 196), VEIL_ALPHA), ((w - veil_w) // 2, 26))
        if poem.title:
            text.draw(base, poem.title, (w // 2, 92), 56, INK, anchor="center")
        if byline:
            text.draw(base, byline, (w // 2, 160), 30, INK, anchor="center")
        shade = pygame.Surface(CARD.size, pygame.SRCALPHA)
        pygame.draw.rect(shade, (*PAPER, CARD_ALPHA), shade.get_rect(), border_radius=28)
        base.blit(shade, CARD.topleft)
        if card.score is not None:
            centre = (w - 84, 92)
            pygame.draw.circle(base, ACCENT, centre, 58)
            pygame.draw.circle(base, PAPER, centre, 50, width=3)
            text.draw(base, str(card.score), (centre[0], centre[1] - 8), 46, PAPER, anchor="center")
            text.draw(base, "分", (centre[0], centre[1] + 30), 22, PAPER, anchor="center")
        footer = h - 236
        panel = pygame.Surface((CARD.width, 200), pygame.SRCALPHA)
        pygame.draw.rect(panel, (*PAPER, FOOTER_ALPHA), panel.get_rect(), border_radius=24)
        base.blit(panel, (CARD.left, footer))
        if card.nickname:
            text.draw(base, f"朗读：{card.nickname}", (w // 2, footer + 40), 40, INK, anchor="center")
        place = " · ".join(part for part in (card.library, card.branch) if part)
        if place:
            text.draw(base, place, (w // 2, footer + 104), 30, INK, anchor="center")
        if card.date:
            text.draw(base, card.date, (w // 2, footer + 152), 28, INK, anchor="center")
        return base

    # --- per frame -----------------------------------------------------------------------------------------
    def frame(self, position: float, outro_t: float | None = None) -> np.ndarray:
        """The frame for highlight `position` (as draw_poem takes it), or the outro `outro_t` seconds in."""
        if outro_t is not None:
            key = ("outro", min(10, int(outro_t * 12)))
        else:
            key = ("poem", math.floor(position) if position >= 0 else -1)
        if key != self._key:
            surface = self._base.copy()
            if outro_t is not None:
                self._draw_outro(surface, min(1.0, outro_t / 0.8))
            else:
                self._draw_poem(surface, position)
            self._frame, self._key = surface_rgb(surface), key
        return self._frame

    def _draw_poem(self, surface: pygame.Surface, position: float) -> None:
        screens, show = self.screens, self.card.show_pinyin
        inner = pygame.Rect(0, 0, CARD.width - 24, CARD.height - 48)
        if hasattr(screens, "poem_grid"):  # the booth's grid fits rows to the width it is given
            layer = pygame.Surface(inner.size, pygame.SRCALPHA)
            screens.draw_poem(layer, self.text, self.poem, inner, position, show, False, "zh-CN")
            surface.blit(layer, (CARD.left + 12, CARD.top + 24))
            return
        # Older draw_poem: a fixed cell per character at the booth's 1280-wide scale; draw just wide enough, scale.
        rows = screens.display_rows(self.poem)
        cells = max((sum(self.poem.expected.lines[i].size + 1 for i in row) - 1 for row in rows), default=1)
        canvas_w = max(640, cells * (screens.CHAR_SIZE + 12) + 120)
        scale = inner.width / canvas_w
        tall = int(inner.height / scale)
        used = min(tall, len(rows) * screens.ROW_HEIGHT)
        wide = pygame.Rect(0, 0, canvas_w, used)
        layer = pygame.Surface(wide.size, pygame.SRCALPHA)
        screens.draw_poem(layer, self.text, self.poem, wide, position, show, False, "zh-CN")
        shown = pygame.transform.smoothscale(layer, (inner.width, int(used * scale)))
        surface.blit(shown, (CARD.left + 12, CARD.top + 24 + (inner.height - shown.get_height()) // 3))

    def _draw_outro(self, surface: pygame.Surface, shown: float) -> None:
        w, _ = self.size
        veil = pygame.Surface(CARD.size, pygame.SRCALPHA)
        pygame.draw.rect(veil, (*PAPER, int(255 * shown)), veil.get_rect(), border_radius=28)
        surface.blit(veil, CARD.topleft)
        alpha = int(255 * shown)
        library = self.card.library or "悦读"
        self.text.draw(surface, "谢谢聆听", (w // 2, CARD.top + 220), 64, ACCENT, anchor="center", alpha=alpha)
        self.text.draw(surface, library, (w // 2, CARD.top + 370), 48, INK, anchor="center", alpha=alpha)
        if self.card.branch:
            self.text.draw(surface, self.card.branch, (w // 2, CARD.top + 440), 34, INK, anchor="center", alpha=alpha)
        self.text.draw(surface, "悦读 · 朗诵亭", (w // 2, CARD.bottom - 110), 34, JADE, anchor="center", alpha=alpha)
