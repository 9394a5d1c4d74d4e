"""A private Xvfb server for tests that need a real X11 window (SDL's x11 driver, not the dummy one).

    from tests.xvfb import Xvfb
    with Xvfb() as x:
        subprocess.run([...], env=x.env())   # DISPLAY set, SDL_VIDEODRIVER unset

Xvfb is installed by scripts/setup.sh, so a missing one is a failure (pytest.fail), never a silent skip.
"""
from __future__ import annotations

import os
import random
import shutil
import subprocess
import time
from pathlib import Path

import pytest


class Xvfb:
    def __init__(self, size: tuple[int, int] = (1920, 1080), depth: int = 24):
        self.size, self.depth = size, depth
        self.display: int | None = None
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "Xvfb":
        binary = shutil.which("Xvfb")
        if binary is None:
            pytest.fail("Xvfb is missing: run `bash scripts/setup.sh` (it installs the Debian package xvfb)")
        for _ in range(20):  # a random free display, so parallel runs and other users never collide
            display = random.randint(300, 899)
            if Path(f"/tmp/.X11-unix/X{display}").exists() or Path(f"/tmp/.X{display}-lock").exists():
                continue
            process = subprocess.Popen([binary, f":{display}", "-screen", "0",
                                        f"{self.size[0]}x{self.size[1]}x{self.depth}", "-nolisten", "tcp"],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and process.poll() is None:
                if Path(f"/tmp/.X11-unix/X{display}").exists():
                    self.display, self.process = display, process
                    return self
                time.sleep(0.05)
            process.kill()
            process.wait()
        pytest.fail("Xvfb did not start on any of 20 display numbers")

    def env(self, **extra: str) -> dict[str, str]:
        """The environment of a child that should open its window on this server."""
        env = {key: value for key, value in os.environ.items()
               if key not in ("SDL_VIDEODRIVER", "SDL_FRAMEBUFFER_ACCELERATION", "WAYLAND_DISPLAY")}
        env.update(DISPLAY=f":{self.display}", SDL_AUDIODRIVER="dummy", PYGAME_HIDE_SUPPORT_PROMPT="1", **extra)
        return env

    def __exit__(self, *exc) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None


def distinct_colours(png: Path) -> int:
    """How many distinct RGB colours a screenshot has (a blank or one-colour frame has 1)."""
    import numpy as np
    from PIL import Image

    pixels = np.asarray(Image.open(png).convert("RGB")).reshape(-1, 3)
    return len(np.unique(pixels, axis=0))
