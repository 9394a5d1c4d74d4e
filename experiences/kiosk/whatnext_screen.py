"""The 「what next?」 screen after an experience: 3–5 big cards (cover, title, reason) and a way back to the menu.
A card for an item (a poem) shows the item's title and opens its package on that item.

Touch opens a card on release over the card it was pressed on, like the menu; keys move and select.
"""
from __future__ import annotations

from dataclasses import dataclass

import pygame

from experiences.i18n import t
from experiences.kiosk import theme
from experiences.kiosk.ageband import title_gets_pinyin
from experiences.kiosk.covers import CoverCache
from experiences.kiosk.whatnext import Pick
from experiences.package import Package
from experiences.runtime import InputEvent
from experiences.text import TextRenderer

HEADER = 120
MARGIN = 40
GAP = 28


@dataclass(frozen=True)
class Card:
    kind: str  # "pick" | "back"
    rect: pygame.Rect
    index: int = -1


class WhatNextScreen:
    def __init__(self, picks: list[Pick], packages: dict[str, Package], text: TextRenderer, covers: CoverCache,
                 lang: str = "zh-CN", band: str | None = None):
        self.band = band  # the visitor's age band: young bands read titles with pinyin, as on the menu
        self.text = text
        self.covers = covers
        self.lang = lang
        self.packages = packages
        self.picks = [p for p in picks if p.package in packages]
        self.focus = 0
        self.pressed: Card | None = None
        self.touched = False  # once the visitor reached for a card, the cards stay where they are

    def replace_picks(self, picks: list[Pick]) -> bool:
        """Fresher picks from the server; ignored once the visitor has started choosing."""
        usable = [p for p in picks if p.package in self.packages]
        if self.touched or not usable:
            return False
        self.picks = usable
        self.focus = 0
        return True

    # --- layout -------------------------------------------------------------------------------------------
    def cards(self, size: tuple[int, int]) -> list[Card]:
        width, height = size
        count = max(1, len(self.picks))
        cols = count if width >= height else min(count, 2)
        rows = -(-count // cols)
        back_h = theme.MIN_TOUCH
        card_w = min(420, (width - 2 * MARGIN - (cols - 1) * GAP) // cols)
        card_h = min(int(card_w * 1.25), (height - HEADER - back_h - 2 * GAP - MARGIN - (rows - 1) * GAP) // rows)
        left = (width - (cols * card_w + (cols - 1) * GAP)) // 2
        top = HEADER + max(0, (height - HEADER - back_h - 2 * GAP - rows * card_h - (rows - 1) * GAP) // 2)
        out = []
        for i in range(len(self.picks)):
            row, col = divmod(i, cols)
            out.append(Card("pick", pygame.Rect(left + col * (card_w + GAP), top + row * (card_h + GAP), card_w,
                                                card_h), i))
        back_w = max(theme.MIN_TOUCH * 3, 360)
        out.append(Card("back", pygame.Rect((width - back_w) // 2, height - back_h - MARGIN // 2, back_w, back_h)))
        return out

    def hit(self, size, x: float, y: float) -> Card | None:
        return next((c for c in self.cards(size) if c.rect.collidepoint(x, y)), None)

    # --- input --------------------------------------------------------------------------------------------
    def handle(self, event: InputEvent, size: tuple[int, int]) -> tuple[str, Package | None, str | None] | None:
        """("open", package, item id or None), ("menu", None, None) or None."""
        if event.type == "pointer_down":
            self.touched = True
            self.pressed = self.hit(size, event.x, event.y)
            return None
        if event.type == "pointer_up":
            pressed, self.pressed = self.pressed, None
            released = self.hit(size, event.x, event.y)
            if pressed is None or released is None or (pressed.kind, pressed.index) != (released.kind, released.index):
                return None
            return self._activate(released)
        if event.type == "action":
            self.touched = True
            if event.action in ("left", "up"):
                self.focus = max(0, self.focus - 1)
            elif event.action in ("right", "down"):
                self.focus = min(len(self.picks), self.focus + 1)  # the last stop is the back button
            elif event.action == "select":
                if self.focus >= len(self.picks):
                    return ("menu", None, None)
                return self._open(self.picks[self.focus])
            elif event.action == "back":
                return ("menu", None, None)
        return None

    def _activate(self, card: Card):
        if card.kind == "back":
            return ("menu", None, None)
        return self._open(self.picks[card.index])

    def _open(self, pick: Pick) -> tuple[str, Package, str | None]:
        return ("open", self.packages[pick.package], pick.item_id or None)

    # --- drawing ------------------------------------------------------------------------------------------
    def draw(self, surface: pygame.Surface) -> None:
        size = surface.get_size()
        surface.blit(theme.vertical_gradient(size), (0, 0))
        self.text.draw(surface, t("what_next.title", self.lang), (size[0] // 2, 30), 56, theme.PAPER, "midtop")
        for card in self.cards(size):
            pressed = self.pressed is not None and (self.pressed.kind, self.pressed.index) == (card.kind, card.index)
            rect = card.rect.move(0, 4) if pressed else card.rect  # a press sinks the card
            focused = (card.index if card.kind == "pick" else len(self.picks)) == self.focus
            surface.blit(theme.rounded_panel(rect.size, theme.SHADOW, radius=22), rect.move(6, 8))
            # focus is a thick frame, not only a colour
            surface.blit(theme.rounded_panel(rect.size, theme.CARD, radius=22, border=7 if focused else 2,
                                             border_colour=theme.ACCENT if focused else theme.INK_SOFT), rect)
            if card.kind == "back":
                self.text.draw(surface, t("what_next.back", self.lang), rect.center, 36, theme.INK, "center")
            else:
                self._draw_pick(surface, rect, self.picks[card.index])

    def card_title(self, pick: Pick) -> str:
        """The package's title, or for an item pick the item's own (《春晓》), in the visitor's language."""
        if pick.item_id:
            title = pick.title.get(self.lang) or pick.title.get("zh-CN") or pick.item_id
            return title if title.startswith("《") else f"《{title}》"
        return self.packages[pick.package].manifest.title(self.lang)

    def _draw_pick(self, surface: pygame.Surface, rect: pygame.Rect, pick: Pick) -> None:
        package = self.packages[pick.package]
        title_size = max(28, min(40, rect.width // 9))
        reason_size = max(22, title_size * 2 // 3)
        reason = pick.text.get(self.lang) or pick.text.get("zh-CN") or ""
        reason_lines = self.text.wrap(reason, reason_size, rect.width - 32)[:3] if reason else []
        line_h = int(reason_size * 1.35)
        pinyin = title_gets_pinyin(package.manifest.age_bands, self.band)
        ruby_h = self.text.pinyin_row_height(title_size) if pinyin else 0
        text_h = title_size + ruby_h + 20 + 3 * line_h + 16  # the same for every card, so the covers line up
        cover = pygame.Rect(rect.left + 16, rect.top + 16, rect.width - 32, rect.height - 32 - text_h)
        if cover.height > 24:
            surface.blit(self.covers.get(package, cover.size, self.lang), cover)
        y = rect.bottom - text_h
        self.text.draw(surface, self.card_title(pick), (rect.centerx, y), title_size, theme.INK, "midtop",
                       pinyin=pinyin, ruby_color=theme.INK_SOFT)
        y += title_size + ruby_h + 20
        for line in reason_lines:
            self.text.draw(surface, line, (rect.centerx, y), reason_size, theme.INK_SOFT, "midtop")
            y += line_h
