"""Kiosk content sync: pull the portal's catalog (ETag), download new versions, verify sha256, unpack with
safe_extract into a new folder, validate, and switch atomically between runs; report versions and health.

Layout under datadir.installed_packages_dir():
    .versions/<id>/<sha256[:16]>/   unpacked versions (hidden: Catalog.scan skips dot-names)
    <id> -> .versions/<id>/<sha>    the active version, a symlink replaced atomically (os.replace)
    .sync-state.json                what sync installed, the catalog's ETag, the last error
A failed, partial or corrupt download never touches the active link: the last-known-good version keeps running.
"""
from __future__ import annotations

import base64
import hashlib
import json
import logging
import os
import re
import secrets
import shutil
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from experiences import datadir
from experiences.periodic import PeriodicTask

log = logging.getLogger(__name__)

ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$")
SHA_RE = re.compile(r"^[0-9a-f]{64}$")
STATE_FILE = ".sync-state.json"
CATALOG_PATH = "/portal/api/kiosk/catalog"
HEARTBEAT_PATH = "/portal/api/kiosk/heartbeat"
_CHUNK = 256 * 1024


class SyncError(Exception):
    """One package could not be brought in; the message says why (logged, reported in the heartbeat)."""


@dataclass
class SyncResult:
    """What one check did: packages staged for the switch, packages to remove, per-package errors."""

    not_modified: bool = False
    staged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)


class ContentSync:
    """Sync with one portal. check() may run on any thread; apply_pending() only when no experience runs."""

    def __init__(self, server_url: str, key: str, secret: str, packages_dir: Path | None = None,
                 timeout: float = 60.0, validate: Callable | None = None):
        self.server_url = server_url.rstrip("/")
        self.auth = "Basic " + base64.b64encode(f"{key}:{secret}".encode("utf-8")).decode("ascii")
        self.root = Path(packages_dir) if packages_dir is not None else datadir.installed_packages_dir()
        self.root.mkdir(parents=True, exist_ok=True)
        self.timeout = timeout
        self._validate = validate
        self._lock = threading.Lock()
        self._staging = threading.Lock()  # held while a version is unpacked: the switch waits for the next frame
        self._pending: dict[str, dict | None] = {}  # id -> entry to switch to, or None to remove
        self.state = self._load_state()
        self._task: PeriodicTask | None = None

    # --- state ----------------------------------------------------------------------------------------
    def _load_state(self) -> dict:
        try:
            state = json.loads((self.root / STATE_FILE).read_text(encoding="utf-8"))
            if isinstance(state, dict) and isinstance(state.get("installed"), dict):
                return state
        except (OSError, ValueError):
            pass
        return {"etag": "", "installed": {}, "last_error": "", "last_sync": 0.0}

    def _save_state(self) -> None:
        partial = self.root / f".{STATE_FILE}.{secrets.token_hex(4)}"
        partial.write_text(json.dumps(self.state, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(partial, self.root / STATE_FILE)

    def installed_versions(self) -> dict[str, str]:
        return {pid: entry["version"] for pid, entry in self.state["installed"].items()}

    def has_pending(self) -> bool:
        with self._lock:
            return bool(self._pending)

    # --- HTTP -----------------------------------------------------------------------------------------
    def _request(self, path: str, data: bytes | None = None, headers: dict | None = None):
        url = path if path.startswith(("http://", "https://")) else self.server_url + path
        request = urllib.request.Request(url, data=data, headers={"Authorization": self.auth, **(headers or {})},
                                         method="POST" if data is not None else "GET")
        return urllib.request.urlopen(request, timeout=self.timeout)

    def fetch_catalog(self) -> list[dict] | None:
        """The published packages for this kiosk, or None when the catalog has not changed (304)."""
        headers = {"If-None-Match": f'"{self.state["etag"]}"'} if self.state.get("etag") else {}
        try:
            with self._request(CATALOG_PATH, headers=headers) as response:
                body = json.loads(response.read())
                etag = (response.headers.get("ETag") or "").strip('"')
        except urllib.error.HTTPError as exc:
            if exc.code == 304:
                return None
            raise
        packages = body.get("packages")
        if not isinstance(packages, list):
            raise SyncError("the catalog has no package list")
        self._catalog_etag = etag
        return packages

    # --- one check ------------------------------------------------------------------------------------
    def check(self) -> SyncResult:
        """Pull the catalog and stage every new version; nothing the kiosk runs is touched here."""
        result = SyncResult()
        try:
            packages = self.fetch_catalog()
        except (OSError, ValueError, SyncError) as exc:
            self.state["last_error"] = f"catalog: {exc}"[:500]
            result.errors["catalog"] = str(exc)
            return result
        if packages is None:
            result.not_modified = True
            return result
        wanted: dict[str, dict] = {}
        for entry in packages:
            pid = entry.get("id") if isinstance(entry, dict) else None
            if not isinstance(pid, str) or not ID_RE.match(pid) or not SHA_RE.match(str(entry.get("sha256", ""))):
                result.errors[str(pid)] = "malformed catalog entry"
                continue
            wanted[pid] = entry
        for pid, entry in wanted.items():
            current = self.state["installed"].get(pid)
            if current is not None and current["sha256"] == entry["sha256"]:
                continue
            with self._staging:
                try:
                    staged = self._stage(pid, entry)
                except (OSError, ValueError, SyncError) as exc:
                    log.warning("sync: %s %s not installed, keeping the last good version: %s",
                                pid, entry.get("version"), exc)
                    result.errors[pid] = str(exc)[:500]
                    continue
                with self._lock:
                    self._pending[pid] = staged
            result.staged.append(pid)
        for pid in self.state["installed"]:
            if pid not in wanted:
                with self._lock:
                    self._pending[pid] = None
                result.removed.append(pid)
        # The ETag is only kept when everything came in: otherwise the next check retries the failures.
        self.state["etag"] = "" if result.errors else getattr(self, "_catalog_etag", "")
        self.state["last_error"] = "; ".join(f"{k}: {v}" for k, v in result.errors.items())[:500]
        self.state["last_sync"] = time.time()
        self._save_state()
        return result

    def _stage(self, pid: str, entry: dict) -> dict:
        """Download, verify, unpack and validate one version into .versions/<id>/<sha16>/."""
        from experiences.validation import safe_extract

        sha = entry["sha256"]
        versions = self.root / ".versions" / pid
        versions.mkdir(parents=True, exist_ok=True)
        folder = versions / sha[:16]
        staged = {"version": str(entry.get("version", "")), "sha256": sha, "dir": f".versions/{pid}/{sha[:16]}"}
        if folder.is_dir() and (folder / ".verified").is_file():
            return staged  # downloaded and validated earlier (e.g. before a restart)
        if folder.exists():
            shutil.rmtree(folder)
        download = versions / f".download-{secrets.token_hex(6)}.zip.partial"
        try:
            self._download(entry["url"], download, sha)
            report = safe_extract(download, folder)
            if not report.ok:
                raise SyncError("unsafe archive: " + ", ".join(report.codes()))
            self._check_unpacked(pid, folder)
            (folder / ".verified").write_text(sha, encoding="utf-8")
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        finally:
            download.unlink(missing_ok=True)
        return staged

    def _download(self, url: str, out: Path, sha: str) -> None:
        digest = hashlib.sha256()
        with self._request(url) as response, open(out, "wb") as handle:
            while chunk := response.read(_CHUNK):
                digest.update(chunk)
                handle.write(chunk)
            handle.flush()
            os.fsync(handle.fileno())
        if digest.hexdigest() != sha:
            raise SyncError(f"sha256 mismatch (got {digest.hexdigest()[:12]}…, expected {sha[:12]}…)")

    def _check_unpacked(self, pid: str, folder: Path) -> None:
        from experiences.validation import validate_package

        report = (self._validate or validate_package)(folder)
        if not report.ok:
            raise SyncError("invalid package: " + ", ".join(report.codes()))
        if (report.manifest or {}).get("id") != pid:
            raise SyncError(f"the package's id is {(report.manifest or {}).get('id')!r}, the catalog says {pid!r}")

    # --- the switch -----------------------------------------------------------------------------------
    def apply_pending(self) -> list[str]:
        """Point each staged package's link at its new version (atomic rename); returns the ids changed.
        Never blocks: while a version is being unpacked it returns [] and the caller tries again later."""
        if not self._staging.acquire(blocking=False):
            return []
        try:
            return self._apply_pending()
        finally:
            self._staging.release()

    def _apply_pending(self) -> list[str]:
        with self._lock:
            pending, self._pending = self._pending, {}
        changed = []
        for pid, staged in pending.items():
            link = self.root / pid
            if link.exists() and not link.is_symlink():
                log.warning("sync: %s is a folder installed by hand; not replaced", link)
                continue
            if staged is None:
                link.unlink(missing_ok=True)
                self.state["installed"].pop(pid, None)
            else:
                temp = self.root / f".{pid}.link-{secrets.token_hex(4)}"
                os.symlink(staged["dir"], temp, target_is_directory=True)
                os.replace(temp, link)  # readers see the old version or the new one, never neither
                self.state["installed"][pid] = staged
            self._prune(pid)
            changed.append(pid)
        if changed:
            self._save_state()
        return changed

    def _prune(self, pid: str) -> None:
        """Remove versions no longer linked (safe now: no experience is running)."""
        keep = (self.state["installed"].get(pid) or {}).get("dir", "")
        with self._lock:
            staged = (self._pending.get(pid) or {}).get("dir", "")
        versions = self.root / ".versions" / pid
        for child in versions.iterdir() if versions.is_dir() else []:
            relative = f".versions/{pid}/{child.name}"
            if relative not in (keep, staged) and not child.name.startswith("."):  # "." = downloads, unpacking
                shutil.rmtree(child, ignore_errors=True)

    # --- heartbeat ------------------------------------------------------------------------------------
    def heartbeat(self, health: dict | None = None) -> bool:
        body = {"content": self.installed_versions(), "health": {
            "last_sync_error": self.state.get("last_error", ""), "pending_switch": self.has_pending(),
            **(health or {})}}
        try:
            with self._request(HEARTBEAT_PATH, json.dumps(body).encode("utf-8"),
                               {"Content-Type": "application/json"}) as response:
                return response.status == 200
        except (OSError, ValueError) as exc:
            log.info("heartbeat not delivered: %s", exc)
            return False

    # --- background -----------------------------------------------------------------------------------
    def start(self, interval: float = 300.0, health: Callable[[], dict] | None = None) -> "ContentSync":
        def check_and_report() -> None:
            self.check()
            self.heartbeat(health() if health else None)

        if self._task is None:  # sync must never take the kiosk down: a failed run is logged and retried
            self._task = PeriodicTask(check_and_report, interval, "yuedu-sync", "content sync").start()
        return self

    def stop(self, timeout: float = 5.0) -> None:
        if self._task is not None:
            self._task.stop(timeout)
            self._task = None
