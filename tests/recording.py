"""A stand-in for the validator's report (experiences.validation.Report), for kinds' content checks in tests."""
from __future__ import annotations


class RecordingReport:
    """Records every problem a check reports: `errors` and `warnings` as (file, field, code, params)."""

    def __init__(self):
        self.errors: list[tuple[str, str, str, dict]] = []
        self.warnings: list[tuple[str, str, str, dict]] = []

    def error(self, file, field, code, **params):
        self.errors.append((file, field, code, params))

    def warning(self, file, field, code, **params):
        self.warnings.append((file, field, code, params))

    def codes(self, level: str = "errors") -> list[str]:
        return [entry[2] for entry in getattr(self, level)]
