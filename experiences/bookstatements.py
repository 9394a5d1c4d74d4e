"""Statements about books on the library's shelves (issue #19): a 去书架找一找 card showed a visitor a book.

The book is the activity: `urn:isbn:<ISBN>` when the record has one, else the card's short link on the
library's server (an IRI that names the record), else an IRI under the kiosk's activity base. The experience
that led to it is the parent activity, so the wall can count books recommended per experience. Pure: no pygame.
"""
from __future__ import annotations

import uuid

from experiences.engagement import (PLATFORM, VERBS, SessionReporter, _extensions, iso_timestamp)

BOOK_TYPE = "http://id.tincanapi.com/activitytype/book"


def book_activity(session: SessionReporter, card) -> dict:
    if card.isbn:
        iri = f"urn:isbn:{card.isbn}"
    elif card.qr.startswith(("http://", "https://")):
        iri = card.qr
    else:
        iri = session.place.iri("books", card.id)
    return {"objectType": "Activity", "id": iri,
            "definition": {"type": BOOK_TYPE, "name": {"zh-CN": card.title}}}


def recommended(session: SessionReporter, card, package_id: str, kind: str, version: str) -> dict:
    """The statement for one card shown after `package_id` (a ShelfCard: id, title, isbn, qr, call_number, rule)."""
    place = session.place
    names = {"kiosk": place.kiosk_id, "kiosk-name": place.kiosk_name, "library": place.library,
             "branch": place.branch, "kind": kind, "package-version": version, "book-record": card.id}
    if card.call_number:
        names["call-number"] = card.call_number
    if card.rule:
        names["book-rule"] = card.rule
    if session.age_band:
        names["age-band"] = session.age_band
    verb_iri, display = VERBS["recommended"]
    return {
        "id": str(uuid.uuid4()),
        "actor": session.actor,
        "verb": {"id": verb_iri, "display": display},
        "object": book_activity(session, card),
        "context": {"registration": session.session_id, "platform": PLATFORM, "language": place.language,
                    "contextActivities": {"parent": [{"objectType": "Activity",
                                                      "id": place.iri("activities", package_id)}]},
                    "extensions": _extensions(names)},
        "timestamp": iso_timestamp(session.wall_clock()),
    }
