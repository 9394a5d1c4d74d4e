"""Sign-in throttling: wrong passwords make the next try wait, doubling each time, per name and client address,
per address and (loosely) per name. Nothing depends on whether the name exists, and no wait is longer than
MAX_WAIT: an anonymous caller can slow a name down from its own address, never lock it out for others.

Counts live in the database (every server process sees them) and are forgotten an hour after the last failure.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from server.portal.models import LoginThrottle


@dataclass(frozen=True)
class Rule:
    kind: str
    free: int  # failures without a wait
    max_wait: float  # seconds


# Same name, same address: the guessing itself. Same address, any name: spraying one password over many names.
# Same name, any address: a guess spread over many addresses (a short cap, so it never shuts the account).
RULES = (Rule("pair", 5, 900.0), Rule("address", 20, 900.0), Rule("name", 50, 60.0))
# When clients cannot be told apart (address "": everyone arrives from 127.0.0.1 through a proxy that is not
# trusted, see PROXY_HOPS), the caller and the account's owner share every key: short waits only.
SHARED_RULES = (Rule("name", 5, 30.0),)
FORGET_AFTER = timedelta(hours=1)


def _keys(name: str, address: str) -> list[tuple[Rule, str, str]]:
    name, address = name.strip()[:80], address[:64]
    values = {"pair": f"{name}\x1f{address}", "address": address, "name": name}
    return [(rule, f"{rule.kind}:{values[rule.kind]}"[:200], "" if rule.kind == "address" else name)
            for rule in (RULES if address else SHARED_RULES)]


def wait_seconds(conn, name: str, address: str, now: datetime) -> int:
    """How long this name from this address must still wait before a password is checked (0: go ahead)."""
    keys = [key for _rule, key, _account in _keys(name, address)]
    rows = conn.execute(select(LoginThrottle.wait_until).where(LoginThrottle.key.in_(keys))).scalars().all()
    waits = [(until - now).total_seconds() for until in rows if until is not None and until > now]
    return int(max(waits) + 0.999) if waits else 0


def record_failure(conn, name: str, address: str, now: datetime) -> None:
    for rule, key, account in _keys(name, address):
        row = conn.execute(select(LoginThrottle.failures, LoginThrottle.last_failure)
                           .where(LoginThrottle.key == key)).first()
        failures = 1 if row is None or now - row.last_failure > FORGET_AFTER else row.failures + 1
        over = failures - rule.free
        until = now + timedelta(seconds=min(2.0 ** over, rule.max_wait)) if over > 0 else None
        values = {"failures": failures, "last_failure": now, "wait_until": until}
        if row is None:
            try:
                with conn.begin_nested():
                    conn.execute(LoginThrottle.__table__.insert().values(key=key, account=account, **values))
                continue
            except IntegrityError:  # another process counted the first failure at the same moment
                pass
        conn.execute(update(LoginThrottle).where(LoginThrottle.key == key).values(**values))


def record_success(conn, name: str, address: str) -> None:
    """The right password from this address: its own count for this name starts again (the others do not)."""
    pair = [key for rule, key, _account in _keys(name, address) if rule.kind == "pair"]
    conn.execute(delete(LoginThrottle).where(LoginThrottle.key.in_(pair)))


def waits_by_account(conn, now: datetime) -> dict[str, datetime]:
    """Names with a wait in force (for its name or for the name from some address), and when the longest ends."""
    rows = conn.execute(select(LoginThrottle.account, LoginThrottle.wait_until)
                        .where(LoginThrottle.account != "", LoginThrottle.wait_until > now)).all()
    waits: dict[str, datetime] = {}
    for account, until in rows:
        waits[account] = max(until, waits.get(account, until))
    return waits


def forget_account(conn, name: str) -> None:
    """An admin's unlock: every wait on this name ends."""
    conn.execute(delete(LoginThrottle).where(LoginThrottle.account == name.strip()[:80]))
