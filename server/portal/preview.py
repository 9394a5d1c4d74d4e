"""Preview PNGs of uploaded (not installed) packages: `launcher.py play ZIP --headless --frames 30 --screenshot`
in a subprocess with a time limit, so a hostile or broken package cannot hang or crash the server."""
from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
from pathlib import Path

from server.portal.store import PackageStore, set_preview_state, version_row
from server.private_files import private_dir

log = logging.getLogger(__name__)
LAUNCHER = Path(__file__).resolve().parents[2] / "launcher.py"
# One render at a time: a burst of uploads must not start a burst of pygame processes on the server.
_RENDER_SLOTS = threading.Semaphore(1)


def render_preview(package_zip: Path, out_png: Path, timeout: float = 90.0, frames: int = 30) -> bool:
    """Render `package_zip` headless; True when `out_png` was written within `timeout` seconds."""
    private_dir(out_png.parent)
    partial = out_png.with_suffix(".partial.png")
    partial.unlink(missing_ok=True)
    env = dict(os.environ, SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy", PYGAME_HIDE_SUPPORT_PROMPT="1")
    command = [sys.executable, str(LAUNCHER), "play", str(package_zip), "--headless", "--frames", str(frames),
               "--screenshot", str(partial), "--size", "960x540"]
    try:
        done = subprocess.run(command, env=env, capture_output=True, timeout=timeout, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        log.warning("preview of %s took over %s s; given up", package_zip.name, timeout)
        partial.unlink(missing_ok=True)
        return False
    if not partial.is_file() or not partial.read_bytes().startswith(b"\x89PNG"):
        log.warning("preview of %s failed (exit %s): %s", package_zip.name, done.returncode,
                    done.stderr.decode("utf-8", "replace")[-800:])
        partial.unlink(missing_ok=True)
        return False
    partial.chmod(0o600)  # the renderer wrote it under its umask
    os.replace(partial, out_png)
    return True


def preview_version(engine, store: PackageStore, version_id: int, timeout: float = 90.0) -> bool:
    row = version_row(engine, version_id)
    if row is None:
        return False
    set_preview_state(engine, version_id, "rendering")
    with _RENDER_SLOTS:
        ok = render_preview(store.path_of(row["sha256"]), store.preview_path(version_id), timeout)
    set_preview_state(engine, version_id, "ready" if ok else "failed")
    return ok


def start_preview(engine, store: PackageStore, version_id: int, timeout: float = 90.0) -> threading.Thread:
    """Render in the background; the version page shows the PNG once its state is "ready".

    "rendering" is set before the thread starts: the upload's redirect to the version page must already find it
    (and refresh itself), not "no preview" while the thread has not run yet."""
    set_preview_state(engine, version_id, "rendering")
    thread = threading.Thread(target=preview_version, args=(engine, store, version_id, timeout),
                              name=f"preview-{version_id}", daemon=True)
    thread.start()
    return thread
