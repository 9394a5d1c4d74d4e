"""Content packages: a read-only view of a package folder or .zip and its parsed `experience.toml`.

Full checking (schemas, assets, hostile archives) lives in `experiences.validation`; this module only reads.
"""
from __future__ import annotations

import hashlib
import io
import json
import tomllib
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from experiences import datadir

MANIFEST_NAME = "experience.toml"
MANIFEST_FORMAT = 1
AGE_BANDS = ("3-5", "6-8", "9-12", "13+", "all")


class PackageError(Exception):
    """A package could not be read at all (no manifest, not TOML, not a folder or zip)."""


def zip_prefix(names: list[str]) -> str:
    """The one top folder a zip made by "compress folder" puts everything under ("" if none).

    macOS adds a `__MACOSX/` folder and hidden files beside it; they do not count as a second top folder.
    """
    if MANIFEST_NAME in names:
        return ""
    tops = {n.split("/", 1)[0] for n in names if "/" in n and not n.startswith(("__MACOSX/", "."))}
    if len(tops) == 1:
        top = tops.pop()
        if f"{top}/{MANIFEST_NAME}" in names:
            return top + "/"
    return ""


class PackageSource:
    """Read-only files of a package, whether it is a folder or a zip; names are POSIX relative paths."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._zip: zipfile.ZipFile | None = None
        self._prefix = ""
        if self.path.is_dir():
            self.is_zip = False
        elif self.path.is_file() and zipfile.is_zipfile(self.path):
            self.is_zip = True
            self._zip = zipfile.ZipFile(self.path)
            self._prefix = self._find_zip_prefix()
        else:
            raise PackageError(f"{self.path}: 不是内容包文件夹或 zip / not a package folder or .zip")

    def _find_zip_prefix(self) -> str:
        return zip_prefix([info.filename for info in self._zip.infolist()])

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()
            self._zip = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def names(self) -> list[str]:
        if self._zip is not None:
            return sorted(
                info.filename[len(self._prefix):]
                for info in self._zip.infolist()
                if info.filename.startswith(self._prefix) and not info.is_dir()
            )
        return sorted(
            p.relative_to(self.path).as_posix() for p in self.path.rglob("*") if p.is_file() and not p.is_symlink()
        )

    def exists(self, name: str) -> bool:
        if self._zip is not None:
            try:
                self._zip.getinfo(self._prefix + name)
                return True
            except KeyError:
                return False
        return self._safe_path(name).is_file()

    def _safe_path(self, name: str) -> Path:
        pure = PurePosixPath(name)
        if pure.is_absolute() or ".." in pure.parts:
            raise PackageError(f"{name}: 路径越出内容包 / path escapes the package")
        return self.path.joinpath(*pure.parts)

    def size(self, name: str) -> int:
        if self._zip is not None:
            return self._zip.getinfo(self._prefix + name).file_size
        return self._safe_path(name).stat().st_size

    def open(self, name: str) -> BinaryIO:
        if self._zip is not None:
            return io.BytesIO(self.read_bytes(name))
        return self._safe_path(name).open("rb")

    def read_bytes(self, name: str) -> bytes:
        if self._zip is not None:
            try:
                return self._zip.read(self._prefix + name)
            except KeyError:
                raise FileNotFoundError(name) from None
        return self._safe_path(name).read_bytes()

    def read_text(self, name: str) -> str:
        # utf-8-sig: Windows Notepad's "UTF-8" starts the file with a BOM; the validator accepts it too
        return self.read_bytes(name).decode("utf-8-sig")

    def read_json(self, name: str):
        return json.loads(self.read_text(name))

    def local_path(self, name: str) -> Path:
        """A real file path for libraries that need one (fonts, glTF); zips are unpacked once into the cache."""
        if self._zip is None:
            return self._safe_path(name)
        digest = hashlib.sha256(str(self.path.resolve()).encode() + str(self.path.stat().st_mtime_ns).encode())
        target = datadir.cache_dir() / "unpacked" / digest.hexdigest()[:16] / PurePosixPath(name)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(target.name + ".part")
            tmp.write_bytes(self.read_bytes(name))
            tmp.replace(target)
        return target


@dataclass(frozen=True)
class Credit:
    name: str
    role: str = ""
    license: str = ""
    license_file: str = ""
    source: str = ""


@dataclass(frozen=True)
class Requirement:
    id: str
    version: str = ""  # a PEP 440 style specifier such as ">=1.0,<2"


@dataclass
class Manifest:
    id: str
    version: str
    kind: str
    format: int = MANIFEST_FORMAT
    engine: str = ""
    titles: dict[str, str] = field(default_factory=dict)
    descriptions: dict[str, str] = field(default_factory=dict)
    age_bands: list[str] = field(default_factory=list)
    cover: str = ""
    language: str = "zh-CN"
    credits: list[Credit] = field(default_factory=list)
    requires: list[Requirement] = field(default_factory=list)
    content: dict = field(default_factory=dict)
    raw: dict = field(default_factory=dict)

    def title(self, lang: str = "zh-CN") -> str:
        return self.titles.get(lang) or self.titles.get("zh-CN") or next(iter(self.titles.values()), self.id)

    def description(self, lang: str = "zh-CN") -> str:
        return self.descriptions.get(lang) or self.descriptions.get("zh-CN") or ""

    @classmethod
    def from_dict(cls, raw: dict) -> "Manifest":
        """Build from parsed TOML; assumes the manifest schema passed (validation reports problems first)."""
        return cls(
            id=str(raw.get("id", "")),
            version=str(raw.get("version", "")),
            kind=str(raw.get("kind", "")),
            format=int(raw.get("format", MANIFEST_FORMAT)) if isinstance(raw.get("format"), int) else MANIFEST_FORMAT,
            engine=str(raw.get("engine", "")),
            titles=dict(raw.get("title", {})) if isinstance(raw.get("title"), dict) else {},
            descriptions=dict(raw.get("description", {})) if isinstance(raw.get("description"), dict) else {},
            age_bands=list(raw.get("age_bands", [])) if isinstance(raw.get("age_bands"), list) else [],
            cover=str(raw.get("cover", "")),
            language=str(raw.get("language", "zh-CN")),
            credits=[Credit(**{k: str(v) for k, v in c.items() if k in Credit.__dataclass_fields__})
                     for c in _list(raw.get("credits")) if isinstance(c, dict) and "name" in c],
            requires=[Requirement(id=str(r.get("id", "")), version=str(r.get("version", "")))
                      for r in _list(raw.get("requires")) if isinstance(r, dict)],
            content=dict(raw.get("content", {})) if isinstance(raw.get("content"), dict) else {},
            raw=raw,
        )


def _list(value) -> list:
    """A manifest value that should be a list; anything else (a curator's typo) counts as empty."""
    return value if isinstance(value, list) else []


def parse_manifest_text(text: str) -> dict:
    """Parse manifest TOML; raises tomllib.TOMLDecodeError with a line number on bad input."""
    return tomllib.loads(text)


@dataclass
class Package:
    """A package ready for the runtime: its files and its manifest."""

    source: PackageSource
    manifest: Manifest

    @property
    def id(self) -> str:
        return self.manifest.id

    @property
    def kind(self) -> str:
        return self.manifest.kind

    @property
    def version(self) -> str:
        return self.manifest.version

    @property
    def path(self) -> Path:
        return self.source.path

    def summary(self, lang: str = "zh-CN") -> dict:
        return {
            "id": self.id,
            "kind": self.kind,
            "version": self.version,
            "title": self.manifest.title(lang),
            "titles": self.manifest.titles,
            "age_bands": self.manifest.age_bands,
            "cover": self.manifest.cover,
            "path": str(self.path),
        }


def open_package(path: str | Path) -> Package:
    """Open a folder or zip and parse its manifest; raises PackageError if there is none or it is not TOML."""
    source = PackageSource(path)
    if not source.exists(MANIFEST_NAME):
        source.close()
        raise PackageError(f"{path}: 缺少 {MANIFEST_NAME} / missing {MANIFEST_NAME}")
    try:
        raw = parse_manifest_text(source.read_text(MANIFEST_NAME))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        source.close()
        raise PackageError(f"{path}/{MANIFEST_NAME}: 不是有效的 TOML / not valid TOML: {exc}") from None
    return Package(source=source, manifest=Manifest.from_dict(raw))
