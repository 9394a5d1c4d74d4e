"""Manifest checks: experience.toml read, parsed and checked against the published JSON Schema.

JSON Schema errors become problems on dotted fields (`title.zh-CN`, `credits[0].license`) with curator-level codes.
"""
from __future__ import annotations

import json
import re
import tomllib
from functools import lru_cache
from pathlib import Path

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version

from experiences.package import MANIFEST_NAME
from experiences.validation.limits import Limits
from experiences.validation.report import Report

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schemas" / "manifest.schema.json"
SUPPORTED_FORMATS = (1,)

# Pattern failures on these fields get their own codes, so the fix can show the expected shape.
_PATTERN_CODES = {"id": "id_invalid", "version": "version_invalid", "kind": "kind_invalid",
                  "language": "language_invalid", "cover": "path_invalid", "requires.id": "id_invalid",
                  "credits.license_file": "path_invalid"}
_SIMPLE_CODES = {"required": "schema_required", "type": "schema_type", "enum": "schema_enum",
                 "const": "schema_enum", "uniqueItems": "schema_unique", "additionalProperties": "schema_unknown_field",
                 "minimum": "schema_minimum", "maximum": "schema_maximum", "exclusiveMinimum": "schema_minimum",
                 "exclusiveMaximum": "schema_maximum", "maxLength": "schema_too_long", "maxItems": "schema_too_many"}
_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")


@lru_cache(maxsize=1)
def manifest_schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def field_name(path) -> str:
    """['credits', 0, 'license'] -> 'credits[0].license'."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _generic_field(path) -> str:
    return ".".join(str(p) for p in path if not isinstance(p, int))


def schema_problems(instance, schema: dict, report: Report, file: str, prefix: tuple = ()) -> int:
    """Add one problem per JSON Schema error (all of them); returns how many were added."""
    import jsonschema  # ~0.3 s to import: only when a schema is actually checked

    validator_cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
    validator = validator_cls(schema)
    count = 0
    try:
        errors = sorted(validator.iter_errors(instance), key=lambda e: [str(p) for p in e.absolute_path])
    except RecursionError:
        report.error(file, field_name(prefix), "nesting_too_deep")
        return 1
    for error in errors:
        path = tuple(prefix) + tuple(error.absolute_path)
        kind = error.validator
        params: dict = {}
        if kind == "required":
            missing = [p for p in error.validator_value if isinstance(error.instance, dict) and p not in error.instance]
            for name in missing or ["?"]:
                report.error(file, field_name(path + (name,)), "schema_required", name=name)
                count += 1
            continue
        if kind == "additionalProperties" and isinstance(error.instance, dict):
            allowed = set((error.schema.get("properties") or {}).keys())
            for name in sorted(k for k in error.instance if k not in allowed):
                report.error(file, field_name(path + (name,)), "schema_unknown_field", name=name,
                             allowed=sorted(allowed))
                count += 1
            continue
        if "propertyNames" in error.relative_schema_path:
            report.error(file, field_name(path + (str(error.instance),)), "language_invalid", value=error.instance)
            count += 1
            continue
        code = _SIMPLE_CODES.get(kind)
        if kind == "pattern":
            code = "schema_pattern" if prefix else _PATTERN_CODES.get(_generic_field(path), "schema_pattern")
            params = {"value": error.instance, "pattern": error.validator_value}
        elif kind in ("minLength", "minItems", "minProperties"):
            code = "schema_empty" if error.validator_value <= 1 else "schema_too_few"
            params = {"minimum": error.validator_value}
        elif kind == "type":
            expected = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
            params = {"expected": list(expected), "value": _short(error.instance)}
        elif kind in ("enum", "const"):
            allowed = error.validator_value if kind == "enum" else [error.validator_value]
            params = {"value": _short(error.instance), "allowed": list(allowed)}
        elif code is not None:
            params = {"value": _short(error.instance), "limit": error.validator_value}
        else:
            code = "schema_other"
            params = {"detail": error.message}
        report.error(file, field_name(path), code, **params)
        count += 1
    return count


def _short(value) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
    return text if len(text) <= 60 else text[:57] + "…"


def read_manifest(source, report: Report, limits: Limits) -> dict | None:
    """Parse experience.toml from a PackageSource; reports missing, too big, non-UTF-8 or broken TOML."""
    if not source.exists(MANIFEST_NAME):
        nested = [n for n in source.names() if n.endswith("/" + MANIFEST_NAME)]
        report.error(MANIFEST_NAME, "", "manifest_missing", found=nested[0] if nested else "—")
        return None
    size = source.size(MANIFEST_NAME)
    if size > limits.max_manifest_bytes:
        report.error(MANIFEST_NAME, "", "manifest_too_large", size=size, limit=limits.max_manifest_bytes)
        return None
    data = source.read_bytes(MANIFEST_NAME)
    if not data.strip():
        report.error(MANIFEST_NAME, "", "manifest_empty")
        return None
    if data.startswith(b"\xef\xbb\xbf"):
        report.warning(MANIFEST_NAME, "", "manifest_bom")
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        report.error(MANIFEST_NAME, "", "manifest_not_utf8", line=line, offset=exc.start)
        return None
    try:
        return tomllib.loads(text)
    except RecursionError:
        report.error(MANIFEST_NAME, "", "nesting_too_deep")
        return None
    except tomllib.TOMLDecodeError as exc:
        match = _TOML_POSITION.search(str(exc))
        if match:
            line, column = int(match.group(1)), int(match.group(2))
        else:  # "(at end of document)": a file cut off mid-value
            line, column = text.count("\n") + 1, len(text.rsplit("\n", 1)[-1]) + 1
        detail = _TOML_POSITION.sub("", str(exc)).replace("(at end of document)", "").strip()
        report.error(MANIFEST_NAME, "", "manifest_not_toml", line=line, column=column, detail=detail)
        return None


def check_manifest_fields(raw: dict, report: Report, engine_version: str) -> None:
    """Schema, format, engine range and unknown top-level keys (which are only warned about)."""
    schema = manifest_schema()
    schema_problems(raw, schema, report, MANIFEST_NAME)
    for key in sorted(set(raw) - set(schema["properties"])):
        report.warning(MANIFEST_NAME, key, "manifest_unknown_key", name=key)
    fmt = raw.get("format")
    if isinstance(fmt, int) and not isinstance(fmt, bool) and fmt not in SUPPORTED_FORMATS:
        report.error(MANIFEST_NAME, "format", "format_unsupported", value=fmt, supported=list(SUPPORTED_FORMATS))
    engine = raw.get("engine")
    if isinstance(engine, str) and engine.strip():
        try:
            spec = SpecifierSet(engine)
        except InvalidSpecifier:
            report.error(MANIFEST_NAME, "engine", "engine_invalid", value=engine)
        else:
            if not spec.contains(Version(engine_version), prereleases=True):
                report.error(MANIFEST_NAME, "engine", "engine_unsupported", value=engine, version=engine_version)
    language = raw.get("language")
    titles = raw.get("title")
    # zh-CN titles are required by the schema already; this is for packages in other languages.
    if isinstance(language, str) and language != "zh-CN" and isinstance(titles, dict) and language not in titles:
        report.warning(MANIFEST_NAME, "title", "title_language_missing", language=language)


def check_requires(raw: dict, report: Report, catalog_factory) -> None:
    """Each [[requires]] id must be installed in a version its specifier accepts."""
    requires = raw.get("requires")
    if not isinstance(requires, list) or not requires:
        return
    catalog = None
    for index, req in enumerate(requires):
        if not isinstance(req, dict) or not isinstance(req.get("id"), str):
            continue  # the schema already reported it
        wanted = req.get("version") or ""
        spec = None
        if isinstance(wanted, str) and wanted:
            try:
                spec = SpecifierSet(wanted)
            except InvalidSpecifier:
                report.error(MANIFEST_NAME, f"requires[{index}].version", "requires_version_invalid", value=wanted)
                continue
        catalog = catalog if catalog is not None else catalog_factory()
        installed = catalog.get(req["id"])
        if installed is None:
            report.error(MANIFEST_NAME, f"requires[{index}].id", "requires_missing", id=req["id"],
                         version=wanted or "*")
            continue
        try:
            have = Version(installed.version)
        except InvalidVersion:
            have = None
        if spec is not None and (have is None or not spec.contains(have, prereleases=True)):
            report.error(MANIFEST_NAME, f"requires[{index}].version", "requires_version_mismatch",
                         id=req["id"], version=wanted, installed=installed.version)
