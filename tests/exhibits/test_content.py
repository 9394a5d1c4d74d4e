"""The bundled exhibit packages: valid manifests and content, checks pass, licences present, binaries small,
and each one runs a few frames offscreen without a blank screen."""
from __future__ import annotations

import jsonschema
import pygame
import pytest

from experiences.catalog import Catalog
from experiences.kinds import KindRegistry
from experiences.package import open_package
from experiences.runtime import create_experience

from .helpers import RecordingReport, advance, make_context, pixels_of

PACKAGES = {"exhibit-treasure": "org.yuedu.exhibits.ding", "exhibit-book": "org.yuedu.exhibits.tangshi-book",
            "exhibit-panorama": "org.yuedu.exhibits.hall"}


@pytest.mark.parametrize("folder", sorted(PACKAGES))
def test_bundled_package_is_valid_and_runs(folder, repo_root, tmp_path):
    path = repo_root / "content" / folder
    package = open_package(path)
    assert package.id == PACKAGES[folder] and package.kind == folder
    registry = KindRegistry.from_entry_points()
    kind = registry.get(package.kind)
    jsonschema.validate(package.manifest.content, kind.schema)
    report = RecordingReport()
    kind.load_check()(package, report)
    assert report.errors == [] and report.warnings == []
    for credit in package.manifest.credits:
        assert credit.license and (path / credit.license_file).is_file()
    assert (path / package.manifest.cover).is_file()
    for file in path.iterdir():
        assert file.stat().st_size <= 300 * 1024, file

    ctx, sink, clock = make_context(tmp_path, size=(640, 360))
    exhibit = create_experience(package, ctx, registry)
    exhibit.start()
    surface = pygame.Surface((640, 360))
    try:
        for _ in range(4):
            advance(exhibit, clock, 1 / 30, steps=1)
            exhibit.draw(surface)
        assert pixels_of(surface).std() > 15
    finally:
        exhibit.stop("quit")
    assert sink.statements[-1]["verb"]["display"]["en-US"] == "progressed"


def test_catalog_lists_the_exhibits_as_playable(repo_root):
    catalog = Catalog.scan([repo_root / "content"])
    playable = {p.id for p in catalog.playable(KindRegistry.from_entry_points())}
    assert set(PACKAGES.values()) <= playable


def test_panorama_hotspots_open_the_other_bundled_exhibits(repo_root):
    hall = open_package(repo_root / "content" / "exhibit-panorama")
    opens = {spot["opens"] for spot in hall.manifest.content["hotspots"] if "opens" in spot}
    assert opens == {"org.yuedu.exhibits.ding", "org.yuedu.exhibits.tangshi-book"}


@pytest.mark.parametrize("folder", sorted(PACKAGES))
def test_bundled_package_runs_from_a_zip_too(folder, repo_root, tmp_path):
    """Curators upload zips: models and fonts are unpacked to the cache, images read straight from the zip."""
    import shutil

    archive = shutil.make_archive(str(tmp_path / folder), "zip", repo_root / "content" / folder)
    package = open_package(archive)
    assert package.source.is_zip
    report = RecordingReport()
    KindRegistry.from_entry_points().get(package.kind).load_check()(package, report)
    assert report.errors == []
    ctx, _, clock = make_context(tmp_path, size=(320, 180))
    exhibit = create_experience(package, ctx)
    exhibit.start()
    surface = pygame.Surface((320, 180))
    try:
        for _ in range(4):
            advance(exhibit, clock, 1 / 30, steps=1)
            exhibit.draw(surface)
        assert pixels_of(surface).std() > 15
    finally:
        exhibit.stop("quit")
