#!/usr/bin/env python3
"""Yuedu's one command line: the kiosk (default), previews, curator tools, the service and its admin.

Each sub-command lives in its own module with `register(subparsers)`; this file only wires them up.
"""
from __future__ import annotations

import argparse
import importlib
import sys

# name -> module with register(subparsers). Imports stay light: heavy libraries load inside run functions.
COMMAND_MODULES = [
    "experiences.commands.kiosk_cmd",
    "experiences.commands.config_cmd",
    "experiences.commands.catalog_cmd",
    "experiences.commands.outbox_cmd",
    "experiences.commands.package_cmd",
    "recitation.commands",
    "server.commands",
    "server.portal.commands",
    "server.catalogue.commands",
    "experiences.commands.sync_cmd",
    "experiences.commands.play_cmd",
    "experiences.commands.shots_cmd",
    "experiences.commands.xr_cmd",
    "experiences.commands.camera_cmd",
]


def build_parser() -> argparse.ArgumentParser:
    from experiences.commands.cli_errors import BilingualArgumentParser

    parser = BilingualArgumentParser(
        prog="launcher.py",
        description="悦读 Yuedu — immersive reading spaces for smart libraries. Without a command: run the kiosk.",
    )
    parser.add_argument("--supervise", action="store_true",
                        help="run the kiosk under a supervisor that restarts it after a crash or a hang")
    parser.add_argument("--headless", action="store_true", help="kiosk without display or sound (tests, soak)")
    parser.add_argument("--frames", type=int, default=0, help="stop the kiosk after N frames (0: run forever)")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module_name in COMMAND_MODULES:
        importlib.import_module(module_name).register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        from experiences.commands.kiosk_cmd import run_kiosk_command

        return run_kiosk_command(args)
    try:
        return int(args.func(args) or 0)
    except Exception as exc:  # the set-up's fault (a path, a port, the database): one clear line, no traceback
        from experiences.commands.cli_errors import explain

        message = explain(exc)
        if message is None:
            raise
        print(message, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
