"""去书架找一找 on 「接下来玩什么？」: one or two book cards beside the experience picks, from the same shelf cards
the 去书架找一找 screen showed (experiences/kiosk/shelf.py: cached, so they are there offline too), and, when a
visitor taps one, that book large with its QR code to the library's record.

The large card, the drawn cover and the QR code are the 去书架找一找 screen's own (experiences/kiosk/shelf_screen.py),
used here rather than copied. Call numbers are drawn with role "code". Sizes are designed at 1080p (theme.scale).
"""
from __future__ import annotations

import pygame

from experiences import drawlog
from experiences.i18n import t
from experiences.kiosk import theme
from experiences.kiosk.ageband import YOUNG_BANDS
from experiences.kiosk.shelf import PendingCards, ShelfCard
from experiences.kiosk.shelf_screen import LINE_PX, ShelfScreen, main_title
from experiences.text import TextRenderer

BOOKS_SHOWN = 2  # book cards beside the picks, at most
PICKS_BESIDE_BOOKS = 3  # picks kept when books are shown, at most
MIN_CARD_WIDTH = 340  # px at 1080p: with books, a landscape row holds only as many cards as are this wide
MIN_CARD_WIDTH_LATIN = 400  # in English: its titles and reasons are longer
RIBBON_PX = 32  # the 去书架找一找 band across the top of a book card: Han text >= 32 px
DETAIL_W, DETAIL_H = 1500, 620  # the tapped book's card, at 1080p (portrait: 1240 × 1150)


class BookCards:
    """The books of one what-next screen: which are shown, which one is open large, and how both are drawn."""

    def __init__(self, cards: list[ShelfCard] | PendingCards, text: TextRenderer, lang: str = "zh-CN",
                 band: str | None = None, after: str = ""):
        self.pending = cards if isinstance(cards, PendingCards) else None
        self.shown: list[ShelfCard] = list(self.pending.best() if self.pending else cards)[:BOOKS_SHOWN]
        self.text = text
        self.lang = lang
        self.young = band in YOUNG_BANDS
        self.after = after
        self.shelf = ShelfScreen(self.shown, text, lang, band, after)  # its cover, QR and large card
        self.open: ShelfCard | None = None
        self.close_pressed = False

    def update(self, touched: bool) -> bool:
        """Take the server's fresher cards once they are back, unless the visitor already reached for a card.
        True when the books shown changed."""
        if self.pending is None or not self.pending.done.is_set():
            return False
        fresh, self.pending = self.pending.fresh, None
        if fresh is None or touched or fresh[:BOOKS_SHOWN] == self.shown:
            return False
        self.shown = fresh[:BOOKS_SHOWN]
        return True

    # --- the open book ----------------------------------------------------------------------------------
    def detail_rect(self, size) -> pygame.Rect:
        width, height = size
        s = theme.scale(size)
        top = self.prompt_height(size)
        bottom = self.close_rect(size).top - theme.px(28, s)
        detail_w, detail_h = (DETAIL_W, DETAIL_H) if width >= height else (1240, 1150)  # tall: cover and QR on top
        w = min(theme.px(detail_w, s), width - 2 * theme.px(40, s))
        h = min(theme.px(detail_h, s), bottom - top)
        return pygame.Rect((width - w) // 2, top + (bottom - top - h) // 2, w, h)

    def close_rect(self, size) -> pygame.Rect:
        width, height = size
        s = theme.scale(size)
        h = max(theme.MIN_TOUCH, theme.px(130, s))
        w = max(theme.MIN_TOUCH * 3, theme.px(420, s))
        return pygame.Rect((width - w) // 2, height - h - theme.px(20, s), w, h)

    def prompt_height(self, size) -> int:
        s = theme.scale(size)
        h = self.text.size_with_pinyin(t("what_next.book_prompt", self.lang), theme.px(theme.PROMPT_PX, s),
                                       theme.px(theme.PROMPT_PINYIN_PX, s))[1]
        return theme.px(16, s) + h + theme.px(16, s)

    def handle_open(self, event, size) -> None:
        """Input while a book is open: its button (or a tap beside the card), select and back close it."""
        if event.type == "pointer_down":
            self.close_pressed = self.close_rect(size).collidepoint(event.x, event.y)
        elif event.type == "pointer_up":
            was, self.close_pressed = self.close_pressed, False
            on_button = self.close_rect(size).collidepoint(event.x, event.y)
            beside = not self.detail_rect(size).collidepoint(event.x, event.y) and not on_button
            if (was and on_button) or beside:
                self.open = None
        elif event.type == "action" and event.action in ("select", "back"):
            self.open = None

    def draw_open(self, surface: pygame.Surface) -> None:
        """The tapped book as the 去书架找一找 screen draws it, large, alone on the screen, with its QR code."""
        size = surface.get_size()
        s = theme.scale(size)
        surface.blit(theme.vertical_gradient(size), (0, 0))  # the cards step back: only this book and its code
        theme.draw_prompt(surface, self.text, t("what_next.book_prompt", self.lang), s)
        rect = self.detail_rect(size)
        surface.blit(theme.rounded_panel(rect.size, theme.CARD, radius=22, border=2, border_colour=theme.INK_SOFT),
                     rect)
        drawlog.note_box(f"book:{self.open.id}", (rect.x, rect.y, rect.w, rect.h), "book-open")
        self.shelf._draw_card(surface, rect, self.open, s)
        button = self.close_rect(size)
        shown = button.move(0, 4) if self.close_pressed else button
        surface.blit(theme.rounded_panel(shown.size, theme.ACCENT, radius=22), shown)
        drawlog.note_box("book:close", (button.x, button.y, button.w, button.h), "book-open")
        self.text.draw(surface, t("what_next.book_close", self.lang), shown.center, theme.px(theme.TITLE_PX, s),
                       theme.INK, "center", pinyin=self.young, ruby_color=theme.INK,
                       ruby_size=theme.px(theme.PINYIN_PX, s))

    # --- a book card in the row of picks ----------------------------------------------------------------
    def draw_card(self, surface: pygame.Surface, rect: pygame.Rect, card: ShelfCard, s: float) -> None:
        """The 去书架找一找 band, the drawn cover, the title (pinyin for young visitors), 索书号 and what a tap does."""
        pad = theme.px(16, s)
        inner = rect.width - 2 * pad
        ribbon_size = theme.px(RIBBON_PX, s)
        ribbon_text = t("shelf.title", self.lang)
        ribbon = pygame.Rect(rect.left + pad, rect.top + pad, inner,
                             self.text.size(ribbon_text, ribbon_size)[1] + theme.px(10, s))
        surface.blit(theme.rounded_panel(ribbon.size, theme.ACCENT, radius=theme.px(12, s)), ribbon)
        self.text.draw(surface, ribbon_text, ribbon.center, ribbon_size, theme.INK, "center")
        room = rect.bottom - pad - ribbon.bottom - pad // 2
        for hint, title_rows in ((True, 2), (False, 2), (False, 1)):  # a small card leaves out the hint first
            lines = self._lines(card, inner, s, hint, title_rows)
            text_h = self._height(lines, s)
            if text_h <= room:
                break
        cover = pygame.Rect(rect.left + pad, ribbon.bottom + pad // 2, inner,
                            rect.bottom - pad - text_h - pad // 2 - ribbon.bottom - pad // 2)
        if cover.height > theme.px(40, s):
            width = min(cover.width, int(cover.height * 0.72))  # a book's shape, centred
            self.shelf._cover(surface, pygame.Rect(cover.centerx - width // 2, cover.top, width, cover.height),
                              card, s)
        y = rect.bottom - pad - text_h
        ruby = theme.px(theme.PINYIN_PX, s)
        space = theme.px(10, s)
        for row, gap in lines:
            widths = [self._size(seg, ruby)[0] for seg in row]
            x = rect.centerx - (sum(widths) + space * (len(row) - 1)) // 2
            bottom = y
            for (text, size, colour, pinyin, role), w in zip(row, widths):
                drawn = self.text.draw(surface, text, (x, y), size, colour, "topleft", pinyin=pinyin,
                                       ruby_color=theme.INK_SOFT, ruby_size=ruby, role=role)
                x += w + space
                bottom = max(bottom, drawn.bottom)
            y = bottom + gap

    def _lines(self, card: ShelfCard, width: int, s: float, hint: bool = True,
               title_rows: int = 2) -> list[tuple[list[tuple], int]]:
        """Rows of (text, size, colour, pinyin, role) segments with the gap after each row, each row no wider
        than `width`: the title (two rows at most), 索书号 and its number (one row when they fit), the hint."""
        line = theme.px(LINE_PX, s)
        gap = theme.px(4, s)
        ruby = theme.px(theme.PINYIN_PX, s)
        # One row if the title fits it at LINE_PX or more (smaller before it breaks), else two broken at a
        # sensible point (《唐诗 / 三百首》, never 《唐诗三百 / 首》), or more at LINE_PX.
        size, parts = self.shelf.title_lines(f"《{main_title(card.title)}》", width, s, title_rows)
        out = [([(part, size, theme.INK, self.young, "text")], gap) for part in parts]
        if card.call_number:
            label = (t("shelf.call_number", self.lang), line, theme.INK_SOFT, False, "text")
            code = (card.call_number, line, theme.INK, False, "code")
            if self._size(label, ruby)[0] + theme.px(10, s) + self._size(code, ruby)[0] <= width:
                out.append(([label, code], gap))
            else:
                out += [([label], 0), ([code], gap)]
        for part in self.text.wrap(t("what_next.book_hint", self.lang), line, width, pinyin=self.young) if hint else []:
            out.append(([(part, line, theme.INK_SOFT, self.young, "text")], 0))
        return out

    def _size(self, segment: tuple, ruby: int) -> tuple[int, int]:
        text, size, _colour, pinyin, _role = segment
        return self.text.size_with_pinyin(text, size, ruby) if pinyin else self.text.size(text, size)

    def _height(self, lines, s: float) -> int:
        ruby = theme.px(theme.PINYIN_PX, s)
        return sum(max(self._size(seg, ruby)[1] for seg in row) + gap for row, gap in lines)
