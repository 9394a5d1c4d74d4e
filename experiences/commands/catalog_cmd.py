"""`launcher.py list`: the installed packages (bundled content/ and the data directory's packages/)."""
from __future__ import annotations

import json


def register(subparsers) -> None:
    parser = subparsers.add_parser("list", help="list installed content packages")
    parser.add_argument("--json", action="store_true", help="print a JSON array (id, kind, version, title, ...)")
    parser.add_argument("--lang", default="zh-CN", choices=["zh-CN", "en", "zh", "en-US"])
    parser.set_defaults(func=run)


def run(args) -> int:
    from experiences.catalog import Catalog
    from experiences.i18n import normalize
    from experiences.kinds import default_registry

    lang = normalize(args.lang)
    registry = default_registry()
    rows = []
    for package in Catalog.scan().all():
        row = package.summary(lang)
        kind = registry.get(package.kind)
        row["playable"] = bool(kind and kind.playable)
        rows.append(row)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        for row in rows:
            flag = "" if row["playable"] else "  (data)"
            print(f"{row['id']:<40} {row['version']:<8} {row['kind']:<18} {row['title']}{flag}")
    return 0
