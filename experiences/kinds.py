"""The registry of experience kinds: each kind brings its content schema, checks and runner.

Kinds register through the `yuedu.kinds` entry-point group (see pyproject.toml); the runtime names none.
"""
from __future__ import annotations

import importlib
import json
import logging
from dataclasses import dataclass
from functools import cached_property
from importlib import metadata
from pathlib import Path
from typing import Callable

log = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "yuedu.kinds"


@dataclass(frozen=True)
class Kind:
    """What the runtime knows of a kind.

    name: the manifest's `kind` value, e.g. "idiom-lanterns".
    schema_path: a JSON Schema file for the manifest's [content] table (published for curators' editors).
    runner: "module:callable" creating the Experience, imported only when played (keeps start-up fast);
        empty for data-only kinds (e.g. a dictionary other packages depend on).
    check: optional "module:callable" `check(package, report)` for cross-references the schema cannot express.
    warm: optional "module:callable" run once in a background thread after the kiosk's attract screen is up
        (e.g. the recitation scorer's first-call costs), so the first visitor never waits for it.
    """

    name: str
    schema_path: Path
    runner: str = ""
    check: str = ""
    warm: str = ""
    title: tuple[tuple[str, str], ...] = ()

    @property
    def playable(self) -> bool:
        return bool(self.runner)

    @cached_property
    def schema(self) -> dict:
        return json.loads(Path(self.schema_path).read_text(encoding="utf-8"))

    def load_runner(self) -> Callable:
        return _load_dotted(self.runner)

    def load_check(self) -> Callable | None:
        return _load_dotted(self.check) if self.check else None

    def load_warm(self) -> Callable | None:
        return _load_dotted(self.warm) if self.warm else None


def _load_dotted(dotted: str) -> Callable:
    module_name, _, attr = dotted.partition(":")
    module = importlib.import_module(module_name)
    return getattr(module, attr)


class KindRegistry:
    def __init__(self, kinds: list[Kind] | tuple[Kind, ...] = ()):
        self._kinds: dict[str, Kind] = {}
        for kind in kinds:
            self.register(kind)

    def register(self, kind: Kind) -> None:
        self._kinds[kind.name] = kind

    def get(self, name: str) -> Kind | None:
        return self._kinds.get(name)

    def names(self) -> list[str]:
        return sorted(self._kinds)

    def __contains__(self, name: str) -> bool:
        return name in self._kinds

    def __iter__(self):
        return iter(self._kinds.values())

    @classmethod
    def from_entry_points(cls) -> "KindRegistry":
        registry = cls()
        for entry in metadata.entry_points(group=ENTRY_POINT_GROUP):
            try:
                kind = entry.load()
            except Exception:  # a broken plug-in must not take the kiosk down
                log.exception("kind %s could not be loaded", entry.name)
                continue
            if isinstance(kind, Kind):
                registry.register(kind)
            else:
                log.error("entry point %s is not a Kind", entry.name)
        return registry


_default: KindRegistry | None = None


def default_registry() -> KindRegistry:
    global _default
    if _default is None:
        _default = KindRegistry.from_entry_points()
    return _default
