"""Curator tools: `validate PATH`, `pack FOLDER -o OUT.zip`, `schemas -o DIR` (manifest and kinds' schemas)."""
from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

LANG_CHOICES = ["zh", "zh-CN", "en"]


def register(subparsers) -> None:
    validate = subparsers.add_parser("validate", help="check a content package folder or .zip (exit 1 on any error)")
    validate.add_argument("path", help="package folder or .zip")
    validate.add_argument("--lang", choices=LANG_CHOICES, default=None, help="message language (default: zh)")
    validate.add_argument("--json", action="store_true", help="print the report as JSON")
    validate.set_defaults(func=run_validate)

    pack = subparsers.add_parser("pack", help="write a deterministic .zip of a package folder that validates")
    pack.add_argument("folder", help="package folder (with experience.toml)")
    pack.add_argument("-o", "--output", required=True, help="the .zip to write")
    pack.add_argument("--lang", choices=LANG_CHOICES, default=None, help="message language (default: zh)")
    pack.set_defaults(func=run_pack)

    schemas = subparsers.add_parser("schemas", help="export the manifest schema and every installed kind's schema")
    schemas.add_argument("-o", "--output", required=True, help="folder to write the .schema.json files into")
    schemas.set_defaults(func=run_schemas)


def run_validate(args) -> int:
    from experiences.i18n import normalize
    from experiences.validation import validate_package

    lang = normalize(args.lang)
    report = validate_package(args.path)
    if args.json:
        print(json.dumps(report.to_dict(lang), ensure_ascii=False, indent=2, default=str))
    else:
        print(report.render(lang))
    return 0 if report.ok else 1


def run_pack(args) -> int:
    from experiences.i18n import normalize, t
    from experiences.validation import pack_package

    lang = normalize(args.lang)
    report = pack_package(args.folder, args.output)
    print(report.render(lang), file=sys.stdout if report.ok else sys.stderr)
    if report.ok:
        print(t("packing.written", lang, path=args.output))
    return 0 if report.ok else 1


def run_schemas(args) -> int:
    from experiences.i18n import t
    from experiences.kinds import default_registry
    from experiences.validation import MANIFEST_SCHEMA_PATH

    out = Path(args.output)
    out.mkdir(parents=True, exist_ok=True)
    written = [out / "manifest.schema.json"]
    shutil.copyfile(MANIFEST_SCHEMA_PATH, written[0])
    for kind in default_registry():
        target = out / f"{kind.name}.schema.json"
        target.write_text(json.dumps(kind.schema, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        written.append(target)
    for path in written:
        print(t("packing.schema_written", path=str(path)))
    return 0
