"""The `ebook` kind on the kiosk: the cover (what the book is, how many poems, with pinyin), a few poems to page
through with pinyin over every character, and 用手机读: a big QR code that opens the whole book on a phone (the
service's reading page, with the EPUB to download).

States: "cover" → "page" (the preview poems: content.preview, else the book's first short ones) ↔ "qr".
Keys: left/right turn pages (or move the focus between buttons), select presses, back goes one screen back.
"""
from __future__ import annotations

import io

import pygame

from experiences.ebook import view
from experiences.ebook.book import load_from_package
from experiences.ebook.links import reading_url
from experiences.engagement import Item
from experiences.i18n import both, t
from experiences.kiosk import theme
from experiences.runtime import Experience, InputEvent

KIND = "ebook"


def shows_pinyin(setting, age_band: str | None) -> bool:
    """content.pinyin: true/false, or "auto": pinyin for everyone but visitors who said they are 13 or older."""
    if isinstance(setting, bool):
        return setting
    return age_band != "13+"


_TOLD_STAFF: set[str] = set()  # e-books whose missing public address the log has named in this run


class EbookExperience(Experience):
    def __init__(self, package, ctx):
        super().__init__(package, ctx)
        self.lang = ctx.language
        content = package.manifest.content
        self.pinyin = shows_pinyin(content.get("pinyin", "auto"), ctx.age_band)
        self.preview_ids = content.get("preview") if isinstance(content.get("preview"), list) else None
        self.state = "cover"
        self.qr_from = "cover"  # where 关上 goes back to
        self.focus = 0
        self.index = 0
        self.buttons: list[view.Button] = []
        self.read: list[str] = []

    def start(self) -> None:
        self.book = load_from_package(self.package)
        self.poems = self.book.preview(self.preview_ids)
        start = self.ctx.start_item and self.book.poem(self.ctx.start_item)
        if start is not None:
            self.poems = [start] + [p for p in self.poems if p.id != start.id]
            self._show_page(0)
        self.url = reading_url(self.ctx.config, self.package.id, "ebook")
        if self.url is None and self.package.id not in _TOLD_STAFF:  # once a run: the screen asks the visitor to
            _TOLD_STAFF.add(self.package.id)  # tell the staff, and here the staff read what to set
            self.ctx.log.warning(both("ebook.no_link_log", id=self.package.id))
        self.text = self.ctx.services.get("fonts")
        if self.text is None:
            from experiences.text import shared_text

            self.text = shared_text()
        self.cover = None
        if self.package.manifest.cover:
            try:
                data = self.package.source.read_bytes(self.package.manifest.cover)
                self.cover = pygame.image.load(io.BytesIO(data), self.package.manifest.cover)
            except (OSError, pygame.error, FileNotFoundError) as exc:
                self.ctx.log.warning("ebook %s: cover unreadable (%s)", self.package.id, exc)

    # ---- states ------------------------------------------------------------------------------------------
    def _show_page(self, index: int) -> None:
        self.state, self.index, self.focus = "page", index % len(self.poems), 1
        poem = self.poems[self.index]
        if poem.id not in self.read:
            self.read.append(poem.id)
            self.ctx.reporter.report("experienced", Item("poem", poem.id, {"zh-CN": poem.title}))

    def _show_qr(self) -> None:
        self.qr_from, self.state, self.focus = self.state, "qr", 0
        self.ctx.reporter.report("interacted", Item("phone", "qr", {"zh-CN": t("ebook.phone", "zh-CN")}),
                                 extensions={"response": "shown" if self.url else "no-link"})

    def press(self, key: str) -> None:
        if key == "read":
            self._show_page(0)
        elif key == "phone":
            self._show_qr()
        elif key == "previous":
            self._show_page(self.index - 1)
        elif key == "next":
            self._show_page(self.index + 1)
        elif key == "close":
            self.state, self.focus = self.qr_from, 0
            if self.state == "page":
                self.focus = 2
        elif key == "cover":
            self.state, self.focus = "cover", 0

    # ---- input --------------------------------------------------------------------------------------------
    def handle(self, event: InputEvent) -> None:
        if event.type == "pointer_up":
            hit = next((b for b in self.buttons if b.rect.collidepoint(event.x, event.y)), None)
            if hit is not None:
                self.press(hit.key)
        elif event.type == "action":
            self.on_action(event.action)

    def on_action(self, action: str) -> None:
        if action == "back":
            if self.state == "qr":
                self.press("close")
            elif self.state == "page":
                self.press("cover")
            else:
                self.finished = True
        elif action in ("left", "right") and self.state == "page" and self.focus != 2:
            self._show_page(self.index + (1 if action == "right" else -1))
        elif action in ("left", "right", "up", "down") and self.buttons:
            step = 1 if action in ("right", "down") else -1
            self.focus = (self.focus + step) % len(self.buttons)
        elif action == "select" and self.buttons:
            self.press(self.buttons[min(self.focus, len(self.buttons) - 1)].key)

    # ---- drawing ------------------------------------------------------------------------------------------
    def draw(self, surface: pygame.Surface) -> None:
        size = surface.get_size()
        surface.blit(theme.vertical_gradient(size), (0, 0))
        s = theme.scale(size)
        {"cover": self._draw_cover, "page": self._draw_page, "qr": self._draw_qr}[self.state](surface, size, s)
        for i, button in enumerate(self.buttons):
            view.draw_button(surface, self.text, button, s, i == self.focus, self.pinyin, primary=button.key == "phone")

    def _button_row(self, size, s, keys: list[tuple[str, str]], left: int, right: int, bottom: int) -> None:
        """Buttons right-aligned along the bottom, each at least as wide as its words (and their pinyin) need, all
        of them equally wide when there is room (a long label such as 用手机读 gets more on a narrow screen)."""
        height = theme.px(140, s)
        gap = theme.px(24, s)
        room = right - left - gap * (len(keys) - 1)
        needs = [view.label_width(self.text, label, s, self.pinyin) for _, label in keys]
        widths = [max(need, min(theme.px(340, s), room // len(keys))) for need in needs]
        if sum(widths) > room:  # then the labels shrink a little (draw_button)
            widths = [max(theme.MIN_TOUCH, w * room // sum(widths)) for w in widths]
        x = right - sum(widths) - (len(keys) - 1) * gap
        self.buttons = []
        for (key, label), width in zip(keys, widths):
            self.buttons.append(view.Button(key, label, pygame.Rect(x, bottom - height, width, height)))
            x += width + gap

    def _draw_cover(self, surface, size, s) -> None:
        width, height = size
        m = theme.px(56, s)
        safe_x, safe_y = view.safe_bottom(size)
        portrait = height > width
        if portrait:
            box = pygame.Rect(m, m, width - 2 * m, round(height * 0.36))
            column = pygame.Rect(m, box.bottom + m, width - 2 * m, 0)
            button_left, bottom = safe_x + m // 2, height - m
        else:
            box = pygame.Rect(m, m, round(width * 0.36), safe_y - m - m // 2)
            column = pygame.Rect(box.right + m, m, width - box.right - 2 * m, 0)
            button_left, bottom = column.left, height - m
        cover_rect = view.cover_image(self.cover, box)
        view.draw_cover_picture(surface, self.cover, cover_rect, s)
        if not portrait:
            column.left = cover_rect.right + m
            column.width = width - column.left - m
            button_left = column.left
        paper = self.text
        colour = theme.PAPER
        y = view.draw_lines(surface, paper, self.book.title, column, theme.px(view.PROMPT_PX, s), s, colour,
                            self.pinyin, role="prompt", readings={self.book.title: self.book.title_pinyin})
        y = view.draw_lines(surface, paper, self.book.byline, pygame.Rect(column.left, y + theme.px(8, s),
                                                                          column.width, 0),
                            theme.px(view.TEXT_PX, s), s, colour)
        count = t("ebook.poems", self.lang, count=len(self.book.poems))
        if self.pinyin:
            count += " · " + t("ebook.with_pinyin", self.lang)
        y = view.draw_lines(surface, paper, count, pygame.Rect(column.left, y + theme.px(8, s), column.width, 0),
                            theme.px(view.TEXT_PX, s), s, theme.ACCENT)
        description = self.package.manifest.description(self.lang)
        room = bottom - theme.px(140, s) - m - (y + theme.px(20, s))
        if description and view.lines_height(paper, description, column.width, theme.px(view.TEXT_PX, s), s) <= room:
            view.draw_lines(surface, paper, description, pygame.Rect(column.left, y + theme.px(20, s), column.width, 0),
                            theme.px(view.TEXT_PX, s), s, colour)
        self._button_row(size, s, [("read", t("ebook.read", self.lang)), ("phone", t("ebook.phone", self.lang))],
                         button_left, width - m, bottom)

    @staticmethod
    def _frame(size, s) -> tuple[int, int, int, pygame.Rect]:
        """(margin, the bottom-left safe x, the buttons' bottom, the panel above them) of the page and QR screens."""
        width, height = size
        m = theme.px(40, s)
        safe_x, _ = view.safe_bottom(size)
        bottom = height - m
        row_top = bottom - theme.px(140, s)
        return m, safe_x, bottom, pygame.Rect(m, m, width - 2 * m, row_top - 2 * m + m // 2)

    def _draw_page(self, surface, size, s) -> None:
        width = size[0]
        m, safe_x, bottom, panel = self._frame(size, s)
        surface.blit(theme.rounded_panel(panel.size, theme.PAPER, theme.px(28, s)), panel)
        view.note_box(surface, "page", panel, "panels")
        view.draw_poem(surface, self.text, self.poems[self.index], panel.inflate(-2 * m, -2 * m), s, self.pinyin)
        keys = [("previous", t("ebook.previous", self.lang)), ("next", t("ebook.next", self.lang)),
                ("phone", t("ebook.phone", self.lang))]
        self._button_row(size, s, keys, safe_x + m, width - m, bottom)
        label = t("ebook.page", self.lang, n=self.index + 1, total=len(self.poems))
        first = self.buttons[0].rect
        if self.text.size(label, theme.px(view.TEXT_PX, s))[0] <= first.left - safe_x - 2 * m:
            self.text.draw(surface, label, (first.left - m, first.centery), theme.px(view.TEXT_PX, s), theme.PAPER,
                           "midright")

    def _draw_qr(self, surface, size, s) -> None:
        width = size[0]
        m, safe_x, bottom, panel = self._frame(size, s)
        view.draw_qr_panel(surface, self.text, panel, s, self.url, self.book.title, t("ebook.scan", self.lang),
                           t("ebook.scan_more", self.lang, count=len(self.book.poems)), t("ebook.no_link", self.lang),
                           t("ebook.no_link_staff", self.lang), self.pinyin)
        self._button_row(size, s, [("close", t("ebook.close", self.lang))], safe_x + m, width - m, bottom)

    def test_targets(self) -> dict[str, pygame.Rect]:
        """Where the buttons are, for the kiosk's read-only test hook (docs/kiosk-shell.md): read, phone,
        previous, next, close, by the screen."""
        return {button.key: button.rect.copy() for button in self.buttons}

    # ---- screens for `launcher.py shots` and the screen tests -----------------------------------------------
    def shot_states(self):
        """cover, page (the first preview poem), page2 (the next, turned with the right key), qr (用手机读)."""
        yield "cover"
        self.press("read")
        yield "page"
        self.on_action("right")
        yield "page2"
        self.press("phone")
        yield "qr"

    def visit_summary(self) -> str | None:
        return t("ebook.visit_read", self.lang, count=len(self.read)) if self.read else None
