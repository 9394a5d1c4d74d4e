"""`launcher.py play ID|PATH`: run one experience directly (curators' previews, tests, the portal's preview
renderer), from an installed id or a package folder/zip that is not installed; `--headless` needs no display.
"""
from __future__ import annotations

import sys
from pathlib import Path


def register(subparsers) -> None:
    parser = subparsers.add_parser("play", help="run one experience (installed id, or a package folder/.zip)")
    parser.add_argument("target", metavar="ID|PATH", help="an installed package id, or a package folder or .zip")
    parser.add_argument("--headless", action="store_true", help="no display, GPU or sound card needed")
    parser.add_argument("--frames", type=int, default=0, help="stop after N frames (0: when the experience ends)")
    parser.add_argument("--screenshot", metavar="OUT.png", help="save the last frame as a PNG")
    parser.add_argument("--size", type=parse_size, metavar="WxH", help="window size, e.g. 1280x720")
    parser.add_argument("--vr", action="store_true",
                        help='as in a VR corner (kiosk.toml [kiosk] mode = "vr"); a kind without a VR mode runs as usual')
    parser.set_defaults(func=run)


def parse_size(text: str) -> tuple[int, int]:
    import argparse

    from experiences.i18n import both

    import experiences.kiosk  # noqa: F401  (registers the kiosk messages)

    width, sep, height = text.lower().partition("x")
    if not sep or not width.isdigit() or not height.isdigit() or int(width) < 64 or int(height) < 64:
        raise argparse.ArgumentTypeError(both("kiosk_play.bad_size"))
    return int(width), int(height)


def validation_problems(path: Path) -> str:
    """What `experiences.validation` finds wrong, rendered for people; "" when valid."""
    from experiences.i18n import current_language
    from experiences.validation import validate_package

    report = validate_package(path)
    return "" if report.ok else report.render(current_language())


def resolve(target: str):
    """(package, None) or (None, message) for an installed id or a folder/zip path."""
    from experiences.catalog import Catalog
    from experiences.i18n import both, t
    from experiences.package import PackageError, open_package

    path = Path(target)
    if path.exists():
        problems = validation_problems(path)
        if problems:
            return None, t("kiosk_play.invalid", target=target) + "\n" + problems
        try:
            return open_package(path), None
        except PackageError as exc:
            return None, both("kiosk_play.unreadable", error=exc)
    package = Catalog.scan().get(target)
    if package is None:
        return None, both("kiosk_play.not_found", target=target)
    return package, None


def run(args) -> int:
    import experiences.kiosk  # noqa: F401  (registers the kiosk messages)
    from experiences.commands.kiosk_cmd import has_display
    from experiences.config import ConfigError, load_config
    from experiences.i18n import both, set_language, t
    from experiences.kinds import default_registry

    if not args.headless and not has_display():
        print(both("kiosk.no_display"), file=sys.stderr)
        return 2
    try:
        config = load_config(create=False)  # a preview must not write kiosk.toml on a curator's machine
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 1
    set_language(config.kiosk.language)
    package, problem = resolve(args.target)
    if package is None:
        print(problem, file=sys.stderr)
        return 1
    kind = default_registry().get(package.kind)
    if kind is None or not kind.playable:
        print(t("kiosk_play.kind_missing", target=args.target, kind=package.kind), file=sys.stderr)
        return 1
    from experiences.commands.kiosk_cmd import run_shell
    from experiences.kiosk.shell import KioskShell

    size = args.size or (config.kiosk.width, config.kiosk.height)
    shell = KioskShell(config, only=package, headless=args.headless, size=size, fullscreen=False,
                       vr=True if args.vr else None)
    code = run_shell(shell, frames=args.frames, screenshot=args.screenshot)
    if code == 2:
        return code
    outcome = t("kiosk_play.outcome_ok") if code == 0 else t("kiosk_play.outcome_error")
    print(t("kiosk_play.finished", frames=shell.frames_drawn, outcome=outcome))
    times = shell.frame_seconds.summary()
    if times:
        print(t("kiosk_play.frame_times", median=f"{times['median_ms']:.1f}", p95=f"{times['p95_ms']:.1f}",
                worst=f"{times['max_ms']:.1f}", mode="VR" if shell.vr else "2D",
                driver=getattr(shell, "video_driver", "?")))
    return code
