#!/usr/bin/env python3
"""Cold start of the kiosk to attract-ready (goal ≤ 3 s), beside a bare `python -c "import pygame"` in the
same run. "Ready" is the kiosk's own systemd READY=1, received on a socket this script passes as
$NOTIFY_SOCKET: it is sent after the first attract frame, with every bundled package indexed.

Usage: .venv/bin/python bench/startup.py [--runs 3] [--display]   (--display: a real window under $DISPLAY)
"""
from __future__ import annotations

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GOAL_SECONDS = 3.0


def time_import_pygame() -> float:
    env = dict(os.environ, PYGAME_HIDE_SUPPORT_PROMPT="1")
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import pygame"], check=True, env=env)
    return time.perf_counter() - start


def time_kiosk_ready(headless: bool, timeout: float = 60.0) -> float:
    with tempfile.TemporaryDirectory(prefix="yuedu-startup-") as tmp:
        address = os.path.join(tmp, "notify.sock")
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        listener.bind(address)
        listener.settimeout(timeout)
        env = dict(os.environ, NOTIFY_SOCKET=address, YUEDU_DATA_DIR=os.path.join(tmp, "data"),
                   PYGAME_HIDE_SUPPORT_PROMPT="1")
        command = [sys.executable, str(REPO / "launcher.py"), "kiosk"] + (["--headless"] if headless else [])
        start = time.perf_counter()
        child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            while True:
                message = listener.recv(4096).decode()
                if message.startswith("READY=1"):
                    return time.perf_counter() - start
        finally:
            child.send_signal(signal.SIGTERM)
            try:
                child.wait(15)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
            listener.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--display", action="store_true", help="open a real window instead of SDL dummy")
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    from experiences.catalog import BUNDLED_CONTENT, Catalog

    packages = len(Catalog.scan([BUNDLED_CONTENT]))
    time_import_pygame()  # warm the OS file cache for both, so neither pays the very first disk read
    baseline = [time_import_pygame() for _ in range(args.runs)]
    kiosk = [time_kiosk_ready(headless=not args.display) for _ in range(args.runs)]
    base_s, kiosk_s = statistics.median(baseline), statistics.median(kiosk)
    print(f"bundled packages indexed:            {packages} (in {BUNDLED_CONTENT})")
    print(f"python -c 'import pygame' (median):  {base_s:.3f} s   runs: {', '.join(f'{t:.3f}' for t in baseline)}")
    print(f"kiosk cold start to attract-ready:   {kiosk_s:.3f} s   runs: {', '.join(f'{t:.3f}' for t in kiosk)}")
    print(f"ratio kiosk / import pygame:         {kiosk_s / base_s:.1f}x")
    verdict = "meets" if kiosk_s <= GOAL_SECONDS else "MISSES"
    print(f"goal ≤ {GOAL_SECONDS:.0f} s to attract-ready:          {verdict}")
    return 0 if kiosk_s <= GOAL_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
