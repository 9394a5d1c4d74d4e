"""How the book sits on the screen: the view fitted to the window, the page buttons beside or under the book,
and what its pages show told to experiences.drawlog with the glyphs' real size on screen (the page text is
drawn into textures, which the screen checks cannot see otherwise). Functions of a running BookExhibit.
"""
from __future__ import annotations

import pygame
from panda3d.core import LPoint3f, LVector3f

from experiences import drawlog
from experiences.exhibits import hud
from experiences.i18n import t
from experiences.runtime import home_button_area

STACK_HEIGHT = 0.03  # the page tops' height above the boards


def frame_book(book) -> None:
    """Look down at the open book from the visitor's side of the table, as close as the window allows: the
    book fills the width left beside the page buttons (landscape) or the whole width (portrait, where the
    view is steeper so the far columns are not foreshortened), and the height between the label and the
    bottom row (the page buttons, or the caption line under the book). Bigger pages: bigger characters (the screen checks want >= 32 px at 1080p)."""
    size = book.stage.size
    width, height = size
    h = book.page_height
    book.buttons_beside = width / height >= 1.7  # 16:9 and wider: page buttons beside the book
    portrait = width < height
    side_room = 2 * (hud.px(size, 240) + 2 * hud.px(size, hud.MARGIN_PX)) if book.buttons_beside else 0
    title, caption = book.label_texts()
    top = hud.px(size, hud.MARGIN_PX + 20) + hud.label_height(book.text, size, title, caption, hud.label_width(size),
                                                              book.label_lines)
    home = pygame.Rect(home_button_area(size)[0])
    # the bottom row: the page buttons beside the home button, or (buttons beside the book) the caption line
    # under the book, as tall as it is drawn (with its pinyin row for young readers)
    caption = hud.caption_rect(size, book.text, book.hint("exhibit.book_hint"))
    bottom = height - (home.top if not book.buttons_beside else caption.top) + hud.px(size, 12)
    target_w, target_h = (width - side_room) * 0.96, height - top - bottom
    band_middle = (top + height - bottom) / 2
    look_y = -0.02 * h
    direction = LVector3f(0, -0.55 * h, 1.2 * h) if portrait else LVector3f(0, -0.9 * h, 1.2 * h + 0.3)
    direction.normalize()
    distance = 2.0 * h
    for _ in range(8):
        look_at = LPoint3f(0, look_y, 0)
        book.stage.camera.set_pos(look_at + direction * distance)
        book.stage.camera.look_at(look_at, LVector3f(0, 0, 1))
        box = book_screen_rect(book, offset=0.0)
        if box.width <= 0 or box.height <= 0:
            break
        distance *= max(box.width / target_w, box.height / target_h) ** 0.9
        look_y += (band_middle - box.centery) / box.height * h * 0.8  # further back: the book sits lower


def page_buttons(book) -> list[hud.Button]:
    """Two big page buttons with an arrow and a word. A 线装书 reads right to left: its unread pages lie on
    the left and a page turns from left to right, so 下一页 sits on the left (◀, where the story goes on) and
    上一页 on the right; a left-to-right book has them the other way round. Beside the open book where there
    is room, else in a row under it (portrait)."""
    size = book.stage.size
    width, height = size
    lang = book.ctx.language
    bw, bh, margin, gap = hud.px(size, 240), hud.px(size, 132), hud.px(size, hud.MARGIN_PX), hud.px(size, 20)
    box = book_screen_rect(book, offset=0.0)
    home = pygame.Rect(home_button_area(size)[0])
    if book.buttons_beside:
        y = max(box.centery - bh // 2, margin)
        left_rect = pygame.Rect(margin, y, bw, bh)
        right_rect = pygame.Rect(width - margin - bw, y, bw, bh)
    else:  # in the bottom row, beside the kiosk's home button
        bw = min(bw, (width - home.right - 2 * gap - margin) // 3)
        left_rect = pygame.Rect(home.right + gap, home.bottom - bh, bw, bh)
        right_rect = pygame.Rect(width - margin - bw, home.bottom - bh, bw, bh)
    next_word, previous_word = t("exhibit.next", lang), t("exhibit.previous", lang)
    left_label = f"◀ {next_word}" if book.side < 0 else f"◀ {previous_word}"
    right_label = f"{previous_word} ▶" if book.side < 0 else f"{next_word} ▶"
    return [hud.Button("left", left_rect, left_label), hud.Button("right", right_rect, right_label)]


def book_screen_rect(book, offset: float | None = None) -> pygame.Rect:
    """The open book's box on screen (both halves, boards included), at the given sideways offset."""
    w, h = book.page_width, book.page_height
    saved = book.book.get_x()
    if offset is not None:
        book.book.set_x(offset)
    points = [book.stage.project((x, y, 0.0), relative_to=book.book) for x in (-w - 0.04, w + 0.04)
              for y in (-h / 2 - 0.04, h / 2 + 0.04)]
    book.book.set_x(saved)
    points = [p for p in points if p is not None]
    if not points:
        return pygame.Rect(0, 0, *book.stage.size)
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return pygame.Rect(int(min(xs)), int(min(ys)), int(max(xs) - min(xs)), int(max(ys) - min(ys)))


def note_page_text(book) -> None:
    """Tell the draw log what the open pages show, with the glyphs' real size on screen: the page text is
    drawn into textures, so the screen checks see it only through this (with the pinyin row's size when the
    page has one)."""
    if drawlog.active() is None or book.turn_leaf is not None or not book.text_mode:
        return
    w, h = book.page_width, book.page_height
    page_w, page_h = book.renderer.size
    title = book.package.manifest.title(book.ctx.language)
    # The face lying on each side now, and where that page's left edge is in book coordinates.
    k = book.turned
    for index, x0 in ((2 * k, min(0.0, book.side * w)), (2 * k - 1, min(0.0, -book.side * w))):
        if not 0 <= index < len(book.faces):
            continue
        face = book.faces[index]
        if face.kind == "text":
            boxes = book.renderer.column_boxes(face.ref)
        elif face.kind == "cover":
            boxes = book.renderer.cover_boxes(title)
        elif book._plate(index):
            boxes = book.renderer.plate_boxes(book._plate(index))
        else:
            continue
        for text, size, (bx, by, bw, bh), ruby in boxes:
            corners = [book.stage.project((x0 + (bx + dx) / page_w * w, h / 2 - (by + dy) / page_h * h, STACK_HEIGHT),
                                          relative_to=book.book) for dx in (0, bw) for dy in (0, bh)]
            if any(c is None for c in corners):
                continue
            ys = [c[1] for c in corners]
            # The glyphs' size on screen: the narrowest projected width of the column (its far end); the
            # box: that width around the column's middle (perspective slants its projected outline).
            shown = min(abs(corners[2][0] - corners[0][0]), abs(corners[3][0] - corners[1][0])) / bw  # per page px
            middle = sum(c[0] for c in corners) / 4
            drawlog.note_text(text, round(shown * size), (round(middle - shown * bw / 2), round(min(ys)),
                                                          round(shown * bw), round(max(ys) - min(ys))),
                              ruby_size=round(shown * ruby) if ruby else None)
