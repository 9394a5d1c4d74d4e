"""Hostile archives and folders are rejected before anything is unpacked; safe_extract unpacks only safe zips."""
from __future__ import annotations

import os
import re
import stat
import warnings
import zipfile

import pytest
from package_builders import (
    dump_toml, good_manifest, install_hook_module, make_package, patch_central_entry, quiz_registry, write_zip,
    zip_folder,
)

from experiences.catalog import Catalog
from experiences.validation import Limits, check_archive, safe_extract, validate_package

MB = 1024 * 1024
MANIFEST = dump_toml(good_manifest()).encode()


@pytest.fixture
def registry(tmp_path, monkeypatch):
    install_hook_module(tmp_path, monkeypatch)
    return quiz_registry(tmp_path)


@pytest.fixture
def no_decompression(monkeypatch):
    """Fail the test if anything opens a zip member for reading (i.e. starts unpacking)."""
    original = zipfile.ZipFile.open

    def refuse(self, name, mode="r", *args, **kwargs):
        if mode == "r":
            raise AssertionError(f"zip member {name!r} was opened before the archive was judged safe")
        return original(self, name, mode, *args, **kwargs)  # building the test zip is fine

    monkeypatch.setattr(zipfile.ZipFile, "open", refuse)


def _symlink(path):
    info = zipfile.ZipInfo("images/passwd.png")
    info.create_system = 3
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("experience.toml", MANIFEST)
        zf.writestr(info, "/etc/passwd")
    return "images/passwd.png"


def _duplicate(path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about duplicate names; writing one is the point
        with zipfile.ZipFile(path, "w") as zf:
            zf.writestr("experience.toml", MANIFEST)
            zf.writestr("data/questions.json", "{}")
            zf.writestr("data/questions.json", '{"evil": true}')
    return "data/questions.json"


def _encrypted(path):
    write_zip(path, {"experience.toml": MANIFEST, "secret.json": b"{}"})
    patch_central_entry(path, "secret.json", flag_bits=0x1)
    return "secret.json"


def _overlapping(path):
    write_zip(path, {"experience.toml": MANIFEST, "a.json": b"{}" * 50, "b.json": b"[]" * 50})
    with zipfile.ZipFile(path) as zf:
        first = zf.getinfo("a.json").header_offset
    patch_central_entry(path, "b.json", header_offset=first)
    return "a.json"


def _declared_size(size):
    def build(path):
        write_zip(path, {"experience.toml": MANIFEST, "video/huge.bin": b"x" * 1000})
        patch_central_entry(path, "video/huge.bin", file_size=size)
        return "video/huge.bin"
    return build


def _entries(**named):
    def build(path):
        entries = {"experience.toml": MANIFEST}
        entries.update(named["entries"])
        write_zip(path, entries)
        return named["target"]
    return build


HOSTILE = {
    "absolute path": (_entries(entries={"/etc/cron.d/evil": b"x"}, target="/etc/cron.d/evil"), "zip_absolute_path"),
    "parent segment": (_entries(entries={"images/../../evil.sh": b"x"}, target="images/../../evil.sh"),
                       "zip_parent_segment"),
    "leading parent": (_entries(entries={"../evil.txt": b"x"}, target="../evil.txt"), "zip_parent_segment"),
    "backslash": (_entries(entries={"images\\a.png": b"x"}, target="images\\a.png"), "zip_backslash"),
    "backslash parent": (_entries(entries={"..\\..\\evil.txt": b"x"}, target="..\\..\\evil.txt"),
                         "zip_parent_segment"),
    "drive letter": (_entries(entries={"C:/Windows/evil.txt": b"x"}, target="C:/Windows/evil.txt"),
                     "zip_drive_letter"),
    "symlink": (_symlink, "zip_symlink"),
    "ratio bomb": (_entries(entries={"data/zeros.json": b"0" * 300_000}, target="data/zeros.json"), "zip_ratio"),
    "file over 200 MB": (_declared_size(201 * MB), "file_too_large"),
    "duplicate name": (_duplicate, "zip_duplicate"),
    "case collision": (_entries(entries={"Cover.png": b"a", "cover.PNG": b"b"}, target="cover.PNG"),
                       "zip_case_collision"),
    "encrypted entry": (_encrypted, "zip_encrypted"),
    "overlapping entries": (_overlapping, "zip_overlapping"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_archive_rejected_naming_the_entry(tmp_path, registry, no_decompression, case):
    build, code = HOSTILE[case]
    path = tmp_path / "hostile.zip"
    entry = build(path)
    report = validate_package(path, registry=registry, catalog=Catalog([]))
    assert not report.ok
    problems = [p for p in report.problems if p.code == code]
    assert problems, [(p.code, p.file) for p in report.problems]
    assert any(p.file == entry for p in problems)
    for lang in ("zh-CN", "en"):
        assert entry in next(p for p in problems if p.file == entry).message(lang)
    assert report.has("checks_skipped")  # and nothing was unpacked: see the no_decompression fixture


def test_total_over_500_mb_rejected_with_default_limits(tmp_path, no_decompression):
    path = write_zip(tmp_path / "big.zip", {"experience.toml": MANIFEST, "a.bin": b"1" * 1000,
                                            "b.bin": b"2" * 1000, "c.bin": b"3" * 1000})
    for name in ("a.bin", "b.bin", "c.bin"):
        patch_central_entry(path, name, file_size=180 * MB)  # each under 200 MB, together 540 MB
    report = check_archive(path)
    assert report.has("total_too_large") and not report.has("file_too_large")
    assert "540.0 MB" in next(p for p in report.problems if p.code == "total_too_large").message("en")


def test_more_than_10000_files_rejected_with_default_limits(tmp_path, no_decompression):
    entries = {"experience.toml": MANIFEST}
    entries.update({f"data/{i:05d}.txt": b"" for i in range(10_001)})
    report = check_archive(write_zip(tmp_path / "many.zip", entries, compression=zipfile.ZIP_STORED))
    problem = next(p for p in report.problems if p.code == "too_many_files")
    assert problem.params == {"count": 10_002, "limit": 10_000}


@pytest.mark.parametrize("cut", ["truncated", "garbage"])
def test_corrupt_or_truncated_zip_is_rejected(tmp_path, registry, cut):
    good = zip_folder(make_package(tmp_path / "quiz"), tmp_path / "good.zip")
    bad = tmp_path / "bad.zip"
    data = good.read_bytes()
    bad.write_bytes(data[: len(data) // 2] if cut == "truncated" else b"PK\x03\x04" + os.urandom(300))
    report = validate_package(bad, registry=registry, catalog=Catalog([]))
    problem = next(p for p in report.problems if p.code == "zip_corrupt")
    assert problem.file == "bad.zip" and "bad.zip" in problem.message("zh-CN")


def test_zip_needing_a_future_zip_version_is_reported(tmp_path, registry):
    path = write_zip(tmp_path / "future.zip", {"experience.toml": MANIFEST})
    patch_central_entry(path, "experience.toml", extract_version=84)  # "version 8.4 needed to extract"
    report = validate_package(path, registry=registry, catalog=Catalog([]))
    assert [p.code for p in report.errors] == ["zip_corrupt"]


def test_damaged_entry_data_is_found_without_writing_anything(tmp_path, registry):
    good = zip_folder(make_package(tmp_path / "quiz"), tmp_path / "good.zip")
    with zipfile.ZipFile(good) as zf:
        info = zf.getinfo("data/questions.json")
        start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data = bytearray(good.read_bytes())
    for i in range(start + 2, start + min(info.compress_size, 12)):
        data[i] ^= 0xFF
    good.write_bytes(bytes(data))
    report = validate_package(good, registry=registry, catalog=Catalog([]))
    assert any(p.code == "zip_entry_corrupt" and p.file == "data/questions.json" for p in report.problems)


def test_small_limits_apply_to_zips(tmp_path, no_decompression):
    path = write_zip(tmp_path / "p.zip", {"experience.toml": MANIFEST, "a.txt": b"a" * 50, "b.txt": b"b" * 50})
    report = check_archive(path, Limits(max_files=2, max_file_bytes=40, max_total_bytes=90))
    assert {p.code for p in report.problems} == {"too_many_files", "file_too_large", "total_too_large"}
    assert {p.file for p in report.problems if p.code == "file_too_large"} == {"a.txt", "b.txt", "experience.toml"}


def test_junk_entries_are_tolerated_with_a_warning(tmp_path, registry):
    folder = make_package(tmp_path / "quiz")
    path = zip_folder(folder, tmp_path / "mac.zip", top="quiz/")
    with zipfile.ZipFile(path, "a") as zf:  # what macOS "Compress" adds beside the folder
        zf.writestr("quiz/.DS_Store", b"\x00\x00\x00\x01Bud1")
        zf.writestr("__MACOSX/quiz/images/._horse.png", b"\x00\x05\x16\x07 AppleDouble")
    report = validate_package(path, registry=registry, catalog=Catalog([]))
    assert report.ok and [p.code for p in report.problems] == ["junk_files"]
    assert report.problems[0].params["count"] == 2


def test_folder_symlinks_and_special_files_rejected(tmp_path, registry):
    folder = make_package(tmp_path / "quiz")
    (folder / "images" / "link.png").symlink_to(folder / "cover.png")
    (folder / "outside").symlink_to("/etc", target_is_directory=True)
    os.mkfifo(folder / "data" / "pipe.json")
    report = validate_package(folder, registry=registry, catalog=Catalog([]))
    assert {(p.code, p.file) for p in report.errors} == {
        ("folder_symlink", "images/link.png"), ("folder_symlink", "outside"), ("special_file", "data/pipe.json")}
    assert report.has("checks_skipped")


def test_folder_limits_and_case_collisions(tmp_path, registry):
    folder = make_package(tmp_path / "quiz")
    (folder / "images" / "Horse.png").write_bytes((folder / "images" / "horse.png").read_bytes())
    (folder / ".git").mkdir()
    (folder / ".git" / "HEAD").write_text("ref: main\n")
    report = validate_package(folder, registry=registry, catalog=Catalog([]),
                              limits=Limits(max_files=5, max_file_bytes=4000))
    codes = {p.code for p in report.problems}
    assert {"zip_case_collision", "too_many_files", "file_too_large", "junk_files"} <= codes
    assert not any(".git" in p.file for p in report.problems)


def test_safe_extract_unpacks_a_checked_zip_flat_into_a_new_folder(tmp_path, registry):
    folder = make_package(tmp_path / "quiz")
    path = zip_folder(folder, tmp_path / "quiz.zip", top="quiz/")
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr("__MACOSX/quiz/._cover.png", b"junk")
    dest = tmp_path / "installed" / "org.example.library.quiz"
    report = safe_extract(path, dest)
    assert report.ok
    extracted = sorted(p.relative_to(dest).as_posix() for p in dest.rglob("*") if p.is_file())
    assert extracted == sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    assert stat.S_IMODE((dest / "cover.png").stat().st_mode) == 0o644
    assert validate_package(dest, registry=registry, catalog=Catalog([])).problems == []
    assert os.listdir(dest.parent) == [dest.name]  # no staging folder left behind
    again = safe_extract(path, dest)
    assert [p.code for p in again.errors] == ["extract_dest_exists"]


@pytest.mark.parametrize("case", ["parent segment", "ratio bomb", "symlink", "absolute path"])
def test_safe_extract_writes_nothing_for_a_hostile_zip(tmp_path, case):
    build, code = HOSTILE[case]
    path = tmp_path / "hostile.zip"
    build(path)
    out = tmp_path / "out"
    out.mkdir()
    report = safe_extract(path, out / "pkg")
    assert report.has(code) and not report.ok
    assert list(out.iterdir()) == []
    assert not (tmp_path / "evil.txt").exists() and not (tmp_path.parent / "evil.sh").exists()


def test_safe_extract_requires_a_manifest(tmp_path):
    path = write_zip(tmp_path / "nomanifest.zip", {"images/a.txt": b"hello"})
    report = safe_extract(path, tmp_path / "out")
    assert report.has("manifest_missing") and not (tmp_path / "out").exists()


def test_every_name_that_passes_stays_inside_the_package():
    import posixpath

    from hypothesis import given, settings
    from hypothesis import strategies as st

    from experiences.validation.archive import name_problems

    parts = st.sampled_from(["..", ".", "", "a", "b.png", "C:", "\\", "/", "x\\..", "\x00", "目录", " "])

    @settings(max_examples=300, deadline=None, derandomize=True)
    @given(st.lists(parts, min_size=1, max_size=5).map("".join))
    def check(name):
        if not name_problems(name):
            joined = posixpath.normpath(posixpath.join("/dest", name))
            assert joined.startswith("/dest/") and "\\" not in name and not re.match(r"[A-Za-z]:", name)

    check()


def test_damaged_zips_are_reported_never_raised(tmp_path, registry):
    import random

    good = zip_folder(make_package(tmp_path / "quiz"), tmp_path / "good.zip").read_bytes()
    rng = random.Random(20261123)  # fixed: the same 150 damaged zips on every run
    mutated = tmp_path / "mutated.zip"
    for attempt in range(150):
        data = bytearray(good)
        for _ in range(rng.randint(1, 6)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        if attempt % 5 == 0:
            data = data[: rng.randrange(len(data))]
        mutated.write_bytes(bytes(data))
        report = validate_package(mutated, registry=registry, catalog=Catalog([]))
        dest = tmp_path / f"out{attempt}"
        extracted = safe_extract(mutated, dest)
        assert dest.exists() == extracted.ok
        if not report.ok:
            assert not extracted.ok or not report.has("checks_skipped")
