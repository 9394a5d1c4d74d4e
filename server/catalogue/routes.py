"""The catalogue over HTTP: `GET /api/catalogue/cards` for kiosks (any credential), and `/c/<record>`, the short
link in a card's QR code: it counts the scan (a number per day and book, nothing about the phone or its owner)
and redirects to the library's OPAC record.
"""
from __future__ import annotations

import urllib.parse

from flask import Blueprint, Response, current_app, jsonify, redirect, request

from server.catalogue.store import CatalogueStore
from server.wall.access import kiosk_required

catalogue_bp = Blueprint("catalogue", __name__)
EXTENSION = "yuedu_catalogue"


def catalogue_store() -> CatalogueStore:
    app = current_app
    if EXTENSION not in app.extensions:
        app.extensions[EXTENSION] = CatalogueStore(app.extensions["yuedu"].engine)
    return app.extensions[EXTENSION]


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
    found = catalogue_store().cards(kind, item, request.args.get("band") or None, limit)
    return jsonify(kind=kind, item=item, cards=[{**c.as_json(), "qr": short_link(c.record.id)} for c in found])


@catalogue_bp.get("/c/<path:record_id>")
def scan(record_id: str):
    store = catalogue_store()
    template = store.setting("opac_url")
    if store.record(record_id) is None or not template:
        return Response("这本书的目录链接不存在 / no catalogue link for this book", 404,
                        {"Content-Type": "text/plain; charset=utf-8"})
    store.count_scan(record_id)
    return redirect(template.replace("{id}", urllib.parse.quote(record_id, safe="")), 302)
