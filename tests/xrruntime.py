"""The OpenXR runtime for tests: Monado built by scripts/setup.sh from ../shared/xr (or XR_RUNTIME_JSON), with
its "remote" driver so a test turns the head, aims and pulls the trigger over TCP (experiences/xr/remote.py).
"""
from __future__ import annotations

import json
import os
import socket
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / ".cache" / "xr"


def runtime_json() -> Path | None:
    """XR_RUNTIME_JSON when set, else the newest Monado in the set-up's cache; None: no runtime for tests."""
    if os.environ.get("XR_RUNTIME_JSON"):
        path = Path(os.environ["XR_RUNTIME_JSON"])
        return path if path.is_file() else None
    built = sorted(CACHE.glob("monado-*/openxr_monado.json"), key=lambda p: p.stat().st_mtime)
    return built[-1] if built else None


def need_runtime() -> Path:
    path = runtime_json()
    if path is None:
        pytest.skip("no OpenXR runtime: set XR_RUNTIME_JSON or run scripts/setup.sh with ../shared/xr present")
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def remote_environment(folder: Path, port: int | None = None) -> tuple[dict[str, str], int]:
    """Environment variables that load Monado in-process with the remote driver on a port of its own."""
    port = port or free_port()
    config = folder / "monado"
    config.mkdir(parents=True, exist_ok=True)
    (config / "config_v0.json").write_text(json.dumps(
        {"active": "remote", "remote": {"version": 0, "port": port, "view_count": 2}}))
    env = {"XR_RUNTIME_JSON": str(need_runtime()), "XDG_CONFIG_HOME": str(folder),
           "P_OVERRIDE_ACTIVE_CONFIG": "remote", "XRT_LOG": "error", "OXR_DEBUG_LOG": "0"}
    return env, port
