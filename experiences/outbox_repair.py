"""Repairs of statements older kiosks left in the outbox, applied once each when the kiosk starts.

The one repair today, "extension-keys": kiosks before the extension namespace sent result extensions with bare
keys ("attempts") and context extensions as `<activity_base>/extensions/<name>`. The LRS refused the bare keys
(`HTTP 400: statement.result.extensions key 'attempts': must be an absolute IRI`), so every answered statement of
成语论箭 and 成语接龙 and every scored booth take sat in the outbox as a dead letter. Such a statement was never
stored by any LRS, so rewriting its keys into EXTENSION_NAMESPACE and sending it again under the same id is safe.
Pure: no SQLite here (experiences.outbox applies it), so it is tested on plain dicts.
"""
from __future__ import annotations

import re
from urllib.parse import quote

from experiences.engagement import EXTENSION_NAMESPACE, extension_name

EXTENSION_KEYS = "extension-keys"  # the repair's name, recorded per statement in the outbox's repairs table

# The LRS's reason for a statement refused for this cause (server/xapi/validate.py `extensions`), as the sender
# stored it: "HTTP 400: statement.result.extensions key 'attempts': must be an absolute IRI (scheme:...)".
REFUSED_FOR_EXTENSION_KEY = re.compile(r"extensions key .* must be an absolute IRI")
_ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`]+$")  # the validator's IRI rule


def refused_for_extension_key(reason: str | None) -> bool:
    return bool(reason) and REFUSED_FOR_EXTENSION_KEY.search(reason) is not None


def _namespaced(key: str) -> str:
    name = extension_name(key)
    if name is None and not _ABSOLUTE_IRI.match(key):
        name = key  # a bare key, as kinds passed them before
    if name is None:
        return key  # someone else's IRI: not ours to rename
    return EXTENSION_NAMESPACE + quote(name, safe="")


def repair_extension_keys(statement: dict) -> dict | None:
    """The statement with its context and result extension keys in EXTENSION_NAMESPACE, or None when it needs no
    repair (every key already an absolute IRI: the LRS can take it as it is, and it may already hold it)."""
    parts = [statement.get(name) for name in ("context", "result")]
    parts = [part for part in parts if isinstance(part, dict) and isinstance(part.get("extensions"), dict)]
    if not any(not _ABSOLUTE_IRI.match(str(key)) for part in parts for key in part["extensions"]):
        return None
    repaired = dict(statement)
    for name in ("context", "result"):
        part = repaired.get(name)
        if isinstance(part, dict) and isinstance(part.get("extensions"), dict):
            repaired[name] = {**part, "extensions": {_namespaced(str(key)): value
                                                     for key, value in part["extensions"].items()}}
    return repaired
