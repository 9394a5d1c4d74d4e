"""`pack_package`: a deterministic zip of a package folder, written only if the folder and the zip validate.

Same files in → same bytes out: sorted names, fixed timestamps and modes, junk (.git, .DS_Store …) left out.
"""
from __future__ import annotations

import contextlib
import os
import zipfile
from pathlib import Path

from experiences.validation.archive import check_archive, package_files
from experiences.validation.limits import Limits
from experiences.validation.report import Report
from experiences.validation.validate import validate_package

FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip can hold
# Already compressed: deflating them again only costs time.
STORE_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp", ".gif", ".ogg", ".oga", ".mp3", ".flac", ".glb", ".zip",
                  ".mp4", ".webm", ".ogv", ".woff", ".woff2"}


def _write_zip(folder: Path, names: list[str], out: Path, stored: set[str]) -> None:
    with zipfile.ZipFile(out, "w") as zf:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            plain = Path(name).suffix.lower() in STORE_SUFFIXES or name in stored
            info.compress_type = zipfile.ZIP_STORED if plain else zipfile.ZIP_DEFLATED
            with open(folder.joinpath(*name.split("/")), "rb") as src, zf.open(info, "w") as dst:
                while chunk := src.read(1024 * 1024):
                    dst.write(chunk)


def pack_package(folder: str | Path, out: str | Path, registry=None, limits: Limits = Limits(),
                 catalog=None) -> Report:
    """Validate `folder`, then write `out` (a .zip); nothing is written when the report has an error."""
    folder, out = Path(folder), Path(out)
    report = validate_package(folder, registry=registry, limits=limits, catalog=catalog)
    if not folder.is_dir():
        if not report.has("package_not_found"):
            report.error(folder.name, "", "pack_not_folder", path=str(folder))
        return report
    if not report.ok:
        return report
    out_resolved = out.resolve()
    names = [n for n in package_files(folder) if folder.joinpath(*n.split("/")).resolve() != out_resolved]
    partial = out.with_name(out.name + ".partial")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        _write_zip(folder, names, partial, stored=set())
        # Highly compressible files (silence, padding) would look like a zip bomb: store those uncompressed.
        with zipfile.ZipFile(partial) as zf:
            too_dense = {i.filename for i in zf.infolist()
                         if i.file_size and i.file_size > limits.max_ratio * max(i.compress_size, 1)}
        if too_dense:
            _write_zip(folder, names, partial, stored=too_dense)
        archive = check_archive(partial, limits)
        if not archive.ok:
            report.extend(archive)
            report.error(out.name, "", "pack_output_invalid")
            partial.unlink(missing_ok=True)
            return report
        os.replace(partial, out)
    except OSError as exc:
        with contextlib.suppress(OSError):  # the folder itself may be what failed
            partial.unlink(missing_ok=True)
        report.error(out.name, "", "pack_write_failed", detail=str(exc))
    return report
