"""Cards and labels never cover what they talk about: the bundled ding with each of its hotspot cards open, with
pinyin (the tallest HUD), at every size the kiosk meets. The 3D frame is rendered alone and the model's silhouette
(every pixel that is not the background) must lie clear of the card and the label the same frame drew."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pygame
import pytest

from experiences import drawlog
from experiences.exhibits.card_room import _overlap, fit, fit_clear, free_region, moved
from experiences.exhibits.treasure import TreasureExhibit
from experiences.i18n import t as t_
from experiences.kiosk.shots import SIZES
from experiences.package import open_package
from experiences.screencheck import check_screen

from .helpers import make_context, run_frames

DING = Path(__file__).resolve().parents[2] / "content" / "exhibit-treasure"


def silhouette(exhibit) -> np.ndarray:
    """Where the model is in the 3D frame alone: pixels away from the clear colour (rows top first)."""
    frame = exhibit.stage.render_frame()
    pixels = np.frombuffer(frame.data, np.uint8).reshape(frame.size[1], frame.size[0], -1)[:, :, 2::-1]
    background = np.array(exhibit.stage.background) * 255
    return np.abs(pixels.astype(np.int16) - background).max(axis=2) > 12


def covered(mask: np.ndarray, box, inset: int = 2) -> int:
    x, y, w, h = box
    return int(mask[y + inset:y + h - inset, x + inset:x + w - inset].sum())


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_no_card_or_label_covers_the_ding(size, tmp_path):
    ctx, _sink, clock = make_context(tmp_path, size=size)
    ctx.age_band = "6-8"  # pinyin: the label and cards are at their tallest
    exhibit = TreasureExhibit(open_package(DING), ctx)
    exhibit.start()
    surface = pygame.Surface(size)
    try:
        while not exhibit.loaded:
            run_frames(exhibit, surface, clock)
        run_frames(exhibit, surface, clock, 20)
        with drawlog.recording() as log:
            run_frames(exhibit, surface, clock)
        label = next(b.box for b in log.boxes if b.label == "label")
        mask = silhouette(exhibit)
        assert covered(mask, label) == 0, "the label covers the ding before any card opens"
        hint = next(t.box for t in log.texts if t.text == t_(exhibit.hint_key, "zh-CN"))
        assert covered(mask, hint) == 0, "the hint along the bottom covers the ding"
        assert sum(spot.shown for spot in exhibit.hotspots) >= 2, "a marker the visitor should see is hidden"
        opened = 0
        for spot in exhibit.hotspots:
            run_frames(exhibit, surface, clock, 7)  # a depth frame settles which markers show
            if not (spot.visible and spot.shown):
                continue
            exhibit.tap(*spot.screen)
            assert exhibit.open_hotspot is spot
            run_frames(exhibit, surface, clock, 30)  # the picture slides aside (~0.5 s)
            with drawlog.recording() as log:
                run_frames(exhibit, surface, clock)
            assert check_screen(log, size) == [], spot.id
            boxes = {b.label: b.box for b in log.boxes}
            mask = silhouette(exhibit)
            assert mask.sum() > 0.01 * size[0] * size[1], "the ding is not in the frame"
            assert covered(mask, boxes["panel"]) == 0, f"{spot.id}: the card covers the ding"
            assert covered(mask, boxes["label"]) == 0, f"{spot.id}: the label covers the ding"
            assert spot.shown, f"{spot.id}: the open hotspot's own marker is hidden"
            assert exhibit.shift.current[2] >= 0.6
            opened += 1
            exhibit.on_button("reset", clock.now())  # closes the card; the view goes back
        assert opened >= 1
    finally:
        exhibit.stop("quit")


def test_fit_moves_a_subject_as_little_as_it_can():
    size = (1920, 1080)
    free = free_region(size, 32, label=(32, 32, 800, 300), card=(1330, 200, 560, 500))
    assert free == (32, 364, 1266, 684)
    assert fit((400, 400, 400, 300), free, size) == (0.0, 0.0, 1.0)  # already clear
    dx, dy, k = fit((900, 300, 600, 500), free, size)
    assert k == 1.0 and dx == 1298 - 1500 and dy == 64  # slid left of the card and down under the label
    dx, dy, k = fit((200, 100, 1600, 900), free, size)  # too big: made smaller to fit the free height
    assert k == pytest.approx(684 / 900)
    assert moved((200, 100, 1600, 900), (dx, dy, k), size)[1] == pytest.approx(364)
    assert fit((0, 0, 4000, 3000), free, size)[2] == 0.6  # never below 0.6
    # Beside the label a subject keeps its height; slid under it, it goes below it.
    label, card = (32, 32, 500, 300), (1330, 200, 560, 500)
    assert fit_clear((700, 100, 500, 500), size, 32, label, card) == (0.0, 0.0, 1.0)
    dx, dy, k = fit_clear((700, 100, 700, 500), size, 32, label, card)
    assert not _overlap(moved((700, 100, 700, 500), (dx, dy, k), size), label) and dx < 0


def test_a_subject_under_the_label_goes_where_it_stays_biggest_and_above_the_hint():
    size = (1024, 768)
    label, margin = (24, 24, 400, 320), 24
    ding = (340, 40, 360, 470)  # the treasure's outline at the start, under the label's right edge
    # Right of the label the ding keeps its size; below it, it would have to shrink into 768 - 368 px.
    dx, dy, k = fit_clear(ding, size, margin, label, None)
    shown = moved(ding, (dx, dy, k), size)
    assert k == 1.0 and not _overlap(shown, label) and shown[0] >= 424 + margin
    # A hint along the bottom (its top at 590) is a floor: the ding stays above it.
    dx, dy, k = fit_clear(ding, size, margin, label, None, floor=590)
    shown = moved(ding, (dx, dy, k), size)
    assert shown[1] + shown[3] <= 590 - margin + 1 and not _overlap(shown, label)
    # In portrait the label spans the top: there is no room beside it, the subject goes below it.
    size = (1080, 1920)
    label = (32, 32, 580, 440)
    dx, dy, k = fit_clear((200, 300, 680, 700), size, 32, label, None, floor=1530)
    shown = moved((200, 300, 680, 700), (dx, dy, k), size)
    assert shown[1] >= 472 + 32 - 1 and shown[1] + shown[3] <= 1530 - 32 + 1
    assert free_region(size, 32, label, None, beside=True)[0] == 32 + 580 + 32
