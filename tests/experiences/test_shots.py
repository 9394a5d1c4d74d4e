"""experiences.kiosk.shots renders a package's states in a headless kiosk and records what was drawn."""
import os
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")

from experiences.catalog import Catalog
from experiences.kiosk.shots import package_shots
from experiences.package import open_package

CONTENT = Path(__file__).resolve().parents[2] / "content"


def test_a_bundled_game_renders_its_first_state_with_its_texts_recorded(tmp_path):
    package = open_package(CONTENT / "idioms-children")
    catalog = Catalog([package, open_package(CONTENT / "idioms-xinhua")])
    shots = list(package_shots(package, (960, 540), age_band="6-8", data_dir=tmp_path, catalog=catalog))
    assert shots and len({s.state for s in shots}) == len(shots)  # one shot per named state
    first = shots[0]
    assert first.surface.get_size() == (960, 540)
    assert first.log.texts, "the game drew no text the screen checks could see"
    assert all(f.rule in ("size", "latin", "cut", "overlap") for s in shots for f in s.findings)
