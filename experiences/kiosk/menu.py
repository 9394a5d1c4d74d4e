"""The experience menu: big cards (cover, title, age band), pages when there are many, touch and keys.

Every touch target is at least 120 px a side; a card opens on release over the card it was pressed on.
Once the visitor has said their age band, packages for it come first and young bands get pinyin on every card.
"""
from __future__ import annotations

from dataclasses import dataclass

import pygame

from experiences.i18n import t
from experiences.kiosk import theme
from experiences.kiosk.ageband import order_for_band, title_gets_pinyin
from experiences.kiosk.covers import CoverCache
from experiences.package import Package
from experiences.runtime import InputEvent
from experiences.text import TextRenderer

HEADER = 110
GAP = 24
MARGIN = 40
PAGER_HEIGHT = theme.MIN_TOUCH + 24
MIN_CARD = (260, 200)
MAX_CARD_WIDTH = 440


@dataclass(frozen=True)
class Target:
    kind: str  # "card" | "prev" | "next"
    rect: pygame.Rect
    index: int = -1  # index into the package list for cards


def title_has_pinyin(package: Package, band: str | None = None) -> bool:
    """Whether the card's title gets a pinyin row: the visitor is in a young band; with no band known, the
    package is (also) for children still learning to read."""
    return title_gets_pinyin(package.manifest.age_bands, band)


def age_label(package: Package, lang: str) -> str:
    """The age bands as the i18n catalog names them ("6–8岁 一至三年级"), joined."""
    bands = package.manifest.age_bands or ["all"]
    return " · ".join(t(f"age.{band}", lang) for band in bands)


class MenuScreen:
    def __init__(self, packages: list[Package], text: TextRenderer, covers: CoverCache, lang: str = "zh-CN"):
        self.all_packages = list(packages)  # as installed; `packages` is the order shown
        self.packages = list(packages)
        self.band: str | None = None  # the visitor's age band, once they said it
        self.text = text
        self.covers = covers
        self.lang = lang
        self.page = 0
        self.focus = 0
        self.pressed: Target | None = None
        self._size = (0, 0)
        self._grid = (1, 1)
        self._background: pygame.Surface | None = None

    def set_band(self, band: str | None) -> None:
        """Show the visitor's band first (None: the installed order) and start again on the first page."""
        self.band = band
        self.packages = order_for_band(self.all_packages, band)
        self.page = self.focus = 0
        self.pressed = None

    # --- layout -------------------------------------------------------------------------------------------
    def layout(self, size: tuple[int, int]) -> None:
        if size == self._size:
            return
        self._size = size
        self._background = theme.vertical_gradient(size)
        width, height = size
        cols = max(1, (width - 2 * MARGIN + GAP) // (MIN_CARD[0] + GAP))
        rows_all = max(1, (height - HEADER - MARGIN + GAP) // (MIN_CARD[1] + GAP))
        if cols * rows_all < len(self.packages):  # paging: keep room for the pager
            rows_all = max(1, (height - HEADER - PAGER_HEIGHT + GAP) // (MIN_CARD[1] + GAP))
        cols = min(cols, 4)
        rows = min(rows_all, 3)
        if len(self.packages) <= cols * rows:  # one page: only the rows and columns it needs, bigger cards
            cols = max(1, min(cols, len(self.packages)))
            rows = max(1, -(-len(self.packages) // cols))
        self._grid = (cols, rows)
        self.page = min(self.page, self.pages - 1)

    @property
    def per_page(self) -> int:
        return self._grid[0] * self._grid[1]

    @property
    def pages(self) -> int:
        return max(1, -(-len(self.packages) // self.per_page))

    def targets(self) -> list[Target]:
        width, height = self._size
        cols, rows = self._grid
        bottom = height - (PAGER_HEIGHT if self.pages > 1 else MARGIN)
        card_w = min(MAX_CARD_WIDTH, (width - 2 * MARGIN - (cols - 1) * GAP) // cols)
        card_h = min((bottom - HEADER - (rows - 1) * GAP) // rows, int(card_w * 0.95))
        grid_h = rows * card_h + (rows - 1) * GAP
        top = HEADER + max(0, (bottom - HEADER - grid_h) // 2)
        left = (width - (cols * card_w + (cols - 1) * GAP)) // 2
        out = []
        first = self.page * self.per_page
        for slot, index in enumerate(range(first, min(first + self.per_page, len(self.packages)))):
            row, col = divmod(slot, cols)
            rect = pygame.Rect(left + col * (card_w + GAP), top + row * (card_h + GAP), card_w, card_h)
            out.append(Target("card", rect, index))
        if self.pages > 1:
            button = (max(theme.MIN_TOUCH, 220), theme.MIN_TOUCH)
            out.append(Target("prev", pygame.Rect((MARGIN, height - button[1] - 12), button)))
            out.append(Target("next", pygame.Rect((width - MARGIN - button[0], height - button[1] - 12), button)))
        return out

    def hit(self, x: float, y: float) -> Target | None:
        for target in self.targets():
            if target.rect.collidepoint(x, y):
                return target
        return None

    # --- input --------------------------------------------------------------------------------------------
    def handle(self, event: InputEvent) -> Package | None:
        """Returns the package to launch, if this input picked one."""
        if event.type == "pointer_down":
            self.pressed = self.hit(event.x, event.y)
            return None
        if event.type == "pointer_up":
            pressed, self.pressed = self.pressed, None
            released = self.hit(event.x, event.y)
            if pressed is None or released is None or (pressed.kind, pressed.index) != (released.kind, released.index):
                return None
            return self._activate(released)
        if event.type == "action":
            return self._key(event.action)
        return None

    def _activate(self, target: Target) -> Package | None:
        if target.kind == "card":
            self.focus = target.index
            return self.packages[target.index]
        self.turn(-1 if target.kind == "prev" else 1)
        return None

    def turn(self, step: int) -> None:
        self.page = (self.page + step) % self.pages
        self.focus = self.page * self.per_page

    def _key(self, action: str) -> Package | None:
        if not self.packages:
            return None
        cols = self._grid[0]
        moves = {"left": -1, "right": 1, "up": -cols, "down": cols}
        if action in moves:
            self.focus = min(max(0, self.focus + moves[action]), len(self.packages) - 1)
            self.page = self.focus // self.per_page
        elif action == "select":
            return self.packages[self.focus]
        return None

    # --- drawing ------------------------------------------------------------------------------------------
    def draw(self, surface: pygame.Surface) -> None:
        self.layout(surface.get_size())
        width, height = surface.get_size()
        surface.blit(self._background, (0, 0))
        self.text.draw(surface, t("kiosk.menu_title", self.lang), (width // 2, 24), 52, theme.PAPER, "midtop")
        if not self.packages:
            box = pygame.Rect(width * 0.1, height * 0.4, width * 0.8, height * 0.3)
            self.text.draw_paragraph(surface, t("kiosk.no_experiences", self.lang), box, 36, theme.PAPER)
            return
        for target in self.targets():
            if target.kind == "card":
                self._draw_card(surface, target)
            else:
                self._draw_pager_button(surface, target)
        if self.pages > 1:
            label = t("kiosk_shell.page", self.lang, page=self.page + 1, pages=self.pages)
            self.text.draw(surface, label, (width // 2, height - 12 - theme.MIN_TOUCH // 2), 30, theme.PAPER, "center")

    def _is_pressed(self, target: Target) -> bool:
        return self.pressed is not None and (self.pressed.kind, self.pressed.index) == (target.kind, target.index)

    def _draw_card(self, surface: pygame.Surface, target: Target) -> None:
        package = self.packages[target.index]
        rect = target.rect.move(0, 4) if self._is_pressed(target) else target.rect  # a press sinks the card
        focused = target.index == self.focus
        shadow = theme.rounded_panel(rect.size, theme.SHADOW, radius=20)
        surface.blit(shadow, rect.move(6, 8))
        # focus shows as a thick dark frame, not only a colour change
        surface.blit(theme.rounded_panel(rect.size, theme.CARD, radius=20, border=6 if focused else 2,
                                         border_colour=theme.ACCENT if focused else theme.INK_SOFT), rect)
        title_size = max(22, min(34, rect.height // 7))
        label_size = max(18, title_size * 2 // 3)
        labels = self._label_lines(package, label_size, rect.width - 28)
        line_h = self.text.font(label_size).get_sized_height()
        pinyin = title_has_pinyin(package, self.band)
        text_h = title_size + len(labels) * line_h + 30 + (self.text.pinyin_row_height(title_size) if pinyin else 0)
        cover_rect = pygame.Rect(rect.left + 14, rect.top + 14, rect.width - 28, rect.height - 28 - text_h)
        if cover_rect.height > 20:
            surface.blit(self.covers.get(package, cover_rect.size, self.lang), cover_rect)
        title = self._fit(package.manifest.title(self.lang), title_size, rect.width - 28, pinyin)
        self.text.draw(surface, title, (rect.centerx, rect.bottom - text_h + 4), title_size, theme.INK, "midtop",
                       pinyin=pinyin, ruby_color=theme.INK_SOFT)
        for i, line in enumerate(reversed(labels)):
            self.text.draw(surface, line, (rect.centerx, rect.bottom - 12 - i * line_h), label_size, theme.INK_SOFT,
                           "midbottom")

    def _label_lines(self, package: Package, size: int, width: int) -> list[str]:
        """Age bands on one line, or two when several do not fit (never shrunk below a readable size)."""
        lines: list[str] = []
        for band in age_label(package, self.lang).split(" · "):
            candidate = f"{lines[-1]} · {band}" if lines else band
            if lines and self.text.size(candidate, size)[0] <= width:
                lines[-1] = candidate
            else:
                lines.append(band)
        if len(lines) > 2:
            lines = [lines[0], lines[1] + " …"]
        return [self._fit(line, size, width) for line in lines]

    def _fit(self, text: str, size: int, width: int, pinyin: bool = False) -> str:
        """Shorten with an ellipsis so a long title never spills out of its card (measured with its pinyin row)."""
        measure = self.text.size_with_pinyin if pinyin else self.text.size
        if measure(text, size)[0] <= width:
            return text
        while len(text) > 1 and measure(text + "…", size)[0] > width:
            text = text[:-1]
        return text + "…"

    def _draw_pager_button(self, surface: pygame.Surface, target: Target) -> None:
        rect = target.rect.move(0, 4) if self._is_pressed(target) else target.rect
        surface.blit(theme.rounded_panel(rect.size, theme.CARD, radius=20, border=3, border_colour=theme.INK_SOFT),
                     rect)
        key = "kiosk_shell.prev_page" if target.kind == "prev" else "kiosk_shell.next_page"
        self.text.draw(surface, t(key, self.lang), rect.center, 32, theme.INK, "center")
