"""`validate_package`: every check on a package folder or zip, all problems in one Report.

Order: structure (hostile archive / folder) → manifest → kind content schema → kind check hook → assets.
Nothing is unpacked to disk, and nothing is decompressed before the zip's directory has been judged safe.
"""
from __future__ import annotations

import logging
import traceback
from pathlib import Path


import experiences
from experiences.package import MANIFEST_NAME, Manifest, Package, PackageError, PackageSource
from experiences.validation.archive import check_archive, check_folder
from experiences.validation.assets import ASSET_CODES, COVER_EXTENSIONS, check_asset, require_file
from experiences.validation.limits import Limits, is_junk
from experiences.validation.manifest import check_manifest_fields, check_requires, read_manifest, schema_problems
from experiences.validation.report import Report

log = logging.getLogger(__name__)


def _check_structure(path: Path, report: Report, limits: Limits) -> bool:
    """Archive or folder safety; False when the package must not be read any further."""
    if not path.exists():
        report.error(path.name, "", "package_not_found", path=str(path))
        return False
    if path.is_dir():
        check_folder(path, limits, report)
    elif path.is_file():
        check_archive(path, limits, report)
    else:
        report.error(path.name, "", "package_not_found", path=str(path))
        return False
    if report.errors:
        report.warning("", "", "checks_skipped")
        return False
    return True


def _check_kind(raw: dict, package: Package, registry, report: Report) -> None:
    import jsonschema  # ~0.3 s to import: only when a schema is actually checked

    kind_name = raw.get("kind")
    if not isinstance(kind_name, str):
        return
    kind = registry.get(kind_name)
    if kind is None:
        report.error(MANIFEST_NAME, "kind", "kind_unknown", value=kind_name, installed=registry.names())
        return
    cover = raw.get("cover")
    if cover is None and kind.playable:
        report.error(MANIFEST_NAME, "cover", "cover_required")
    try:
        schema = kind.schema
        jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator).check_schema(schema)
    except Exception as exc:  # a kind's broken schema is the kind author's bug, but must not crash validation
        report.error(str(kind.schema_path), "", "kind_schema_invalid", kind=kind_name, detail=str(exc)[:300])
        return
    content = raw.get("content", {})
    if not isinstance(content, dict):
        return  # the manifest schema already reported [content] is not a table
    if schema_problems(content, schema, report, MANIFEST_NAME, prefix=("content",)):
        return  # hooks may rely on schema-valid content
    try:
        check = kind.load_check()
        if check is not None:
            check(package, report)
    except Exception as exc:
        log.error("check hook of kind %s failed:\n%s", kind_name, traceback.format_exc())
        report.error(MANIFEST_NAME, "content", "kind_check_failed", kind=kind_name,
                     detail=f"{type(exc).__name__}: {exc}"[:300])


def _check_references(raw: dict, package: Package, report: Report, limits: Limits, done: set[str]) -> None:
    cover = raw.get("cover")
    if isinstance(cover, str) and cover:
        if require_file(package, report, cover, "cover", kinds=("image",)):
            if Path(cover).suffix.lower() not in COVER_EXTENSIONS:
                report.error(MANIFEST_NAME, "cover", "cover_format", name=cover, expected=list(COVER_EXTENSIONS))
            check_asset(package.source, cover, report, limits, field="")
            done.add(cover)
    credits = raw.get("credits")
    for index, credit in enumerate(credits if isinstance(credits, list) else []):
        if isinstance(credit, dict) and isinstance(credit.get("license_file"), str) and credit["license_file"]:
            require_file(package, report, credit["license_file"], f"credits[{index}].license_file")


def validate_package(path: str | Path, registry=None, limits: Limits = Limits(), catalog=None) -> Report:
    """Check a package folder or .zip completely; returns a Report with every problem found.

    registry: the installed kinds (default: experiences.kinds.default_registry());
    catalog: installed packages for [[requires]] (default: experiences.catalog.Catalog.scan(), only if needed).
    """
    path = Path(path)
    report = Report(str(path))
    if not _check_structure(path, report, limits):
        return report
    if registry is None:
        from experiences.kinds import default_registry

        registry = default_registry()
    try:
        source = PackageSource(path)
    except PackageError as exc:
        report.error(path.name, "", "package_not_found", path=str(exc))
        return report
    with source:
        done: set[str] = set()
        raw = read_manifest(source, report, limits)
        if raw is not None:
            report.manifest = raw
            check_manifest_fields(raw, report, experiences.__version__)
            package = Package(source=source, manifest=Manifest.from_dict(raw))
            _check_references(raw, package, report, limits, done)
            _check_kind(raw, package, registry, report)
            check_requires(raw, report, catalog_factory=lambda: catalog if catalog is not None else _scan_catalog())
        # Every image, sound, JSON and model in the package decodes, referenced or not (once per file).
        # A kind's hook that already decoded a file and said why it fails (…_undecodable, …_corrupt) is not
        # repeated: curators would read the same broken file twice.
        done |= {p.file for p in report.problems if p.code in ASSET_CODES or _says_undecodable(p.code)}
        for name in source.names():
            if name not in done and name != MANIFEST_NAME and not is_junk(name):
                check_asset(source, name, report, limits)
        # JSON that does not parse: the asset check's words (line and column, or "save it as UTF-8") say more
        # than a kind's "the poems file is not JSON", so the kind's is dropped when both name the same file.
        unreadable = {p.file for p in report.problems if p.code in JSON_CODES}
        report.problems[:] = [p for p in report.problems if not (_says_not_json(p.code) and p.file in unreadable)]
    return report


JSON_CODES = frozenset({"json_invalid", "text_not_utf8", "nesting_too_deep"})


def _says_undecodable(code: str) -> bool:
    return code.endswith(("_undecodable", "_corrupt"))


def _says_not_json(code: str) -> bool:
    return code.replace("-", "_").endswith("_not_json")


def _scan_catalog():
    from experiences.catalog import Catalog

    return Catalog.scan()
