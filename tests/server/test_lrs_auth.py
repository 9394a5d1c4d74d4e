"""Credentials: random secrets stored hashed, Basic auth on every xAPI request, revocation, the cache."""
from __future__ import annotations

from server.auth import CredentialChecker, create_credential, revoke_credential
from server.models import Credential
from sqlalchemy import select


def test_secret_is_stored_only_as_a_salted_hash(app):
    engine = app.extensions["yuedu"].engine
    made = create_credential(engine, "kiosk-7")
    with engine.connect() as conn:
        row = conn.execute(select(Credential).where(Credential.key == made.principal.key)).one()
    assert made.secret.encode() not in bytes(row.secret_hash)
    assert len(row.salt) == 16 and len(row.secret_hash) == 32
    assert len(made.secret) >= 43  # 32 random bytes


def test_requests_without_or_with_wrong_credentials_are_401(client, kiosk, make_statement):
    headers = {"X-Experience-API-Version": "1.0.3"}
    response = client.post("/xapi/statements", json=make_statement(), headers=headers)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Basic")
    wrong = kiosk.headers({"Authorization": kiosk.headers()["Authorization"][:-4] + "AAAA"})
    assert client.post("/xapi/statements", json=make_statement(), headers=wrong).status_code == 401
    garbage = dict(headers, Authorization="Basic !!!")
    assert client.post("/xapi/statements", json=make_statement(), headers=garbage).status_code == 401


def test_checker_caches_and_sees_revocation_after_ttl(app):
    engine = app.extensions["yuedu"].engine
    now = [0.0]
    checker = CredentialChecker(engine, ttl=30, clock=lambda: now[0])
    made = create_credential(engine, "kiosk-2")
    assert checker.check(made.principal.key, made.secret).scope == "kiosk"
    assert checker.check(made.principal.key, "wrong") is None
    revoke_credential(engine, made.principal.key)
    assert checker.check(made.principal.key, made.secret) is not None  # still cached
    now[0] = 31.0
    assert checker.check(made.principal.key, made.secret) is None


def test_admin_scope(app):
    made = create_credential(app.extensions["yuedu"].engine, "staff", "admin")
    assert made.principal.is_admin
