"""The per-kiosk daily top list: scores under nicknames chosen from a kid-safe list, never a typed name.

Stored as one small JSON file per day in the kiosk's data directory; old days are pruned.
"""
from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

NICKNAMES = Path(__file__).resolve().parent.parent / "data" / "nicknames.toml"
KEEP = 10
KEEP_DAYS = 7


@lru_cache(maxsize=1)
def _nicknames() -> list[dict[str, str]]:
    return tomllib.loads(NICKNAMES.read_text(encoding="utf-8"))["nickname"]


def nickname_ids() -> list[str]:
    return [n["id"] for n in _nicknames()]


def nickname_text(nickname_id: str, lang: str = "zh-CN") -> str:
    for n in _nicknames():
        if n["id"] == nickname_id:
            return n.get(lang) or n["zh-CN"]
    raise KeyError(nickname_id)


@dataclass(frozen=True)
class Entry:
    nickname: str  # an id from nicknames.toml, never free text
    score: int
    game: str      # package id


class DailyTopList:
    def __init__(self, folder: Path, today: date):
        self.folder = Path(folder)
        self.today = today

    @property
    def path(self) -> Path:
        return self.folder / f"toplist-{self.today.isoformat()}.json"

    def entries(self, game: str | None = None) -> list[Entry]:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except (FileNotFoundError, json.JSONDecodeError):
            return []
        entries = [Entry(**e) for e in raw if isinstance(e, dict) and set(e) == {"nickname", "score", "game"}]
        return [e for e in entries if game is None or e.game == game]

    def add(self, nickname: str, score: int, game: str) -> int | None:
        """Record a score; returns its 1-based place when it made the top KEEP of its game, else None."""
        if nickname not in nickname_ids():
            raise ValueError(f"unknown nickname id {nickname!r}")
        entries = self.entries()
        entry = Entry(nickname, int(score), game)
        mine = sorted([e for e in entries if e.game == game] + [entry], key=lambda e: -e.score)[:KEEP]
        others = [e for e in entries if e.game != game]
        self.folder.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps([e.__dict__ for e in others + mine], ensure_ascii=False), encoding="utf-8")
        tmp.replace(self.path)
        self._prune()
        return mine.index(entry) + 1 if entry in mine else None

    def top(self, game: str) -> list[Entry]:
        return sorted(self.entries(game), key=lambda e: -e.score)[:KEEP]

    def _prune(self) -> None:
        for old in self.folder.glob("toplist-*.json"):
            try:
                day = date.fromisoformat(old.stem.removeprefix("toplist-"))
            except ValueError:
                continue
            if (self.today - day).days > KEEP_DAYS:
                old.unlink(missing_ok=True)
