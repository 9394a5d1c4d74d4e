"""The experience menu: big cards (cover, title, age band), six at most a page, touch, keys and swipes.

Every touch target is at least 120 px a side; a card opens on release over the card it was pressed on. With more
than six packages the menu turns pages: big 上一页 / 下一页 buttons with arrows (with pinyin for young bands),
dots for the pages, a swipe across the screen (touch, mouse, a VR controller's drag), and the arrow keys, which walk
from card to card and on to the next page. Pages stop at both ends, like a book's: on the first page 上一页 (on the
last 下一页) does nothing, so it is drawn as a faded outline without its arrow and no tap, key, swipe or sweep
turns past the end. Six at most, so a cover stays big enough for a six-year-old to know it.
Once the visitor has said their age band, packages for it come first and young bands get pinyin on every card.
Sizes are designed at 1080p and scale with the window's shorter side (theme.scale); the question at the top is
a child's (你想玩什么？) with its pinyin, each card's ages one short line (6–12 岁), covers shown whole.
"""
from __future__ import annotations

from dataclasses import dataclass

import pygame

from experiences import drawlog
from experiences.i18n import t
from experiences.kiosk import theme
from experiences.kiosk.ageband import YOUNG_BANDS, order_for_band, title_gets_pinyin
from experiences.kiosk.title_lines import break_lines
from experiences.kiosk.covers import CoverCache
from experiences.package import Package
from experiences.pinyin import has_han
from experiences.runtime import InputEvent
from experiences.text import TextRenderer

GAP = 24  # px at 1080p, like every size here (theme.px)
MARGIN = 40
PAGER_HEIGHT = theme.MIN_TOUCH + 24
MIN_CARD = (260, 240)
MAX_CARD_WIDTH = 560
MOST_ON_A_PAGE = {True: (3, 2), False: (2, 3)}  # (columns, rows) in landscape / portrait: six big cards
PAGER_BUTTON_WIDTH = 300
SWIPE_SHARE = 0.12  # of the window's width: a sideways drag at least this long (and mostly sideways) turns a page
PAGER_OFF = (128, 118, 108)  # a pager button's words when it goes no further: faded into the background
BAND_AGES = {"3-5": (3, 5), "6-8": (6, 8), "9-12": (9, 12), "13+": (13, None)}


@dataclass(frozen=True)
class Target:
    kind: str  # "card" | "prev" | "next"
    rect: pygame.Rect
    index: int = -1  # index into the package list for cards
    enabled: bool = True  # False: 上一页 on the first page, 下一页 on the last (drawn faded, not hit)


def title_has_pinyin(package: Package, band: str | None = None) -> bool:
    """Whether the card's title gets a pinyin row: the visitor is in a young band; with no band known, the
    package is (also) for children still learning to read."""
    return title_gets_pinyin(package.manifest.age_bands, band)


def age_label(package: Package, lang: str) -> str:
    """The age bands as the i18n catalog names them ("6–8岁 一至三年级"), joined."""
    bands = package.manifest.age_bands or ["all"]
    return " · ".join(t(f"age.{band}", lang) for band in bands)


def age_range(package: Package, lang: str) -> str:
    """The ages a package is for as one short line a parent reads at a glance: 6–12 岁, 6 岁以上, 全年龄."""
    bands = package.manifest.age_bands or ["all"]
    if "all" in bands or not all(band in BAND_AGES for band in bands):
        return t("age.all", lang)
    low = min(BAND_AGES[band][0] for band in bands)
    highs = [BAND_AGES[band][1] for band in bands]
    if None in highs:
        return t("kiosk_shell.ages_from", lang, low=low)
    return t("kiosk_shell.ages", lang, low=low, high=max(highs))


class MenuScreen:
    def __init__(self, packages: list[Package], text: TextRenderer, covers: CoverCache, lang: str = "zh-CN"):
        self.all_packages = list(packages)  # as installed; `packages` is the order shown
        self.band: str | None = None  # the visitor's age band, once they said it
        self.text = text
        self.covers = covers
        self.lang = lang
        self.packages = self.ordered(None)
        self.page = 0
        self.focus = 0
        self.pressed: Target | None = None
        self._down_at: tuple[float, float] | None = None  # where the pointer went down (a swipe starts there)
        self._size = (0, 0)
        self._grid = (1, 1)
        self._scale = 1.0
        self._header = 0
        self._background: pygame.Surface | None = None

    def ordered(self, band: str | None) -> list[Package]:
        """The cards' order for a visitor of `band` (experiences/kiosk/ageband.py: best matches, kind, title)."""
        return order_for_band(self.all_packages, band, title_of=lambda p: p.manifest.title(self.lang))

    def set_band(self, band: str | None) -> None:
        """Show the visitor's band's best matches first (None: a children's corner's order) and start again on
        the first page."""
        self.band = band
        self.packages = self.ordered(band)
        self.page = self.focus = 0
        self.pressed = None
        self._size = (0, 0)  # the grid depends on how many packages there are: lay out again

    # --- layout -------------------------------------------------------------------------------------------
    def layout(self, size: tuple[int, int]) -> None:
        if size == self._size:
            return
        self._size = size
        self._background = theme.vertical_gradient(size)
        self._scale = s = theme.scale(size)
        self._header = self._header_height()
        width, height = size
        gap, margin = theme.px(GAP, s), theme.px(MARGIN, s)
        card_w, card_h = (max(theme.MIN_TOUCH, theme.px(v, s)) for v in MIN_CARD)
        most_cols, most_rows = MOST_ON_A_PAGE[width > height]
        cols = max(1, min(most_cols, (width - 2 * margin + gap) // (card_w + gap)))
        rows = max(1, min(most_rows, (height - self._header - margin + gap) // (card_h + gap)))
        if cols * rows < len(self.packages):  # paging: keep room for the pager
            rows = max(1, min(rows, (height - self._header - self._pager_height + gap) // (card_h + gap)))
        if len(self.packages) <= cols * rows:  # one page: only the rows and columns it needs, bigger cards
            cols = max(1, min(cols, len(self.packages)))
            rows = max(1, -(-len(self.packages) // cols))
        self._grid = (cols, rows)
        self.page = min(self.page, self.pages - 1)

    def _header_height(self) -> int:
        s = self._scale
        title = self.text.size_with_pinyin(t("kiosk.menu_title", self.lang), theme.px(theme.PROMPT_PX, s),
                                           theme.px(theme.PROMPT_PINYIN_PX, s))
        return theme.px(16, s) + title[1] + theme.px(16, s)

    @property
    def _pager_height(self) -> int:
        return self._button_height + 2 * theme.px(16, self._scale)

    @property
    def _button_height(self) -> int:
        return max(theme.MIN_TOUCH, theme.px(128, self._scale))

    @property
    def _young(self) -> bool:
        """Pinyin on the pager's words unless the visitor said they are 9 or older."""
        return self.band is None or self.band in YOUNG_BANDS

    @property
    def per_page(self) -> int:
        return self._grid[0] * self._grid[1]

    @property
    def pages(self) -> int:
        return max(1, -(-len(self.packages) // self.per_page))

    def targets(self) -> list[Target]:
        width, height = self._size
        cols, rows = self._grid
        s = self._scale
        gap, margin, header = theme.px(GAP, s), theme.px(MARGIN, s), self._header
        bottom = height - (self._pager_height if self.pages > 1 else margin)
        card_w = min(theme.px(MAX_CARD_WIDTH, s), (width - 2 * margin - (cols - 1) * gap) // cols)
        card_h = min((bottom - header - (rows - 1) * gap) // rows, int(card_w * 0.95))
        grid_h = rows * card_h + (rows - 1) * gap
        top = header + max(0, (bottom - header - grid_h) // 2)
        left = (width - (cols * card_w + (cols - 1) * gap)) // 2
        out = []
        first = self.page * self.per_page
        for slot, index in enumerate(range(first, min(first + self.per_page, len(self.packages)))):
            row, col = divmod(slot, cols)
            rect = pygame.Rect(left + col * (card_w + gap), top + row * (card_h + gap), card_w, card_h)
            out.append(Target("card", rect, index))
        if self.pages > 1:
            button = (min((width - 2 * margin - gap) // 2, max(theme.MIN_TOUCH, theme.px(PAGER_BUTTON_WIDTH, s))),
                      self._button_height)
            y = height - theme.px(16, s) - button[1]
            out.append(Target("prev", pygame.Rect((margin, y), button), enabled=self.page > 0))
            out.append(Target("next", pygame.Rect((width - margin - button[0], y), button),
                              enabled=self.page < self.pages - 1))
        return out

    def hit(self, x: float, y: float) -> Target | None:
        for target in self.targets():
            if target.enabled and target.rect.collidepoint(x, y):
                return target
        return None

    # --- input --------------------------------------------------------------------------------------------
    def handle(self, event: InputEvent) -> Package | None:
        """Returns the package to launch, if this input picked one."""
        if event.type == "pointer_down":
            self.pressed = self.hit(event.x, event.y)
            self._down_at = (event.x, event.y)
            return None
        if event.type == "pointer_up":
            pressed, self.pressed = self.pressed, None
            down_at, self._down_at = self._down_at, None
            if down_at is not None and self._swiped(down_at, (event.x, event.y)):
                return None
            released = self.hit(event.x, event.y)
            if pressed is None or released is None or (pressed.kind, pressed.index) != (released.kind, released.index):
                return None
            return self._activate(released)
        if event.type == "action":
            if event.source == "motion" and event.action in ("left", "right") and self.pages > 1:
                # the body's sideways sweep turns the page, like a book's (a child aims by hovering: no focus walk)
                self.turn(1 if event.action == "right" else -1)
                return None
            return self._key(event.action)
        return None

    def _activate(self, target: Target) -> Package | None:
        if target.kind == "card":
            self.focus = target.index
            return self.packages[target.index]
        self.turn(-1 if target.kind == "prev" else 1)
        return None

    def _swiped(self, start: tuple[float, float], end: tuple[float, float]) -> bool:
        """A long sideways drag turns the page (drag leftwards: the next one, like a book); a short one is a tap."""
        dx, dy = end[0] - start[0], end[1] - start[1]
        if self.pages < 2 or abs(dx) < max(theme.MIN_TOUCH, self._size[0] * SWIPE_SHARE) or abs(dx) < 2 * abs(dy):
            return False
        self.turn(1 if dx < 0 else -1)
        return True

    def turn(self, step: int) -> None:
        """Turn `step` pages; the first and last pages are ends (nothing happens past them, as in a book)."""
        page = min(max(0, self.page + step), self.pages - 1)
        if page != self.page:
            self.page = page
            self.focus = page * self.per_page

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
        s = self._scale
        surface.blit(self._background, (0, 0))
        # A child's question with its pinyin (the youngest visitors are asked too)
        theme.draw_prompt(surface, self.text, t("kiosk.menu_title", self.lang), s)
        if not self.packages:
            box = pygame.Rect(width * 0.1, height * 0.4, width * 0.8, height * 0.3)
            self.text.draw_paragraph(surface, t("kiosk.no_experiences", self.lang), box, theme.px(theme.TEXT_PX, s),
                                     theme.PAPER)
            return
        for target in self.targets():
            if target.kind == "card":
                self._draw_card(surface, target)
            else:
                self._draw_pager_button(surface, target)
        if self.pages > 1:
            self._draw_page_dots(surface)

    def _draw_page_dots(self, surface: pygame.Surface) -> None:
        """Which page this is, as dots between the buttons (the current one big and filled): no words needed."""
        width, height = surface.get_size()
        s = self._scale
        radius, step = theme.px(14, s, 6), theme.px(48, s, 18)
        y = height - theme.px(16, s) - self._button_height // 2
        x0 = width // 2 - step * (self.pages - 1) // 2
        for page in range(self.pages):
            centre = (x0 + page * step, y)
            if page == self.page:
                pygame.draw.circle(surface, theme.ACCENT, centre, radius + theme.px(4, s))
                pygame.draw.circle(surface, theme.PAPER, centre, radius + theme.px(4, s), theme.px(3, s, 2))
            else:
                pygame.draw.circle(surface, theme.PAPER, centre, radius, theme.px(4, s, 2))

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
        drawlog.note_box(f"menu:{package.id}", (rect.x, rect.y, rect.w, rect.h), "menu")
        s = self._scale
        pad = theme.px(14, s)
        pinyin = title_has_pinyin(package, self.band)
        ruby = theme.px(theme.PINYIN_PX, s)
        title = package.manifest.title(self.lang)
        title_size = self._fitting_size(title, theme.px(theme.TITLE_PX, s), theme.px(32, s), rect.width - 2 * pad,
                                        pinyin, ruby)
        label_size = theme.px(32, s)
        label = self._fit(age_range(package, self.lang), label_size, rect.width - 2 * pad)
        lines = [title]
        if self._measure(title, title_size, pinyin, ruby) > rect.width - 2 * pad:  # a long (English) title: two lines,
            # broken at a sensible point (experiences/kiosk/title_lines.py), else the second one shortened
            lines = break_lines(title, lambda line: self._measure(line, title_size, pinyin, ruby) <= rect.width - 2 * pad,
                                2) or self.text.wrap(title, title_size, rect.width - 2 * pad, pinyin)
            lines = lines[:1] + [self._fit("".join(lines[1:]) if has_han(title) else " ".join(lines[1:]), title_size,
                                           rect.width - 2 * pad, pinyin)] if len(lines) > 1 else lines
        line_hs = [(self.text.size_with_pinyin(line, title_size, ruby) if pinyin else self.text.size(line, title_size))[1]
                   for line in lines]
        label_h = self.text.size(label, label_size)[1]
        text_h = sum(line_hs) + label_h + pad
        cover_rect = pygame.Rect(rect.left + pad, rect.top + pad, rect.width - 2 * pad, rect.height - 2 * pad - text_h)
        if cover_rect.height > 20:
            self.covers.blit_whole(surface, package, cover_rect, self.lang)
        y = cover_rect.bottom + pad // 2
        for line, line_h in zip(lines, line_hs):
            self.text.draw(surface, line, (rect.centerx, y), title_size, theme.INK, "midtop", pinyin=pinyin,
                           ruby_color=theme.INK_SOFT, ruby_size=ruby)
            y += line_h
        self.text.draw(surface, label, (rect.centerx, rect.bottom - pad // 2), label_size, theme.INK_SOFT,
                       "midbottom")

    def _fitting_size(self, text: str, size: int, smallest: int, width: int, pinyin: bool = False,
                      ruby: int | None = None) -> int:
        """The largest size from `size` down to `smallest` at which `text` fits `width` (shrunk, not cut)."""
        while size > smallest and self._measure(text, size, pinyin, ruby) > width:
            size -= 1
        return size

    def _measure(self, text: str, size: int, pinyin: bool, ruby: int | None) -> int:
        return (self.text.size_with_pinyin(text, size, ruby) if pinyin else self.text.size(text, size))[0]

    def _fit(self, text: str, size: int, width: int, pinyin: bool = False) -> str:
        """Shorten with an ellipsis so a long title never spills out of its card (measured with its pinyin row)."""
        measure = self.text.size_with_pinyin if pinyin else self.text.size
        if measure(text, size)[0] <= width:
            return text
        while len(text) > 1 and measure(text + "…", size)[0] > width:
            text = text[:-1]
        return text + "…"

    def _draw_pager_button(self, surface: pygame.Surface, target: Target) -> None:
        """上一页 / 下一页: a big arrow pointing the way, its words beside it (with pinyin for young bands). At the
        end it goes no further: a faded outline, no arrow, faded words (told apart by shape, not colour alone)."""
        if not target.enabled:
            self._draw_pager_button_off(surface, target)
            return
        rect = target.rect.move(0, 4) if self._is_pressed(target) else target.rect
        surface.blit(theme.rounded_panel(rect.size, theme.CARD, radius=20, border=4, border_colour=theme.INK_SOFT),
                     rect)
        drawlog.note_box(f"menu:{target.kind}", (rect.x, rect.y, rect.w, rect.h), "menu")
        s = self._scale
        forward = target.kind == "next"
        words = t("kiosk_shell.next_page" if forward else "kiosk_shell.prev_page", self.lang)
        size, ruby = theme.px(theme.TEXT_PX, s), theme.px(theme.PINYIN_PX, s)
        arrow = min(rect.height - 2 * theme.px(20, s), theme.px(64, s))
        pad = theme.px(18, s)
        words_w = self._measure(words, size, self._young, ruby)
        if words_w + arrow + 3 * pad > rect.width:  # a narrow window: the arrow alone says it
            words = ""
            words_w = -pad
        left = rect.centerx - (arrow + pad + words_w) // 2
        tip_x, back_x = (left + words_w + pad + arrow, left + words_w + pad) if forward else (left, left + arrow)
        words_x = left if forward else left + arrow + pad
        half = arrow // 2
        pygame.draw.polygon(surface, theme.ACCENT, [(tip_x, rect.centery), (back_x, rect.centery - half),
                                                    (back_x, rect.centery + half)])
        if words:
            self.text.draw(surface, words, (words_x, rect.centery), size, theme.INK, "midleft", pinyin=self._young,
                           ruby_color=theme.INK_SOFT, ruby_size=ruby)

    def _draw_pager_button_off(self, surface: pygame.Surface, target: Target) -> None:
        """上一页 on the first page, 下一页 on the last: no card, no arrow, a thin faded outline and faded words in
        the same place (the layout does not move), so nothing invites a tap that would do nothing."""
        rect, s = target.rect, self._scale
        frame = pygame.Surface(rect.size, pygame.SRCALPHA)
        pygame.draw.rect(frame, (*theme.PAPER, 70), frame.get_rect(), theme.px(3, s, 2), border_radius=20)
        surface.blit(frame, rect)
        drawlog.note_box(f"menu:{target.kind}", (rect.x, rect.y, rect.w, rect.h), "menu")
        words = t("kiosk_shell.next_page" if target.kind == "next" else "kiosk_shell.prev_page", self.lang)
        size, ruby = theme.px(theme.TEXT_PX, s), theme.px(theme.PINYIN_PX, s)
        if self._measure(words, size, self._young, ruby) + 2 * theme.px(18, s) <= rect.width:
            self.text.draw(surface, words, rect.center, size, PAGER_OFF, "center", pinyin=self._young,
                           ruby_color=PAGER_OFF, ruby_size=ruby)
