"""The 去书架找一找 screen after an experience: up to three book cards (a cover drawn here, the title with pinyin
for young visitors, author, 索书号, where the book stands, on the shelf or not, a QR code to the library's record)
and a big button on to 「接下来玩什么？」.

Call numbers are drawn with role "code" (experiences.drawlog) so zh-CN screens may show their Latin letters.
Sizes are designed at 1080p and scale with the window's shorter side (theme.scale). Landscape windows put the
cards side by side (tall cards: cover and QR above the text); portrait windows stack them (wide cards: cover,
text, QR in a row).
"""
from __future__ import annotations

import hashlib
import urllib.parse

import pygame

from experiences import drawlog
from experiences.i18n import t
from experiences.kiosk import theme
from experiences.kiosk.ageband import YOUNG_BANDS
from experiences.kiosk.shelf import PendingCards, ShelfCard
from experiences.kiosk.shelf_map import ImageCache, draw_map, label_size
from experiences.kiosk.title_lines import fit_title, spine_columns
from experiences.runtime import InputEvent
from experiences.text import TextRenderer

MARGIN, GAP, PAD = 40, 28, 20  # px at 1080p
LINE_PX = 34  # author, call number, place, state: Han text >= 32 px at 1080p
TITLE_LINES = 2
ON_SHELF_COLOUR = (46, 125, 72)
COVER_COLOURS = ((164, 58, 52), (44, 92, 128), (58, 112, 84), (132, 94, 40), (96, 64, 128), (40, 104, 110))


def main_title(title: str) -> str:
    """The title proper (245$a / 200$a): the subtitle after the first space is left to the catalogue."""
    return title.split(" ", 1)[0] or title


class ShelfScreen:
    def __init__(self, cards: list[ShelfCard] | PendingCards, text: TextRenderer, lang: str = "zh-CN",
                 band: str | None = None, after: str = ""):
        self.after = after  # the experience whose cards these are: its QR scans count for it (no personal data)
        self.pending = cards if isinstance(cards, PendingCards) else None
        self.cards_shown: list[ShelfCard] = list(self.pending.best() if self.pending else cards)[:3]
        self.text = text
        self.lang = lang
        self.young = band in YOUNG_BANDS
        self.pressed = False
        self.touched = False
        self._qr_cache: dict[tuple[str, int], pygame.Surface] = {}
        self._titles: dict[tuple, tuple[int, list[str]]] = {}  # title_lines' answers (cards are drawn every frame)
        self.images = ImageCache()

    # --- state ------------------------------------------------------------------------------------------
    def update(self) -> None:
        """Take the server's fresher cards once they are back, unless the visitor already reached for one."""
        if self.pending is not None and self.pending.done.is_set():
            if self.pending.fresh is not None and not self.touched:
                self.cards_shown = self.pending.fresh[:3]
            self.pending = None

    @property
    def finding(self) -> bool:
        return not self.cards_shown and self.pending is not None

    @property
    def nothing_to_show(self) -> bool:
        """Asked and answered with no books: the shell goes straight on to 「接下来玩什么？」."""
        return not self.cards_shown and self.pending is None

    # --- layout -----------------------------------------------------------------------------------------
    def header_height(self, size) -> int:
        s = theme.scale(size)
        h = self.text.size_with_pinyin(t("shelf.title", self.lang), theme.px(theme.PROMPT_PX, s),
                                       theme.px(theme.PROMPT_PINYIN_PX, s))[1]
        return theme.px(16, s) + h + theme.px(16, s)

    def button_rect(self, size) -> pygame.Rect:
        width, height = size
        s = theme.scale(size)
        h = max(theme.MIN_TOUCH, theme.px(130, s))
        w = max(theme.MIN_TOUCH * 3, theme.px(420, s))
        return pygame.Rect((width - w) // 2, height - h - theme.px(MARGIN, s) // 2, w, h)

    def card_rects(self, size) -> list[pygame.Rect]:
        width, height = size
        s = theme.scale(size)
        n = max(1, len(self.cards_shown))
        margin, gap = theme.px(MARGIN, s), theme.px(GAP, s)
        top = self.header_height(size)
        bottom = self.button_rect(size).top - gap
        if width >= height:
            card_w = min(theme.px(600, s), (width - 2 * margin - (n - 1) * gap) // n)
            card_h = min(bottom - top, int(card_w * 1.45))
            left = (width - (n * card_w + (n - 1) * gap)) // 2
            y = top + (bottom - top - card_h) // 2
            return [pygame.Rect(left + i * (card_w + gap), y, card_w, card_h) for i in range(len(self.cards_shown))]
        card_w = width - 2 * margin
        card_h = min(theme.px(560, s), (bottom - top - (n - 1) * gap) // n)
        y = top + (bottom - top - (n * card_h + (n - 1) * gap)) // 2
        return [pygame.Rect(margin, y + i * (card_h + gap), card_w, card_h) for i in range(len(self.cards_shown))]

    # --- input ------------------------------------------------------------------------------------------
    def handle(self, event: InputEvent, size) -> str | None:
        """"next" when the visitor goes on (the button, select or back), else None."""
        if event.type == "pointer_down":
            self.touched = True
            self.pressed = self.button_rect(size).collidepoint(event.x, event.y)
            return None
        if event.type == "pointer_up":
            was, self.pressed = self.pressed, False
            return "next" if was and self.button_rect(size).collidepoint(event.x, event.y) else None
        if event.type == "action" and event.action in ("select", "back"):
            return "next"
        return None

    # --- drawing ----------------------------------------------------------------------------------------
    def draw(self, surface: pygame.Surface) -> None:
        size = surface.get_size()
        s = theme.scale(size)
        surface.blit(theme.vertical_gradient(size), (0, 0))
        theme.draw_prompt(surface, self.text, t("shelf.title", self.lang), s)
        if self.finding:
            self.text.draw(surface, t("shelf.finding", self.lang), (size[0] // 2, size[1] // 2),
                           theme.px(theme.TEXT_PX, s), theme.PAPER, "center", pinyin=self.young,
                           ruby_color=theme.PAPER, ruby_size=theme.px(theme.PINYIN_PX, s))
        for rect, card in zip(self.card_rects(size), self.cards_shown):
            surface.blit(theme.rounded_panel(rect.size, theme.SHADOW, radius=22), rect.move(6, 8))
            surface.blit(theme.rounded_panel(rect.size, theme.CARD, radius=22, border=2,
                                             border_colour=theme.INK_SOFT), rect)
            drawlog.note_box(f"shelf:{card.id}", (rect.x, rect.y, rect.w, rect.h), "shelf-cards")
            self._draw_card(surface, rect, card, s)
        button = self.button_rect(size)
        rect = button.move(0, 4) if self.pressed else button
        surface.blit(theme.rounded_panel(rect.size, theme.ACCENT, radius=22), rect)
        drawlog.note_box("shelf:next", (button.x, button.y, button.w, button.h), "shelf-cards")
        self.text.draw(surface, t("shelf.next", self.lang), rect.center, theme.px(theme.TITLE_PX, s), theme.INK,
                       "center", pinyin=self.young, ruby_color=theme.INK, ruby_size=theme.px(theme.PINYIN_PX, s))

    def qr_url(self, card: ShelfCard) -> str:
        """The card's short link, naming the experience it followed so the scan counts for it."""
        if not self.after:
            return card.qr
        return f"{card.qr}{'&' if '?' in card.qr else '?'}from={urllib.parse.quote(self.after, safe='')}"

    def _lines(self, card: ShelfCard, width: int, s: float) -> list[tuple]:
        """(text, size, colour, pinyin, role, x offset, same row as the one before) of the card's text."""
        line = theme.px(LINE_PX, s)
        ruby = theme.px(theme.PINYIN_PX, s)
        size, parts = self.title_lines(f"《{main_title(card.title)}》", width, s, TITLE_LINES)
        out = [(part, size, theme.INK, self.young, "text", 0, False) for part in parts]
        if card.author:
            out.append((main_title(card.author), line, theme.INK_SOFT, False, "text", 0, False))
        if card.call_number:
            label = t("shelf.call_number", self.lang)
            label_w = self.text.size(label, line)[0] + theme.px(12, s)
            code = card.call_number
            side_by_side = label_w + self.text.size(code, line)[0] <= width
            out.append((label, line, theme.INK_SOFT, False, "text", 0, False))
            out.append((code, line, theme.INK, False, "code", label_w if side_by_side else 0, side_by_side))
        if card.location:
            out.append((card.location, line, theme.INK, self.young, "text", 0, False))
        state = t("shelf.on_shelf" if card.on_shelf else "shelf.out", self.lang)
        out.append((state, line, ON_SHELF_COLOUR if card.on_shelf else theme.INK_SOFT, self.young, "text", 0, False))
        return out

    def _height(self, lines, s: float) -> int:
        ruby = theme.px(theme.PINYIN_PX, s)
        total = 0
        for text, size, _c, pinyin, _r, _x, same_row in lines:
            if not same_row:
                h = (self.text.size_with_pinyin(text, size, ruby) if pinyin else self.text.size(text, size))[1]
                total += h + theme.px(4, s)
        return total

    def _draw_card(self, surface: pygame.Surface, rect: pygame.Rect, card: ShelfCard, s: float) -> None:
        pad, gap = theme.px(PAD, s), theme.px(16, s)
        inner = rect.inflate(-2 * pad, -2 * pad)
        label_size = theme.px(LINE_PX, s)
        label_h = self.text.size(t("shelf.scan", self.lang), label_size)[1]
        if rect.width > rect.height * 1.3:  # wide (portrait window): cover | text | QR
            if self._wide_with_map(surface, inner, card, s, gap, label_h, label_size):
                return
            qr_side = min(inner.height - label_h, int(inner.width * 0.28)) if card.qr else 0
            cover_w = min(int(inner.height * 0.7), int(inner.width * 0.24))
            text_left = inner.left + cover_w + gap
            text_w = inner.right - text_left - (qr_side + gap if qr_side else 0)
            lines = self._lines(card, text_w, s)
            self._cover(surface, pygame.Rect(inner.left, inner.top, cover_w, inner.height), card, s)
            if qr_side:
                qr = pygame.Rect(inner.right - qr_side, inner.top + (inner.height - qr_side - label_h) // 2, qr_side,
                                 qr_side)
                self._qr(surface, qr, self.qr_url(card), label_size, bounds=rect)
            self._text(surface, lines, text_left, inner.top + max(0, (inner.height - self._height(lines, s)) // 2), s)
            return
        lines = self._lines(card, inner.width, s)  # tall (landscape window): cover and QR above the text
        media_h = inner.height - self._height(lines, s) - gap
        half = (media_h - gap) // 2
        qr_side = half - label_h if card.qr else 0
        side = max(qr_side, int(half * 0.75))
        map_box = pygame.Rect(inner.left + side + gap, inner.top, inner.width - side - gap, max(1, media_h))
        if media_h >= theme.px(200, s) and self._map_fits(card, map_box.w, map_box.h, s):
            # [cover over QR] beside the map, then the text
            self._cover(surface, pygame.Rect(inner.left, inner.top, side, half), card, s)
            if qr_side > theme.px(60, s):
                self._qr(surface, pygame.Rect(inner.left, inner.top + half + gap, side, qr_side), self.qr_url(card),
                         label_size, bounds=rect)
            draw_map(surface, map_box, card, self.images, self.text, self.lang, self.young, s)
        elif self._map_fits(card, inner.width - (media_h - label_h) - gap, media_h, s):
            # little room (a long title on a small screen): the map where the drawn cover was, then the QR
            qr_side = max(0, min(media_h - label_h, (inner.width - gap) // 3)) if card.qr else 0
            map_box = pygame.Rect(inner.left, inner.top, inner.width - (qr_side + gap if qr_side else 0), media_h)
            draw_map(surface, map_box, card, self.images, self.text, self.lang, self.young, s)
            if qr_side > theme.px(60, s):
                self._qr(surface, pygame.Rect(inner.right - qr_side, inner.top, qr_side, qr_side), self.qr_url(card),
                         label_size, bounds=rect)
        elif media_h >= theme.px(90, s):
            qr_side = min(media_h - label_h, (inner.width - gap) // 2) if card.qr else 0
            cover_w = inner.width - (qr_side + gap if qr_side else 0)
            cover_w = min(cover_w, int(media_h * 0.75)) if qr_side else cover_w
            self._cover(surface, pygame.Rect(inner.left, inner.top, cover_w, media_h), card, s)
            if qr_side > theme.px(60, s):
                self._qr(surface, pygame.Rect(inner.right - qr_side, inner.top, qr_side, qr_side), self.qr_url(card),
                         label_size, bounds=rect)
        self._text(surface, lines, inner.left, inner.top + max(0, media_h) + gap, s)

    def _wide_with_map(self, surface, inner: pygame.Rect, card: ShelfCard, s: float, gap: int, label_h: int,
                       label_size: int) -> bool:
        """cover | text | [map over QR] when the card has a map and it fits; False (nothing drawn) otherwise."""
        column, map_h = int(inner.width * 0.38), int(inner.height * 0.55)
        if not self._map_fits(card, column, map_h, s):
            return False
        plan = self.images.fitted(card.map_file, (column, map_h))
        map_box = pygame.Rect(inner.right - column, inner.top, column, plan.get_height())
        cover_w = min(int(inner.height * 0.7), int(inner.width * 0.18))
        text_left = inner.left + cover_w + gap
        lines = self._lines(card, map_box.left - gap - text_left, s)
        self._cover(surface, pygame.Rect(inner.left, inner.top, cover_w, inner.height), card, s)
        draw_map(surface, map_box, card, self.images, self.text, self.lang, self.young, s)
        qr_side = min(column, inner.bottom - map_box.bottom - gap - label_h) if card.qr else 0
        if qr_side > theme.px(60, s):
            self._qr(surface, pygame.Rect(map_box.centerx - qr_side // 2, map_box.bottom + gap, qr_side, qr_side),
                     self.qr_url(card), label_size, bounds=inner.inflate(2 * theme.px(PAD, s), 0))
        self._text(surface, lines, text_left, inner.top + max(0, (inner.height - self._height(lines, s)) // 2), s)
        return True

    def _map_fits(self, card: ShelfCard, width: int, height: int, s: float) -> bool:
        """A card with a map the kiosk has, and room for it with its 在这里 label."""
        if not card.map or not card.map_file:
            return False
        lw, lh = label_size(self.text, self.lang, self.young, s)
        plan = self.images.fitted(card.map_file, (max(1, width), max(1, height)))
        return plan is not None and plan.get_height() >= lh + theme.px(40, s) and plan.get_width() >= lw * 1.4

    def _text(self, surface, lines, left: int, y: int, s: float) -> None:
        ruby = theme.px(theme.PINYIN_PX, s)
        previous = None
        for text, size, colour, pinyin, role, dx, same_row in lines:
            if same_row and previous is not None:
                self.text.draw(surface, text, (left + dx, previous.top), size, colour, "topleft", role=role)
                continue
            previous = self.text.draw(surface, text, (left + dx, y), size, colour, "topleft", pinyin=pinyin,
                                      ruby_color=theme.INK_SOFT, ruby_size=ruby, role=role)
            y = previous.bottom + theme.px(4, s)

    def _cover(self, surface: pygame.Surface, rect: pygame.Rect, card: ShelfCard, s: float) -> None:
        """The cover the server fetched, else one drawn from the title (kiosks never fetch pictures from outside):
        a coloured board, the first characters of the title down its middle like a label on a spine."""
        picture = self.images.fitted(card.cover_file, rect.size) if card.cover_file else None
        if picture is not None:  # the cover the server fetched at import (kept on the kiosk)
            surface.blit(picture, picture.get_rect(center=rect.center))
            return
        colour = COVER_COLOURS[hashlib.sha1(card.id.encode()).digest()[0] % len(COVER_COLOURS)]
        surface.blit(theme.rounded_panel(rect.size, colour, radius=theme.px(10, s)), rect)
        columns = spine_columns(main_title(card.title))
        label = pygame.Rect(0, 0, max(8, int(rect.width * (0.46 if len(columns) < 2 else 0.76))),
                            max(8, int(rect.height * 0.8))).clamp(rect)
        label.center = rect.center
        pygame.draw.rect(surface, theme.PAPER, label, border_radius=theme.px(6, s))
        if not columns:
            return
        rows = max(len(column) for column in columns)
        column_w = label.width // len(columns)
        size = max(8, min(int(column_w * 0.7), int(label.height * 0.9 / rows)))
        step = label.height // rows
        for k, column in enumerate(columns):  # the first column on the right, read right to left
            x = label.right - column_w * k - column_w // 2
            for i, char in enumerate(column):
                self.text.draw(surface, char, (x, label.top + step * i + step // 2), size, theme.INK, "center",
                               role="deco")

    def _qr(self, surface: pygame.Surface, rect: pygame.Rect, url: str, label_size: int,
            bounds: pygame.Rect | None = None) -> None:
        """The QR code at the top of `rect`, 扫一扫 under it — centred on the code, but kept inside `bounds` (the
        card) when the words are wider than the code ("Scan me" beside a card's edge)."""
        key = (url, rect.width)
        if key not in self._qr_cache:
            import segno

            matrix = [list(row) for row in segno.make(url, error="m").matrix]
            n = len(matrix) + 4  # a quiet zone of two modules each side
            module = max(1, rect.width // n)
            image = pygame.Surface((module * n, module * n))
            image.fill((255, 255, 255))
            for y, row in enumerate(matrix):
                for x, dark in enumerate(row):
                    if dark:
                        image.fill((0, 0, 0), ((x + 2) * module, (y + 2) * module, module, module))
            self._qr_cache[key] = image
        image = self._qr_cache[key]
        at = image.get_rect(midtop=(rect.centerx, rect.top))
        surface.blit(image, at)
        words = t("shelf.scan", self.lang)
        centre = at.centerx
        if bounds is not None:
            half = self.text.size(words, label_size)[0] // 2
            centre = max(bounds.left + half, min(bounds.right - half, centre))
        self.text.draw(surface, words, (centre, at.bottom + 2), label_size, theme.INK_SOFT, "midtop", pinyin=False)

    def _width(self, text: str, size: int, ruby: int) -> int:
        return (self.text.size_with_pinyin(text, size, ruby) if self.young else self.text.size(text, size))[0]

    def title_lines(self, title: str, width: int, s: float, max_lines: int) -> tuple[int, list[str]]:
        """The size and lines of a book's title on a card `width` px wide (with its pinyin row for young visitors):
        one line from TITLE_PX down to LINE_PX, else up to `max_lines` broken at sensible points, never one
        character alone (experiences/kiosk/title_lines.py)."""
        ruby = theme.px(theme.PINYIN_PX, s)
        key = (title, width, ruby, max_lines, self.young)
        if key not in self._titles:
            if len(self._titles) > 64:
                self._titles.clear()
            sizes = range(theme.px(theme.TITLE_PX, s), theme.px(LINE_PX, s) - 1, -1)
            self._titles[key] = fit_title(title, sizes, lambda line, size: self._width(line, size, ruby) <= width,
                                          max_lines)
        return self._titles[key]
