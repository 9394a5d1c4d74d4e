"""Hostile-archive and folder-structure checks, done on the zip's directory before anything is unpacked.

Catches path escapes, symlinks, zip bombs (ratio, sizes, counts, overlapping entries), duplicate or
case-colliding names, encrypted or corrupt entries; folders get the same limits and a symlink check.
"""
from __future__ import annotations

import os
import re
import stat
import unicodedata
import zipfile
import zlib
from pathlib import Path

from experiences.validation.limits import JUNK_DIR_NAMES, Limits, is_junk
from experiences.validation.report import Report

_DRIVE = re.compile(r"^[A-Za-z]:")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_SUPPORTED_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
_LOCAL_HEADER_SIZE = 30
_CHUNK = 1024 * 1024


def name_problems(name: str) -> list[str]:
    """Codes for a member name that could escape the package or break on another system."""
    codes = []
    if name.startswith("/") or name.startswith("\\"):
        codes.append("zip_absolute_path")
    if _DRIVE.match(name):
        codes.append("zip_drive_letter")
    if "\\" in name:
        codes.append("zip_backslash")
    parts = re.split(r"[/\\]", name.rstrip("/"))
    if ".." in parts:
        codes.append("zip_parent_segment")
    inner = parts[1:] if codes and codes[0] == "zip_absolute_path" else parts
    if _CONTROL.search(name) or any(p in ("", ".") for p in inner) or not name.strip("/"):
        codes.append("zip_bad_name")
    return codes


def collision_key(name: str) -> str:
    """Two names with one key collide on case-insensitive or Unicode-normalising file systems."""
    return unicodedata.normalize("NFC", name.rstrip("/")).casefold()


def _check_collisions(names: list[str], report: Report) -> None:
    seen: dict[str, str] = {}
    for name in names:
        key = collision_key(name)
        other = seen.get(key)
        if other is None:
            seen[key] = name
        elif other == name:
            report.error(name, "", "zip_duplicate", other=other)
        else:
            report.error(name, "", "zip_case_collision", other=other)
    # A file named like a folder another entry lives in cannot be unpacked either.
    folders = {}
    for name in names:
        parts = name.rstrip("/").split("/")
        for i in range(1, len(parts)):
            folders.setdefault(collision_key("/".join(parts[:i])), "/".join(parts[:i]))
    for name in names:
        if not name.endswith("/") and collision_key(name) in folders:
            report.error(name, "", "zip_duplicate", other=folders[collision_key(name)] + "/")


def _check_totals(count: int, total: int, limits: Limits, report: Report) -> None:
    if count > limits.max_files:
        report.error("", "", "too_many_files", count=count, limit=limits.max_files)
    if total > limits.max_total_bytes:
        report.error("", "", "total_too_large", size=_mb(total), limit=_mb(limits.max_total_bytes))


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def _raw_name_length(info: zipfile.ZipInfo) -> int:
    encoding = "utf-8" if info.flag_bits & 0x800 else "cp437"
    try:
        return len(info.orig_filename.encode(encoding))
    except UnicodeEncodeError:
        return len(info.orig_filename.encode("utf-8"))


def _check_entry(info: zipfile.ZipInfo, limits: Limits, report: Report) -> None:
    name = info.orig_filename
    for code in name_problems(name):
        report.error(name, "", code)
    mode = info.external_attr >> 16
    if info.create_system == 3 and stat.S_ISLNK(mode):
        report.error(name, "", "zip_symlink")
    elif info.create_system == 3 and stat.S_IFMT(mode) not in (0, stat.S_IFREG, stat.S_IFDIR):
        report.error(name, "", "special_file")
    if info.flag_bits & 0x1:
        report.error(name, "", "zip_encrypted")
    if info.compress_type not in _SUPPORTED_METHODS:
        report.error(name, "", "zip_unsupported_method", method=info.compress_type)
    if info.file_size > limits.max_file_bytes:
        report.error(name, "", "file_too_large", size=_mb(info.file_size), limit=_mb(limits.max_file_bytes))
    if info.file_size > 0:
        ratio = info.file_size / info.compress_size if info.compress_size else float("inf")
        if ratio > limits.max_ratio:
            shown = "∞" if ratio == float("inf") else f"{ratio:.0f}"
            report.error(name, "", "zip_ratio", ratio=shown, limit=f"{limits.max_ratio:g}")


def _check_overlaps(zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo], report: Report) -> None:
    """Entries whose data overlap (the 'overlapping files' zip bomb) or run into the central directory."""
    ordered = sorted(infos, key=lambda i: i.header_offset)
    end_of_data = getattr(zf, "start_dir", None)
    for index, info in enumerate(ordered):
        end = info.header_offset + _LOCAL_HEADER_SIZE + _raw_name_length(info) + info.compress_size
        limit = ordered[index + 1].header_offset if index + 1 < len(ordered) else end_of_data
        if limit is not None and end > limit:
            report.error(info.orig_filename, "", "zip_overlapping")


def _verify_data(zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo], report: Report) -> None:
    """Decompress each entry in chunks, keeping nothing, to catch bad CRCs and truncated data."""
    for info in infos:
        if info.is_dir():
            continue
        try:
            with zf.open(info) as stream:
                while stream.read(_CHUNK):
                    pass
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, RuntimeError,
                NotImplementedError) as exc:
            report.error(info.orig_filename, "", "zip_entry_corrupt", detail=str(exc))


def open_zip(zip_path: str | Path, report: Report) -> zipfile.ZipFile | None:
    try:
        return zipfile.ZipFile(zip_path)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, KeyError,
            NotImplementedError) as exc:  # NotImplementedError: a directory claiming a future zip version
        report.error(Path(zip_path).name, "", "zip_corrupt", detail=str(exc) or type(exc).__name__)
        return None


def check_archive(zip_path: str | Path, limits: Limits = Limits(), report: Report | None = None,
                  verify_data: bool = True) -> Report:
    """Check a zip's directory (and, if that is safe, its data) without writing anything to disk."""
    report = report if report is not None else Report(str(zip_path))
    zf = open_zip(zip_path, report)
    if zf is None:
        return report
    with zf:
        infos = zf.infolist()
        errors_before = len(report.errors)
        for info in infos:
            _check_entry(info, limits, report)
        files = [i for i in infos if not i.is_dir()]
        _check_totals(len(files), sum(i.file_size for i in files), limits, report)
        _check_collisions([i.orig_filename for i in infos], report)
        _check_overlaps(zf, infos, report)
        junk = [i.orig_filename for i in files if is_junk(i.orig_filename)]
        if junk:
            report.warning("", "", "junk_files", count=len(junk), example=junk[0])
        # Only decompress once the directory says every entry is bounded and named safely.
        if verify_data and len(report.errors) == errors_before:
            _verify_data(zf, infos, report)
    return report


def check_folder(folder: str | Path, limits: Limits = Limits(), report: Report | None = None) -> Report:
    """Symlinks, special files, awkward names and the size limits, for a package folder."""
    folder = Path(folder)
    report = report if report is not None else Report(str(folder))
    names: list[str] = []
    total = 0
    junk = 0
    for root, dirs, files in os.walk(folder, followlinks=False):
        rel_root = Path(root).relative_to(folder).as_posix()
        prefix = "" if rel_root == "." else rel_root + "/"
        kept_dirs = []
        for d in sorted(dirs):
            if d in JUNK_DIR_NAMES or d.startswith("."):
                junk += 1
                continue
            if (Path(root) / d).is_symlink():
                report.error(prefix + d, "", "folder_symlink")
                continue
            kept_dirs.append(d)
        dirs[:] = kept_dirs
        for f in sorted(files):
            name = prefix + f
            if is_junk(name):
                junk += 1
                continue
            path = Path(root) / f
            if path.is_symlink():
                report.error(name, "", "folder_symlink")
                continue
            info = path.lstat()
            if not stat.S_ISREG(info.st_mode):
                report.error(name, "", "special_file")
                continue
            for code in name_problems(name):
                report.error(name, "", code)
            if info.st_size > limits.max_file_bytes:
                report.error(name, "", "file_too_large", size=_mb(info.st_size), limit=_mb(limits.max_file_bytes))
            names.append(name)
            total += info.st_size
        if len(names) > limits.max_files:
            break  # already over the limit: walking a huge tree further only costs time
    _check_totals(len(names), total, limits, report)
    _check_collisions(names, report)
    if junk:
        report.warning("", "", "junk_files", count=junk, example="")
    return report


def package_files(folder: str | Path) -> list[str]:
    """The files a folder package consists of (sorted POSIX paths): no junk, no symlinks, no special files."""
    folder = Path(folder)
    out = []
    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if d not in JUNK_DIR_NAMES and not d.startswith(".")
                         and not (Path(root) / d).is_symlink())
        rel_root = Path(root).relative_to(folder).as_posix()
        prefix = "" if rel_root == "." else rel_root + "/"
        for f in files:
            path = Path(root) / f
            if not is_junk(prefix + f) and not path.is_symlink() and stat.S_ISREG(path.lstat().st_mode):
                out.append(prefix + f)
    return sorted(out)
