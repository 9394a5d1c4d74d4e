"""The statement for one scan of a 去书架找一找 card's QR code (`/c/<record>`): someone opened the book's record.

Counted without any personal data: the actor is one anonymous account shared by every scan (no address, no user
agent, no cookie, nothing that tells two phones or two scans apart), the book is the activity as in the kiosk's
`was recommended` statements (experiences/bookstatements.py: `urn:isbn:` where there is an ISBN, else the short
link), and the experience whose card was scanned is the parent. Pure: no Flask, no database.
"""
from __future__ import annotations

import datetime as dt
import urllib.parse
import uuid

from server.catalogue.model import Record

SCANNED_VERB = "https://w3id.org/yuedu/xapi/verbs/scanned"
SCANNED_DISPLAY = {"en-US": "scanned", "zh-CN": "扫码查看"}
BOOK_TYPE = "http://id.tincanapi.com/activitytype/book"  # as experiences/bookstatements.py
EXTENSIONS = "https://w3id.org/yuedu/xapi/extensions/"
ANONYMOUS = "anonymous"  # the one account every scan is counted under
PLATFORM = "Yuedu catalogue link"


def book_iri(record: Record, short_link: str) -> str:
    """The book as an activity, the same IRI the kiosk's `was recommended` statement used for it."""
    return f"urn:isbn:{record.isbn}" if record.isbn else short_link


def experience_iri(base: str, package: str) -> str:
    """A parent for a scan when no kiosk statement names the experience's IRI: under this server's address."""
    return f"{base.rstrip('/')}/activities/{urllib.parse.quote(package, safe='')}"


def package_of(parent_iri: str) -> str:
    """The package id an experience's activity IRI ends with (…/activities/<package>), as the funnel reads it."""
    return urllib.parse.unquote(parent_iri.rstrip("/").rsplit("/", 1)[-1])


def anonymous_actor(base: str) -> dict:
    return {"objectType": "Agent", "account": {"homePage": base.rstrip("/") + "/", "name": ANONYMOUS}}


def scan_statement(record: Record, short_link: str, base: str, parent_iri: str | None,
                   now: dt.datetime) -> dict:
    """`scanned` for one scan of `record`'s card; `parent_iri` the experience whose card it was (None: unknown)."""
    names = {"book-record": record.id}
    holding = record.best_holding()
    if holding is not None and holding.call_number:
        names["call-number"] = holding.call_number
    context: dict = {"platform": PLATFORM, "language": "zh-CN",
                     "extensions": {EXTENSIONS + k: v for k, v in names.items()}}
    if parent_iri:
        # no definition: the kiosks' own statements define the experience
        context["contextActivities"] = {"parent": [{"objectType": "Activity", "id": parent_iri}]}
    return {
        "id": str(uuid.uuid4()),
        "actor": anonymous_actor(base),
        "verb": {"id": SCANNED_VERB, "display": SCANNED_DISPLAY},
        "object": {"objectType": "Activity", "id": book_iri(record, short_link),
                   "definition": {"type": BOOK_TYPE, "name": {"zh-CN": record.title}}},
        "context": context,
        "timestamp": now.astimezone(dt.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
    }
