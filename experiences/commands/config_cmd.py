"""`launcher.py config`: show the kiosk settings in effect and the file they come from, and where lobby screens
open the smart wall (its URL with the token, from server/wall/lobby.py)."""
from __future__ import annotations

import json


def register(subparsers) -> None:
    parser = subparsers.add_parser("config", help="show the kiosk settings (kiosk.toml in the data directory)")
    parser.add_argument("--json", action="store_true", help="print as JSON")
    parser.set_defaults(func=run)


def run(args) -> int:
    from experiences import datadir
    from experiences.config import ConfigError, load_config, to_toml

    try:
        config = load_config()
    except ConfigError as exc:
        print(exc)
        return 1
    from experiences.xr.policy import vr_path
    from experiences.xr.runtime import find_runtime

    import experiences.ebook  # noqa: F401 (its messages)
    from experiences.ebook.links import reading_url
    from experiences.i18n import both as both_languages

    vr = vr_path(config, find_runtime())
    wall = _wall(config.server.url)
    notes = [both(f"server.{note}", **wall["values"]) for note in wall["notes"]]
    if args.json:
        print(json.dumps({"path": str(datadir.config_path()), **config.as_dict(),
                          "wall": {"urls": wall["urls"], "notes": notes}, "vr_path": vr}, ensure_ascii=False, indent=2))
    else:
        print(f"# {datadir.config_path()}")
        print(to_toml(config))
        for url in wall["urls"]:
            print(f"# {both('server.wall_url')}: {url}")
        for note in notes:
            print(f"#   {note}")
        print(f"# VR path / VR 方式: {vr}")
        if reading_url(config, "-") is None:
            print(f"# {both_languages('ebook.no_link_config')}")
    return 0


def both(key: str, **values) -> str:
    from experiences.i18n import both as both_languages, register_catalog_dir

    from server.commands import MESSAGES_DIR

    register_catalog_dir(MESSAGES_DIR)
    return both_languages(key, **values)


def _wall(kiosk_server_url: str) -> dict:
    """The smart wall's URLs with the token; the wall token is made here if the service never ran."""
    from experiences import datadir
    from server.wall.lobby import for_this_machine

    return for_this_machine(datadir.server_dir(), kiosk_server_url)
