"""`safe_extract`: unpack a package zip into a new folder, only after the whole archive has been checked.

Used by kiosk sync and the curator portal; a zip made by "compress folder" (one top folder) is unpacked flat.
"""
from __future__ import annotations

import os
import shutil
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

from experiences.package import MANIFEST_NAME, zip_prefix
from experiences.validation.archive import check_archive
from experiences.validation.limits import Limits, is_junk
from experiences.validation.report import Report

_CHUNK = 1024 * 1024


def safe_extract(zip_path: str | Path, dest: str | Path, limits: Limits = Limits(),
                 require_manifest: bool = True) -> Report:
    """Check the archive, then unpack it into `dest`, which must not exist yet; returns the check's Report.

    Nothing is written unless the archive has no error. Files are written through a temporary sibling folder
    and renamed into place, so `dest` appears complete or not at all. Junk entries (__MACOSX, .DS_Store) are
    left out; file modes are 0644/0755 whatever the zip says.
    """
    zip_path, dest = Path(zip_path), Path(dest)
    report = check_archive(zip_path, limits)
    if dest.exists():
        report.error(dest.name, "", "extract_dest_exists", path=str(dest))
    if not report.ok:
        return report
    with zipfile.ZipFile(zip_path) as zf:
        infos = [i for i in zf.infolist() if not i.is_dir()]
        names = [i.filename for i in infos]
        prefix = zip_prefix(names)
        if require_manifest and prefix + MANIFEST_NAME not in names:
            report.error(MANIFEST_NAME, "", "manifest_missing", found="—")
            return report
        dest.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", suffix=".partial", dir=dest.parent))
        try:
            root = staging.resolve()
            for info in infos:
                if is_junk(info.filename) or not info.filename.startswith(prefix):
                    continue
                relative = PurePosixPath(info.filename[len(prefix):])
                target = staging.joinpath(*relative.parts)
                # Belt and braces: names were already checked, but never write outside the folder.
                if root not in target.resolve().parents:
                    raise ValueError(f"refusing to write outside {staging}: {info.filename}")
                target.parent.mkdir(parents=True, exist_ok=True)
                written = 0
                with zf.open(info) as src, open(target, "xb") as out:
                    while chunk := src.read(_CHUNK):
                        written += len(chunk)
                        if written > info.file_size:  # zipfile caps this too; a lying header stops here
                            raise ValueError(f"{info.filename}: more data than its header declares")
                        out.write(chunk)
                os.chmod(target, 0o644)
            for folder, _dirs, _files in os.walk(staging):
                os.chmod(folder, 0o755)
            os.replace(staging, dest)
        except BaseException as exc:
            shutil.rmtree(staging, ignore_errors=True)
            if isinstance(exc, (ValueError, OSError, zipfile.BadZipFile)):
                report.error(zip_path.name, "", "extract_failed", detail=str(exc))
                return report
            raise
    return report
