"""Drawing the lantern game: night sky, lanterns (pre-rendered per character and tilt), bow, arrow, HUD, cards.

Everything slow (gradients, lantern bodies, rotations) is rendered once per round; a frame only blits.
"""
from __future__ import annotations

import math

import pygame

from experiences import drawlog
from games.lanterns.field import Arrow, Placed
from games.lanterns.layout import lantern_box
from games.ui.text import text_renderer
from games.ui.widgets import GOLD, INK, PAPER, draw_cross, draw_tick

SKY_TOP, SKY_BOTTOM = (12, 16, 48), (46, 30, 70)
RED, DARK_RED = (214, 48, 40), (150, 26, 26)
TILTS = tuple(range(-8, 9, 2))  # pre-rotated angles


def night_sky(size: tuple[int, int]) -> pygame.Surface:
    width, height = size
    sky = pygame.Surface(size)
    for y in range(height):
        k = y / max(1, height - 1)
        sky.fill(tuple(round(a + (b - a) * k) for a, b in zip(SKY_TOP, SKY_BOTTOM)), (0, y, width, 1))
    for i in range(90):  # fixed stars: a pattern, not a twinkle (no flashing)
        x, y = (i * 7919) % width, (i * 104729) % int(height * 0.55)
        sky.fill((230, 230, 255), (x, y, 2, 2))
    short = min(width, height)  # in portrait too: a moon high in the corner, clear of the banner and buttons
    pygame.draw.circle(sky, (250, 240, 200), (int(width - short * 0.16), int(short * 0.2)), int(short * 0.05))
    roof = [(0, height), (0, height * 0.86), (width * 0.2, height * 0.8), (width * 0.5, height * 0.84),
            (width * 0.8, height * 0.79), (width, height * 0.85), (width, height)]
    pygame.draw.polygon(sky, (20, 14, 30), roof)
    return sky.convert() if pygame.display.get_surface() else sky


def glow(radius: int) -> pygame.Surface:
    """A soft round glow, added (BLEND_ADD) behind each lantern."""
    surf = pygame.Surface((radius * 2, radius * 2), pygame.SRCALPHA)
    for r in range(radius, 0, -2):
        a = int(70 * (1 - r / radius) ** 1.6)
        pygame.draw.circle(surf, (a, a * 0.55, a * 0.2, 255), (radius, radius), r)
    return surf


class LanternSprites:
    """One lantern picture per character, pre-rotated at a few tilts; optional pinyin under the character."""

    def __init__(self, chars_pinyin: dict[str, str], radius: float, show_pinyin: bool):
        self.radius = radius
        self.frames: dict[str, dict[int, pygame.Surface]] = {}
        self.texts: dict[str, list[tuple[str, int, str, tuple[int, int, int, int]]]] = {}  # for drawlog, per char
        for char, syllable in chars_pinyin.items():
            base = self._body(char, syllable if show_pinyin else "", self.texts.setdefault(char, []))
            frames = {a: pygame.transform.rotate(base, a) for a in TILTS}
            if pygame.display.get_surface():  # display format: the cheapest blit
                frames = {a: f.convert_alpha() for a, f in frames.items()}
            self.frames[char] = frames

    def _body(self, char: str, syllable: str, noted: list) -> pygame.Surface:
        r = self.radius
        w, h = int(r * 2.1), int(r * 2.6)
        surf = pygame.Surface((w, h), pygame.SRCALPHA)
        # The glow is baked in (one blit per lantern, not an extra additive blit).
        halo = pygame.Surface((w, h), pygame.SRCALPHA)
        for k in range(10, 0, -1):
            pygame.draw.ellipse(halo, (255, 170, 60, 10), pygame.Rect(0, 0, w * k / 10, h * 0.85 * k / 10)
                                .move(w * (1 - k / 10) / 2, h * (1 - 0.85 * k / 10) / 2))
        surf.blit(halo, (0, 0))
        body = pygame.Rect(0, 0, int(r * 2), int(r * 1.8))
        body.center = (w // 2, h // 2)
        pygame.draw.ellipse(surf, RED, body)
        for k in (0.35, 0.7):  # ribs of the paper lantern
            rib = body.inflate(-body.width * k, 0)
            pygame.draw.ellipse(surf, DARK_RED, rib, width=2)
        cap = pygame.Rect(0, 0, int(r * 0.9), int(r * 0.28))
        cap.midbottom = (w // 2, body.top + 4)
        pygame.draw.rect(surf, GOLD, cap, border_radius=4)
        cap.midtop = (w // 2, body.bottom - 4)
        pygame.draw.rect(surf, GOLD, cap, border_radius=4)
        pygame.draw.line(surf, GOLD, (w // 2, cap.bottom), (w // 2, h - 2), 3)  # tassel
        text = text_renderer()
        size = int(r * (0.95 if not syllable else 0.82))
        cy = body.centery - (r * 0.17 if syllable else 0)
        pygame.draw.circle(surf, PAPER, (w // 2, int(cy)), int(size * 0.62))
        drawn = text.draw(surf, char, (w // 2, cy), size, INK, anchor="center", _note=False)
        noted.append((char, size, "text", (drawn.x - w // 2, drawn.y - h // 2, drawn.w, drawn.h)))
        if syllable:
            ruby = max(8, round(r * 0.36))
            drawn = text.draw(surf, syllable, (w // 2, body.bottom - r * 0.3), ruby, PAPER, anchor="center",
                              _note=False)
            noted.append((syllable, ruby, "pinyin", (drawn.x - w // 2, drawn.y - h // 2, drawn.w, drawn.h)))
        return surf

    def blit(self, surface: pygame.Surface, lantern: Placed, scale_hint: str = "") -> pygame.Rect:
        tilt = min(TILTS, key=lambda a: abs(a - lantern.angle))
        image = self.frames[lantern.char][tilt]
        pygame.draw.line(surface, (120, 100, 80), (lantern.x, 0), (lantern.x, lantern.y - self.radius), 1)
        if drawlog.active() is not None:  # the sprite was drawn once: tell the screen checks what it shows
            drawlog.note_box(f"lantern:{lantern.char}", lantern_box(lantern.x, lantern.y, self.radius), "lanterns")
            for text, size, role, (dx, dy, w, h) in self.texts[lantern.char]:
                drawlog.note_text(text, size, (round(lantern.x + dx), round(lantern.y + dy), w, h), role)
        return surface.blit(image, image.get_rect(center=(lantern.x, lantern.y)))


def draw_bow(surface: pygame.Surface, origin: tuple[float, float], aim: tuple[float, float], drawn: bool,
             unit: float = 1.0) -> None:
    x, y = origin
    angle = math.atan2(aim[1] - y, aim[0] - x)
    r = 90 * unit
    ux, uy = math.cos(angle), math.sin(angle)
    px, py = -uy, ux  # perpendicular: the bow's limbs
    tip1 = (x + px * r + ux * 23 * unit, y + py * r + uy * 23 * unit)
    tip2 = (x - px * r + ux * 23 * unit, y - py * r + uy * 23 * unit)
    grip = (x + ux * 48 * unit, y + uy * 48 * unit)
    pygame.draw.lines(surface, (160, 110, 60), False, [tip1, grip, tip2], max(3, round(10 * unit)))
    nock = (x - ux * (28 * unit if drawn else 0), y - uy * (28 * unit if drawn else 0))
    pygame.draw.lines(surface, (230, 230, 230), False, [tip1, nock, tip2], max(1, round(3 * unit)))
    if drawn:
        draw_arrow_shape(surface, nock, math.degrees(math.atan2(-uy, ux)), 90 * unit, unit)


def draw_aim(surface: pygame.Surface, aim: tuple[float, float], locked: bool, unit: float = 1.0) -> None:
    """A ring at the aim point; a double ring when it is on a lantern (shape, not colour)."""
    line = max(2, round(4 * unit))
    pygame.draw.circle(surface, (255, 255, 255), aim, 24 * unit, line)
    pygame.draw.line(surface, (255, 255, 255), (aim[0] - 36 * unit, aim[1]), (aim[0] + 36 * unit, aim[1]), line)
    pygame.draw.line(surface, (255, 255, 255), (aim[0], aim[1] - 36 * unit), (aim[0], aim[1] + 36 * unit), line)
    if locked:
        pygame.draw.circle(surface, (255, 255, 255), aim, 42 * unit, line)


def draw_arrow_shape(surface: pygame.Surface, tail: tuple[float, float], heading: float, length: float = 70,
                     unit: float = 1.0) -> None:
    a = math.radians(heading)
    ux, uy = math.cos(a), -math.sin(a)
    head = (tail[0] + ux * length, tail[1] + uy * length)
    pygame.draw.line(surface, (235, 220, 190), tail, head, max(2, round(5 * unit)))
    px, py = -uy, ux
    k1, k2 = 18 * unit, 10 * unit
    pygame.draw.polygon(surface, (220, 220, 230), [(head[0] + ux * k1, head[1] + uy * k1),
                                                  (head[0] + px * k2, head[1] + py * k2),
                                                  (head[0] - px * k2, head[1] - py * k2)])
    f, w = 12 * unit, max(2, round(4 * unit))
    for k in (0, f):  # fletching
        base = (tail[0] + ux * k, tail[1] + uy * k)
        pygame.draw.line(surface, (240, 80, 60), base, (base[0] - ux * f + px * f, base[1] - uy * f + py * f), w)
        pygame.draw.line(surface, (240, 80, 60), base, (base[0] - ux * f - px * f, base[1] - uy * f - py * f), w)


def draw_flight(surface: pygame.Surface, arrow: Arrow, unit: float = 1.0) -> None:
    for i, point in enumerate(arrow.trail()):  # the arc so far, as dots
        if i % 2 == 0:
            pygame.draw.circle(surface, (255, 240, 200), point, max(2, 4 * unit))
    s = arrow.progress
    heading = arrow.heading(s)
    tip = arrow.point(s)
    a = math.radians(heading)
    length = 90 * unit
    draw_arrow_shape(surface, (tip[0] - math.cos(a) * length, tip[1] + math.sin(a) * length), heading, length, unit)


def draw_mark(surface: pygame.Surface, center: tuple[float, float], right: bool, size: int = 80) -> None:
    """A ✓ in a circle or a ✗ in a square: right and wrong differ in shape, not only in colour."""
    x, y = center
    if right:
        pygame.draw.circle(surface, PAPER, (x, y), size * 0.7)
        draw_tick(surface, (x, y), size, (30, 120, 60))
    else:
        pygame.draw.rect(surface, PAPER, (x - size * 0.6, y - size * 0.6, size * 1.2, size * 1.2), border_radius=10)
        draw_cross(surface, (x, y), size, (90, 60, 40))
