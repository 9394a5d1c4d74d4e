"""The one JSON reader of the service's endpoints outside /xapi (share uploads, heartbeats, builder forms):
UTF-8, no NaN or Infinity, at most `max_bytes` and `max_depth` levels, or a JSONBodyError naming the problem.

Depth is measured before parsing, so a 50,000-deep nest costs one linear scan and never reaches the
recursive parser (whose RecursionError would be a 500). /xapi has its own stricter reader (server/xapi/protocol.py).
"""
from __future__ import annotations

import json
import re

MAX_BYTES = 64 * 1024
MAX_DEPTH = 16
# Strings (with their escapes) are skipped: a "[" inside one is text, not nesting.
_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)


class JSONBodyError(ValueError):
    """What is wrong with a JSON body, in words fit for a 400 answer."""


def nesting_depth(text: str, stop_after: int | None = None) -> int:
    """The deepest nesting of arrays and objects in JSON text (0 for a scalar); stops early past stop_after."""
    depth = deepest = 0
    for match in _TOKENS.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if stop_after is not None and deepest > stop_after:
                    break
        elif token in "]}":
            depth -= 1
    return deepest


def _no_constants(name: str):
    raise ValueError(f"{name} is not a JSON number")


def read_json(data: bytes | str, what: str = "the body", *, max_bytes: int = MAX_BYTES, max_depth: int = MAX_DEPTH):
    """The JSON value in `data`, or JSONBodyError("<what> is …")."""
    size = len(data.encode("utf-8")) if isinstance(data, str) else len(data)
    if size > max_bytes:
        raise JSONBodyError(f"{what} is larger than {max_bytes // 1024} KB")
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise JSONBodyError(f"{what} is not UTF-8 (byte {exc.start})") from None
    if nesting_depth(data, stop_after=max_depth) > max_depth:
        raise JSONBodyError(f"{what} is nested more than {max_depth} levels deep")
    try:
        return json.loads(data, parse_constant=_no_constants)
    except (ValueError, RecursionError) as exc:
        raise JSONBodyError(f"{what} is not valid JSON: {exc}") from None
