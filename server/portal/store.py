"""The package store: uploads validated by experiences.validation, kept as <sha256>.zip under the server's
data directory, one PackageVersion row per upload."""
from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import Engine
from werkzeug.utils import secure_filename

from server.db import write_transaction
from server.portal.accounts import utcnow
from server.portal.models import PackageVersion
from server.private_files import lock_down, private_dir

_CHUNK = 1024 * 1024


def default_store_dir() -> Path:
    from experiences import datadir

    return datadir.server_dir() / "package-store"


@dataclass
class Ingested:
    """What an upload became: the report (always), and the stored version's row id when it was valid."""

    report: object
    version_id: int | None = None

    @property
    def ok(self) -> bool:
        return self.version_id is not None


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


class PackageStore:
    """Stored package zips, addressed by sha256 only: a name from an upload never becomes a path."""

    def __init__(self, root: Path, engine: Engine):
        self.root = Path(root)
        self.engine = engine
        lock_down(self.root)
        self.clean_incoming()

    def clean_incoming(self) -> int:
        """Remove what uploads of dead processes left in .incoming (a SIGKILL or power cut mid-upload); an
        upload folder is named <pid>-<random>, so another live server process's upload is left alone.
        Folders of this process's own pid are from an earlier process that had it (a container's pid 1)."""
        incoming = self.root / ".incoming"
        gone = 0
        if not incoming.is_dir():
            return gone
        for folder in incoming.iterdir():
            pid_text = folder.name.split("-", 1)[0]
            pid = int(pid_text) if pid_text.isascii() and pid_text.isdigit() and len(pid_text) < 10 else 0
            if pid > 0 and pid != os.getpid() and _alive(pid):
                continue
            if folder.is_dir() and not folder.is_symlink():
                shutil.rmtree(folder, ignore_errors=True)
            else:
                folder.unlink(missing_ok=True)
            gone += 1
        return gone

    def incoming(self, original_name: str) -> Path:
        """A fresh path in the store's private incoming area for an upload's bytes (its name kept for messages)."""
        folder = self.root / ".incoming" / f"{os.getpid()}-{secrets.token_hex(8)}"
        private_dir(self.root / ".incoming")
        folder.mkdir(mode=0o700)
        name = secure_filename(original_name or "") or "package.zip"
        return folder / name

    def path_of(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError("not a sha256")
        return self.root / f"{sha256}.zip"

    def ingest(self, upload: Path, uploaded_by: str, validate=None) -> Ingested:
        """Validate the zip at `upload` (in incoming()); store it as a new version when it has no error."""
        from experiences.validation import validate_package

        try:
            report = (validate or validate_package)(upload)
            if not report.ok:
                return Ingested(report)
            manifest = report.manifest or {}
            sha = sha256_of(upload)
            target = self.path_of(sha)
            size = upload.stat().st_size
            if not target.exists():
                upload.chmod(0o600)  # a zip packed by a build form was made under the umask
                os.replace(upload, target)
            warnings = [p.to_dict("en") | {"message_zh": p.message("zh-CN")} for p in report.warnings]
            with write_transaction(self.engine) as conn:
                version_id = conn.execute(PackageVersion.__table__.insert().values(
                    package_id=str(manifest.get("id", "")), version=str(manifest.get("version", "")),
                    kind=str(manifest.get("kind", "")), title=json.dumps(manifest.get("title", {}), ensure_ascii=False),
                    sha256=sha, size=size, uploaded_by=uploaded_by, uploaded_at=utcnow(),
                    warnings=json.dumps(warnings, ensure_ascii=False, default=str), preview_state="none",
                )).inserted_primary_key[0]
            return Ingested(report, version_id)
        finally:
            shutil.rmtree(upload.parent, ignore_errors=True)

    def preview_path(self, version_id: int) -> Path:
        return self.root / ".previews" / f"{int(version_id)}.png"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # a process of another user has it: not ours to judge
    return True


def version_row(engine: Engine, version_id: int) -> dict | None:
    with engine.connect() as conn:
        row = conn.execute(select(PackageVersion.__table__).where(PackageVersion.id == version_id)).first()
    return _version_dict(row) if row is not None else None


def _version_dict(row) -> dict:
    data = dict(row._mapping)
    data["title"] = json.loads(data["title"] or "{}")
    data["warnings"] = json.loads(data["warnings"] or "[]")
    return data


def list_versions(engine: Engine, package_id: str | None = None) -> list[dict]:
    query = select(PackageVersion.__table__).order_by(PackageVersion.package_id, PackageVersion.id.desc())
    if package_id is not None:
        query = query.where(PackageVersion.package_id == package_id)
    with engine.connect() as conn:
        return [_version_dict(row) for row in conn.execute(query).all()]


def set_preview_state(engine: Engine, version_id: int, state: str) -> None:
    from sqlalchemy import update

    with write_transaction(engine) as conn:
        conn.execute(update(PackageVersion).where(PackageVersion.id == version_id).values(preview_state=state))
