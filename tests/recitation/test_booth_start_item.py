"""The booth opened from a 「what next?」 poem card: `ctx.start_item` names a poem → straight to its reading
screen (the item reported on from there); an unknown id → the usual picker, logged."""
from __future__ import annotations

import logging

import pygame
import pytest

from experiences.config import KioskConfig
from experiences.engagement import ListSink, Place, SessionReporter
from experiences.runtime import ManualClock, RunContext
from poems_package import open_poems_package
from recitation.booth import flow as F
from recitation.booth.experience import RecitationBooth

SIZE = (1280, 720)


@pytest.fixture
def package(tmp_path):
    package = open_poems_package(tmp_path / "poems")
    yield package
    package.source.close()


def booth_on(package, data_dir, start_item):
    pygame.init()
    reporter = SessionReporter(ListSink(), Place()).experience(package.id, "recitation", "1.0.0")
    ctx = RunContext(config=KioskConfig(), reporter=reporter, size=SIZE, data_dir=data_dir, headless=True,
                     clock=ManualClock(10.0), start_item=start_item)
    booth = RecitationBooth(package, ctx)
    booth.start()
    return booth


def test_a_start_item_opens_that_poems_reading_screen(package, data_dir, tmp_path):
    spring = next(poem for poem in RecitationBooth(package, RunContext(
        config=KioskConfig(), reporter=None, size=SIZE, data_dir=data_dir, headless=True)).poems if poem.title == "春晓")
    booth = booth_on(package, data_dir, spring.id)
    try:
        assert booth.flow.screen == F.READING and booth.poem.id == spring.id and booth.poem.title == "春晓"
        assert booth.highlight is not None  # the read-along is ready, as after tapping the poem in the picker
        surface = pygame.Surface(SIZE)
        booth.draw(surface)
        assert len({surface.get_at((x, y))[:3] for x in range(0, SIZE[0], 20) for y in range(0, SIZE[1], 20)}) > 20
        booth.press("back")  # back leads to the picker as usual
        assert booth.flow.screen == F.PICKER
    finally:
        booth.stop("quit")


def test_an_unknown_start_item_shows_the_picker_and_is_logged(package, data_dir, caplog):
    with caplog.at_level(logging.WARNING, logger="recitation.booth.experience"):
        booth = booth_on(package, data_dir, "no-such-poem")
    try:
        assert booth.flow.screen == F.PICKER and booth.poem is None
        assert any("no-such-poem" in record.getMessage() for record in caplog.records)
    finally:
        booth.stop("quit")


def test_without_a_start_item_the_booth_opens_on_the_picker(package, data_dir):
    booth = booth_on(package, data_dir, None)
    try:
        assert booth.flow.screen == F.PICKER
    finally:
        booth.stop("quit")
