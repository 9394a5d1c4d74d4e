"""The one small engagement API every experience reports through, turned into xAPI 1.0.3 statements.

One table maps each event to its ADL verb; actors are pseudonymous per-session accounts; nothing names a child.
"""
from __future__ import annotations

import re
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Callable, Protocol
from urllib.parse import quote, unquote

XAPI_VERSION = "1.0.3"
PLATFORM = "Yuedu kiosk"

# event -> (verb IRI, display). The only place verbs are named: every kind reports events from this table.
VERBS: dict[str, tuple[str, dict[str, str]]] = {
    "launched": ("http://adlnet.gov/expapi/verbs/launched", {"en-US": "launched", "zh-CN": "启动"}),
    "initialized": ("http://adlnet.gov/expapi/verbs/initialized", {"en-US": "initialized", "zh-CN": "开始"}),
    "progressed": ("http://adlnet.gov/expapi/verbs/progressed", {"en-US": "progressed", "zh-CN": "进展"}),
    "attempted": ("http://adlnet.gov/expapi/verbs/attempted", {"en-US": "attempted", "zh-CN": "尝试"}),
    "answered": ("http://adlnet.gov/expapi/verbs/answered", {"en-US": "answered", "zh-CN": "作答"}),
    "interacted": ("http://adlnet.gov/expapi/verbs/interacted", {"en-US": "interacted", "zh-CN": "互动"}),
    "experienced": ("http://adlnet.gov/expapi/verbs/experienced", {"en-US": "experienced", "zh-CN": "体验"}),
    "scored": ("http://adlnet.gov/expapi/verbs/scored", {"en-US": "scored", "zh-CN": "得分"}),
    "completed": ("http://adlnet.gov/expapi/verbs/completed", {"en-US": "completed", "zh-CN": "完成"}),
    "terminated": ("http://adlnet.gov/expapi/verbs/terminated", {"en-US": "terminated", "zh-CN": "结束"}),
    "abandoned": ("https://w3id.org/xapi/adl/verbs/abandoned", {"en-US": "abandoned", "zh-CN": "中止"}),
    # a 去书架找一找 card showed the visitor a book on the library's shelves (experiences/bookstatements.py)
    "recommended": ("https://w3id.org/yuedu/xapi/verbs/was-recommended",
                    {"en-US": "was recommended", "zh-CN": "看到推荐"}),
}

ACTIVITY_TYPES: dict[str, str] = {
    "experience": "http://adlnet.gov/expapi/activities/module",
    "question": "http://adlnet.gov/expapi/activities/question",
    "interaction": "http://adlnet.gov/expapi/activities/interaction",
    "media": "http://adlnet.gov/expapi/activities/media",
    "assessment": "http://adlnet.gov/expapi/activities/assessment",
    "simulation": "http://adlnet.gov/expapi/activities/simulation",
    "link": "http://adlnet.gov/expapi/activities/link",
}


# Every extension key of every statement is an IRI in this one namespace, whatever library runs the kiosk
# (docs/engagement-outbox.md, "Extension keys", says why this one and lists every name with its meaning).
# Kinds pass the short names below; only ExperienceReporter.report turns them into IRIs.
EXTENSION_NAMESPACE = "https://w3id.org/yuedu/xapi/extensions/"

# name -> what its value means. The contract test (tests/contract/) checks that every key a kind sends is here
# and that docs/engagement-outbox.md describes each one.
EXTENSIONS: dict[str, str] = {
    # context: where and what (added to every statement by the reporter)
    "kiosk": "the kiosk's id (kiosk.toml [kiosk] kiosk_id)",
    "kiosk-name": "the kiosk's name (kiosk.toml [kiosk] name)",
    "library": "the library (kiosk.toml [kiosk] library)",
    "branch": "the library branch (kiosk.toml [kiosk] branch)",
    "kind": "the experience kind of the package, e.g. idiom-lanterns",
    # context: 去书架找一找 (recommended): the book card a visitor was shown
    "book-record": "the book's control number (001) in the library's catalogue",
    "call-number": "the 索书号 shown on the card",
    "book-rule": "the curator's link rule that chose the book (server/catalogue/rules.py)",
    "package-version": "the package's version",
    "age-band": "context: the age band the visitor chose; lanterns' answered result: the band whose level was played",
    # context: VR corners (issue #16) and the 体感 motion corner (issue #17)
    "aim-input": "what aimed the shot or selection: controller, head (gaze), pointer, keys, motion (the body, "
                 "seen by the motion corner's camera)",
    "vr-display": "how the run was seen in VR: openxr (a headset) or side-by-side (stereo on a screen or viewer)",
    # context: the recitation booth's share screen (interacted)
    "recitation-share": "queued or unavailable: whether a family's reading was queued for a share page",
    "recitation-share-days": "how many days the share page stays up",
    # result: 成语论箭 (idiom-lanterns)
    "attempts": "shots (lanterns) or picks (chain) before the round ended",
    "hidden-position": "which character of the idiom was hidden (0-3)",
    "points": "points this round earned",
    "correct": "rounds answered right (scored)",
    "total": "rounds played (scored)",
    # result: 成语接龙 (idiom-chain)
    "hints": "hints asked for in this turn (answered) or the whole game (scored)",
    "follows": "the idiom this answer had to follow",
    "chain-length": "idioms in the chain so far",
    "end": "why the run ended: an idiom chain's no-move (the child had none), kiosk-stuck or max-turns; a VR "
           "run's vr-time-limit (the package's vr_minutes, else the kiosk's [vr] session_minutes)",
    # result: the recitation booth (recitation), a scored take
    "recitation-scores": "the take's part scores (object of name -> 0-100)",
    "recitation-flags": "what the scorer noticed (array of flag names)",
    # result: exhibits (progressed, when a visitor leaves)
    "items-experienced": "hotspots, pages or packages the visitor opened",
    "pages-read": "pages of the book turned to (exhibit-book)",
    "pages-total": "numbered pages of the book (exhibit-book)",
    "covers-shown": "packages the waterfall showed (exhibit-waterfall)",
    # read by the wall's best readings; no kind sends it today
    "nickname": "a kid-safe nickname from the fixed list (result), never a typed name",
}

_EXTENSION_NAME = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")


def extension_iri(name: str) -> str:
    """The IRI of one extension key: kinds never call this, they pass `name` to report() or build_result()."""
    if not isinstance(name, str) or not _EXTENSION_NAME.match(name):
        raise ValueError(f"extension key {name!r}: pass a short name of lower-case letters, digits and '-' "
                         f"(e.g. 'attempts'); the engagement API makes it an IRI under {EXTENSION_NAMESPACE}")
    return EXTENSION_NAMESPACE + name


def extension_name(key: str) -> str | None:
    """The short name an extension IRI stands for: ours (EXTENSION_NAMESPACE + name), or the form kiosks used
    before it, `<activity_base>/extensions/<name>` (any library's base); None for anyone else's key."""
    if not isinstance(key, str):
        return None
    if key.startswith(EXTENSION_NAMESPACE):
        name = key[len(EXTENSION_NAMESPACE):]
        return name if name and "/" not in name else None
    head, found, name = key.rpartition("/extensions/")
    if found and "://" in head and name and "/" not in name:
        return unquote(name)
    return None


def _extensions(extensions: dict | None) -> dict:
    return {extension_iri(name): value for name, value in (extensions or {}).items()}


class StatementSink(Protocol):
    def put(self, statement: dict) -> None: ...


class ListSink:
    """A sink that keeps statements in memory: tests and previews."""

    def __init__(self):
        self.statements: list[dict] = []

    def put(self, statement: dict) -> None:
        self.statements.append(statement)


@dataclass(frozen=True)
class Item:
    """Something inside a package a visitor engages with: an idiom, a poem, a hotspot, a page."""

    type: str  # a short word used in the IRI: "idiom", "poem", "hotspot", "page", "round"
    id: str
    name: dict[str, str] = field(default_factory=dict)
    activity_type: str = "interaction"  # key of ACTIVITY_TYPES or a full IRI


@dataclass(frozen=True)
class Place:
    """Where statements come from: the library, branch and kiosk (from kiosk.toml)."""

    activity_base: str = "https://yuedu.example.org/"
    library: str = ""
    branch: str = ""
    kiosk_id: str = ""
    kiosk_name: str = ""
    language: str = "zh-CN"

    def iri(self, *parts: str) -> str:
        base = self.activity_base if self.activity_base.endswith("/") else self.activity_base + "/"
        return base + "/".join(quote(str(p), safe="") for p in parts)

    @classmethod
    def from_config(cls, config) -> "Place":
        return cls(
            activity_base=config.server.activity_base,
            library=config.kiosk.library,
            branch=config.kiosk.branch,
            kiosk_id=config.kiosk.kiosk_id,
            kiosk_name=config.kiosk.name,
            language=config.kiosk.language,
        )


def iso_duration(seconds: float) -> str:
    return f"PT{max(0.0, seconds):.2f}S"


def iso_timestamp(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, tz=timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def build_result(
    *,
    score: float | None = None,
    score_max: float | None = None,
    score_min: float = 0.0,
    success: bool | None = None,
    completion: bool | None = None,
    response: str | None = None,
    duration: float | None = None,
    extensions: dict | None = None,
) -> dict:
    """An xAPI result object; `score` is raw in [score_min, score_max] (scaled is derived). `extensions` are keyed
    by short names (EXTENSIONS); report() makes them IRIs."""
    result: dict = {}
    if score is not None:
        top = score_max if score_max is not None else 100.0
        raw = min(max(float(score), score_min), top)
        scaled = (raw - score_min) / (top - score_min) if top > score_min else 0.0
        result["score"] = {"raw": raw, "min": score_min, "max": top, "scaled": round(scaled, 4)}
    if success is not None:
        result["success"] = bool(success)
    if completion is not None:
        result["completion"] = bool(completion)
    if response is not None:
        result["response"] = str(response)
    if duration is not None:
        result["duration"] = iso_duration(duration)
    if extensions:
        result["extensions"] = dict(extensions)
    return result


class SessionReporter:
    """One visitor session at a kiosk: a random pseudonymous actor and the registration id of its statements."""

    def __init__(self, sink: StatementSink, place: Place, *, session_id: str | None = None,
                 wall_clock: Callable[[], float] = time.time, age_band: str | None = None):
        self.sink = sink
        self.place = place
        self.session_id = session_id or str(uuid.uuid4())
        self.wall_clock = wall_clock
        self.age_band = age_band

    @property
    def actor(self) -> dict:
        return {"objectType": "Agent", "account": {"homePage": self.place.activity_base, "name": self.session_id}}

    def experience(self, package_id: str, kind: str, version: str, titles: dict[str, str] | None = None,
                   monotonic: Callable[[], float] = time.monotonic) -> "ExperienceReporter":
        return ExperienceReporter(self, package_id, kind, version, titles or {}, monotonic)


class ExperienceReporter:
    """What an experience calls: `report("answered", item, result)`; it becomes one statement in the outbox."""

    def __init__(self, session: SessionReporter, package_id: str, kind: str, version: str,
                 titles: dict[str, str], monotonic: Callable[[], float]):
        self.session = session
        self.package_id = package_id
        self.kind = kind
        self.version = version
        self.titles = titles
        self.monotonic = monotonic
        self.started_at = monotonic()
        self.closed = False
        self.last_item: tuple[str, str] | None = None  # (type, activity IRI) of the last item reported on
        self.last_item_name = ""  # its zh-CN name (班门弄斧, 静夜思): what the library catalogue is asked about
        # context extensions (short names) a kind sets for its coming statements, e.g. {"aim-input": "controller"}
        self.context_extensions: dict = {}

    @property
    def elapsed(self) -> float:
        return self.monotonic() - self.started_at

    def package_activity(self) -> dict:
        definition = {"type": ACTIVITY_TYPES["experience"]}
        if self.titles:
            definition["name"] = _lang_map(self.titles)
        return {"objectType": "Activity", "id": self.session.place.iri("activities", self.package_id),
                "definition": definition}

    def item_activity(self, item: Item) -> dict:
        type_iri = ACTIVITY_TYPES.get(item.activity_type, item.activity_type)
        definition = {"type": type_iri}
        if item.name:
            definition["name"] = _lang_map(item.name)
        return {"objectType": "Activity", "id": self.session.place.iri("activities", self.package_id, item.type, item.id),
                "definition": definition}

    def _context(self, item: Item | None, extensions: dict | None) -> dict:
        place = self.session.place
        names = {"kiosk": place.kiosk_id, "kiosk-name": place.kiosk_name, "library": place.library,
                 "branch": place.branch, "kind": self.kind, "package-version": self.version}
        if self.session.age_band:
            names["age-band"] = self.session.age_band
        ext = _extensions({**names, **self.context_extensions, **(extensions or {})})
        context = {"registration": self.session.session_id, "platform": PLATFORM,
                   "language": place.language, "extensions": ext}
        if item is not None:
            context["contextActivities"] = {"parent": [self.package_activity()]}
        return context

    def report(self, event: str, item: Item | None = None, result: dict | None = None,
               extensions: dict | None = None) -> dict:
        """Record one event (a key of VERBS) about the package, or about an item inside it. Extension keys, in
        `extensions` (context) and in `result["extensions"]`, are short names (EXTENSIONS); here they become IRIs."""
        if event not in VERBS:
            raise ValueError(f"unknown engagement event {event!r}; use one of {sorted(VERBS)}")
        verb_iri, display = VERBS[event]
        statement = {
            "id": str(uuid.uuid4()),
            "actor": self.session.actor,
            "verb": {"id": verb_iri, "display": display},
            "object": self.item_activity(item) if item is not None else self.package_activity(),
            "context": self._context(item, extensions),
            "timestamp": iso_timestamp(self.session.wall_clock()),
        }
        if result:
            statement["result"] = dict(result)
            if "extensions" in result:
                statement["result"]["extensions"] = _extensions(result["extensions"])
        if item is not None:
            self.last_item = (item.type, statement["object"]["id"])
            self.last_item_name = (item.name or {}).get("zh-CN", "")
        self.session.sink.put(statement)
        if event in ("terminated", "abandoned"):
            self.closed = True
        return statement

    # Conveniences used by the runtime; kinds mostly call report() directly.
    def close(self, event: str = "terminated", **result_fields) -> dict | None:
        """End this run once (terminated or abandoned) with its duration; later calls do nothing."""
        if self.closed:
            return None
        return self.report(event, result=build_result(duration=self.elapsed, **result_fields))


def _lang_map(names: dict[str, str]) -> dict[str, str]:
    # xAPI language maps want RFC 5646 tags; our catalogs use zh-CN and en.
    return {("en-US" if k == "en" else k): v for k, v in names.items()}
