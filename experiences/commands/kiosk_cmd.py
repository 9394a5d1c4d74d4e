"""`launcher.py` with no command: the full-screen kiosk (attract → menu → experience → menu).

`--supervise` runs it under the built-in supervisor; with no display it says how to run instead.
"""
from __future__ import annotations

import argparse
import os
import sys


def register(subparsers) -> None:
    parser = subparsers.add_parser("kiosk", help="run the kiosk (the default when no command is given)")
    # SUPPRESS: the top-level parser has the same options; `launcher.py --headless kiosk` must keep them
    parser.add_argument("--supervise", action="store_true", default=argparse.SUPPRESS,
                        help="restart the kiosk after a crash or a hang")
    parser.add_argument("--headless", action="store_true", default=argparse.SUPPRESS,
                        help="no display or sound (tests, soak runs)")
    parser.add_argument("--frames", type=int, default=argparse.SUPPRESS, help="stop after N frames (0: run forever)")
    parser.add_argument("--screenshot", metavar="OUT.png", help="save the last frame (with --frames)")
    parser.set_defaults(func=run_kiosk_command)


def has_display() -> bool:
    # An explicit SDL driver (kmsdrm, wayland, x11, offscreen) is the operator's choice; "dummy" shows nothing.
    driver = os.environ.get("SDL_VIDEODRIVER", "")
    if driver and driver != "dummy":
        return True
    if sys.platform.startswith("linux"):
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True


def supervised_command(args) -> list[str]:
    """The child command line the supervisor runs: this kiosk, same options, without --supervise."""
    import launcher

    command = [sys.executable, os.path.abspath(launcher.__file__), "kiosk"]
    if args.headless:
        command.append("--headless")
    if args.frames:
        command += ["--frames", str(args.frames)]
    return command


def _setup_logging(name: str) -> None:
    """Rotating `<data>/logs/<name>.log`, one file per process so two never rotate the same one."""
    from experiences.logs import setup_logging

    setup_logging(name=name)


def run_kiosk_command(args) -> int:
    from experiences.i18n import both

    if not args.headless and not has_display():
        print(both("kiosk.no_display"), file=sys.stderr)
        return 2
    from experiences import datadir
    from experiences.config import ConfigError, load_config

    if args.supervise:
        from experiences.kiosk.supervisor import run_supervised

        _setup_logging("supervisor")
        return run_supervised(supervised_command(args), datadir.sub_dir("run") / "kiosk.heartbeat")
    _setup_logging("kiosk")
    try:
        config = load_config()
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 1
    from experiences.kiosk.shell import KioskShell

    screenshot = getattr(args, "screenshot", None)  # `launcher.py --headless` has no --screenshot
    return run_shell(KioskShell(config, headless=args.headless), frames=args.frames, screenshot=screenshot)


def run_shell(shell, **options) -> int:
    """Run a shell; a window that cannot open is the same one clear line as no display (exit 2)."""
    from experiences.i18n import both
    from experiences.kiosk.shell import DisplayUnavailable

    try:
        return shell.run(**options)
    except DisplayUnavailable as exc:
        print(f"{both('kiosk.no_display')} ({exc})", file=sys.stderr)
        return 2
