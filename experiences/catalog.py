"""The installed packages: bundled `content/` plus the data directory's `packages/`, newest version per id.

Indexing reads only manifests, so the kiosk's attract screen is up before any large data file is opened.
"""
from __future__ import annotations

import logging
from pathlib import Path

from packaging.version import InvalidVersion, Version

from experiences import datadir
from experiences.package import MANIFEST_NAME, Package, PackageError, open_package

log = logging.getLogger(__name__)

REPO_ROOT = Path(__file__).resolve().parent.parent
BUNDLED_CONTENT = REPO_ROOT / "content"


def default_content_dirs() -> list[Path]:
    return [BUNDLED_CONTENT, datadir.installed_packages_dir()]


def _version_key(version: str):
    try:
        return (1, Version(version))
    except InvalidVersion:
        return (0, version)


class Catalog:
    def __init__(self, packages: list[Package]):
        self._by_id: dict[str, Package] = {}
        for package in packages:
            current = self._by_id.get(package.id)
            if current is None or _version_key(package.version) > _version_key(current.version):
                self._by_id[package.id] = package

    @classmethod
    def scan(cls, dirs: list[Path] | None = None) -> "Catalog":
        """Open every package folder or zip directly inside the given folders; unreadable ones are logged."""
        packages = []
        for folder in dirs if dirs is not None else default_content_dirs():
            if not folder.is_dir():
                continue
            for entry in sorted(folder.iterdir()):
                if entry.name.startswith(".") or not ((entry / MANIFEST_NAME).is_file() or entry.suffix == ".zip"):
                    continue
                try:
                    packages.append(open_package(entry))
                except PackageError as exc:
                    log.warning("skipping package: %s", exc)
        return cls(packages)

    def get(self, package_id: str) -> Package | None:
        return self._by_id.get(package_id)

    def all(self) -> list[Package]:
        return sorted(self._by_id.values(), key=lambda p: p.id)

    def playable(self, registry) -> list[Package]:
        """Packages whose kind is installed and has a runner: what the menu shows."""
        out = []
        for package in self.all():
            kind = registry.get(package.kind)
            if kind is not None and kind.playable:
                out.append(package)
        return out

    def __len__(self) -> int:
        return len(self._by_id)
