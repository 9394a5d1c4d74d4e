"""Synthetic engagement statements shaped like the kiosks' (experiences/engagement.py), for benches and tests.

Also a bulk loader that writes statement rows directly, bypassing HTTP, so a million load in minutes.
"""
from __future__ import annotations

import json
import random
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Iterator

from sqlalchemy import insert
from sqlalchemy.engine import Engine

from server.analytics.events import EXTENSION_NAMESPACE as EXT
from server.db import write_transaction
from server.models import Statement

BASE = "https://lib.example.org/"
VERB = "http://adlnet.gov/expapi/verbs/"
PACKAGES = [  # (id, kind, zh title, en title)
    ("idiom-chain", "idiom-chain", "成语接龙", "Idiom chain"),
    ("idioms-children", "idiom-lanterns", "成语灯笼", "Idiom lanterns"),
    ("poems-recital", "recitation", "唐诗朗诵", "Tang poem recital"),
    ("exhibit-book", "exhibit-book", "线装书", "Thread-bound book"),
    ("exhibit-treasure", "exhibit-treasure", "镇馆之宝", "Treasures"),
    ("exhibit-panorama", "exhibit-panorama", "古城全景", "Old town panorama"),
]
IDIOMS = ["画蛇添足", "守株待兔", "亡羊补牢", "井底之蛙", "掩耳盗铃", "对牛弹琴", "刻舟求剑", "拔苗助长", "狐假虎威",
          "杯弓蛇影", "望梅止渴", "胸有成竹"]
POEMS = ["静夜思", "望庐山瀑布", "春晓", "登鹳雀楼", "咏鹅", "悯农", "游子吟", "江雪"]
NICKNAMES = ["小海豚", "星星", "小竹子", "", "", ""]
BANDS = ["3-5", "6-8", "9-12", ""]


@dataclass
class Place:
    branch: str
    kiosk: str


PLACES = [Place("总馆", "kiosk-a1"), Place("总馆", "kiosk-a2"), Place("东城分馆", "kiosk-e1"), Place("西城分馆", "kiosk-w1")]


def iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def statement(verb: str, session: str, place: Place, band: str, at: datetime, package: tuple, item: tuple | None = None,
              result: dict | None = None) -> dict:
    pkg_id, kind, zh, en = package
    package_activity = {"objectType": "Activity", "id": f"{BASE}activities/{pkg_id}",
                        "definition": {"name": {"zh-CN": zh, "en-US": en}}}
    ext = {f"{EXT}kiosk": place.kiosk, f"{EXT}branch": place.branch, f"{EXT}kind": kind}
    if band:
        ext[f"{EXT}age-band"] = band
    context = {"registration": session, "platform": "Yuedu kiosk", "extensions": ext}
    obj = package_activity
    if item is not None:
        obj = {"objectType": "Activity", "id": f"{BASE}activities/{pkg_id}/{item[0]}/{item[1]}",
               "definition": {"name": {"zh-CN": item[1]}}}
        context["contextActivities"] = {"parent": [package_activity]}
    s = {"id": str(uuid.uuid4()), "actor": {"objectType": "Agent", "account": {"homePage": BASE, "name": session}},
         "verb": {"id": VERB + verb}, "object": obj, "context": context, "timestamp": iso(at)}
    if result:
        s["result"] = result
    return s


def session_statements(rng: random.Random, start: datetime, place: Place | None = None) -> list[dict]:
    """One visitor session: a few experiences launched (sometimes one twice), answers, recitations, scores."""
    session = str(uuid.UUID(int=rng.getrandbits(128)))
    place = place or rng.choice(PLACES)
    band = rng.choice(BANDS)
    at = start
    out = []
    favourites = rng.sample(PACKAGES, k=rng.randint(1, 3))
    if rng.random() < 0.2:
        favourites.append(favourites[0])  # a repeat play
    for package in favourites:
        at += timedelta(seconds=rng.randint(5, 90))
        out.append(statement("launched", session, place, band, at, package))
        if package[1].startswith("idiom"):
            for _ in range(rng.randint(1, 4)):
                at += timedelta(seconds=rng.randint(3, 20))
                idiom = rng.choice(IDIOMS)
                out.append(statement("answered", session, place, band, at, package, ("idiom", idiom),
                                     {"success": rng.random() < 0.6}))
        elif package[1] == "recitation":
            poem = rng.choice(POEMS[:4] if band == "3-5" else POEMS)
            at += timedelta(seconds=rng.randint(20, 60))
            out.append(statement("completed", session, place, band, at, package, ("poem", poem)))
            nickname = rng.choice(NICKNAMES)
            result = {"score": {"raw": rng.randint(40, 100), "min": 0, "max": 100}}
            result["score"]["scaled"] = result["score"]["raw"] / 100
            if nickname:
                result["extensions"] = {f"{EXT}nickname": nickname}
            out.append(statement("scored", session, place, band, at, package, ("poem", poem), result))
        at += timedelta(seconds=rng.randint(5, 30))
        out.append(statement("terminated", session, place, band, at, package))
    return out


def generate(count: int, now: datetime, days: int = 21, seed: int = 7) -> Iterator[tuple[dict, datetime]]:
    """About `count` statements over the last `days` days, each with the time the LRS stored it.

    A few kiosks had a wrong clock (timestamps a year off, stored on time); some were offline for hours.
    """
    rng = random.Random(seed)
    made = 0
    while made < count:
        start = now - timedelta(seconds=rng.randint(0, days * 86400))
        skew = timedelta(days=365) if rng.random() < 0.02 else timedelta(0)
        delay = timedelta(hours=rng.randint(1, 12)) if rng.random() < 0.1 else timedelta(seconds=2)
        for s in session_statements(rng, start):
            true_time = datetime.fromisoformat(s["timestamp"].replace("Z", "+00:00"))
            stored = min(true_time + delay, now)
            if skew:
                s["timestamp"] = iso(true_time - skew)
            yield s, stored
            made += 1
            if made >= count:
                return


def row_for(s: dict, stored: datetime, credential_id: int | None = None) -> dict:
    s = dict(s, stored=iso(stored))
    return {"statement_id": s["id"], "stored": stored.astimezone(timezone.utc).replace(tzinfo=None),
            "timestamp": datetime.fromisoformat(s["timestamp"].replace("Z", "+00:00")).astimezone(timezone.utc)
            .replace(tzinfo=None), "verb_id": s["verb"]["id"], "object_activity_id": s["object"]["id"],
            "object_statement_id": None, "registration": s["context"]["registration"],
            "actor_key": f"account:{BASE}|{s['actor']['account']['name']}", "voided": False,
            "credential_id": credential_id, "full": json.dumps(s, ensure_ascii=False, separators=(",", ":"))}


def bulk_insert(engine: Engine, pairs, chunk: int = 20000) -> int:
    """Write (statement, stored) pairs straight into the statements table, in stored order; returns the count."""
    done = 0
    batch = []
    for s, stored in pairs:
        batch.append(row_for(s, stored))
        if len(batch) >= chunk:
            done += _write(engine, batch)
            batch = []
    if batch:
        done += _write(engine, batch)
    return done


def _write(engine: Engine, rows: list[dict]) -> int:
    rows.sort(key=lambda r: r["stored"])
    with write_transaction(engine) as conn:
        conn.execute(insert(Statement), rows)
    return len(rows)
