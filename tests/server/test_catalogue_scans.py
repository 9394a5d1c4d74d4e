"""QR scans of 去书架找一找 cards as statements (issue #19): `/c/<record>` stores a `scanned` statement the LRS's own
validator takes — the book as the activity (the same IRI as the kiosk's `was recommended`), the experience whose card
it was as the parent, one anonymous account for every scan, nothing about the phone — and the funnel counts them."""
from __future__ import annotations

import datetime as dt
import json
import urllib.parse

from experiences.bookstatements import recommended
from experiences.engagement import ListSink, Place, SessionReporter
from experiences.kiosk.shelf import ShelfCard
from server.catalogue.scans import ANONYMOUS, SCANNED_VERB
from server.catalogue.store import CatalogueStore
from server.xapi.validate import StatementValidator
from tests.catalogue_samples import import_samples

PLACE = Place(activity_base="https://lib.example.org/", library="图书馆", branch="总馆", kiosk_id="k1",
              kiosk_name="一号")
PHONE = {"User-Agent": "Mozilla/5.0 (iPhone; scan-test-agent)", "X-Forwarded-For": "10.1.2.3"}


def catalogue(app) -> CatalogueStore:
    return import_samples(app.extensions["yuedu"].engine)


def shown(kiosk, package: str, item: str = "静夜思") -> list[dict]:
    """The kiosk shows the cards for `item` after `package` and sends its `was recommended` statements."""
    session = SessionReporter(ListSink(), PLACE)
    keys = ("id", "title", "isbn", "qr", "call_number", "rule")
    cards = [ShelfCard(**{k: v for k, v in c.items() if k in keys})
             for c in kiosk.get(f"/api/catalogue/cards?kind=poem&item={item}").get_json()["cards"]]
    statements = [recommended(session, card, package, "recitation", "1.0.0") for card in cards]
    assert kiosk.post("/xapi/statements", json=statements).status_code == 200
    return statements


def scans_stored(admin) -> list[dict]:
    answer = admin.get(f"/xapi/statements?verb={urllib.parse.quote(SCANNED_VERB, safe='')}&limit=50")
    assert answer.status_code == 200
    return answer.get_json()["statements"]


def test_a_scan_is_an_anonymous_statement_the_lrs_validator_takes(app, client, kiosk, admin):
    store = catalogue(app)
    recommendations = shown(kiosk, "org.example.poems")
    by_record = {s["context"]["extensions"]["https://w3id.org/yuedu/xapi/extensions/book-record"]: s
                 for s in recommendations}
    for _ in range(2):
        answer = client.get("/c/SAMPLE-0003?from=org.example.poems", headers=PHONE)
        assert answer.status_code == 302 and answer.location == "https://opac.library.example/record/SAMPLE-0003"
    assert client.get("/c/SAMPLE-0002", headers=PHONE).status_code == 302  # a printed QR: no experience named
    stored = scans_stored(admin)
    assert len(stored) == 3
    validator = StatementValidator("1.0")
    for statement in stored:
        validator.statement(statement)  # the LRS's own validator, on what it stored (authority, stored and all)
        assert statement["actor"] == {"objectType": "Agent", "account": {
            "homePage": "https://lrs.library.example/", "name": ANONYMOUS}}
        assert statement["verb"]["display"]["en-US"] == "scanned"
        assert statement["object"]["definition"]["type"] == "http://id.tincanapi.com/activitytype/book"
    poems = [s for s in stored if s["context"].get("contextActivities")]
    assert len(poems) == 2
    for statement in poems:
        # the same book and experience IRIs as the kiosk's `was recommended` for this card
        assert statement["object"]["id"] == by_record["SAMPLE-0003"]["object"]["id"]
        assert statement["context"]["contextActivities"]["parent"] == [
            {"objectType": "Activity", "id": "https://lib.example.org/activities/org.example.poems"}]
        assert statement["context"]["extensions"]["https://w3id.org/yuedu/xapi/extensions/call-number"] == \
            "I222.742/L33"
    printed = next(s for s in stored if not s["context"].get("contextActivities"))
    assert printed["object"]["id"] == "urn:isbn:9787020002207"  # 唐诗三百首 has an ISBN
    # Nothing about the phone anywhere in the database: no address, no user agent.
    with app.extensions["yuedu"].engine.connect() as conn:
        everything = json.dumps([[str(v) for v in row] for table in ("statements", "catalogue_scans", "activities")
                                 for row in conn.exec_driver_sql(f"SELECT * FROM {table}")], ensure_ascii=False)
    assert "10.1.2.3" not in everything and "scan-test-agent" not in everything and "iPhone" not in everything
    # Every scan reads alike: one actor, so scans cannot be told apart or linked to a phone.
    assert len({json.dumps(s["actor"], sort_keys=True) for s in stored}) == 1
    # The funnel counts the scan statements per experience (the printed QR's belongs to none).
    got = {f.package: f for f in store.funnel()}
    assert got["org.example.poems"].scans == 2 and got["org.example.poems"].recommended == len(recommendations)


def test_a_scan_for_an_experience_no_kiosk_named_gets_a_parent_on_this_server(app, client, admin):
    catalogue(app)
    assert client.get("/c/SAMPLE-0003?from=org.example.idioms", headers=PHONE).status_code == 302
    (statement,) = scans_stored(admin)
    assert statement["context"]["contextActivities"]["parent"][0]["id"] == \
        "https://lrs.library.example/activities/org.example.idioms"
    today = dt.date.today()
    assert {f.package: f.scans for f in CatalogueStore(app.extensions["yuedu"].engine).funnel(today)} == \
        {"org.example.idioms": 1}
