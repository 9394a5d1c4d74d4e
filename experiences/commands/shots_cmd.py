"""`launcher.py shots OUT/`: every screen state of every bundled experience and the kiosk's own screens, at
several window sizes, as PNGs and one HTML contact sheet (OUT/index.html) with what the screen checks found under
each picture — so a curator or designer reviews the whole kiosk in one page. Headless (SDL dummy drivers).

The states come from each kind's `Experience.shot_states()` (experiences.kiosk.shots.package_shots) and the
kiosk's own screens from experiences.kiosk.shell_shots; the page is written by experiences.kiosk.contact_sheet.
"""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

DEFAULT_SIZES = ((1920, 1080), (1280, 720), (1024, 768), (1080, 1920))
KIOSK = "kiosk"  # --packages name for the kiosk's own screens


def register(subparsers) -> None:
    from experiences.commands.play_cmd import parse_size

    parser = subparsers.add_parser(
        "shots", help="render every screen of every experience and of the kiosk into PNGs and an HTML contact sheet")
    parser.add_argument("out", metavar="OUT/", type=Path, help="folder for the PNGs and index.html")
    parser.add_argument("--sizes", type=parse_size, nargs="+", metavar="WxH",
                        help="window sizes (default: 1920x1080 1280x720 1024x768 1080x1920)")
    parser.add_argument("--packages", nargs="+", metavar="ID",
                        help=f"only these installed package ids ({KIOSK!r}: the kiosk's own screens); default: all")
    parser.add_argument("--vr", action="store_true",
                        help="also render the VR mode of every kind that has one (side-by-side stereo)")
    parser.add_argument("--age-band", default="6-8", choices=("3-5", "6-8", "9-12", "13+"),
                        help="the visitor's answer to the age question (default 6-8: pinyin shown)")
    parser.add_argument("--language", choices=("zh-CN", "en"), help="kiosk language (default: kiosk.toml's)")
    parser.add_argument("--seed", type=int, default=1,
                        help="the games' random seed (ctx.services['seed']): every size shows the same round")
    parser.add_argument("--strict", action="store_true", help="exit with 1 when any screen check finds something")
    parser.set_defaults(func=run)


def run(args) -> int:
    os.environ.setdefault("SDL_VIDEODRIVER", "dummy")  # headless: no display, GPU or sound card needed
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
    import experiences.kiosk  # noqa: F401  (registers the kiosk messages)
    from experiences.catalog import Catalog
    from experiences.config import ConfigError, load_config
    from experiences.i18n import set_language, t
    from experiences.kinds import default_registry
    from experiences.kiosk.contact_sheet import ContactSheet

    started = time.perf_counter()
    try:
        config = load_config(create=False)
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 1
    language = args.language or config.kiosk.language
    set_language(language)
    registry = default_registry()
    catalog = Catalog.scan()
    playable = catalog.playable(registry)
    wanted = list(dict.fromkeys(args.packages or [KIOSK] + [p.id for p in playable]))
    by_id = {p.id: p for p in playable}
    unknown = [name for name in wanted if name != KIOSK and name not in by_id]
    if unknown:
        installed = ", ".join([KIOSK] + sorted(by_id))
        print(t("kiosk_shots.unknown", target=", ".join(unknown), installed=installed), file=sys.stderr)
        return 1
    sizes = tuple(args.sizes or DEFAULT_SIZES)
    sheet = ContactSheet(Path(args.out), language, sizes)
    for name in wanted:
        package = by_id.get(name)
        title = t("kiosk_shots.kiosk_title") if package is None else package.manifest.title(language)
        modes = [False] + ([True] if args.vr and package is not None else [])
        for vr in modes:
            sheet.begin(name, title, vr)
            print(t("kiosk_shots.rendering", name=title, id=name, mode=" · VR" if vr else "",
                    sizes=" ".join(f"{w}×{h}" for w, h in sizes)), flush=True)
            for size in sizes:
                if not _render(sheet, name, package, size, vr, args, language, catalog, registry, t):
                    break  # no VR mode: not at the other sizes either
    index = sheet.write(time.perf_counter() - started)
    seconds = time.perf_counter() - started
    print(t("kiosk_shots.done", shots=sheet.count, flagged=sheet.flagged, failed=len(sheet.failures),
            seconds=f"{seconds:.1f}", index=index))
    if sheet.failures:
        return 1
    return 1 if args.strict and sheet.flagged else 0


def _render(sheet, name, package, size, vr, args, language, catalog, registry, t) -> bool:
    """One package (or the kiosk) at one size into the sheet; False when a VR run finds no VR mode."""
    from experiences.kiosk.shell_shots import shell_shots
    from experiences.kiosk.shots import package_shots

    try:
        if package is None:
            shots = shell_shots(size, catalog=catalog, registry=registry, age_band=args.age_band,
                                language=language)
        else:
            shots = package_shots(package, size, age_band=args.age_band, vr=vr, language=language, catalog=catalog,
                                  services={"seed": args.seed})
        for shot in shots:
            if vr and not shot.stereo:
                print(t("kiosk_shots.no_vr", name=package.manifest.title(language)), flush=True)
                sheet.drop(name, vr)
                return False
            sheet.add(shot, vr)
    except Exception as exc:  # noqa: BLE001 — one broken package must not stop the sheet: it is listed there
        message = str(exc) or type(exc).__name__
        sheet.fail(name, size, vr, message)
        print(t("kiosk_shots.failed", name=name, size=f"{size[0]}×{size[1]}", error=message), file=sys.stderr,
              flush=True)
    return True
