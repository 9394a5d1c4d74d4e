"""Which e-books the service can show: the bundled packages of kind `ebook` (content/ beside the service, or the
folders in EBOOK_DIRS) and the ebook packages curators published in the portal (a live publication wins over the
bundled copy of the same id). Books and their EPUBs are made once per package content (a sha256) and kept."""
from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import Engine

from experiences.ebook.book import Book, load_from_package
from experiences.ebook.epub import epub_for_package
from experiences.package import PackageError, open_package

BUNDLED = Path(__file__).resolve().parents[2] / "content"
KIND = "ebook"
CACHED = 8  # books (and their EPUBs) kept in memory: three bundled ones and a few of the curators'


@dataclass(frozen=True)
class Entry:
    package_id: str
    version: str
    path: Path
    digest: str  # what the book and EPUB are cached under


class Library:
    def __init__(self, engine: Engine, folders: list[Path] | None = None, store=None):
        self.engine = engine
        self.folders = [Path(f) for f in (folders if folders is not None else [BUNDLED])]
        self.store = store
        self._lock = threading.Lock()
        self._bundled: dict[str, Entry] | None = None
        self._books: dict[str, tuple[Book, str]] = {}
        self._epubs: dict[str, bytes] = {}

    # ---- finding ------------------------------------------------------------------------------------------
    def bundled(self) -> dict[str, Entry]:
        with self._lock:
            if self._bundled is None:
                found = {}
                for folder in self.folders:
                    for manifest in sorted(folder.glob("*/experience.toml")) if folder.is_dir() else []:
                        try:
                            package = open_package(manifest.parent)
                        except PackageError:
                            continue
                        if package.kind != KIND:
                            continue
                        digest = hashlib.sha256()
                        for name in ("experience.toml", package.manifest.content.get("book", ""),
                                     package.manifest.cover):
                            if name and package.source.exists(name):
                                digest.update(package.source.read_bytes(name))
                        found.setdefault(package.id, Entry(package.id, package.version, manifest.parent,
                                                           digest.hexdigest()))
                self._bundled = found
            return self._bundled

    def published(self) -> dict[str, Entry]:
        """Live portal publications of ebook packages (any target: the reading page is public)."""
        if self.store is None:
            return {}
        from server.portal.models import PackageVersion, Publication

        now = datetime.now(timezone.utc).replace(tzinfo=None)
        query = (select(Publication.package_id, Publication.starts, Publication.ends, PackageVersion.version,
                        PackageVersion.sha256)
                 .join(PackageVersion, PackageVersion.id == Publication.version_id)
                 .where(Publication.active.is_(True), PackageVersion.kind == KIND)
                 .order_by(Publication.id.desc()))
        found: dict[str, Entry] = {}
        with self.engine.connect() as conn:
            for package_id, starts, ends, version, sha256 in conn.execute(query):
                if (starts is not None and starts > now) or (ends is not None and ends <= now):
                    continue
                path = self.store.path_of(sha256)
                if package_id not in found and path.is_file():
                    found[package_id] = Entry(package_id, version, path, sha256)
        return found

    def entries(self) -> dict[str, Entry]:
        return {**self.bundled(), **self.published()}

    def find(self, package_id: str) -> Entry | None:
        return self.published().get(package_id) or self.bundled().get(package_id)

    # ---- reading ------------------------------------------------------------------------------------------
    def book(self, entry: Entry) -> tuple[Book, str]:
        """The book and its cover's file name in the package ("" when it has no PNG cover)."""
        with self._lock:
            cached = self._books.get(entry.digest)
        if cached is None:
            package = open_package(entry.path)
            try:
                cover = package.manifest.cover if package.manifest.cover.lower().endswith(".png") and \
                    package.source.exists(package.manifest.cover) else ""
                cached = (load_from_package(package), cover)
            finally:
                package.source.close()
            with self._lock:
                if len(self._books) >= CACHED:
                    self._books.pop(next(iter(self._books)))
                self._books[entry.digest] = cached
        return cached

    def cover(self, entry: Entry) -> bytes | None:
        _book, name = self.book(entry)
        if not name:
            return None
        package = open_package(entry.path)
        try:
            return package.source.read_bytes(name)
        finally:
            package.source.close()

    def epub(self, entry: Entry) -> bytes:
        with self._lock:
            data = self._epubs.get(entry.digest)
        if data is None:
            package = open_package(entry.path)
            try:
                data = epub_for_package(package)  # deterministic: any process makes the same bytes
            finally:
                package.source.close()
            with self._lock:
                if len(self._epubs) >= CACHED:
                    self._epubs.pop(next(iter(self._epubs)))
                self._epubs[entry.digest] = data
        return data
