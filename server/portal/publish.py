"""Publications: which stored version each kiosk should run — all kiosks, a branch or one kiosk, optionally
between two times — and the catalog a kiosk pulls (the most specific live publication per package)."""
from __future__ import annotations

import hashlib
import json
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.engine import Engine

from server.db import write_transaction
from server.portal.accounts import utcnow
from server.portal.models import Kiosk, PackageVersion, Publication

TARGET_TYPES = ("all", "branch", "kiosk")
_SPECIFICITY = {"kiosk": 3, "branch": 2, "all": 1}


def publish(engine: Engine, version_id: int, target_type: str = "all", target: str = "",
            starts: datetime | None = None, ends: datetime | None = None, by: str = "") -> int:
    """Offer a version to a target; it replaces what that target had for the same package. Returns the row id."""
    if target_type not in TARGET_TYPES:
        raise ValueError(f"target_type must be one of {TARGET_TYPES}")
    target = "" if target_type == "all" else target.strip()
    if target_type != "all" and not target:
        raise ValueError("a branch or kiosk publication needs a target")
    if starts and ends and ends <= starts:
        raise ValueError("the schedule ends before it starts")
    with write_transaction(engine) as conn:
        package_id = conn.execute(select(PackageVersion.package_id).where(PackageVersion.id == version_id)).scalar()
        if package_id is None:
            raise LookupError(f"no version {version_id}")
        conn.execute(update(Publication).where(
            Publication.package_id == package_id, Publication.target_type == target_type,
            Publication.target == target, Publication.active.is_(True)).values(active=False))
        return conn.execute(Publication.__table__.insert().values(
            version_id=version_id, package_id=package_id, target_type=target_type, target=target,
            starts=starts, ends=ends, active=True, created_by=by, created=utcnow())).inserted_primary_key[0]


def unpublish(engine: Engine, publication_id: int) -> dict | None:
    with write_transaction(engine) as conn:
        row = conn.execute(select(Publication.__table__).where(Publication.id == publication_id)).first()
        if row is None:
            return None
        conn.execute(update(Publication).where(Publication.id == publication_id).values(active=False))
    return dict(row._mapping)


def rollback(engine: Engine, publication_id: int, by: str = "") -> int | None:
    """Publish, for the same target, the version that target had before this one; None when there was none."""
    with engine.connect() as conn:
        current = conn.execute(select(Publication.__table__).where(Publication.id == publication_id)).first()
        if current is None:
            return None
        earlier = conn.execute(select(Publication.version_id).where(
            Publication.package_id == current.package_id, Publication.target_type == current.target_type,
            Publication.target == current.target, Publication.id < current.id,
            Publication.version_id != current.version_id).order_by(Publication.id.desc()).limit(1)).scalar()
    if earlier is None:
        return None
    return publish(engine, earlier, current.target_type, current.target, by=by)


def list_publications(engine: Engine, active_only: bool = True) -> list[dict]:
    query = (select(Publication.__table__, PackageVersion.version, PackageVersion.sha256)
             .join(PackageVersion, PackageVersion.id == Publication.version_id)
             .order_by(Publication.package_id, Publication.id.desc()))
    if active_only:
        query = query.where(Publication.active.is_(True))
    with engine.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(query).all()]


def kiosk_row(engine: Engine, credential_key: str, name: str) -> dict:
    """The portal's record of a kiosk, created on first contact (branch "main" until an admin sets it)."""
    with engine.connect() as conn:
        row = conn.execute(select(Kiosk.__table__).where(Kiosk.credential_key == credential_key)).first()
    if row is not None:
        return dict(row._mapping)
    try:
        with write_transaction(engine) as conn:
            conn.execute(Kiosk.__table__.insert().values(credential_key=credential_key, name=name, branch="main",
                                                         last_seen=None, report="{}"))
    except IntegrityError:
        pass  # a concurrent first request of the same kiosk created it
    return kiosk_row(engine, credential_key, name)


def catalog_for(engine: Engine, kiosk_key: str, branch: str, now: datetime) -> list[dict]:
    """The live versions for one kiosk: per package the most specific publication whose schedule includes now."""
    chosen: dict[str, tuple] = {}
    for pub in list_publications(engine):
        if pub["starts"] is not None and pub["starts"] > now:
            continue
        if pub["ends"] is not None and pub["ends"] <= now:
            continue
        applies = (pub["target_type"] == "all" or (pub["target_type"] == "branch" and pub["target"] == branch)
                   or (pub["target_type"] == "kiosk" and pub["target"] == kiosk_key))
        if not applies:
            continue
        rank = (_SPECIFICITY[pub["target_type"]], pub["id"])
        if pub["package_id"] not in chosen or rank > chosen[pub["package_id"]][0]:
            chosen[pub["package_id"]] = (rank, pub)
    return [{"id": pid, "version": pub["version"], "sha256": pub["sha256"], "version_id": pub["version_id"]}
            for pid, (_rank, pub) in sorted(chosen.items())]


def catalog_etag(entries: list[dict]) -> str:
    body = json.dumps(entries, sort_keys=True).encode("utf-8")
    return hashlib.sha256(body).hexdigest()[:32]


def record_heartbeat(engine: Engine, credential_key: str, report: dict, now: datetime) -> None:
    with write_transaction(engine) as conn:
        conn.execute(update(Kiosk).where(Kiosk.credential_key == credential_key).values(
            last_seen=now, report=json.dumps(report, ensure_ascii=False)))  # bounded by the API's body limit


def list_kiosks(engine: Engine) -> list[dict]:
    with engine.connect() as conn:
        rows = conn.execute(select(Kiosk.__table__).order_by(Kiosk.name)).all()
    out = []
    for row in rows:
        data = dict(row._mapping)
        data["report"] = json.loads(data["report"] or "{}")
        out.append(data)
    return out


def set_branch(engine: Engine, credential_key: str, branch: str) -> None:
    with write_transaction(engine) as conn:
        conn.execute(update(Kiosk).where(Kiosk.credential_key == credential_key).values(branch=branch.strip()[:100]))
