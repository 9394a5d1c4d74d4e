"""`launcher.py config`: show the kiosk settings in effect and the file they come from."""
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
    if args.json:
        print(json.dumps({"path": str(datadir.config_path()), **config.as_dict()}, ensure_ascii=False, indent=2))
    else:
        print(f"# {datadir.config_path()}")
        print(to_toml(config))
    return 0
