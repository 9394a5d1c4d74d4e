"""The 「what next?」 screen after an experience: 3–5 big cards (cover, title, reason) and a way back to the menu.
A card for an item (a poem) shows the item's title and opens its package on that item. Beside the picks, one or two
去书架找一找 book cards (experiences/kiosk/whatnext_books.py) when the library's catalogue had books for the run:
a tap shows that book large with its QR code.

Touch opens a card on release over the card it was pressed on, like the menu; keys move and select. Sizes are
designed at 1080p and scale with the window's shorter side (theme.scale); covers are shown whole, never cropped.
"""
from __future__ import annotations

from dataclasses import dataclass

import pygame

from experiences import drawlog
from experiences.i18n import t
from experiences.kiosk import theme
from experiences.kiosk.ageband import title_gets_pinyin
from experiences.kiosk.ageband import YOUNG_BANDS
from experiences.kiosk.covers import CoverCache
from experiences.kiosk.title_lines import fit_title, wrap_lines
from experiences.kiosk.whatnext import Pick
from experiences.kiosk.whatnext_books import MIN_CARD_WIDTH, MIN_CARD_WIDTH_LATIN, PICKS_BESIDE_BOOKS, BookCards
from experiences.package import Package
from experiences.runtime import InputEvent
from experiences.text import TextRenderer

MARGIN = 40  # px at 1080p (theme.px)
GAP = 28
MAX_CARD_WIDTH = 480
REASON_LINES = 3  # 「读了《春晓》的小朋友也读了《静夜思》」 takes two at the smallest card
TITLE_LINES = 2  # a pick's title: one line down to the smallest size (screencheck's 32 px at 1080p), else two


@dataclass(frozen=True)
class Card:
    kind: str  # "pick" | "book" | "back"
    rect: pygame.Rect
    index: int = -1


class WhatNextScreen:
    def __init__(self, picks: list[Pick], packages: dict[str, Package], text: TextRenderer, covers: CoverCache,
                 lang: str = "zh-CN", band: str | None = None, books=None, after: str = ""):
        self.band = band  # the visitor's age band: young bands read titles with pinyin, as on the menu
        self.text = text
        self.covers = covers
        self.lang = lang
        self.packages = packages
        self.picks = [p for p in picks if p.package in packages]
        self.focus = 0
        self.pressed: Card | None = None
        self.touched = False  # once the visitor reached for a card, the cards stay where they are
        self.books: BookCards | None = None
        self.size: tuple[int, int] = (1920, 1080)  # the last size drawn or handled at: what is shown depends on it
        self._reasons: dict[tuple, list[str]] = {}  # reason_lines' answers
        self._titles: dict[tuple, tuple[int, list[str], int]] = {}  # title_lines' answers
        if books is not None:
            self.offer_books(books, after)

    def offer_books(self, cards, after: str = "") -> None:
        """去书架找一找 cards (a list, or the shelf's PendingCards: cached at once, fresher when they come)."""
        self.books = BookCards(cards, self.text, self.lang, self.band, after)

    @property
    def books_shown(self) -> list:
        return self._split(self.size)[1]

    @property
    def picks_shown(self) -> list[Pick]:
        return self._split(self.size)[0]

    def _split(self, size: tuple[int, int]) -> tuple[list[Pick], list]:
        """The picks and books shown at `size`: without books every pick; with them up to 3 picks and 2 books, as
        many as a landscape row holds at MIN_CARD_WIDTH (at least two picks and one book)."""
        books = self.books.shown if self.books is not None else []
        if not books:
            return self.picks, []
        picks = self.picks[:PICKS_BESIDE_BOOKS]
        width, height = size
        if width >= height:
            s = theme.scale(size)
            room = width - 2 * theme.px(MARGIN, s) + theme.px(GAP, s)
            least = MIN_CARD_WIDTH if self.lang.startswith("zh") else MIN_CARD_WIDTH_LATIN  # English titles are longer
            slots = max(3, room // (theme.px(least, s) + theme.px(GAP, s)))
            books = books[:max(1, min(len(books), slots - len(picks)))]
            picks = picks[:max(2, slots - len(books))]
        return picks, books

    def update(self) -> bool:
        """Fresher book cards from the server (never once the visitor touched a card); True when they changed."""
        return self.books is not None and self.books.update(self.touched)

    def replace_picks(self, picks: list[Pick]) -> bool:
        """Fresher picks from the server; ignored once the visitor has started choosing."""
        usable = [p for p in picks if p.package in self.packages]
        if self.touched or not usable:
            return False
        self.picks = usable
        self.focus = 0
        return True

    # --- layout -------------------------------------------------------------------------------------------
    def header_height(self, size: tuple[int, int]) -> int:
        s = theme.scale(size)
        title = self.text.size_with_pinyin(t("what_next.title", self.lang), theme.px(theme.PROMPT_PX, s),
                                           theme.px(theme.PROMPT_PINYIN_PX, s))
        return theme.px(16, s) + title[1] + theme.px(16, s)

    def cards(self, size: tuple[int, int]) -> list[Card]:
        width, height = size
        s = theme.scale(size)
        margin, gap, header = theme.px(MARGIN, s), theme.px(GAP, s), self.header_height(size)
        self.size = tuple(size)
        picks, books = self._split(self.size)
        count = max(1, len(picks) + len(books))
        cols = count if width >= height else min(count, 2)
        rows = -(-count // cols)
        back_h = max(theme.MIN_TOUCH, theme.px(140, s))
        card_w = min(theme.px(MAX_CARD_WIDTH, s), (width - 2 * margin - (cols - 1) * gap) // cols)
        tall = 1.55 if books else 1.1  # a book card has its title, 索书号 and a cover to show
        card_h = min(int(card_w * tall), (height - header - back_h - 2 * gap - margin - (rows - 1) * gap) // rows)
        top = header + max(0, (height - header - back_h - 2 * gap - rows * card_h - (rows - 1) * gap) // 2)
        out = []
        kinds = [("pick", i) for i in range(len(picks))] + [("book", i) for i in range(len(books))]
        for n, (kind, i) in enumerate(kinds):
            row, col = divmod(n, cols)
            in_row = min(cols, len(kinds) - row * cols)  # a last row with fewer cards is centred
            left = (width - (in_row * card_w + (in_row - 1) * gap)) // 2
            out.append(Card(kind, pygame.Rect(left + col * (card_w + gap), top + row * (card_h + gap), card_w,
                                              card_h), i))
        back_w = max(theme.MIN_TOUCH * 3, theme.px(420, s))
        out.append(Card("back", pygame.Rect((width - back_w) // 2, height - back_h - margin // 2, back_w, back_h)))
        return out

    def hit(self, size, x: float, y: float) -> Card | None:
        return next((c for c in self.cards(size) if c.rect.collidepoint(x, y)), None)

    # --- input --------------------------------------------------------------------------------------------
    def handle(self, event: InputEvent, size: tuple[int, int]) -> tuple[str, Package | None, str | None] | None:
        """("open", package, item id or None), ("menu", None, None) or None (a book card opens and closes here)."""
        self.size = tuple(size)
        if self.books is not None and self.books.open is not None:
            self.books.handle_open(event, size)
            return None
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
                self.focus = min(self._stops() - 1, self.focus + 1)  # the last stop is the back button
            elif event.action == "select":
                picks, books = self.picks_shown, self.books_shown
                if self.focus < len(picks):
                    return self._open(picks[self.focus])
                if self.focus < len(picks) + len(books):
                    self.books.open = books[self.focus - len(picks)]
                    return None
                return ("menu", None, None)
            elif event.action == "back":
                return ("menu", None, None)
        return None

    def _stops(self) -> int:
        return len(self.picks_shown) + len(self.books_shown) + 1

    def _activate(self, card: Card):
        if card.kind == "back":
            return ("menu", None, None)
        if card.kind == "book":
            self.books.open = self.books_shown[card.index]
            return None
        return self._open(self.picks_shown[card.index])

    def _open(self, pick: Pick) -> tuple[str, Package, str | None]:
        return ("open", self.packages[pick.package], pick.item_id or None)

    # --- drawing ------------------------------------------------------------------------------------------
    def draw(self, surface: pygame.Surface) -> None:
        self.size = surface.get_size()
        if self.books is not None and self.books.open is not None:
            self.books.draw_open(surface)  # the tapped book alone, large, with its QR code
            return
        self._draw_cards(surface)

    def _draw_cards(self, surface: pygame.Surface) -> None:
        size = surface.get_size()
        s = theme.scale(size)
        surface.blit(theme.vertical_gradient(size), (0, 0))
        theme.draw_prompt(surface, self.text, t("what_next.title", self.lang), s)
        for card in self.cards(size):
            pressed = self.pressed is not None and (self.pressed.kind, self.pressed.index) == (card.kind, card.index)
            rect = card.rect.move(0, 4) if pressed else card.rect  # a press sinks the card
            stop = {"pick": card.index, "book": len(self.picks_shown) + card.index}.get(card.kind, self._stops() - 1)
            focused = stop == self.focus
            surface.blit(theme.rounded_panel(rect.size, theme.SHADOW, radius=22), rect.move(6, 8))
            # focus is a thick frame, not only a colour
            surface.blit(theme.rounded_panel(rect.size, theme.CARD, radius=22, border=7 if focused else 2,
                                             border_colour=theme.ACCENT if focused else theme.INK_SOFT), rect)
            if card.kind == "back":
                self.text.draw(surface, t("what_next.back", self.lang), rect.center, theme.px(theme.TITLE_PX, s),
                               theme.INK, "center", pinyin=self.band in YOUNG_BANDS, ruby_color=theme.INK_SOFT,
                               ruby_size=theme.px(theme.PINYIN_PX, s))
            elif card.kind == "book":
                self.books.draw_card(surface, rect, self.books_shown[card.index], s)
            else:
                self._draw_pick(surface, rect, self.picks_shown[card.index], s)

    def card_title(self, pick: Pick) -> str:
        """The package's title, or for an item pick the item's own (《春晓》), in the visitor's language."""
        if pick.item_id:
            title = pick.title.get(self.lang) or pick.title.get("zh-CN") or pick.item_id
            return title if title.startswith("《") else f"《{title}》"
        return self.packages[pick.package].manifest.title(self.lang)

    def _draw_pick(self, surface: pygame.Surface, rect: pygame.Rect, pick: Pick, s: float) -> None:
        package = self.packages[pick.package]
        pad = theme.px(16, s)
        inner = rect.width - 2 * pad
        title = self.card_title(pick)
        pinyin = title_gets_pinyin(package.manifest.age_bands, self.band)
        ruby = theme.px(theme.PINYIN_PX, s)
        title_size, title_lines, _ = self.title_lines(pick, inner, s)
        # the same room for the title on every card (the tallest title's): the covers line up
        title_room = max(self.title_lines(other, inner, s)[2] for other in self.picks_shown)
        reason_size = theme.px(32, s)
        reason = pick.text.get(self.lang) or pick.text.get("zh-CN") or ""
        most = REASON_LINES + (1 if self.books_shown else 0)  # beside books the cards are narrower and taller
        reason_lines = self.reason_lines(reason, reason_size, inner, most) if reason else []
        if len(reason_lines) > most:  # longer than any reason the server sends: shown as cut, never hidden
            reason_lines = reason_lines[:most - 1] + [reason_lines[most - 1][:-1] + "…"]
        line_h = self.text.size("字", reason_size)[1]
        title_h = self.text.size_with_pinyin("字", title_size, ruby)[1] if pinyin else self.text.size("字", title_size)[1]
        text_h = title_room + pad // 2 + most * line_h + pad  # the same for every card: the covers line up
        # the card's box (the screen checks keep its texts inside) is named with the whole title, even cut short
        drawlog.note_box(f"pick:{title}", (rect.x, rect.y, rect.w, rect.h), "what-next")
        cover = pygame.Rect(rect.left + pad, rect.top + pad, inner, rect.height - 2 * pad - text_h)
        if cover.height > 24:
            self.covers.blit_whole(surface, package, cover, self.lang)
        y = rect.bottom - text_h + (title_room - title_h * len(title_lines)) // 2
        for line in title_lines:
            self.text.draw(surface, line, (rect.centerx, y), title_size, theme.INK, "midtop",
                           pinyin=pinyin, ruby_color=theme.INK_SOFT, ruby_size=ruby)
            y += title_h
        y = rect.bottom - text_h + title_room + pad // 2
        for line in reason_lines:
            self.text.draw(surface, line, (rect.centerx, y), reason_size, theme.INK_SOFT, "midtop")
            y += line_h

    def title_lines(self, pick: Pick, width: int, s: float) -> tuple[int, list[str], int]:
        """(size, lines, height) of a pick's title on a card `width` px wide (with its pinyin row for young
        visitors): one line from TITLE_PX down to the smallest Han size, else two broken at a sensible point at the
        biggest size where they fit (experiences/kiosk/title_lines.py). Only a title too long even for that keeps
        two lines, the second shortened with …: the last resort (the card's box in the draw log keeps the whole)."""
        title = self.card_title(pick)
        pinyin = title_gets_pinyin(self.packages[pick.package].manifest.age_bands, self.band)
        ruby = theme.px(theme.PINYIN_PX, s)
        key = (title, width, ruby, pinyin)
        if key not in self._titles:
            if len(self._titles) > 64:
                self._titles.clear()
            sizes = range(theme.px(theme.TITLE_PX, s), theme.px(32, s) - 1, -1)
            size, lines = fit_title(title, sizes, lambda line, at: self._width(line, at, pinyin, ruby) <= width,
                                    TITLE_LINES)
            if len(lines) > TITLE_LINES:
                lines = lines[:TITLE_LINES - 1] + [self._shortened("".join(lines[TITLE_LINES - 1:]), size, width,
                                                                   pinyin, ruby)]
            line_h = (self.text.size_with_pinyin("字", size, ruby) if pinyin else self.text.size("字", size))[1]
            self._titles[key] = (size, lines, line_h * len(lines))
        return self._titles[key]

    def _shortened(self, text: str, size: int, width: int, pinyin: bool, ruby: int) -> str:
        while len(text) > 1 and self._width(text + "…", size, pinyin, ruby) > width:
            text = text[:-1]
        return text + "…"

    def reason_lines(self, reason: str, size: int, width: int, most: int) -> list[str]:
        """A card's reason in the fewest lines (up to `most` when that breaks it better), broken where a title
        would be (《成语论箭》 kept whole, never one character alone: experiences/kiosk/title_lines.py).
        Remembered: the cards are drawn every frame."""
        key = (reason, size, width, most)
        if key not in self._reasons:
            self._reasons[key] = wrap_lines(reason, lambda line: self.text.size(line, size)[0] <= width, most=most)
        return self._reasons[key]

    def _width(self, text: str, size: int, pinyin: bool, ruby: int) -> int:
        return (self.text.size_with_pinyin(text, size, ruby) if pinyin else self.text.size(text, size))[0]
