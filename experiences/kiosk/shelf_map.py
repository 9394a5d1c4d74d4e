"""The small map on a 去书架找一找 card: the library's floor plan (as the server sent it, kept on the kiosk) with
the book's shelf lit — never by colour alone: the rest of the plan is dimmed, the shelf gets a thick outline
with a white edge, an arrow points at it and a label says 在这里 (with pinyin for young visitors).

Pictures come from files the kiosk keeps (experiences/kiosk/shelf.py); a card whose plan is missing shows no map.
"""
from __future__ import annotations

import logging

import pygame

from experiences import drawlog
from experiences.i18n import t
from experiences.kiosk import theme
from experiences.text import TextRenderer

log = logging.getLogger(__name__)

LIT = (178, 34, 24)  # outline and arrow: 6:1 on the paper label, and a white edge keeps it clear on dark plans
DIM = (20, 16, 12, 110)
LABEL_PX = 34  # Han text >= 32 px at 1080p


class ImageCache:
    """Pictures loaded once per file and scaled once per size (drawn every frame)."""

    def __init__(self):
        self._loaded: dict[str, pygame.Surface | None] = {}
        self._scaled: dict[tuple[str, int, int], pygame.Surface] = {}

    def load(self, path: str) -> pygame.Surface | None:
        if path not in self._loaded:
            try:
                self._loaded[path] = pygame.image.load(path)
            except (pygame.error, OSError, FileNotFoundError) as error:
                log.info("picture %s not shown (%s)", path, error)
                self._loaded[path] = None
        return self._loaded[path]

    def fitted(self, path: str, box: tuple[int, int]) -> pygame.Surface | None:
        """The picture scaled to fit inside `box` (its shape kept)."""
        image = self.load(path)
        if image is None:
            return None
        f = min(box[0] / image.get_width(), box[1] / image.get_height())
        size = (max(1, int(image.get_width() * f)), max(1, int(image.get_height() * f)))
        key = (path, *size)
        if key not in self._scaled:
            self._scaled[key] = pygame.transform.smoothscale(image.convert_alpha() if pygame.display.get_surface()
                                                             else image, size)
        return self._scaled[key]


def label_size(text: TextRenderer, lang: str, young: bool, s: float) -> tuple[int, int]:
    words = t("shelf.here", lang)
    size = theme.px(LABEL_PX, s)
    w, h = (text.size_with_pinyin(words, size, theme.px(theme.PINYIN_PX, s)) if young else text.size(words, size))
    return w + 2 * theme.px(10, s), h + 2 * theme.px(4, s)


def draw_map(surface: pygame.Surface, box: pygame.Rect, card, images: ImageCache, text: TextRenderer, lang: str,
             young: bool, s: float) -> pygame.Rect | None:
    """Draws the card's map inside `box`; returns the plan's rectangle, or None when there is nothing to show."""
    if not card.map or not card.map_file:
        return None
    lw, lh = label_size(text, lang, young, s)
    plan = images.fitted(card.map_file, box.size)
    if plan is None or plan.get_height() < lh + theme.px(24, s) or plan.get_width() < lw:
        return None
    at = plan.get_rect(center=box.center)
    surface.blit(plan, at)
    x, y, w, h = card.map["shelf"]
    shelf = pygame.Rect(at.x + round(x * at.w), at.y + round(y * at.h), max(4, round(w * at.w)),
                        max(4, round(h * at.h))).clip(at)
    dim = pygame.Surface(at.size, pygame.SRCALPHA)
    dim.fill(DIM)
    dim.fill((0, 0, 0, 0), shelf.move(-at.x, -at.y))  # the shelf stays bright: the rest of the plan is dimmed
    surface.blit(dim, at)
    line = max(2, theme.px(5, s))
    pygame.draw.rect(surface, (255, 255, 255), shelf.inflate(2 * line, 2 * line), width=line + 2)
    pygame.draw.rect(surface, LIT, shelf.inflate(line, line), width=line)
    pygame.draw.rect(surface, theme.INK_SOFT, at, width=max(1, theme.px(2, s)))
    drawlog.note_box(f"shelf-map:{card.id}", (at.x, at.y, at.w, at.h), f"shelf-map:{card.id}")

    tip, base, label = _marker(at, shelf.inflate(2 * line + 4, 2 * line + 4), (lw, lh), theme.px(40, s))
    pygame.draw.line(surface, (255, 255, 255), base, tip, max(4, theme.px(14, s)))
    pygame.draw.line(surface, LIT, base, tip, max(2, theme.px(8, s)))
    _arrow_head(surface, base, tip, max(6, theme.px(22, s)))
    surface.blit(theme.rounded_panel(label.size, theme.PAPER, radius=theme.px(10, s), border=max(2, theme.px(3, s)),
                                     border_colour=LIT), label)
    text.draw(surface, t("shelf.here", lang), (label.centerx, label.centery), theme.px(LABEL_PX, s), theme.INK,
              "center", pinyin=young, ruby_color=theme.INK_SOFT, ruby_size=theme.px(theme.PINYIN_PX, s))
    return at


def _marker(plan: pygame.Rect, shelf: pygame.Rect, label_wh: tuple[int, int], arrow: int):
    """(arrow tip, arrow base, label rect): the label beside the shelf (above, below, right, left: the first
    that fits on the plan without covering the shelf), the arrow from the label to the shelf's edge."""
    lw, lh = label_wh
    sides = {
        "above": ((shelf.centerx, shelf.top), (shelf.centerx, shelf.top - arrow), "midbottom"),
        "below": ((shelf.centerx, shelf.bottom), (shelf.centerx, shelf.bottom + arrow), "midtop"),
        "right": ((shelf.right, shelf.centery), (shelf.right + arrow, shelf.centery), "midleft"),
        "left": ((shelf.left, shelf.centery), (shelf.left - arrow, shelf.centery), "midright"),
    }
    for tip, base, anchor in sides.values():
        label = pygame.Rect(0, 0, lw, lh)
        setattr(label, anchor, base)
        if plan.contains(label) and not label.colliderect(shelf):
            return tip, base, label
    # no room beside it (a shelf filling the plan): the label inside the shelf, the arrow down to its middle
    label = pygame.Rect(0, 0, lw, lh)
    label.midtop = (shelf.centerx, shelf.top + 2)
    label = label.clamp(plan)
    return (shelf.centerx, min(shelf.bottom - 2, label.bottom + arrow)), (shelf.centerx, label.bottom), label


def _arrow_head(surface: pygame.Surface, base: tuple[int, int], tip: tuple[int, int], size: int) -> None:
    """A red head on the arrow from `base` to `tip`, `size` long, inside a white one."""
    dx, dy = tip[0] - base[0], tip[1] - base[1]
    length = max(1.0, (dx * dx + dy * dy) ** 0.5)
    ux, uy = dx / length, dy / length
    back = (tip[0] - ux * size, tip[1] - uy * size)
    points = [tip, (back[0] - uy * size * 0.7, back[1] + ux * size * 0.7),
              (back[0] + uy * size * 0.7, back[1] - ux * size * 0.7)]
    pygame.draw.polygon(surface, (255, 255, 255), points)  # a white edge around the red head
    inner = [(tip[0] - ux * 3, tip[1] - uy * 3)] + [(x + (tip[0] - x) * 0.18, y + (tip[1] - y) * 0.18)
                                                    for x, y in points[1:]]
    pygame.draw.polygon(surface, LIT, inner)
