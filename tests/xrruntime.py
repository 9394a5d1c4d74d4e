"""The OpenXR runtime for tests: Monado built by scripts/setup.sh from ../shared/xr (or XR_RUNTIME_JSON), with
its "remote" driver so a test turns the head, aims and pulls the trigger over TCP (experiences/xr/remote.py).
"""
from __future__ import annotations

import json
import os
import socket
from pathlib import Path
from typing import Callable, TypeVar

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


# Monado's remote driver binds its port in a thread of its own once the runtime loads (r_hub.c, setup_accept_fd);
# when the port is taken it logs this line and carries on without listening: the runtime starts, but nothing a test
# scripts ever reaches it (the headset's connection is refused, or goes to whoever holds the port).
BIND_FAILED = "[setup_accept_fd] bind:"
ATTEMPTS = 4  # starts on fresh ports before a taken port counts as a failure


def free_port() -> int:
    """A port nobody uses now, by the kernel's choice. Only a guess: it is let go so Monado can bind it, and another
    process may take it in between; `run_on_free_port` starts again on a fresh one when that happened."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def remote_environment(folder: Path, port: int | None = None) -> tuple[dict[str, str], int]:
    """Environment variables that load Monado in-process with the remote driver on a port of its own (also given
    as YUEDU_XR_REMOTE_PORT, for the test's headset); its errors, the bind's among them, go to stderr."""
    port = port or free_port()
    config = folder / "monado"
    config.mkdir(parents=True, exist_ok=True)
    (config / "config_v0.json").write_text(json.dumps(
        {"active": "remote", "remote": {"version": 0, "port": port, "view_count": 2}}))
    env = {"XR_RUNTIME_JSON": str(need_runtime()), "XDG_CONFIG_HOME": str(folder),
           "P_OVERRIDE_ACTIVE_CONFIG": "remote", "XRT_LOG": "error", "OXR_DEBUG_LOG": "0", "REMOTE_LOG": "error",
           "YUEDU_XR_REMOTE_PORT": str(port)}
    return env, port


def port_was_taken(stderr: str) -> bool:
    """Whether Monado's remote driver could not bind its port in the run that wrote `stderr`."""
    return BIND_FAILED in stderr


# Monado's headless test build releases its swapchain images' buffer handles, zeroed, as fd 0 (u_handles.c:146),
# from the compositor too: every run logs these closes. Once fd 0 is free, the next file the process opens gets it,
# and a later release can close it under its reader — seen once in a whole suite run, a .pyc being imported.
FD0_CLOSED = "[u_graphics_buffer_unref] close failed"
OUR_FILE_CLOSED = "OSError: [Errno 9] Bad file descriptor"


def runtime_closed_our_file(stderr: str) -> bool:
    """Whether the run that wrote `stderr` failed because the runtime closed a file of ours (not the code under
    test: the kit's runtime is not ours to patch)."""
    return FD0_CLOSED in stderr and OUR_FILE_CLOSED in stderr


R = TypeVar("R")


def run_on_free_port(env: dict[str, str], run: Callable[[dict[str, str]], tuple[R, str]]) -> R:
    """`run(env)` -> (its outcome, the runtime's stderr), started again on a fresh port (the same config folder)
    while Monado says another process took the port between `free_port` and its bind, or the runtime closed a file
    of ours (`runtime_closed_our_file`): such a run says nothing about the code under test. After ATTEMPTS such
    starts the test fails, saying so."""
    for _ in range(ATTEMPTS):
        outcome, stderr = run(env)
        if not port_was_taken(stderr) and not runtime_closed_our_file(stderr):
            return outcome
        fresh, _ = remote_environment(Path(env["XDG_CONFIG_HOME"]))
        env = {**env, **fresh}
    raise AssertionError(f"Monado's remote driver found its port taken, or the runtime closed a file of ours, "
                         f"{ATTEMPTS} times running; last stderr:\n"
                         f"{stderr[-2000:]}")
