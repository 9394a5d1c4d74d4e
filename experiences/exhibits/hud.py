"""The 2D layer drawn with pygame over a 3D frame: cached text, big touch buttons, hotspot markers, info panels,
the exhibit's label (展签: title and a short caption), a loading poster with a progress bar. Hotspot markers are
2D, so they always face the camera.

Sizes are given at 1080p and scaled by the window's shorter side (`ui_scale`), the rule experiences.screencheck
applies: Han text a child reads >= 32 px at 1080p. Every text is noted in experiences.drawlog as it is blitted
(with its real size and box), and buttons, markers, panels and the label as boxes.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from experiences import drawlog
from experiences import freetype_guard  # noqa: F401  (before pygame.freetype and panda3d)
import pygame
import pygame.freetype

# Simplified Chinese faces on a Debian kiosk, best first; (path, face index in a .ttc).
SYSTEM_FONTS = (
    ("/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf", 0),
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
    ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", 2),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
)
MARKER_RADIUS = 34  # px at 1080p: markers are touch targets for children, 68 px across (see marker_radius)
TOUCH_SLOP = 12  # px a pointer may move and still count as a tap
# Text sizes at 1080p (scaled by ui_scale): the screen checks want Han text >= 32 px, prompts >= 48 px.
TEXT_PX = 36  # captions, button labels, hints, panel text
TITLE_PX = 54  # the exhibit's title on its label, a panel's title
MARGIN_PX = 32

INK = (40, 32, 24)
PAPER = (250, 244, 230)
ACCENT = (196, 60, 40)  # cinnabar; never the only cue: markers also carry a number


BREAK_AFTER = "，。、：；！？·"
NO_LINE_START = "，。、：；！？）」』”"


def ui_scale(size: tuple[int, int]) -> float:
    """How much bigger or smaller than at 1080p the HUD is drawn in a window of `size` (its shorter side)."""
    return max(0.25, min(size) / 1080)


def px(size: tuple[int, int], value: float) -> int:
    """`value` pixels at 1080p, in a window of `size`."""
    return max(1, round(value * ui_scale(size)))


def marker_radius(size: tuple[int, int]) -> int:
    return max(20, px(size, MARKER_RADIUS))  # a finger's width even in a small preview window


def _screen_box(surface: pygame.Surface, rect: pygame.Rect) -> tuple[int, int, int, int]:
    """`rect` on `surface` in the window's pixels (a subsurface's offset added)."""
    dx, dy = surface.get_abs_offset()
    return (rect.x + dx, rect.y + dy, rect.width, rect.height)


def note_box(surface: pygame.Surface, label: str, rect: pygame.Rect, group: str = "") -> None:
    drawlog.note_box(label, _screen_box(surface, rect), group)


def find_font(preferred: str | Path | None = None) -> tuple[str | None, int]:
    """A font file that has Chinese glyphs: `preferred` if it exists, YUEDU_FONT, then the system fonts."""
    for candidate, index in ((preferred, 0), (os.environ.get("YUEDU_FONT"), 0), *SYSTEM_FONTS):
        if candidate and Path(candidate).is_file():
            return str(candidate), index
    return None, 0  # pygame's default font: Latin only, but the kiosk keeps running


class TextCache:
    """Rendered text surfaces by (text, size, colour): rendering CJK text each frame costs milliseconds."""

    def __init__(self, font_path: str | Path | None = None):
        if not pygame.freetype.get_init():
            pygame.freetype.init()
        self.path, self.index = find_font(font_path)
        self._fonts: dict[int, pygame.freetype.Font] = {}
        self._cache: dict[tuple, pygame.Surface] = {}

    def font(self, size: int) -> pygame.freetype.Font:
        if size not in self._fonts:
            self._fonts[size] = pygame.freetype.Font(self.path, size, font_index=self.index)
        return self._fonts[size]

    def render(self, text: str, size: int, color=INK) -> pygame.Surface:
        key = (text, size, tuple(color))
        if key not in self._cache:
            if len(self._cache) > 512:
                self._cache.clear()
            surface, _ = self.font(size).render(text, color)
            self._cache[key] = surface
        return self._cache[key]

    def draw(self, surface: pygame.Surface, text: str, size: int, color=INK, role: str = "text",
             **anchor) -> pygame.Rect:
        """Blit `text` placed by one pygame.Rect anchor (center=…, midleft=…, topleft=…) and note it in the
        draw log with its real size and box; returns the drawn rectangle."""
        rendered = self.render(text, size, color)
        rect = rendered.get_rect(**anchor)
        surface.blit(rendered, rect)
        parent = surface.get_abs_parent()
        dx, dy = surface.get_abs_offset()
        drawlog.note_text(text, size, _screen_box(surface, rect), role=role,
                          clip=(dx, dy, surface.get_width(), surface.get_height()) if parent is not surface else None)
        return rect

    def wrap(self, text: str, size: int, width: int) -> list[str]:
        """Break text into lines no wider than `width` (character by character: Chinese has no spaces)."""
        lines, current = [], ""
        font = self.font(size)
        for ch in text:
            if ch == "\n":
                lines.append(current)
                current = ""
                continue
            if current and font.get_rect(current + ch).width > width:
                # Break after the last punctuation mark near the end, so a phrase is not split (它的 / 故事).
                cut = max(current.rfind(mark) for mark in BREAK_AFTER)
                if cut >= 0 and len(current) - cut - 1 <= 6 and ch not in NO_LINE_START:
                    lines.append(current[:cut + 1])
                    current = current[cut + 1:]
                elif ch in NO_LINE_START:  # a mark never starts a line: it hangs on this one
                    current += ch
                    continue
                else:
                    lines.append(current)
                    current = ""
            current += ch
        if current:
            lines.append(current)
        return lines


@dataclass
class Button:
    """A labelled touch target; `hit` takes pointer coordinates."""

    key: str
    rect: pygame.Rect
    label: str

    def hit(self, x: float, y: float) -> bool:
        return self.rect.collidepoint(x, y)

    def draw(self, surface: pygame.Surface, text: TextCache, size: int | None = None) -> None:
        scale = ui_scale(surface.get_size())
        size = size or px(surface.get_size(), TEXT_PX)
        radius = max(6, round(16 * scale))
        pygame.draw.rect(surface, PAPER, self.rect, border_radius=radius)
        pygame.draw.rect(surface, INK, self.rect, width=max(2, round(3 * scale)), border_radius=radius)
        note_box(surface, f"button:{self.key}", self.rect, "buttons")
        text.draw(surface, self.label, size, INK, center=self.rect.center)


def draw_marker(surface: pygame.Surface, text: TextCache, x: float, y: float, number: int, title: str,
                active: bool = False, avoid: list[pygame.Rect] | tuple = ()) -> pygame.Rect | None:
    """A numbered round marker with its title beside it (on the side with room); returns the marker's rectangle.
    The marker and its title are noted as one box of the group "markers"."""
    size = surface.get_size()
    radius = marker_radius(size)
    scale = ui_scale(size)
    center = (int(x), int(y))
    marker = pygame.Rect(center[0] - radius, center[1] - radius, 2 * radius, 2 * radius)
    font_px = px(size, TEXT_PX)
    width = text.font(font_px).get_rect(title).width
    pad_x, pad_y, gap = px(size, 14), px(size, 8), px(size, 8)
    box = pygame.Rect(0, 0, width + 2 * pad_x, font_px + 2 * pad_y)
    box.midleft = (center[0] + radius + gap, center[1])
    if box.right > size[0] - px(size, MARGIN_PX):  # no room on the right: the title goes on the left
        box.midright = (center[0] - radius - gap, center[1])
    whole = marker.union(box)
    if any(whole.colliderect(rect) for rect in avoid) or not surface.get_rect().contains(whole):
        return None  # under the label, a panel or a button, or partly off screen: not drawn, not tappable
    pygame.draw.circle(surface, PAPER, center, radius)
    pygame.draw.circle(surface, ACCENT, center, radius - max(3, round(5 * scale)))
    pygame.draw.circle(surface, INK if active else PAPER, center, radius, width=max(2, round(4 * scale)))
    pygame.draw.rect(surface, PAPER, box, border_radius=max(4, round(10 * scale)))
    note_box(surface, f"marker:{number}", whole, "markers")
    text.draw(surface, str(number), px(size, 34), PAPER, role="deco", center=center)
    text.draw(surface, title, font_px, INK, center=box.center)
    return marker


def panel_width(size: tuple[int, int]) -> int:
    """The information card's width: 560 px at 1080p and at most 45% of a landscape window, on the right so the
    object in the middle stays in view; in portrait 90% of the width, in the band below the middle."""
    if size[0] < size[1]:  # portrait: across the lower band, under the object
        return min(px(size, 900), round(size[0] * 0.9))
    return min(px(size, 560), round(size[0] * 0.45))


def _panel_layout(surface, text, title, body, image, width, top):
    size = surface.get_size()
    sw, sh = size
    width = width or panel_width(size)
    pad, body_px, title_px = px(size, 28), px(size, TEXT_PX), px(size, 48)
    line_h = round(body_px * 1.45)
    lines = text.wrap(body, body_px, width - 2 * pad) if body else []
    height = 2 * pad + round(title_px * 1.4) + len(lines) * line_h + (image.get_height() + pad // 2 if image else 0)
    margin = px(size, MARGIN_PX)
    low = max(margin, (top + margin) if top else 0)
    top_y = max(low, (sh - height) // 2) if sw >= sh else max(low, round(sh * 0.68))
    rect = pygame.Rect(sw - width - margin, top_y, width, min(height, sh - top_y - margin))
    return rect, pad, body_px, title_px, line_h, lines


def panel_rect(surface: pygame.Surface, text: TextCache, title: str, body: str, image: pygame.Surface | None = None,
               width: int | None = None, top: int | None = None) -> pygame.Rect:
    """Where `draw_panel` puts the card (nothing drawn)."""
    return _panel_layout(surface, text, title, body, image, width, top)[0]


def draw_panel(surface: pygame.Surface, text: TextCache, title: str, body: str, image: pygame.Surface | None = None,
               width: int | None = None, top: int | None = None) -> pygame.Rect:
    """An information card on the right side of the screen (below `top` if given); returns its rectangle."""
    size = surface.get_size()
    rect, pad, body_px, title_px, line_h, lines = _panel_layout(surface, text, title, body, image, width, top)
    radius = max(6, round(18 * ui_scale(size)))
    pygame.draw.rect(surface, PAPER, rect, border_radius=radius)
    pygame.draw.rect(surface, INK, rect, width=max(2, round(3 * ui_scale(size))), border_radius=radius)
    note_box(surface, "panel", rect, "panels")
    text.draw(surface, title, title_px, ACCENT, topleft=(rect.x + pad, rect.y + pad))
    y = rect.y + pad + round(title_px * 1.4)
    if image is not None:
        surface.blit(image, (rect.x + pad, y))
        y += image.get_height() + pad // 2
    for line in lines:
        if y + body_px > rect.bottom - pad // 2:
            break
        text.draw(surface, line, body_px, INK, topleft=(rect.x + pad, y))
        y += line_h
    return rect


def label_layout(text: TextCache, size: tuple[int, int], title: str, caption: str, width: int):
    """The label's lines: (title size, caption size, caption lines) fitted into `width` pixels."""
    title_px, caption_px = px(size, TITLE_PX), px(size, TEXT_PX)
    pad = px(size, 22)
    lines = text.wrap(caption, caption_px, width - 2 * pad)[:3] if caption else []
    return title_px, caption_px, lines


def label_width(size: tuple[int, int]) -> int:
    return min(round(size[0] * (0.42 if size[0] >= size[1] else 0.9)), px(size, 900))


def draw_label(surface: pygame.Surface, text: TextCache, title: str, caption: str,
               width: int | None = None, centred: bool = False) -> pygame.Rect:
    """The exhibit's label (展签) in the top left corner: its title, big, and a short caption under it, on a
    dark plate so it reads over any scene. Kept to the top band: the object stands in the middle. `centred`
    (a VR eye): in the middle of the top band, away from the lens's blurred rim."""
    size = surface.get_size()
    margin, pad = px(size, MARGIN_PX), px(size, 22)
    width = width or (round(size[0] * 0.7) if centred else label_width(size))
    title_px, caption_px, lines = label_layout(text, size, title, caption, width)
    line_h = round(caption_px * 1.4)
    title_w = text.font(title_px).get_rect(title).width
    caption_w = max((text.font(caption_px).get_rect(line).width for line in lines), default=0)
    inner_w = min(width - 2 * pad, max(title_w, caption_w))
    height = 2 * pad + round(title_px * 1.25) + len(lines) * line_h
    rect = pygame.Rect(margin, margin, inner_w + 2 * pad, height)
    if centred:
        rect.midtop = (size[0] // 2, round(size[1] * 0.12))
    plate = pygame.Surface(rect.size, pygame.SRCALPHA)
    radius = max(6, round(16 * ui_scale(size)))
    pygame.draw.rect(plate, (*INK, 215), plate.get_rect(), border_radius=radius)
    surface.blit(plate, rect)
    pygame.draw.line(surface, ACCENT, (rect.x + pad, rect.y + pad + round(title_px * 1.12)),
                     (rect.x + pad + min(inner_w, round(title_px * 2)), rect.y + pad + round(title_px * 1.12)),
                     max(2, round(4 * ui_scale(size))))
    note_box(surface, "label", rect, "panels")
    text.draw(surface, title, title_px, PAPER, topleft=(rect.x + pad, rect.y + pad))
    y = rect.y + pad + round(title_px * 1.25)
    for line in lines:
        text.draw(surface, line, caption_px, PAPER, topleft=(rect.x + pad, y))
        y += line_h
    return rect


def draw_caption(surface: pygame.Surface, text: TextCache, caption: str, bottom: int | None = None,
                 color=PAPER, plate=INK, avoid: list[pygame.Rect] | tuple = ()) -> pygame.Rect:
    """One line centred at the bottom of the screen (a hint, the page number) on a plate, raised above any of
    the `avoid` rectangles (buttons, the home button) it would cover."""
    size = surface.get_size()
    font_px = px(size, TEXT_PX)
    bottom = bottom if bottom is not None else size[1] - px(size, 24)
    width = text.font(font_px).get_rect(caption).width
    box = pygame.Rect(0, 0, width + px(size, 36), round(font_px * 1.5))
    box.midbottom = (size[0] // 2, bottom)
    for rect in sorted(avoid, key=lambda r: -r.top):
        if box.colliderect(rect):
            box.bottom = min(box.bottom, rect.top - px(size, 12))
    if plate is not None:
        pygame.draw.rect(surface, plate, box, border_radius=max(4, round(12 * ui_scale(size))))
    text.draw(surface, caption, font_px, color, center=box.center)
    return box


def draw_loading(surface: pygame.Surface, text: TextCache, progress: float, label: str,
                 poster: pygame.Surface | None = None) -> None:
    """Poster (if any) fitted to the screen, and a progress bar with a percentage (not colour alone)."""
    sw, sh = surface.get_size()
    surface.fill((24, 22, 20))
    if poster is not None:
        scale = min(sw / poster.get_width(), sh / poster.get_height())
        fitted = pygame.transform.smoothscale(poster, (int(poster.get_width() * scale), int(poster.get_height() * scale)))
        surface.blit(fitted, fitted.get_rect(center=(sw // 2, sh // 2)))
    bar = pygame.Rect(sw // 4, sh - 90, sw // 2, 28)
    pygame.draw.rect(surface, PAPER, bar, border_radius=14)
    filled = bar.copy()
    filled.width = max(28, int(bar.width * max(0.0, min(1.0, progress))))
    pygame.draw.rect(surface, ACCENT, filled, border_radius=14)
    pygame.draw.rect(surface, INK, bar, width=3, border_radius=14)
    text.draw(surface, f"{label} {int(progress * 100)}%", px((sw, sh), TEXT_PX), PAPER,
              midbottom=(sw // 2, bar.top - 10))
