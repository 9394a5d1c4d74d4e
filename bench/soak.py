#!/usr/bin/env python3
"""Soak test of the kiosk shell: N attract → age question → menu → experience → reset cycles headless (default
500), with the scripted test kind finishing, raising or idling in turn, printing memory (RSS) and open-file-handle
growth. Simulated time (a fixed frame step and a manual clock), so the idle resets cost no real waiting.

Usage: .venv/bin/python bench/soak.py [--cycles 500] [--size 1024x600]
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DT = 1 / 60


def rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


class CountingSink:
    """Counts statements without keeping them, so the sink itself does not grow."""

    def __init__(self):
        self.count = 0
        self.verbs: dict[str, int] = {}

    def put(self, statement: dict) -> None:
        self.count += 1
        verb = statement["verb"]["display"]["en-US"]
        self.verbs[verb] = self.verbs.get(verb, 0) + 1


def make_sink(data_dir: Path):
    """The real SQLite outbox when it is installed (its growth is the point); a counter otherwise."""
    try:
        from experiences.outbox import Outbox
    except ImportError:
        return CountingSink(), "in-memory counter (experiences.outbox not installed)"
    return Outbox(data_dir / "outbox.sqlite3"), "SQLite outbox"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cycles", type=int, default=500)
    parser.add_argument("--size", default="1024x600")
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.lower().split("x"))
    sys.path.insert(0, str(REPO))
    os.environ["SDL_VIDEODRIVER"] = "dummy"
    os.environ["SDL_AUDIODRIVER"] = "dummy"
    tmp = Path(tempfile.mkdtemp(prefix="yuedu-soak-"))
    os.environ["YUEDU_DATA_DIR"] = str(tmp / "data")
    os.environ["PYGAME_HIDE_SUPPORT_PROMPT"] = "1"
    import logging  # the scripted failures log tracebacks on purpose: keep them out of the report

    logging.basicConfig(filename=tmp / "soak.log", level=logging.INFO)

    import pygame

    from experiences.catalog import Catalog
    from experiences.config import KioskConfig
    from experiences.kiosk import testing
    from experiences.kiosk.shell import KioskShell
    from experiences.kiosk.states import ASK_AGE, ATTRACT, MENU, RUNNING
    from experiences.package import open_package
    from experiences.runtime import ManualClock

    pygame.display.init()  # CoverCache writes covers with pygame before the shell opens its window
    behaviours = [{"finish_after_frames": 8}, {"raise_at_frame": 5, "raise_in": "update"}, {"busy": False},
                  {"raise_at_frame": 3, "raise_in": "draw"}]
    packages = [open_package(testing.write_test_package(tmp / f"p{n}", f"org.yuedu.soak.p{n}", **b))
                for n, b in enumerate(behaviours)]
    sink, sink_name = make_sink(tmp / "data")
    config = KioskConfig()
    shell = KioskShell(config, catalog=Catalog(packages), registry=testing.registry_with_test_kind(),
                       headless=True, size=(width, height), clock=ManualClock(), sink=sink, data_dir=tmp / "data")
    shell.open()

    def frames(n):
        for _ in range(n):
            shell.frame(DT)

    def click(pos):
        pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=pos, button=1, touch=False))
        pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=pos, button=1, touch=False))

    def cycle(n: int) -> None:
        frames(3)  # attract
        click((width // 2, height // 2))
        frames(2)
        assert shell.machine.state == ASK_AGE, shell.machine.state
        answers = shell.age_screen.choices((width, height))  # each band in turn, and skip
        click(answers[n % len(answers)].rect.center)
        frames(1)
        assert shell.machine.state == MENU, shell.machine.state
        cards = [t for t in shell.menu.targets() if t.kind == "card"]
        click(cards[n % len(cards)].rect.center)
        frames(12)  # the experience finishes, raises (error screen) or keeps running
        shell.clock.advance(2.0)  # past the error screen, if any
        frames(2)
        shell.clock.advance(config.kiosk.idle_seconds + 0.5)
        frames(2)
        shell.clock.advance(config.kiosk.warning_seconds + 0.5)
        frames(2)
        assert shell.machine.state == ATTRACT, shell.machine.state
        assert shell.machine.state != RUNNING

    started = time.perf_counter()
    warmup = min(20, args.cycles)
    for n in range(warmup):
        cycle(n)
    rss0, fds0 = rss_kib(), open_fds()
    print(f"sink: {sink_name}; window {width}x{height}; after {warmup} warm-up cycles: "
          f"RSS {rss0 / 1024:.1f} MiB, {fds0} open files")
    checkpoints = max(1, (args.cycles - warmup) // 5)
    for n in range(warmup, args.cycles):
        cycle(n)
        if (n + 1 - warmup) % checkpoints == 0 or n + 1 == args.cycles:
            print(f"  cycle {n + 1:4d}: RSS {rss_kib() / 1024:7.1f} MiB  open files {open_fds():3d}")
    elapsed = time.perf_counter() - started
    rss1, fds1 = rss_kib(), open_fds()
    shell.close()  # closes the run and the session; the outbox (if any) is closed below
    measured = max(1, args.cycles - warmup)
    print(f"{args.cycles} cycles, {shell.frames_drawn} frames in {elapsed:.1f} s "
          f"({shell.frames_drawn / elapsed:.0f} frames/s)")
    if isinstance(sink, CountingSink):
        print(f"statements: {sink.count} {dict(sorted(sink.verbs.items()))}")
    else:
        print(f"statements in the outbox (unsent): {sink.unsent_count()}")
    print(f"RSS growth over {measured} cycles after warm-up: {(rss1 - rss0) / 1024:+.2f} MiB "
          f"({(rss1 - rss0) / measured:+.2f} KiB/cycle)")
    print(f"open-file growth: {fds1 - fds0:+d}")
    print(f"log (tracebacks of the scripted failures): {tmp / 'soak.log'}")
    if hasattr(sink, "close"):
        sink.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
