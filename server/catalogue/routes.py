"""The catalogue over HTTP: `GET /api/catalogue/cards` for kiosks (any credential), and `/c/<record>`, the short
link in a card's QR code: it counts the scan (a number per day and book, and a `scanned` statement under one
anonymous account: nothing about the phone or its owner) and redirects to the library's OPAC record.
"""
from __future__ import annotations

import datetime as dt
import logging
import urllib.parse
from dataclasses import replace
from functools import wraps
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, jsonify, redirect, request, send_file

from server.auth import Principal
from server.catalogue import scans
from server.catalogue.rules import YOUNG_BANDS
from server.catalogue.store import CatalogueStore
from server.wall.access import _basic_principal, kiosk_required, staff_required
from server.xapi.validate import StatementValidator

log = logging.getLogger(__name__)

catalogue_bp = Blueprint("catalogue", __name__)
EXTENSION = "yuedu_catalogue"


def catalogue_store() -> CatalogueStore:
    app = current_app
    if EXTENSION not in app.extensions:
        app.extensions[EXTENSION] = CatalogueStore(app.extensions["yuedu"].engine)
    return app.extensions[EXTENSION]


def images_root() -> Path:
    """Where covers fetched at import and floor plans are kept (CATALOGUE_IMAGE_DIR, else the data directory)."""
    from server.catalogue.images import default_dir

    return Path(current_app.config.get("CATALOGUE_IMAGE_DIR") or default_dir())


def card_json(card, plans) -> dict:
    """A card as kiosks and the portal's preview get it (server/catalogue/images.py: card_view)."""
    from server.catalogue.images import card_view

    return card_view(card, plans, images_root())


def availability():
    """The SIP2 availability cache when the library configured its ILS (`catalogue links --sip2 HOST:PORT`)."""
    from server.catalogue.sip2 import TTL, Availability, SIP2Client

    address = catalogue_store().setting("sip2")
    if not address:
        return None
    cached = current_app.extensions.get("yuedu_sip2")
    if cached is None or cached[0] != address:
        host, _, port = address.rpartition(":")
        client = SIP2Client(host, int(port), catalogue_store().setting("sip2_institution"))
        cached = (address, Availability(client.statuses, ttl=float(current_app.config.get("CATALOGUE_SIP2_TTL", TTL))))
        current_app.extensions["yuedu_sip2"] = cached
    return cached[1]


def with_live_status(cards: list, band: str | None) -> list:
    """The cards with each copy's state as the ILS says now (or as last known when it cannot be reached)."""
    live = availability()
    if live is None or not cards:
        return cards
    statuses = live.statuses([h.barcode for c in cards for h in c.record.holdings if h.barcode])
    out = []
    for card in cards:
        holdings = [replace(h, status=statuses.get(h.barcode, h.status)) for h in card.record.holdings]
        record = replace(card.record, holdings=holdings)
        out.append(replace(card, record=record, holding=record.best_holding(children=band in YOUNG_BANDS)))
    return out


def short_link(record_id: str) -> str:
    """The card's QR target: the library's public address of this service (setting public_url) or this host."""
    base = catalogue_store().setting("public_url") or request.host_url
    return f"{base.rstrip('/')}/c/{urllib.parse.quote(record_id, safe='')}"


@catalogue_bp.get("/api/catalogue/cards")
@kiosk_required
def cards():
    kind, item = request.args.get("kind", "").strip(), request.args.get("item", "").strip()
    if not kind or not item:
        return jsonify(error="give ?kind=…&item=… (what the visitor just met)"), 400
    try:
        limit = min(5, max(1, int(request.args.get("k", 3))))
    except ValueError:
        limit = 3
    band = request.args.get("band") or None
    found = with_live_status(catalogue_store().cards(kind, item, band, limit), band)
    plans = catalogue_store().plans()
    return jsonify(kind=kind, item=item, cards=[{**card_json(c, plans), "qr": short_link(c.record.id)} for c in found])


def kiosk_or_staff(view):
    """A kiosk's credential over HTTP Basic, or a signed-in curator (the portal shows the same pictures)."""
    from server.portal.access import login_required

    through_portal = login_required("curator")(view)

    @wraps(view)
    def wrapped(*args, **kwargs):
        if _basic_principal() is not None:
            return view(*args, **kwargs)
        return through_portal(*args, **kwargs)
    return wrapped


@catalogue_bp.get("/catalogue/images/<kind>/<name>")
@kiosk_or_staff
def image(kind: str, name: str):
    """A cover fetched at import or a floor plan: stored under names we made (hashes), never a caller's path."""
    from server.catalogue.images import safe_name

    if kind not in ("covers", "plans") or not safe_name(name):
        abort(404)
    path = images_root() / kind / name
    if not path.is_file():
        abort(404)
    response = send_file(path, mimetype="image/png" if name.endswith(".png") else "image/jpeg", max_age=86400)
    response.headers["Cache-Control"] = "private, max-age=86400"
    return response


@catalogue_bp.get("/c/<path:record_id>")
def scan(record_id: str):
    store = catalogue_store()
    template = store.setting("opac_url")
    record = store.record(record_id)
    if record is None or not template:
        return Response("这本书的目录链接不存在 / no catalogue link for this book", 404,
                        {"Content-Type": "text/plain; charset=utf-8"})
    package = request.args.get("from", "")[:200]  # which experience's card; nothing else is read
    store.count_scan(record_id, package)
    try:
        record_scan(store, record, package)
    except Exception:  # the reader still gets the book: a statement lost is a count lost, never a dead link
        log.exception("the scan of %s was counted but its statement was not stored", record_id)
    return redirect(template.replace("{id}", urllib.parse.quote(record_id, safe="")), 302)


# Who stores scan statements: the service itself, not a credential (none is in the request; `credential_id` NULL).
SCAN_PRINCIPAL = Principal(None, "yuedu-catalogue-link", "书目二维码 / catalogue QR link", "kiosk")  # type: ignore[arg-type]


def record_scan(store: CatalogueStore, record, package: str) -> dict:
    """A `scanned` statement (server/catalogue/scans.py) into the LRS, checked by the LRS's own validator."""
    base = store.setting("public_url") or request.host_url
    link = short_link(record.id)
    book = scans.book_iri(record, link)
    parent = store.experience_parent(book, package) or (scans.experience_iri(base, package) if package else None)
    statement = scans.scan_statement(record, link, base, parent, dt.datetime.now(dt.timezone.utc))
    StatementValidator("1.0").statement(statement)
    current_app.extensions["yuedu"].statements.store([statement], principal=SCAN_PRINCIPAL, version="1.0.3")
    return statement


@catalogue_bp.get("/api/catalogue/funnel")
@staff_required
def shelf_funnel():
    """从体验到书架 for the wall and staff: per experience, books recommended, QR scans, borrowed within 14 days."""
    return jsonify(experiences=[f.as_json() for f in catalogue_store().funnel()])
