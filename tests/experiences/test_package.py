"""Reading packages from folders and zips, and indexing the installed ones."""
from __future__ import annotations

import zipfile

import pytest

from experiences.catalog import Catalog
from experiences.package import PackageError, PackageSource, open_package

MANIFEST = """
format = 1
id = "org.example.test.{name}"
version = "{version}"
kind = "test-kind"
engine = ">=0.1"
age_bands = ["6-8"]
cover = "cover.png"
[title]
zh-CN = "测试{name}"
en = "Test {name}"
[content]
data = "data.json"
"""


def write_package(folder, name="a", version="1.0.0"):
    folder.mkdir(parents=True)
    (folder / "experience.toml").write_text(MANIFEST.format(name=name, version=version), encoding="utf-8")
    (folder / "data.json").write_text('{"x": 1}', encoding="utf-8")
    (folder / "sub").mkdir()
    (folder / "sub" / "note.txt").write_text("你好", encoding="utf-8")
    return folder


def test_folder_package(tmp_path):
    package = open_package(write_package(tmp_path / "pkg"))
    assert package.id == "org.example.test.a" and package.kind == "test-kind"
    assert package.manifest.title("en") == "Test a" and package.manifest.title("fr") == "测试a"
    assert package.source.names() == ["data.json", "experience.toml", "sub/note.txt"]
    assert package.source.read_json("data.json") == {"x": 1}
    assert package.manifest.content == {"data": "data.json"}


def test_zip_package_with_top_folder(tmp_path):
    folder = write_package(tmp_path / "pkg")
    archive = tmp_path / "pkg.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in folder.rglob("*"):
            if path.is_file():
                zf.write(path, "pkg/" + path.relative_to(folder).as_posix())
    package = open_package(archive)
    assert package.source.is_zip
    assert package.source.read_text("sub/note.txt") == "你好"
    assert package.source.exists("data.json") and not package.source.exists("nope.json")
    local = package.source.local_path("sub/note.txt")
    assert local.read_text(encoding="utf-8") == "你好"


def test_paths_cannot_escape(tmp_path):
    source = PackageSource(write_package(tmp_path / "pkg"))
    with pytest.raises(PackageError):
        source.read_bytes("../outside.txt")


def test_missing_and_broken_manifest(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(PackageError, match="experience.toml"):
        open_package(tmp_path / "empty")
    broken = write_package(tmp_path / "broken")
    (broken / "experience.toml").write_text('id = "x\n', encoding="utf-8")
    with pytest.raises(PackageError, match="TOML"):
        open_package(broken)


def test_catalog_keeps_newest_version_and_skips_broken(tmp_path):
    write_package(tmp_path / "one" / "a-1", version="1.2.0")
    write_package(tmp_path / "two" / "a-2", version="1.10.0")
    write_package(tmp_path / "two" / "b", name="b")
    (tmp_path / "two" / "junk").mkdir()
    catalog = Catalog.scan([tmp_path / "one", tmp_path / "two", tmp_path / "missing"])
    assert [p.id for p in catalog.all()] == ["org.example.test.a", "org.example.test.b"]
    assert catalog.get("org.example.test.a").version == "1.10.0"
