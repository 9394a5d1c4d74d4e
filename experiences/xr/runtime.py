"""Which OpenXR runtime this machine has: the manifest the OpenXR loader would pick, read without loading it.

The loader's order (OpenXR loader spec, Linux): `XR_RUNTIME_JSON`, then `openxr/1/active_runtime.json` under
`$XDG_CONFIG_HOME` (default ~/.config), each of `$XDG_CONFIG_DIRS` (default /etc/xdg), then /etc. SteamVR,
Monado, WiVRn and ALVR each write that file when made the active runtime. Pure: no OpenXR library is loaded.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

ACTIVE = Path("openxr") / "1" / "active_runtime.json"


@dataclass(frozen=True)
class RuntimeManifest:
    path: Path
    name: str  # the manifest's runtime name ("Monado", "SteamVR", "WiVRn"); its file name when it has none
    library: Path

    @property
    def exists(self) -> bool:
        return self.library.is_file()


def candidate_paths(environ: dict[str, str] | None = None) -> list[Path]:
    env = os.environ if environ is None else environ
    paths = []
    if env.get("XR_RUNTIME_JSON"):
        paths.append(Path(env["XR_RUNTIME_JSON"]))
    config_home = env.get("XDG_CONFIG_HOME") or (str(Path(env["HOME"]) / ".config") if env.get("HOME") else "")
    if config_home:
        paths.append(Path(config_home) / ACTIVE)
    for folder in (env.get("XDG_CONFIG_DIRS") or "/etc/xdg").split(":"):
        if folder:
            paths.append(Path(folder) / ACTIVE)
    paths.append(Path("/etc") / ACTIVE)
    return paths


def read_manifest(path: Path) -> RuntimeManifest | None:
    """The runtime a manifest names, or None when the file is missing or not a runtime manifest."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        runtime = data["runtime"]
        raw = str(runtime["library_path"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    library = Path(raw)
    if not library.is_absolute() and "/" in raw:  # "./lib.so": relative to the manifest; a bare name: ld's search
        library = Path(path).resolve().parent / library
    name = runtime.get("name") or Path(path).stem
    return RuntimeManifest(Path(path), str(name), library)


def find_runtime(environ: dict[str, str] | None = None) -> RuntimeManifest | None:
    """The active runtime's manifest, as the loader would find it; None: no OpenXR runtime is installed."""
    for path in candidate_paths(environ):
        if path.is_file():
            manifest = read_manifest(path)
            if manifest is not None:
                return manifest
    return None
