"""`launcher.py sync`: one content sync with the curator portal now (provisioning, or with the kiosk stopped):
pull the catalog, install new versions, switch, send a heartbeat. The running kiosk syncs on its own."""
from __future__ import annotations

import sys


def register(subparsers) -> None:
    parser = subparsers.add_parser("sync", help="sync content from the curator portal once (kiosk not running)")
    parser.set_defaults(func=run)


def run(args) -> int:
    from experiences.config import ConfigError, load_config
    from experiences.sync import ContentSync

    try:
        config = load_config(create=False)
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 1
    if not (config.server.url and config.server.key):
        print("kiosk.toml [server] url/key/secret are not set: nothing to sync with / 未配置服务器，无法同步",
              file=sys.stderr)
        return 1
    sync = ContentSync(config.server.url, config.server.key, config.server.secret)
    result = sync.check()
    changed = sync.apply_pending()
    sync.heartbeat({"kiosk": config.kiosk.name, "via": "launcher sync"})
    for package_id in changed:
        version = sync.installed_versions().get(package_id)
        print(f"{package_id} {version or '(removed)'}")
    for what, error in result.errors.items():
        print(f"{what}: {error}", file=sys.stderr)
    return 1 if result.errors else 0
