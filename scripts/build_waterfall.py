#!/usr/bin/env python3
"""Build the bundled e-book waterfall (exhibit-waterfall) into content/exhibit-waterfall: its manifest, licence
and a cover that is a render of the wall itself over the other bundled packages.

Run: .venv/bin/python scripts/build_waterfall.py   (build_exhibits.py runs it last, after the packages it shows)
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402
import pygame  # noqa: E402

PACKAGE_ID = "org.yuedu.exhibits.waterfall"
CONTENT = {"packages": "all", "columns": 5, "speed": 2.0, "background": [0.13, 0.12, 0.11], "pinyin": "auto",
           "resume_after": 3.0}


def wall_screenshot(folder: Path, content_dir: Path, size=(1280, 720), seconds: float = 4.0) -> np.ndarray:
    """The wall after a few seconds of falling, over the packages in `content_dir`, as RGB pixels."""
    from experiences.catalog import Catalog
    from experiences.config import KioskConfig
    from experiences.engagement import ListSink, Place, SessionReporter
    from experiences.exhibits.waterfall import WaterfallExhibit
    from experiences.package import open_package
    from experiences.runtime import ManualClock, RunContext

    package = open_package(folder)
    clock = ManualClock()
    reporter = SessionReporter(ListSink(), Place()).experience(package.id, package.kind, package.version,
                                                               monotonic=clock.now)
    ctx = RunContext(config=KioskConfig(), reporter=reporter, size=size, data_dir=REPO / ".cache" / "build",
                     clock=clock, headless=True, catalog=Catalog.scan([content_dir]))
    wall = WaterfallExhibit(package, ctx)
    wall.start()
    surface = pygame.Surface(size)
    try:
        steps = int(seconds * 30)
        for _ in range(steps):
            clock.advance(1 / 30)
            wall.update(1 / 30)
        wall.stage.render_into(surface)  # the wall alone: a cover shows no hint line
    finally:
        wall.stop("quit")
    return pygame.surfarray.array3d(surface).transpose(1, 0, 2).copy()


def build_waterfall(out: Path) -> None:
    from build_exhibits import MIT_TEXT, OWN_CREDIT, fresh, manifest, png, write

    folder = fresh(out / "exhibit-waterfall")
    write(folder, "LICENSE.txt", MIT_TEXT)
    text = manifest(
        PACKAGE_ID, "exhibit-waterfall", {"zh-CN": "书海瀑布", "en": "Book Waterfall"},
        {"zh-CN": "所有的书和展品像瀑布一样缓缓落下。点一本，就打开它。",
         "en": "Every book and exhibit drifts down like a waterfall; tap one to open it."},
        [dict(OWN_CREDIT, role="wall layout and generated covers, made in code; the cover is a render of the "
                               "other bundled packages' covers, each under its own package's credits")],
        CONTENT)
    write(folder, "experience.toml", text)
    write(folder, "cover.png", png(np.full((270, 480, 3), (33, 31, 28), np.uint8)))
    write(folder, "cover.png", png(wall_screenshot(folder, out), (480, 270)))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=REPO / "content", help="where the package folders go")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    print("exhibit-waterfall:")
    build_waterfall(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
