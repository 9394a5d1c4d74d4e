"""Content package validation: hostile archives, manifest and kind schemas, cross-references, assets.

Public API: validate_package, Report, Problem, Limits, safe_extract, pack_package, and for kinds' check
hooks `check(package, report)`: report.error/warning(file, field, code, **params), require_file, load_json.
"""
from experiences.validation.archive import check_archive, check_folder
from experiences.validation.assets import FILE_TYPES, file_type, load_json, require_file
from experiences.validation.extract import safe_extract
from experiences.validation.limits import Limits
from experiences.validation.manifest import SCHEMA_PATH as MANIFEST_SCHEMA_PATH
from experiences.validation.manifest import schema_problems
from experiences.validation.pack import pack_package
from experiences.validation.report import ERROR, WARNING, Problem, Report
from experiences.validation.validate import validate_package

__all__ = [
    "ERROR", "FILE_TYPES", "Limits", "MANIFEST_SCHEMA_PATH", "Problem", "Report", "WARNING", "check_archive",
    "check_folder", "file_type", "load_json", "pack_package", "require_file", "safe_extract", "schema_problems",
    "validate_package",
]
