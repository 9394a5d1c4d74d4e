"""The home button (返回) the shell draws over every running experience, and its touch handling.

Where it sits is `experiences.runtime.home_button_area` (bottom-left corner; in VR at the left edge of each eye).
A house with 返回 and its pinyin (fǎn huí) above; pressed, it sinks and its border thickens (shape, not colour
alone). It answers on release over the button it was pressed on, like the menu's cards; a touch that starts on
it never reaches the experience, one that starts elsewhere always does.
"""
from __future__ import annotations

import pygame

from experiences import drawlog
from experiences.i18n import t
from experiences.kiosk import theme
from experiences.pinyin import has_han
from experiences.runtime import HOME_HEIGHT, HOME_WIDTH, InputEvent, home_button_area, home_scale
from experiences.text import TextRenderer

SHADOW = (16, 18, 24)


class HomeButton:
    def __init__(self, text: TextRenderer, lang: str = "zh-CN"):
        self.text = text
        self.lang = lang
        self.pressed: int | None = None  # the pointer id pressed on the button, until it is released
        self._tiles: dict[tuple, pygame.Surface] = {}
        self._labels: dict[tuple, tuple[str, int, int, pygame.Rect]] = {}  # (text, size, pinyin size, box in tile)

    @staticmethod
    def rects(size: tuple[int, int], stereo: bool = False) -> list[pygame.Rect]:
        return [pygame.Rect(area) for area in home_button_area(size, stereo)]

    def reset(self) -> None:
        self.pressed = None

    def handle(self, event: InputEvent, size: tuple[int, int], stereo: bool = False) -> str | None:
        """"home": the visitor tapped it; "taken": the event was the button's; None: pass it on."""
        if not event.type.startswith("pointer_"):
            return None
        over = any(rect.collidepoint(event.x, event.y) for rect in self.rects(size, stereo))
        if event.type == "pointer_down":
            if over:  # (a press whose release was lost, under the idle warning, is simply replaced)
                self.pressed = event.pointer_id
                return "taken"
            return None
        if self.pressed is None or event.pointer_id != self.pressed:
            return None
        if event.type == "pointer_up":
            self.pressed = None
            return "home" if over else "taken"
        return "taken"  # a finger sliding while it holds the button: the experience never saw it go down

    def draw(self, surface: pygame.Surface, stereo: bool = False) -> None:
        size = surface.get_size()
        key = (home_scale(size, stereo), self.pressed is not None)
        tile = self._tile(key)
        label, text_size, ruby, box, cells = self._labels[key]
        for rect in self.rects(size, stereo):
            at = surface.blit(tile, tile.get_rect(center=rect.center))
            # the tile is drawn once: tell the screen checks where its label lands each time it is shown
            drawlog.note_text(label, text_size, (at.x + box.x, at.y + box.y, box.w, box.h), "text", ruby,
                              cells=tuple((at.x + box.x + x, w) for x, w in cells))

    def _tile(self, key: tuple[float, bool]) -> pygame.Surface:
        """The button drawn once per scale and state (slightly larger than its rect: the shadow's margin)."""
        tile = self._tiles.get(key)
        if tile is None:
            if len(self._tiles) > 8:
                self._tiles.clear()
                self._labels.clear()
            tile = self._tiles[key] = self._render(*key)
        return tile

    def _render(self, scale: float, pressed: bool) -> pygame.Surface:
        w, h = round(HOME_WIDTH * scale), round(HOME_HEIGHT * scale)
        pad = max(2, round(8 * scale))
        tile = pygame.Surface((w + 2 * pad, h + 2 * pad), pygame.SRCALPHA)
        body = pygame.Rect(pad, pad, w, h)
        radius = max(6, round(22 * scale))
        sink = round(5 * scale) if pressed else 0
        if not pressed:  # a raised button casts a shadow; pressed, it sits down on it
            pygame.draw.rect(tile, (*SHADOW, 150), body.move(0, max(2, round(6 * scale))), border_radius=radius)
        face = body.move(0, sink)
        pygame.draw.rect(tile, theme.PAPER, face, border_radius=radius)
        border = max(2, round((9 if pressed else 5) * scale))
        pygame.draw.rect(tile, theme.INK, face, width=border, border_radius=radius)
        _draw_house(tile, (face.centerx, face.top + round(40 * scale)), round(58 * scale), pressed)
        label = t("kiosk_home.label", self.lang)
        size = max(14, round((38 if has_han(label) else 34) * scale))
        ruby = max(10, round(22 * scale))
        box = self.text.draw(tile, label, (face.centerx, face.bottom - round(10 * scale)), size, theme.INK, "midbottom",
                             pinyin=True, ruby_color=theme.INK_SOFT, ruby_size=ruby, _note=False)
        cells = self.text.pinyin_cells(label, size, theme.INK, theme.INK_SOFT, ruby) if has_han(label) else ()
        self._labels[(scale, pressed)] = (label, size, ruby if has_han(label) else None, box, cells)
        return tile


def _draw_house(surface: pygame.Surface, centre: tuple[int, int], size: int, pressed: bool) -> None:
    """A house: roof, walls and a door (filled when pressed: a second cue beside the sinking)."""
    x, y = centre
    half = size // 2
    line = max(2, size // 14)
    roof = [(x - half, y), (x, y - half + line), (x + half, y)]
    walls = pygame.Rect(0, 0, round(size * 0.72), round(size * 0.46))
    walls.midtop = (x, y - line)
    pygame.draw.rect(surface, theme.ACCENT, walls)
    pygame.draw.rect(surface, theme.INK, walls, width=line)
    pygame.draw.polygon(surface, theme.ACCENT, roof)
    pygame.draw.lines(surface, theme.INK, False, roof, line + 1)
    door = pygame.Rect(0, 0, max(4, size // 5), round(size * 0.28))
    door.midbottom = walls.midbottom
    pygame.draw.rect(surface, theme.INK if pressed else theme.PAPER, door)
    pygame.draw.rect(surface, theme.INK, door, width=max(1, line // 2))
