"""Every bundled package validates, and every one whose kind is installed runs headless for 60 frames.

The run goes through the kiosk shell exactly as `launcher.py play ID --headless --frames 60` does.
"""
from __future__ import annotations

import pygame
import pytest

from experiences.catalog import BUNDLED_CONTENT
from experiences.config import KioskConfig
from experiences.engagement import ListSink
from experiences.kinds import default_registry
from experiences.package import open_package
from experiences.validation import validate_package

BUNDLED = sorted(p.name for p in BUNDLED_CONTENT.iterdir() if (p / "experience.toml").is_file())


def test_there_is_bundled_content():
    assert {"idioms-children", "idioms-xinhua", "idiom-chain", "poems-recital"} <= set(BUNDLED)


@pytest.mark.parametrize("folder", BUNDLED)
def test_bundled_package_validates(folder):
    report = validate_package(BUNDLED_CONTENT / folder)
    assert report.ok, report.render("en")


@pytest.mark.parametrize("folder", BUNDLED)
def test_bundled_package_runs_headless_for_60_frames(folder, tmp_path):
    from experiences.kiosk.shell import KioskShell

    package = open_package(BUNDLED_CONTENT / folder)
    kind = default_registry().get(package.kind)
    assert kind is not None, f"{folder}: kind {package.kind!r} is not installed"
    if not kind.playable:
        assert package.kind == "idiom-dictionary"  # the only data-only kind bundled
        return
    sink = ListSink()
    shell = KioskShell(KioskConfig(), only=package, headless=True, size=(960, 540), fullscreen=False,
                       sink=sink, data_dir=tmp_path)
    shot = tmp_path / "shot.png"
    assert shell.run(frames=60, screenshot=str(shot)) == 0, f"{folder} raised; see the log"
    assert shell.frames_drawn == 60
    pixels = pygame.surfarray.array3d(pygame.image.load(str(shot)))
    assert pixels.std() > 5, f"{folder}: the last frame is blank"
    verbs = [s["verb"]["id"].rsplit("/", 1)[-1] for s in sink.statements]
    assert verbs[:2] == ["launched", "initialized"]
