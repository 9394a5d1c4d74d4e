"""The e-book waterfall (exhibit-waterfall) with e-books installed: a tap on an e-book's cover brings up its QR code
for the phone (the fall holds still, nothing else opens), a tap or `back` puts it away and the fall goes on; any
other package's cover still opens that package."""
from __future__ import annotations

from pathlib import Path

import pygame

from experiences.catalog import Catalog
from experiences.exhibits.waterfall import WaterfallExhibit
from experiences.package import open_package
from experiences.runtime import InputEvent
from tests.exhibits.helpers import make_context, run_frames, verbs, write_package

CONTENT = Path(__file__).resolve().parents[2] / "content"
SIZE = (960, 540)


def tap(exhibit, x, y):
    exhibit.handle(InputEvent("pointer_down", x, y))
    exhibit.handle(InputEvent("pointer_up", x, y))


def test_an_ebook_cover_shows_its_qr_and_a_tap_puts_it_away(tmp_path):
    wall_package = write_package(tmp_path / "wall", "exhibit-waterfall", "[content]\ncolumns = 3\nspeed = 3.0\n", {},
                                 package_id="org.test.wall")
    ctx, sink, clock = make_context(tmp_path, size=SIZE)
    ctx.config.server.public_base_url = "https://library.example.org"
    ctx.catalog = Catalog([open_package(CONTENT / n) for n in ("ebook-tangshi", "ebook-songci", "ebook-qianjiashi",
                                                                 "idiom-chain", "idioms-xinhua")])
    opened = []
    ctx.services["open_package"] = opened.append
    wall = WaterfallExhibit(wall_package, ctx)
    wall.start()
    surface = pygame.Surface(SIZE)
    try:
        run_frames(wall, surface, clock, 3)
        found = None
        for _ in range(600):  # let the covers fall until an e-book's is wholly on screen
            found = next(((k.split(":", 1)[1], v) for k, v in wall.test_targets().items()
                          if k.startswith("cover:org.yuedu.ebooks.")), None)
            if found:
                break
            clock.advance(0.1)
            wall.update(0.1)
        ebook_id, box = found
        tap(wall, *box.center)
        assert opened == [] and not wall.finished
        assert wall.qr_package.id == ebook_id
        assert verbs(sink)[-1] == "experienced" and sink.statements[-1]["object"]["id"].endswith(f"/package/{ebook_id}")
        before = wall.flow_time
        run_frames(wall, surface, clock, 30)
        assert wall.flow_time - before < 0.5  # the covers ease to a stop behind the QR
        assert set(wall.test_targets()) >= {"qr-close"}
        tap(wall, *wall.test_targets()["qr-close"].center)
        assert wall.qr_package is None and not wall.finished
        wall.open(next(p for p in wall.placements if wall.package_of(p).kind == "ebook"))
        wall.handle(InputEvent("action", action="back"))
        assert wall.qr_package is None and not wall.finished
        chain = next(p for p in wall.placements if wall.package_of(p).id == "org.yuedu.idioms.chain")
        wall.open(chain)  # anything else opens as before
        assert opened == ["org.yuedu.idioms.chain"] and wall.finished
    finally:
        wall.stop("quit")
