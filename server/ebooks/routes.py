"""The phone's side of an e-book: `/e/<package id>` (the table of contents, what a kiosk's QR opens),
`/e/<id>/<n>` (one poem), `/e/<id>/book.epub` (the EPUB 3, application/epub+zip) and `/e/<id>/cover.png`.

Plain HTML that reads without JavaScript: pinyin on or off is a link (`?py=0`), the language `?lang=en`. A QR's
`?from=ebook|waterfall` is counted (a number per day, book and screen; nothing about the phone or who holds it)
and dropped by a redirect, so a reload or a bookmark is not counted again. Staff read the counts at
`/api/ebooks/opens`.
"""
from __future__ import annotations

import datetime as dt
import urllib.parse
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, jsonify, redirect, render_template, request, url_for
from sqlalchemy import text

from experiences.i18n import register_catalog_dir, t
from server.db import write_transaction
from server.wall.access import staff_required

register_catalog_dir(Path(__file__).resolve().parent.parent / "messages")
ebooks_bp = Blueprint("ebooks", __name__, template_folder="templates", static_folder="static",
                      static_url_path="/e-static")
EXTENSION = "yuedu_ebooks"
SOURCES = ("ebook", "waterfall")  # the kiosk screens whose QR codes lead here (experiences/ebook/links.py)
EPUB_TYPE = "application/epub+zip"


def library():
    from server.ebooks.library import Library

    app = current_app
    if EXTENSION not in app.extensions:
        folders = app.config.get("EBOOK_DIRS")
        app.extensions[EXTENSION] = Library(app.extensions["yuedu"].engine,
                                            [Path(f) for f in folders] if folders else None,
                                            app.extensions.get("yuedu_portal_store"))
    return app.extensions[EXTENSION]


def page_lang() -> str:
    return "en" if request.args.get("lang") == "en" else "zh-CN"


def pinyin_on() -> bool:
    return request.args.get("py") != "0"


def keep(**changes) -> str:
    """This page's reader settings (pinyin, language) as a query string, with `changes` applied."""
    params = {"py": "0" if not pinyin_on() else None, "lang": "en" if page_lang() == "en" else None}
    params.update(changes)
    query = {k: v for k, v in params.items() if v is not None}
    return ("?" + urllib.parse.urlencode(query)) if query else ""


def _entry_or_404(package_id: str):
    entry = library().find(package_id)
    if entry is None:
        lang = page_lang()
        body = render_template("ebook_missing.html", lang=lang, _=lambda key, **v: t(f"ebookpage.{key}", lang, **v))
        abort(Response(body, 404, {"Content-Type": "text/html; charset=utf-8"}))
    return entry


def phrases(line: str) -> list[tuple[int, int]]:
    """(start, end) of each phrase of a line: a phrase ends after its punctuation (a phone wraps between them)."""
    out, start = [], 0
    for index, char in enumerate(line):
        if char in "，。；：、！？,.;:!?" and index + 1 < len(line):
            out.append((start, index + 1))
            start = index + 1
    return out + [(start, len(line))]


def _render(template: str, **values) -> str:
    lang = page_lang()
    return render_template(template, lang=lang, pinyin=pinyin_on(), keep=keep, phrases=phrases,
                           _=lambda key, **v: t(f"ebookpage.{key}", lang, **v), **values)


def count_open(package_id: str, source: str, day: dt.date | None = None) -> None:
    values = {"d": (day or dt.date.today()).isoformat(), "p": package_id[:200], "s": source}
    with write_transaction(current_app.extensions["yuedu"].engine) as conn:
        updated = conn.execute(text("UPDATE ebook_opens SET n = n + 1 WHERE day = :d AND package = :p "
                                    "AND source = :s"), values).rowcount
        if not updated:
            conn.execute(text("INSERT INTO ebook_opens (day, package, source, n) VALUES (:d, :p, :s, 1)"), values)


@ebooks_bp.get("/e/<package_id>")
def contents(package_id: str):
    entry = _entry_or_404(package_id)
    source = request.args.get("from")
    if source is not None:
        if request.method == "GET":  # a link preview's HEAD is not a reader
            count_open(entry.package_id, source if source in SOURCES else "other")
        return redirect(url_for("ebooks.contents", package_id=package_id) + keep(), 303)
    book, cover = library().book(entry)
    return _render("ebook_contents.html", book=book, package_id=package_id, has_cover=bool(cover))


@ebooks_bp.get("/e/<package_id>/<int:number>")
def poem(package_id: str, number: int):
    entry = _entry_or_404(package_id)
    book, _cover = library().book(entry)
    if not 1 <= number <= len(book.poems):
        return redirect(url_for("ebooks.contents", package_id=package_id) + keep(), 302)
    section = next((s.title for s in book.sections if number - 1 in s.poems), "")
    return _render("ebook_poem.html", book=book, package_id=package_id, number=number, poem=book.poems[number - 1],
                   section=section, total=len(book.poems))


@ebooks_bp.get("/e/<package_id>/book.epub")
def epub(package_id: str):
    entry = _entry_or_404(package_id)
    book, _cover = library().book(entry)
    data = library().epub(entry)
    ascii_name = "".join(c if c.isalnum() or c in ".-" else "-" for c in package_id) + ".epub"
    disposition = (f"attachment; filename=\"{ascii_name}\"; "
                   f"filename*=UTF-8''{urllib.parse.quote(book.title + '.epub')}")
    response = Response(data, 200, {"Content-Type": EPUB_TYPE, "Content-Disposition": disposition,
                                     "Cache-Control": "public, max-age=3600", "ETag": f'"{entry.digest[:32]}"'})
    return response.make_conditional(request)


@ebooks_bp.get("/e/<package_id>/cover.png")
def cover(package_id: str):
    entry = _entry_or_404(package_id)
    data = library().cover(entry)
    if data is None:
        abort(404)
    return Response(data, 200, {"Content-Type": "image/png", "Cache-Control": "public, max-age=3600"})


@ebooks_bp.get("/api/ebooks/opens")
@staff_required
def opens():
    """Per book: reading pages opened from a kiosk QR (per screen), the last `days` days (default 90)."""
    try:
        days = max(1, min(3660, int(request.args.get("days", 90))))
    except ValueError:
        days = 90
    since = (dt.date.today() - dt.timedelta(days=days - 1)).isoformat()
    totals: dict[str, dict] = {}
    with current_app.extensions["yuedu"].engine.connect() as conn:
        for package, source, n in conn.execute(text(
                "SELECT package, source, sum(n) FROM ebook_opens WHERE day >= :d GROUP BY package, source "
                "ORDER BY package, source"), {"d": since}):
            row = totals.setdefault(package, {"package": package, "opens": 0, "by_screen": {}})
            row["opens"] += int(n)
            row["by_screen"][source] = int(n)
    return jsonify(since=since, books=sorted(totals.values(), key=lambda r: (-r["opens"], r["package"])))
