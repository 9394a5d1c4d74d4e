"""`launcher.py` with no command: the full-screen kiosk (attract → menu → experience → menu).

`--supervise` runs it under the built-in supervisor; with no display it says how to run instead.
"""
from __future__ import annotations

import os
import sys


def register(subparsers) -> None:
    parser = subparsers.add_parser("kiosk", help="run the kiosk (the default when no command is given)")
    parser.add_argument("--supervise", action="store_true", help="restart the kiosk after a crash or a hang")
    parser.add_argument("--headless", action="store_true", help="no display or sound (tests, soak runs)")
    parser.add_argument("--frames", type=int, default=0, help="stop after N frames (0: run forever)")
    parser.set_defaults(func=run_kiosk_command)


def has_display() -> bool:
    if sys.platform.startswith("linux"):
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True


def run_kiosk_command(args) -> int:
    from experiences.i18n import t

    if not args.headless and not has_display():
        print(t("kiosk.no_display"), file=sys.stderr)
        return 2
    raise SystemExit("kiosk shell not yet wired")  # replaced by the kiosk shell work in progress
