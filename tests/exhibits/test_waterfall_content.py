"""The bundled e-book waterfall: built by scripts/build_waterfall.py the same as committed, valid, and showing
every other bundled package that runs."""
from __future__ import annotations

import importlib.util
import shutil

import numpy as np
from PIL import Image

from experiences.catalog import Catalog
from experiences.kinds import default_registry
from experiences.package import open_package
from experiences.validation import validate_package

from .helpers import make_context


def load_script(repo_root):
    spec = importlib.util.spec_from_file_location("build_waterfall", repo_root / "scripts" / "build_waterfall.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_build_script_makes_the_committed_manifest_and_a_cover_of_the_wall(repo_root, tmp_path):
    for folder in ("exhibit-book", "exhibit-panorama"):  # the wall's cover shows the packages beside it
        shutil.copytree(repo_root / "content" / folder, tmp_path / folder)
    load_script(repo_root).main(["--out", str(tmp_path)])
    built = tmp_path / "exhibit-waterfall"
    committed = repo_root / "content" / "exhibit-waterfall"
    assert (built / "experience.toml").read_text(encoding="utf-8") == \
        (committed / "experience.toml").read_text(encoding="utf-8")
    cover = np.asarray(Image.open(built / "cover.png").convert("RGB")).astype(int)
    assert cover.shape == (270, 480, 3) and cover.std() > 20
    report = validate_package(built, catalog=Catalog.scan([tmp_path]))
    assert report.ok, report.render("en")


def test_bundled_waterfall_is_valid_and_shows_every_other_bundled_experience(repo_root, tmp_path):
    from experiences.exhibits.waterfall import WaterfallExhibit

    path = repo_root / "content" / "exhibit-waterfall"
    report = validate_package(path)
    assert report.ok and not report.problems, report.render("en")
    package = open_package(path)
    for credit in package.manifest.credits:
        assert credit.license and (path / credit.license_file).is_file()
    catalog = Catalog.scan([repo_root / "content"])
    ctx, _, _ = make_context(tmp_path, size=(640, 360))
    ctx.catalog = catalog
    wall = WaterfallExhibit(package, ctx)
    wall.start()
    try:
        expected = {p.id for p in catalog.playable(default_registry()) if p.kind != "exhibit-waterfall"}
        assert {p.id for p in wall.packages} == expected and len(expected) >= 6
    finally:
        wall.stop("quit")
