"""A private Xvfb server for tests that need a real X11 window (SDL's x11 driver, not the dummy one).

    from tests.xvfb import Xvfb
    with Xvfb() as x:
        subprocess.run([...], env=x.env())   # DISPLAY set, SDL_VIDEODRIVER unset

Xvfb (and xdotool) are installed by scripts/setup.sh, so a missing one is a failure (pytest.fail), never a
silent skip.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest


class Xvfb:
    """Xvfb on a display number it picks itself (-displayfd), so parallel runs and other users never collide.

    `display` is the DISPLAY string (":N"). Usable as a context manager or with start()/stop().
    """

    def __init__(self, size: tuple[int, int] = (1920, 1080), depth: int = 24):
        self.size, self.depth = size, depth
        self.display = ""
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 15.0) -> "Xvfb":
        require_tools("Xvfb")
        read, write = os.pipe()
        self.process = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write), "-screen", "0", f"{self.size[0]}x{self.size[1]}x{self.depth}",
             "-nolisten", "tcp", "-noreset"], pass_fds=(write,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(write)
        deadline = time.monotonic() + timeout
        number = b""
        with os.fdopen(read, "rb") as pipe:
            while not number.endswith(b"\n") and time.monotonic() < deadline:
                chunk = pipe.read(1)
                if not chunk:
                    break
                number += chunk
        if not number.strip():
            self.stop()
            pytest.fail("Xvfb did not start (it wrote no display number)")
        self.display = f":{int(number)}"
        return self

    def env(self, **extra: str) -> dict[str, str]:
        """The environment of a child that should open its window on this server."""
        env = {key: value for key, value in os.environ.items()
               if key not in ("SDL_VIDEODRIVER", "SDL_FRAMEBUFFER_ACCELERATION", "WAYLAND_DISPLAY")}
        env.update(DISPLAY=self.display, SDL_AUDIODRIVER="dummy", PYGAME_HIDE_SUPPORT_PROMPT="1", **extra)
        return env

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def __enter__(self) -> "Xvfb":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def require_tools(*tools: str) -> None:
    """scripts/setup.sh installs these (Debian xvfb, xdotool): one missing is a failure, never a silent skip."""
    missing = [tool for tool in tools if shutil.which(tool) is None]
    if missing:
        pytest.fail(f"{', '.join(missing)} missing: run `bash scripts/setup.sh` (it installs them)")


def distinct_colours(png: Path) -> int:
    """How many distinct RGB colours a screenshot has (a blank or one-colour frame has 1)."""
    import numpy as np
    from PIL import Image

    pixels = np.asarray(Image.open(png).convert("RGB")).reshape(-1, 3)
    return len(np.unique(pixels, axis=0))
