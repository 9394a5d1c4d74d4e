"""Statement validation per xAPI 1.0.3 and 2.0.0 Data: every rule that makes a statement unacceptable.

Raises XAPIError(400) naming the property path and the rule, e.g. `actor.mbox: must be a mailto: IRI`.
"""
from __future__ import annotations

import re

from server.xapi.datatypes import DURATION_RE, comparable_duration, parse_timestamp  # noqa: F401 (re-exported)
from server.xapi.errors import bad_request

UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-8][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$")
IRI_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`]+$")
LANG_RE = re.compile(r"^(?:[A-Za-z]{2,3}(?:-[A-Za-z]{3}){0,3}|[A-Za-z]{4,8})(?:-[A-Za-z]{4})?"
                     r"(?:-(?:[A-Za-z]{2}|\d{3}))?(?:-(?:[A-Za-z0-9]{5,8}|\d[A-Za-z0-9]{3}))*"
                     r"(?:-[0-9A-WY-Za-wy-z](?:-[A-Za-z0-9]{2,8})+)*(?:-[xX](?:-[A-Za-z0-9]{1,8})+)?$"
                     r"|^[xX](?:-[A-Za-z0-9]{1,8})+$")
SHA1_RE = re.compile(r"^[0-9a-fA-F]{40}$")
VERSION_RE = {"1.0": re.compile(r"^1\.0(\.\d+)?$"), "2.0": re.compile(r"^(1\.0(\.\d+)?|2\.0(\.\d+)?)$")}
VOIDED_VERB = "http://adlnet.gov/expapi/verbs/voided"

STATEMENT_KEYS = {"id", "actor", "verb", "object", "result", "context", "timestamp", "stored", "authority",
                  "version", "attachments", "objectType"}
SUBSTATEMENT_KEYS = {"objectType", "actor", "verb", "object", "result", "context", "timestamp", "attachments"}
AGENT_KEYS = {"objectType", "name", "mbox", "mbox_sha1sum", "openid", "account"}
GROUP_KEYS = AGENT_KEYS | {"member"}
IFIS = ("mbox", "mbox_sha1sum", "openid", "account")
DEFINITION_KEYS = {"name", "description", "type", "moreInfo", "extensions", "interactionType",
                   "correctResponsesPattern", "choices", "scale", "source", "target", "steps"}
INTERACTION_TYPES = {"true-false", "choice", "fill-in", "long-fill-in", "matching", "performance", "sequencing",
                     "likert", "numeric", "other"}
COMPONENTS_FOR = {"choice": {"choices"}, "sequencing": {"choices"}, "likert": {"scale"},
                  "matching": {"source", "target"}, "performance": {"steps"}}
CONTEXT_KEYS = {"registration", "instructor", "team", "contextActivities", "revision", "platform", "language",
                "statement", "extensions"}
CONTEXT_KEYS_2 = CONTEXT_KEYS | {"contextAgents", "contextGroups"}
CONTEXT_ACTIVITY_KEYS = {"parent", "grouping", "category", "other"}
RESULT_KEYS = {"score", "success", "completion", "response", "duration", "extensions"}
ATTACHMENT_KEYS = {"usageType", "display", "description", "contentType", "length", "sha2", "fileUrl"}


# Strings already found valid (bounded; a set lookup is cheaper than the regular expression).
_KNOWN_IRIS: set[str] = set()
_KNOWN_TAGS: set[str] = set()


class StatementValidator:
    """Validates one statement for a version family ("1.0" or "2.0")."""

    def __init__(self, version: str = "1.0"):
        self.version = version

    # -- helpers -----------------------------------------------------------------------------------------
    @staticmethod
    def fail(path: str, rule: str):
        raise bad_request(f"{path}: {rule}")

    def obj(self, value, path: str, allowed: set[str]) -> dict:
        if not isinstance(value, dict):
            self.fail(path, "must be a JSON object")
        if not allowed.issuperset(value):
            unknown = set(value) - allowed
            self.fail(path, f"unknown properties {sorted(unknown)}; allowed: {sorted(allowed)}")
        return value

    def string(self, value, path: str) -> str:
        if not isinstance(value, str):
            self.fail(path, "must be a string")
        return value

    def iri(self, value, path: str) -> str:
        if isinstance(value, str) and value in _KNOWN_IRIS:  # the same verbs, types and extension keys arrive all day
            return value
        if not isinstance(value, str) or not IRI_RE.match(value):
            self.fail(path, "must be an absolute IRI (scheme:...)")
        if len(_KNOWN_IRIS) < 4096 and len(value) < 512:
            _KNOWN_IRIS.add(value)
        return value

    def uuid(self, value, path: str) -> str:
        if not isinstance(value, str) or not UUID_RE.match(value):
            self.fail(path, "must be a UUID (RFC 4122, e.g. 6fbd600f-d17c-4c74-801a-2ec2e53231c8)")
        return value

    def boolean(self, value, path: str) -> None:
        if not isinstance(value, bool):
            self.fail(path, "must be true or false")

    def number(self, value, path: str) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.fail(path, "must be a number")
        return float(value)

    def language_tag(self, value, path: str) -> None:
        if isinstance(value, str) and value in _KNOWN_TAGS:
            return
        if not isinstance(value, str) or not LANG_RE.match(value):
            self.fail(path, "must be an RFC 5646 language tag such as zh-CN or en-US")
        if len(_KNOWN_TAGS) < 1024:
            _KNOWN_TAGS.add(value)

    def language_map(self, value, path: str) -> None:
        if not isinstance(value, dict):
            self.fail(path, "must be a language map (object of language tag -> string)")
        for tag, text in value.items():
            self.language_tag(tag, f"{path} key {tag!r}")
            if not isinstance(text, str):
                self.fail(f"{path}.{tag}", "must be a string")

    def extensions(self, value, path: str) -> None:
        if not isinstance(value, dict):
            self.fail(path, "must be an object whose keys are IRIs")
        for key in value:
            self.iri(key, f"{path} key {key!r}")

    def timestamp(self, value, path: str) -> None:
        if parse_timestamp(value, require_zone=self.version == "2.0") is None:
            self.fail(path, "must be an ISO 8601 timestamp such as 2024-05-01T08:30:00.000Z (no -00:00 offset)")

    # -- actors ------------------------------------------------------------------------------------------
    def agent(self, value, path: str, object_type_required: bool = False) -> None:
        self.obj(value, path, AGENT_KEYS)
        kind = value.get("objectType", None if object_type_required else "Agent")
        if kind != "Agent":
            self.fail(f"{path}.objectType", "must be \"Agent\"")
        if "name" in value:
            self.string(value["name"], f"{path}.name")
        if self.ifi(value, path) != 1:
            self.fail(path, "an Agent must have exactly one of mbox, mbox_sha1sum, openid, account")

    def ifi(self, value: dict, path: str) -> int:
        found = [key for key in IFIS if key in value]
        for key in found:
            item = value[key]
            where = f"{path}.{key}"
            if key == "mbox":
                if not isinstance(item, str) or not item.startswith("mailto:") or "@" not in item:
                    self.fail(where, "must be a mailto: IRI such as mailto:reader@example.org")
            elif key == "mbox_sha1sum":
                if not isinstance(item, str) or not SHA1_RE.match(item):
                    self.fail(where, "must be 40 hexadecimal digits (SHA-1 of the mailto: IRI)")
            elif key == "openid":
                self.iri(item, where)
            else:
                self.obj(item, where, {"homePage", "name"})
                if "homePage" not in item or "name" not in item:
                    self.fail(where, "an account needs homePage and name")
                self.iri(item["homePage"], f"{where}.homePage")
                self.string(item["name"], f"{where}.name")
        return len(found)

    def group(self, value, path: str) -> None:
        self.obj(value, path, GROUP_KEYS)
        if value.get("objectType") != "Group":
            self.fail(f"{path}.objectType", "must be \"Group\"")
        if "name" in value:
            self.string(value["name"], f"{path}.name")
        count = self.ifi(value, path)
        if count > 1:
            self.fail(path, "a Group may have at most one of mbox, mbox_sha1sum, openid, account")
        if "member" in value or count == 0:
            members = value.get("member")
            if not isinstance(members, list) or (count == 0 and not members):
                self.fail(f"{path}.member", "an anonymous Group needs a non-empty member array")
            for i, member in enumerate(members):
                self.agent(member, f"{path}.member[{i}]")

    def actor(self, value, path: str) -> None:
        if isinstance(value, dict) and value.get("objectType") == "Group":
            self.group(value, path)
        else:
            self.agent(value, path)

    # -- verb, object --------------------------------------------------------------------------------------
    def verb(self, value, path: str) -> None:
        self.obj(value, path, {"id", "display"})
        if "id" not in value:
            self.fail(path, "a verb needs an id")
        self.iri(value["id"], f"{path}.id")
        if "display" in value:
            self.language_map(value["display"], f"{path}.display")

    def activity(self, value, path: str) -> None:
        self.obj(value, path, {"objectType", "id", "definition"})
        if value.get("objectType", "Activity") != "Activity":
            self.fail(f"{path}.objectType", "must be \"Activity\"")
        if "id" not in value:
            self.fail(path, "an Activity needs an id")
        self.iri(value["id"], f"{path}.id")
        if "definition" in value:
            self.definition(value["definition"], f"{path}.definition")

    def definition(self, value, path: str) -> None:
        self.obj(value, path, DEFINITION_KEYS)
        for key in ("name", "description"):
            if key in value:
                self.language_map(value[key], f"{path}.{key}")
        for key in ("type", "moreInfo"):
            if key in value:
                self.iri(value[key], f"{path}.{key}")
        if "extensions" in value:
            self.extensions(value["extensions"], f"{path}.extensions")
        interaction = value.get("interactionType")
        if interaction is not None and (not isinstance(interaction, str) or interaction not in INTERACTION_TYPES):
            self.fail(f"{path}.interactionType", f"must be one of {sorted(INTERACTION_TYPES)}")
        if "correctResponsesPattern" in value:
            pattern = value["correctResponsesPattern"]
            if interaction is None:
                self.fail(f"{path}.correctResponsesPattern", "needs an interactionType")
            if not isinstance(pattern, list) or not all(isinstance(p, str) for p in pattern):
                self.fail(f"{path}.correctResponsesPattern", "must be an array of strings")
        allowed = COMPONENTS_FOR.get(interaction, set())
        for key in ("choices", "scale", "source", "target", "steps"):
            if key not in value:
                continue
            if key not in allowed:
                self.fail(f"{path}.{key}", f"is not allowed for interactionType {interaction!r}")
            self.components(value[key], f"{path}.{key}")

    def components(self, value, path: str) -> None:
        if not isinstance(value, list):
            self.fail(path, "must be an array of interaction components")
        seen = set()
        for i, item in enumerate(value):
            self.obj(item, f"{path}[{i}]", {"id", "description"})
            component_id = self.string(item.get("id"), f"{path}[{i}].id")
            if component_id in seen:
                self.fail(f"{path}[{i}].id", "must be unique within the list")
            seen.add(component_id)
            if "description" in item:
                self.language_map(item["description"], f"{path}[{i}].description")

    def statement_ref(self, value, path: str) -> None:
        self.obj(value, path, {"objectType", "id"})
        if value.get("objectType") != "StatementRef":
            self.fail(f"{path}.objectType", "must be \"StatementRef\"")
        self.uuid(value.get("id"), f"{path}.id")

    def object(self, value, path: str, inside_substatement: bool = False) -> None:
        if not isinstance(value, dict):
            self.fail(path, "must be a JSON object")
        kind = value.get("objectType", "Activity")
        if kind == "Activity":
            self.activity(value, path)
        elif kind == "Agent":
            self.agent(value, path, object_type_required=True)
        elif kind == "Group":
            self.group(value, path)
        elif kind == "StatementRef":
            self.statement_ref(value, path)
        elif kind == "SubStatement" and not inside_substatement:
            self.substatement(value, path)
        else:
            self.fail(f"{path}.objectType", "must be Activity, Agent, Group, StatementRef or SubStatement "
                      "(a SubStatement cannot contain another)")

    def substatement(self, value, path: str) -> None:
        self.obj(value, path, SUBSTATEMENT_KEYS)
        self.body(value, path, inside_substatement=True)

    # -- result, context, attachments ---------------------------------------------------------------------
    def result(self, value, path: str) -> None:
        self.obj(value, path, RESULT_KEYS)
        if "score" in value:
            score = self.obj(value["score"], f"{path}.score", {"scaled", "raw", "min", "max"})
            numbers = {k: self.number(score[k], f"{path}.score.{k}") for k in score}
            if "scaled" in numbers and not -1 <= numbers["scaled"] <= 1:
                self.fail(f"{path}.score.scaled", "must be between -1 and 1")
            low, high, raw = numbers.get("min"), numbers.get("max"), numbers.get("raw")
            if low is not None and high is not None and low >= high:
                self.fail(f"{path}.score", "min must be less than max")
            if raw is not None and ((low is not None and raw < low) or (high is not None and raw > high)):
                self.fail(f"{path}.score.raw", "must lie between min and max")
        for key in ("success", "completion"):
            if key in value:
                self.boolean(value[key], f"{path}.{key}")
        if "response" in value:
            self.string(value["response"], f"{path}.response")
        if "duration" in value and (not isinstance(value["duration"], str) or not DURATION_RE.match(value["duration"])):
            self.fail(f"{path}.duration", "must be an ISO 8601 duration such as PT1M30.5S")
        if "extensions" in value:
            self.extensions(value["extensions"], f"{path}.extensions")

    def context(self, value, path: str, object_is_activity: bool) -> None:
        self.obj(value, path, CONTEXT_KEYS_2 if self.version == "2.0" else CONTEXT_KEYS)
        if "registration" in value:
            self.uuid(value["registration"], f"{path}.registration")
        if "instructor" in value:
            self.actor(value["instructor"], f"{path}.instructor")
        if "team" in value:
            self.group(value["team"], f"{path}.team")
        if "contextActivities" in value:
            activities = self.obj(value["contextActivities"], f"{path}.contextActivities", CONTEXT_ACTIVITY_KEYS)
            for key, items in activities.items():
                for i, item in enumerate(items if isinstance(items, list) else [items]):
                    self.activity(item, f"{path}.contextActivities.{key}[{i}]")
        for key in ("revision", "platform"):
            if key in value:
                self.string(value[key], f"{path}.{key}")
                if not object_is_activity:
                    self.fail(f"{path}.{key}", "may only be used when the statement's object is an Activity")
        if "language" in value:
            self.language_tag(value["language"], f"{path}.language")
        if "statement" in value:
            self.statement_ref(value["statement"], f"{path}.statement")
        if "extensions" in value:
            self.extensions(value["extensions"], f"{path}.extensions")
        for key, member in (("contextAgents", "agent"), ("contextGroups", "group")):
            if key in value:
                items = value[key]
                if not isinstance(items, list):
                    self.fail(f"{path}.{key}", "must be an array")
                for i, item in enumerate(items):
                    where = f"{path}.{key}[{i}]"
                    self.obj(item, where, {"objectType", member, "relevantTypes"})
                    if item.get("objectType") != ("contextAgent" if member == "agent" else "contextGroup"):
                        self.fail(f"{where}.objectType", f"must be \"context{member.title()}\"")
                    if member not in item:
                        self.fail(where, f"needs {member}")
                    (self.agent if member == "agent" else self.group)(item[member], f"{where}.{member}")
                    if "relevantTypes" in item:
                        types = item["relevantTypes"]
                        if not isinstance(types, list) or not types:
                            self.fail(f"{where}.relevantTypes", "must be a non-empty array of IRIs")
                        for j, iri in enumerate(types):
                            self.iri(iri, f"{where}.relevantTypes[{j}]")

    def attachments(self, value, path: str) -> None:
        if not isinstance(value, list):
            self.fail(path, "must be an array")
        for i, item in enumerate(value):
            where = f"{path}[{i}]"
            self.obj(item, where, ATTACHMENT_KEYS)
            for key in ("usageType", "display", "contentType", "length", "sha2"):
                if key not in item:
                    self.fail(where, f"an attachment needs {key}")
            self.iri(item["usageType"], f"{where}.usageType")
            self.language_map(item["display"], f"{where}.display")
            if "description" in item:
                self.language_map(item["description"], f"{where}.description")
            self.string(item["contentType"], f"{where}.contentType")
            if isinstance(item["length"], bool) or not isinstance(item["length"], int) or item["length"] < 0:
                self.fail(f"{where}.length", "must be a non-negative integer")
            self.string(item["sha2"], f"{where}.sha2")
            if "fileUrl" in item:
                self.iri(item["fileUrl"], f"{where}.fileUrl")

    # -- whole statements ---------------------------------------------------------------------------------
    def body(self, value: dict, path: str, inside_substatement: bool = False) -> None:
        """What statements and sub-statements share: actor, verb, object, result, context, timestamp, attachments."""
        for key in ("actor", "verb", "object"):
            if key not in value:
                self.fail(path, f"a statement needs {key}")
        prefix = f"{path}." if path else ""
        self.actor(value["actor"], f"{prefix}actor")
        self.verb(value["verb"], f"{prefix}verb")
        self.object(value["object"], f"{prefix}object", inside_substatement)
        if value["verb"]["id"] == VOIDED_VERB and value["object"].get("objectType") != "StatementRef":
            self.fail(f"{prefix}object", "a voiding statement's object must be a StatementRef")
        if "result" in value:
            self.result(value["result"], f"{prefix}result")
        if "context" in value:
            object_is_activity = value["object"].get("objectType", "Activity") == "Activity"
            self.context(value["context"], f"{prefix}context", object_is_activity)
        if "timestamp" in value:
            self.timestamp(value["timestamp"], f"{prefix}timestamp")
        if "attachments" in value:
            self.attachments(value["attachments"], f"{prefix}attachments")

    def statement(self, value) -> None:
        self.obj(value, "statement", STATEMENT_KEYS)
        if "objectType" in value and value["objectType"] != "Statement":
            self.fail("statement.objectType", "a statement has no objectType (or \"Statement\")")
        if "id" in value:
            self.uuid(value["id"], "statement.id")
        self.body(value, "statement")
        if "stored" in value:
            self.timestamp(value["stored"], "statement.stored")
        if "authority" in value:
            authority = value["authority"]
            self.actor(authority, "statement.authority")
            if authority.get("objectType") == "Group" and (
                    any(key in authority for key in IFIS) or len(authority.get("member", [])) != 2):
                self.fail("statement.authority", "a Group authority must be anonymous with exactly two members "
                          "(the OAuth consumer and user)")
        if "version" in value:
            if not isinstance(value["version"], str) or not VERSION_RE[self.version].match(value["version"]):
                self.fail("statement.version", "must be a supported xAPI version such as 1.0.3")
