"""The contract every statement keeps: the LRS's own validator takes it, and its extension keys are ours."""
from __future__ import annotations

from pathlib import Path

import pytest

from experiences.engagement import EXTENSION_NAMESPACE, EXTENSIONS, Place
from server.xapi.errors import XAPIError
from server.xapi.validate import StatementValidator

CONTENT = Path(__file__).resolve().parents[2] / "content"
# A library whose activity_base is not the project's: extension keys must not follow it.
PLACE = Place(activity_base="https://library.example.cn/yuedu/", library="市图书馆", branch="总馆",
              kiosk_id="kiosk-a1", kiosk_name="大厅一号")


def keep_contract(statements: list[dict]) -> dict[str, set[str]]:
    """Every statement passes the LRS's validator (xAPI 1.0.3) and keys its extensions in our namespace with a
    documented name. Returns {verb: extension names seen in its results} for the callers' own checks."""
    assert statements, "the run reported nothing"
    validator = StatementValidator("1.0")
    seen: dict[str, set[str]] = {}
    for statement in statements:
        try:
            validator.statement(statement)
        except XAPIError as error:
            pytest.fail(f"the LRS refuses a {statement['verb']['display']['en-US']} statement: {error.reason}")
        verb = statement["verb"]["display"]["en-US"]
        for part in ("context", "result"):
            for key in (statement.get(part) or {}).get("extensions", {}):
                assert key.startswith(EXTENSION_NAMESPACE), (verb, part, key)
                name = key[len(EXTENSION_NAMESPACE):]
                assert name in EXTENSIONS, f"{verb} {part} key {name!r} is not in engagement.EXTENSIONS"
                if part == "result":
                    seen.setdefault(verb, set()).add(name)
        context = statement["context"]["extensions"]
        assert context[EXTENSION_NAMESPACE + "kiosk"] == "kiosk-a1" and context[EXTENSION_NAMESPACE + "branch"] == "总馆"
    return seen


def verbs(statements: list[dict]) -> list[str]:
    return [s["verb"]["display"]["en-US"] for s in statements]
