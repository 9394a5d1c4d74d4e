"""A kind's check hook reading the JSON file its manifest names in [content] (poems, idioms, a book): the one
place that says "named but not there" or "not JSON", so each kind reports it in its own words."""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ContentFile:
    name: str  # the file's path in the package ("" when [content] names none: the schema reported that)
    data: Any = None  # the parsed JSON, when it could be read
    missing: bool = False  # named, but not in the package
    not_json: str = ""  # why it is not JSON (not UTF-8, or the parser's message)

    @property
    def ok(self) -> bool:
        return bool(self.name) and not self.missing and not self.not_json


def read_content_json(package, field: str) -> ContentFile:
    name = package.manifest.content.get(field)
    if not isinstance(name, str):
        return ContentFile("")
    if not package.source.exists(name):
        return ContentFile(name, missing=True)
    try:
        return ContentFile(name, json.loads(package.source.read_text(name)))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return ContentFile(name, not_json=str(exc) or type(exc).__name__)
