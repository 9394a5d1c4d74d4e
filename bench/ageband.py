#!/usr/bin/env python3
"""Frame cost of the 「你几岁啦？」 age screen beside the kiosk menu (the baseline, measured in the same run) at
1280×720: a warm frame draws the cached button faces plus the title; goal: no more than the menu's frame
(ratio ≤ 1.0; exit status 1 if above 1.5, to leave room for a shared machine's noise).

Run: .venv/bin/python bench/ageband.py [--frames 300]
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
SIZE = (1280, 720)


def per_frame_ms(draw, surface, frames: int) -> float:
    draw(surface)  # warm: text and faces cached
    times = []
    for _ in range(frames):
        started = time.perf_counter()
        draw(surface)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=300)
    args = parser.parse_args()
    import pygame

    from experiences.kiosk import testing
    from experiences.kiosk.ageband_screen import AgeBandScreen
    from experiences.kiosk.covers import CoverCache
    from experiences.kiosk.menu import MenuScreen
    from experiences.package import open_package
    from experiences.text import shared_text

    pygame.display.init()
    surface = pygame.Surface(SIZE)
    text = shared_text()
    with tempfile.TemporaryDirectory() as tmp:
        bands = [["3-5"], ["6-8"], ["9-12"], ["13+"], ["all"], ["6-8", "9-12"]]
        packages = [open_package(testing.write_test_package(Path(tmp) / f"p{n}", f"org.yuedu.bench.p{n}",
                                                            title=f"成语灯谜{n}", age_bands=b))
                    for n, b in enumerate(bands)]
        menu = MenuScreen(packages, text, CoverCache(text))
        menu.set_band("6-8")
        age = AgeBandScreen(text)
        # alternate the two so a burst of load on the shared machine hits both alike
        menu_ms, age_ms = [], []
        for _ in range(3):
            menu_ms.append(per_frame_ms(menu.draw, surface, args.frames // 3))
            age_ms.append(per_frame_ms(age.draw, surface, args.frames // 3))
    baseline, measured = statistics.median(menu_ms), statistics.median(age_ms)
    ratio = measured / baseline
    print(f"menu (baseline) {baseline:.2f} ms/frame; age screen {measured:.2f} ms/frame; ratio {ratio:.2f} "
          f"(goal ≤ 1.0) at {SIZE[0]}x{SIZE[1]}")
    return 0 if ratio <= 1.5 else 1


if __name__ == "__main__":
    sys.exit(main())
