"""Voiding across authorities (issue 15, finding 1): a kiosk may void only statements it stored itself; an admin
credential may void any. A refused voiding statement changes nothing: the target stays in queries."""
from __future__ import annotations

import uuid

from server.auth import create_credential
from tests.server.conftest import XAPIClient

VOIDED = "http://adlnet.gov/expapi/verbs/voided"


def _voiding(target_id: str) -> dict:
    return {"actor": {"mbox": "mailto:kiosk@lib.example.org"}, "verb": {"id": VOIDED},
            "object": {"objectType": "StatementRef", "id": target_id}, "id": str(uuid.uuid4())}


def _kiosk(app, client, name: str) -> XAPIClient:
    made = create_credential(app.extensions["yuedu"].engine, name, "kiosk")
    return XAPIClient(client, made.principal.key, made.secret)


def test_a_kiosk_cannot_void_another_kiosks_statement(app, client, admin, make_statement):
    k1, k2 = _kiosk(app, client, "east-1"), _kiosk(app, client, "east-2")
    target = make_statement(1, id=str(uuid.uuid4()))
    assert k1.post("/xapi/statements", json=target).status_code == 200
    voiding = _voiding(target["id"])
    refused = k2.post("/xapi/statements", json=[make_statement(2), voiding])
    assert refused.status_code == 403, refused.text
    assert target["id"] in refused.text  # the reason names the statement
    # Nothing of the batch was stored, and the target is still live for its owner and for staff.
    assert k1.get(f"/xapi/statements?statementId={target['id']}").status_code == 200
    assert admin.get(f"/xapi/statements?statementId={target['id']}").status_code == 200
    assert admin.get(f"/xapi/statements?voidedStatementId={target['id']}").status_code == 404
    assert admin.get(f"/xapi/statements?statementId={voiding['id']}").status_code == 404
    # PUT is the same path.
    put = k2.put(f"/xapi/statements?statementId={voiding['id']}", json=voiding)
    assert put.status_code == 403, put.text
    assert admin.get(f"/xapi/statements?statementId={target['id']}").status_code == 200


def test_a_kiosk_voids_its_own_and_an_admin_voids_any(app, client, admin, make_statement):
    k1 = _kiosk(app, client, "east-1")
    own, other = make_statement(1, id=str(uuid.uuid4())), make_statement(2, id=str(uuid.uuid4()))
    assert k1.post("/xapi/statements", json=[own, other]).status_code == 200
    assert k1.post("/xapi/statements", json=_voiding(own["id"])).status_code == 200
    assert admin.get(f"/xapi/statements?statementId={own['id']}").status_code == 404
    assert admin.post("/xapi/statements", json=_voiding(other["id"])).status_code == 200
    assert admin.get(f"/xapi/statements?voidedStatementId={other['id']}").status_code == 200
    # A statement and its voiding in one batch of the same kiosk.
    fresh = make_statement(3, id=str(uuid.uuid4()))
    assert k1.post("/xapi/statements", json=[fresh, _voiding(fresh["id"])]).status_code == 200
    assert admin.get(f"/xapi/statements?voidedStatementId={fresh['id']}").status_code == 200
