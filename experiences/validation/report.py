"""Validation reports: every problem found in a package, each with file, field, code and params.

Problems render in zh-CN or English with a "how to fix" hint from the `validation.<code>.*` message keys.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from experiences.i18n import catalog, normalize, t

ERROR = "error"
WARNING = "warning"


def _display(value: Any) -> Any:
    """Lists read better as 'a, b, c' inside a sentence than as Python reprs."""
    if isinstance(value, (list, tuple, set, frozenset)):
        return ", ".join(str(v) for v in value) if value else "—"
    return value


def _has_key(key: str, lang: str) -> bool:
    return key in catalog(lang) or key in catalog("zh-CN")


@dataclass(frozen=True)
class Problem:
    """One thing wrong (error) or worth a look (warning) in a package.

    file: the package-relative file it is in ("" for the package as a whole);
    field: where inside that file, e.g. "title.zh-CN" or "content.rounds[3].answer" ("" for the whole file);
    code: a short key; its texts are `validation.<code>.message` and `validation.<code>.fix`.
    """

    file: str
    field: str
    code: str
    params: dict = field(default_factory=dict)
    severity: str = ERROR

    def _values(self, lang: str) -> dict:
        params = dict(self.params)
        if self.code == "schema_type" and isinstance(params.get("expected"), list):
            # JSON Schema type names, said the way curators say them ("文字", "a list").
            params["expected"] = [t(f"validation.type_names.{name}", lang) for name in params["expected"]]
        values = {k: _display(v) for k, v in params.items()}
        values.setdefault("file", self.file)
        values.setdefault("field", self.field)
        return values

    def message(self, lang: str | None = None) -> str:
        lang = normalize(lang)
        key = f"validation.{self.code}.message"
        if _has_key(key, lang):
            return t(key, lang, **self._values(lang))
        # A code without a catalog entry still says what it is and carries its details.
        details = ", ".join(f"{k}={_display(v)}" for k, v in sorted(self.params.items()))
        return t("validation.generic.message", lang, code=self.code, details=details or "—")

    def fix(self, lang: str | None = None) -> str:
        lang = normalize(lang)
        key = f"validation.{self.code}.fix"
        if _has_key(key, lang):
            return t(key, lang, **self._values(lang))
        return t("validation.generic.fix", lang, code=self.code)

    def location(self) -> str:
        if self.file and self.field:
            return f"{self.file} › {self.field}"
        return self.file or self.field or "—"

    def to_dict(self, lang: str | None = None) -> dict:
        return {
            "severity": self.severity,
            "file": self.file,
            "field": self.field,
            "code": self.code,
            "params": {k: (list(v) if isinstance(v, (tuple, set, frozenset)) else v) for k, v in self.params.items()},
            "message": self.message(lang),
            "fix": self.fix(lang),
        }

    def _key(self) -> tuple:
        return (self.severity, self.file, self.field, self.code, json.dumps(self.params, sort_keys=True, default=str))

    # A Problem also reads as the tuple (file, field, code, params): the shape kinds' test doubles record.
    def as_tuple(self) -> tuple:
        return (self.file, self.field, self.code, self.params)

    def __iter__(self):
        return iter(self.as_tuple())

    def __getitem__(self, index):
        return self.as_tuple()[index]

    def __len__(self) -> int:
        return 4

    def __eq__(self, other) -> bool:
        if isinstance(other, tuple):
            return self.as_tuple() == other
        if isinstance(other, Problem):
            return self.as_tuple() == other.as_tuple() and self.severity == other.severity
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._key())


# Problems with where a .zip goes, not with the package: the summary must not call the package unusable.
OUTPUT_ONLY = frozenset({"pack_write_failed"})


class Report:
    """All problems of one validation run; kinds' check hooks add to it with `error()` and `warning()`."""

    def __init__(self, path: str = ""):
        self.path = path
        self.problems: list[Problem] = []
        self.manifest: dict | None = None  # the parsed experience.toml, when it could be read
        self._keys: set[tuple] = set()

    def add(self, problem: Problem) -> None:
        if problem.severity not in (ERROR, WARNING):
            raise ValueError(f"severity must be {ERROR!r} or {WARNING!r}, not {problem.severity!r}")
        key = problem._key()
        if key not in self._keys:
            self._keys.add(key)
            self.problems.append(problem)

    def error(self, file: str, field: str, code: str, **params) -> None:
        self.add(Problem(file=file or "", field=field or "", code=code, params=params, severity=ERROR))

    def warning(self, file: str, field: str, code: str, **params) -> None:
        self.add(Problem(file=file or "", field=field or "", code=code, params=params, severity=WARNING))

    def extend(self, other: "Report") -> None:
        for problem in other.problems:
            self.add(problem)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]

    @property
    def ok(self) -> bool:
        """True when there is no error (warnings do not make a package invalid)."""
        return not self.errors

    def codes(self) -> list[str]:
        return [p.code for p in self.problems]

    def has(self, code: str, file: str | None = None, field: str | None = None) -> bool:
        return any(
            p.code == code and (file is None or p.file == file) and (field is None or p.field == field)
            for p in self.problems
        )

    def to_dict(self, lang: str | None = None) -> dict:
        return {
            "path": self.path,
            "valid": self.ok,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "problems": [p.to_dict(lang) for p in self.problems],
        }

    def render(self, lang: str | None = None) -> str:
        """Human-readable text: one block per problem (severity, file › field, message, how to fix)."""
        lang = normalize(lang)
        lines = []
        for problem in self.problems:
            label = t(f"validation.severity.{problem.severity}", lang)
            lines.append(f"{label}  {problem.location()}")
            lines.append(f"    {problem.message(lang)}")
            lines.append(f"    {t('validation.how_to_fix', lang)}{problem.fix(lang)}")
        key = "validation.summary.valid" if self.ok else "validation.summary.invalid"
        if self.errors and all(p.code in OUTPUT_ONLY for p in self.errors):
            key = "validation.summary.output_failed"  # the package is fine; only writing the .zip failed
        lines.append(t(key, lang, path=self.path, errors=len(self.errors), warnings=len(self.warnings)))
        return "\n".join(lines)
