"""exhibit-book rendered offscreen: pages turn by tap and drag with a curling leaf; pages read are reported."""
from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pygame
import pytest

from experiences import drawlog
from experiences.engagement import extension_iri
from experiences.exhibits.book import BookExhibit
from experiences.runtime import InputEvent

from .helpers import advance, make_context, pixels_of, png_bytes, run_frames, write_package

PAGE_COLOURS = [(220, 30, 30), (30, 200, 30), (30, 30, 220), (220, 200, 30)]


@pytest.fixture
def image_book(tmp_path):
    files = {f"p{i + 1}.png": png_bytes((200, 300), colour) for i, colour in enumerate(PAGE_COLOURS)}
    content = '[content]\npages = ["p1.png", "p2.png", "p3.png", "p4.png"]\nreading = "ltr"\n'
    package = write_package(tmp_path / "pkg", "exhibit-book", content, files)
    ctx, sink, clock = make_context(tmp_path)
    book = BookExhibit(package, ctx)
    book.start()
    yield book, sink, clock
    if book.stage is not None:
        book.stop("quit")


def page_colour(book, surface, side: int) -> tuple:
    """Average colour of the middle of the left (-1) or right (+1) page on screen."""
    x, y, _ = book.stage.project((side * book.page_width / 2, 0, 0.03), relative_to=book.book)
    patch = pixels_of(surface)[int(y) - 10:int(y) + 10, int(x) - 10:int(x) + 10]
    return tuple(patch.reshape(-1, 3).mean(axis=0))


def dominant(colour) -> int:
    return int(np.argmax(colour))


def tap(book, x, y=360):
    book.handle(InputEvent("pointer_down", x, y))
    book.handle(InputEvent("pointer_up", x, y))


def test_tapping_the_right_page_turns_it_and_shows_the_next_pages(image_book):
    book, sink, clock = image_book
    surface = pygame.Surface((1280, 720))
    run_frames(book, surface, clock, 1)
    assert book.turned == 0 and book.visible_pages() == []
    tap(book, 900)  # opens the cover
    advance(book, clock, 1.0)
    book.draw(surface)
    assert book.turned == 1 and book.visible_pages() == [1]
    assert dominant(page_colour(book, surface, +1)) == 0  # page 1 is red, on the right
    tap(book, 900)
    advance(book, clock, 1.0)
    book.draw(surface)
    assert book.turned == 2 and book.visible_pages() == [2, 3]
    assert dominant(page_colour(book, surface, -1)) == 1  # green page 2 on the left
    assert dominant(page_colour(book, surface, +1)) == 2  # blue page 3 on the right
    read = [s["object"]["id"].rsplit("/", 1)[1] for s in sink.statements if s["verb"]["display"]["en-US"] == "experienced"]
    assert read == ["1", "2", "3"]
    tap(book, 300)  # the left side turns back
    advance(book, clock, 1.0)
    book.draw(surface)
    assert book.turned == 1
    book.stop("quit")
    result = sink.statements[-1]["result"]["extensions"]
    assert result[extension_iri("pages-read")] == 3
    assert result[extension_iri("pages-total")] == 4


def test_the_leaf_curls_while_it_turns(image_book):
    book, _, clock = image_book
    surface = pygame.Surface((1280, 720))
    run_frames(book, surface, clock, 1)
    before = pixels_of(surface).copy()
    tap(book, 900)
    run_frames(book, surface, clock, 9)  # about halfway
    assert book.turn_leaf == 0 and 0.3 < book.leaf.progress < 0.7
    from experiences.exhibits import page_curl

    positions, _ = page_curl.curl_shape(book.leaf.s, book.leaf.t, book.leaf.progress, 1.0, book.page_height, 1)
    heights = positions[:, 2].reshape(-1, page_curl.COLUMNS + 1)
    assert heights[:, -1].max() > 0.5  # the free edge is up in the air
    # Bent, not a flat board: the angle along a row changes from spine to edge.
    slopes = np.diff(heights[0]) / np.diff(positions[:, 0].reshape(-1, page_curl.COLUMNS + 1)[0] + 1e-9)
    assert np.ptp(np.arctan(slopes)) > 0.2
    assert np.abs(pixels_of(surface).astype(int) - before).sum() > 0  # the screen shows it


def test_a_short_drag_falls_back_and_a_long_drag_completes(image_book):
    book, _, clock = image_book
    surface = pygame.Surface((1280, 720))
    run_frames(book, surface, clock, 1)
    book.handle(InputEvent("pointer_down", 1000, 360))
    book.handle(InputEvent("pointer_move", 960, 360))
    book.handle(InputEvent("pointer_move", 900, 360))
    assert book.dragging and 0 < book.leaf.progress < 0.35
    book.handle(InputEvent("pointer_up", 900, 360))
    advance(book, clock, 1.0)
    book.draw(surface)
    assert book.turned == 0 and book.turn_leaf is None
    book.handle(InputEvent("pointer_down", 1000, 360))
    for x in range(980, 500, -40):
        book.handle(InputEvent("pointer_move", x, 360))
    book.handle(InputEvent("pointer_up", 500, 360))
    advance(book, clock, 1.0)
    book.draw(surface)
    assert book.turned == 1


def test_cannot_turn_past_the_back_cover(image_book):
    book, _, clock = image_book
    surface = pygame.Surface((1280, 720))
    for _ in range(book.leaves_total + 2):
        book.handle(InputEvent("action", action="select"))
        advance(book, clock, 1.0)
    assert book.turned == book.leaves_total and not book.can_turn(1)


def test_text_becomes_a_thread_bound_book_read_right_to_left(tmp_path, repo_root):
    text = {"sections": [{"title": "静夜思", "author": "李白", "lines": ["床前明月光，疑是地上霜。", "举头望明月，低头思故乡。"]},
                         {"title": "春晓", "author": "孟浩然", "lines": ["春眠不觉晓，处处闻啼鸟。", "夜来风雨声，花落知多少。"]}]}
    package = write_package(tmp_path / "pkg", "exhibit-book", '[content]\ntext = "poems.json"\n',
                            {"poems.json": json.dumps(text, ensure_ascii=False).encode()})
    ctx, _, clock = make_context(tmp_path)
    book = BookExhibit(package, ctx)
    book.start()
    surface = pygame.Surface((1280, 720))
    try:
        assert book.side == -1 and book.text_mode
        run_frames(book, surface, clock, 1)
        cover = page_colour(book, surface, -1)
        assert dominant(cover) == 2  # indigo cover, on the left of the spine: the book opens to the right
        tap(book, 300)  # the left side is where a right-to-left book turns forward
        advance(book, clock, 1.0)
        book.draw(surface)
        assert book.turned == 1 and book.visible_pages() == [1]
        page = page_colour(book, surface, -1)
        assert page[0] > page[2] + 30  # warm aged paper where the first page lies
        text_page = book.sides.pixels(2)
        assert (text_page.sum(axis=2) < 200).mean() > 0.005  # dark ink of the characters is on the page
    finally:
        book.stop("quit")


def test_an_open_book_being_read_is_not_re_rendered(image_book):
    book, _, clock = image_book
    surface = pygame.Surface((1280, 720))
    tap(book, 900)
    advance(book, clock, 1.0)
    book.draw(surface)
    renders = []
    real_render = book.stage.render_frame
    book.stage.render_frame = lambda: renders.append(1) or real_render()
    for _ in range(5):
        advance(book, clock, 0.2, steps=1)
        book.draw(surface)
    assert renders == []  # reading: nothing moved, nothing rendered
    assert dominant(page_colour(book, surface, +1)) == 0  # and the screen still shows page 1
    tap(book, 900)
    advance(book, clock, 0.1, steps=1)
    book.draw(surface)
    assert len(renders) == 1  # a turning page is rendered again


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)])
def test_the_caption_under_the_closed_and_the_open_book_keeps_clear_of_it(size, tmp_path, repo_root):
    """Page buttons beside the book (16:9): the line under it (its hint, then the page number) is as tall as
    it is drawn, with pinyin for young readers, and the book is framed above it."""
    from experiences.exhibits import book_view
    from experiences.package import open_package

    ctx, _sink, clock = make_context(tmp_path, size=size)
    ctx.age_band = "6-8"
    book = BookExhibit(open_package(repo_root / "content" / "exhibit-book"), ctx)
    book.start()
    surface = pygame.Surface(size)
    try:
        with drawlog.recording() as log:
            run_frames(book, surface, clock, 2)
        caption = next(t for t in log.texts if t.ruby_size and t.box[1] > size[1] // 2 and "页" in t.text)
        for opened in (False, True):
            shown = book_view.book_screen_rect(book)
            assert shown.bottom <= caption.box[1], (opened, shown, caption)
            assert not shown.colliderect(book.label_rect), (opened, shown, book.label_rect)
            book.on_button("left", clock.now())  # 下一页: a 线装书 opens to the left
            book.update(1.0)
            with drawlog.recording() as log:
                run_frames(book, surface, clock, 2)
            caption = next(t for t in log.texts if t.box[1] > size[1] // 2 and t.text.startswith("第"))
    finally:
        book.stop("quit")


@pytest.mark.parametrize("size", [(1024, 768), (1920, 1080)])
def test_young_readers_get_pinyin_over_the_pages_and_every_page_still_holds_its_text(size, tmp_path, repo_root):
    """The shipped 线装唐诗 for a 6-8 visitor: every character of the pages has its syllable above it, at sizes the
    screen checks accept on screen (4:3 shrinks the book most); the columns are fewer and shorter, so the poems
    flow on over more pages, and no column runs past the frame and no character is lost."""
    from experiences.exhibits.book_pages import PUNCTUATION
    from experiences.exhibits.book_text import parse_book_text
    from experiences.package import open_package
    from experiences.screencheck import check_screen, report

    package = open_package(repo_root / "content" / "exhibit-book")
    ctx, _sink, clock = make_context(tmp_path, size=size)
    ctx.age_band = "6-8"
    book = BookExhibit(package, ctx)
    book.start()
    surface = pygame.Surface(size)
    try:
        renderer = book.renderer
        assert renderer.pinyin_font is not None and renderer.columns_per_page < 8
        columns = [c for face in book.faces if face.kind == "text" for c in face.ref]
        assert all(renderer.cells_in(c) == len(c.text) for c in columns)
        sections = parse_book_text(package.source.read_bytes("poems.json"))
        assert "".join(c.text for c in columns if c.role == "text") == "".join(l for s in sections for l in s.lines)
        assert all(len(c.pinyin) == len(c.text) and all(y or ch in PUNCTUATION for ch, y in zip(c.text, c.pinyin))
                   for c in columns)
        # Drawn, not only laid out: ink in the pinyin row over the first page's title, none without its syllables.
        first = book.faces[2].ref
        top = int(renderer.frame.top + first[0].indent * renderer.cell + renderer.gap)
        left = int(renderer.frame.right - renderer.column_width)
        for syllables, inked in ((True, True), (False, False)):
            shown = first if syllables else [replace(c, pinyin=()) for c in first]
            pixels = pixels_of(renderer.page(shown, 0))[top:top + int(renderer.ruby_row), left + 4:renderer.frame.right - 4]
            assert ((pixels.sum(axis=2) < 250).sum() > 30) == inked, syllables
        book.on_button("left", clock.now())  # 下一页: the book opens on its first poem
        book.update(1.0)
        book.on_button("left", clock.now())
        book.update(1.0)
        with drawlog.recording() as log:
            run_frames(book, surface, clock, 1)
        pages = [t for t in log.texts if t.text in {c.text for c in columns}]
        assert len(pages) >= 6 and all(t.ruby_size for t in pages), [(t.text, t.ruby_size) for t in pages]
        findings = check_screen(log, size)
        assert findings == [], report(findings)
    finally:
        book.stop("quit")


def test_pinyin_on_the_pages_follows_the_visitor_then_the_package_audience(tmp_path):
    text = {"sections": [{"title": "春晓", "author": "孟浩然", "lines": ["春眠不觉晓，处处闻啼鸟。"]}]}
    package = write_package(tmp_path / "pkg", "exhibit-book", '[content]\ntext = "poems.json"\n',
                            {"poems.json": json.dumps(text, ensure_ascii=False).encode()})
    ctx, _, _ = make_context(tmp_path)
    book = BookExhibit(package, ctx)
    for band, bands, wanted in (("6-8", ["all"], True), ("13+", ["3-5"], False), (None, ["all"], False),
                                (None, ["3-5", "all"], True)):
        ctx.age_band, package.manifest.age_bands = band, bands
        assert book.page_pinyin() is wanted, (band, bands)
