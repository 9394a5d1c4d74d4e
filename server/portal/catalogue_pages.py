"""Staff pages of the catalogue bridge (issue #19): import a catalogue (a file or an OAI-PMH harvest) with every
bad record listed, the link rules in words and editable, and a preview of the 去书架找一找 cards a kiosk would
show for an item (what `launcher.py catalogue cards KIND ITEM` prints, with the rule that chose each).
"""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for

from server.catalogue import marc
from server.catalogue.rules import BASE_SCORE, HOWS, ITEM_BONUS, RuleError, parse_rules
from server.portal.access import login_required
from server.portal.blueprint import portal_bp, tr
from server.portal.pages import _audit

KINDS = ("idiom", "poem", "poet", "exhibit", "package")
BANDS = ("3-5", "6-8", "9-12", "13+")
SHOWN_ERRORS = 200


def _store():
    from server.catalogue.routes import catalogue_store

    return catalogue_store()


def kind_words(kind: str) -> str:
    return tr("catalogue.kind_any") if kind == "*" else (tr(f"catalogue.kinds.{kind}")
                                                         if kind in KINDS else kind)


def rule_rows(rules_text: str) -> list[dict]:
    """The rules as a table in words: for what, how books are found, the score, the note."""
    rows = []
    for rule in parse_rules(rules_text):
        score = BASE_SCORE.get(rule.how, 0) + (ITEM_BONUS if rule.item != "*" else 0)
        if rule.how == "clc":
            score += 10 * len(rule.value.strip())
        item = tr("catalogue.every_item") if rule.item == "*" else f"「{rule.item}」"
        rows.append({"line": rule.line_no, "how": rule.how, "for": f"{kind_words(rule.kind)} · {item}",
                     "words": tr(f"catalogue.how_{rule.how}",
                                 value=rule.value.replace("{item}", tr("catalogue.the_item"))),
                     "score": tr("catalogue.score_juvenile") if rule.how == "juvenile" else str(score),
                     "note": rule.note, "raw": rules_text.splitlines()[rule.line_no - 1]})
    return rows


def _page(status: int = 200, **extra):
    store = _store()
    rules_text = extra.pop("rules_text", None) or store.rules_text()
    try:
        rows = rule_rows(rules_text)
    except RuleError:
        rows = rule_rows(store.rules_text())  # the stored rules while the curator fixes the typed ones
    kind = request.args.get("kind", "idiom")
    item = request.args.get("item", "").strip()
    band = request.args.get("band", "") if request.args.get("band", "") in BANDS else ""
    preview = None
    if item:
        from server.catalogue.routes import card_json

        plans = store.plans()
        preview = [card_json(card, plans) for card in store.cards(kind, item, band or None)]
    values = {"kind": kind, "item": item, "band": band, **extra.pop("values", {})}
    return render_template("catalogue.html", count=store.count(), rules_text=rules_text, rules=rows,
                           kinds=KINDS, hows=HOWS, bands=BANDS, preview=preview, values=values,
                           report=extra.pop("report", None), errors=extra.pop("errors", {}), **extra), status


@portal_bp.get("/catalogue")
@login_required("curator")
def catalogue_page():
    return _page()


@portal_bp.post("/catalogue/import")
@login_required("curator")
def catalogue_import():
    upload = request.files.get("catalogue")
    url = request.form.get("oai_url", "").strip()
    flavour = {"marc21": False, "unimarc": True}.get(request.form.get("flavour", ""))
    has_file = upload is not None and bool(upload.filename)
    values = {"oai_url": url, "flavour": request.form.get("flavour", "auto")}
    if not has_file and not url:
        return _page(400, errors={"catalogue": tr("catalogue.nothing")}, values=values)
    if has_file and url:
        return _page(400, errors={"catalogue": tr("catalogue.both")}, values=values)
    store = _store()
    if url:
        from server.catalogue.oai import HarvestError, harvest

        if not url.startswith(("http://", "https://")):
            return _page(400, errors={"oai_url": tr("catalogue.bad_url")}, values=values)
        try:
            report = harvest(url, store, "marc21")
        except (HarvestError, OSError, ValueError) as error:
            return _page(400, errors={"oai_url": tr("catalogue.harvest_failed", error=str(error)[:300])},
                         values=values)
        source = url
    else:
        source = upload.filename[:200]
        report = store.import_records(marc.read_any(upload.stream, source, flavour))
    if request.form.get("covers") and report.covers_wanted:
        from server.catalogue.routes import images_root

        report.fetch_covers(images_root())
    _audit("catalogue_import", source, report.summary())
    return _page(200, report=report, values=values)


def _save_rules(text: str, values: dict | None = None):
    try:
        _store().set_rules(text)
    except RuleError as error:
        return _page(400, rules_text=text, errors={"rules": tr("catalogue.rule_error", error=str(error))},
                     values=values or {})
    _audit("catalogue_rules", detail=f"{len(text.splitlines())} lines")
    flash(tr("catalogue.rules_saved"))
    kept = _preview_args()
    return redirect(url_for("portal.catalogue_page", **kept) + ("#preview" if kept else "#rules"))


def _preview_args() -> dict:
    """The preview the curator was looking at, kept across a rule change so its cards can be compared."""
    return {k: request.form[f"keep_{k}"] for k in ("kind", "item", "band") if request.form.get(f"keep_{k}")}


@portal_bp.post("/catalogue/rules")
@login_required("curator")
def catalogue_rules():
    return _save_rules(request.form.get("rules", "").replace("\r\n", "\n"))


@portal_bp.post("/catalogue/rules/add")
@login_required("curator")
def catalogue_rule_add():
    form = {k: " ".join(request.form.get(k, "").split()) for k in ("kind", "item", "how", "value", "note")}
    value = form["value"].replace(" ", "")  # one word: a rule's parts are separated by spaces
    item = form["item"].replace(" ", "") or "*"
    line = f"{form['kind'] or '*'} {item} {form['how']} {value}" + (f"  # {form['note']}" if form["note"] else "")
    current = _store().rules_text()
    return _save_rules(current.rstrip("\n") + "\n" + line + "\n", {f"new_{k}": v for k, v in form.items()})


@portal_bp.post("/catalogue/rules/<int:line_no>/delete")
@login_required("curator")
def catalogue_rule_delete(line_no: int):
    lines = _store().rules_text().splitlines()
    # only the line the curator saw: the rules may have changed since the page was drawn (another curator)
    if not (1 <= line_no <= len(lines) and lines[line_no - 1].strip() == request.form.get("line", "").strip()):
        flash(tr("catalogue.rules_changed"), "error")
        return redirect(url_for("portal.catalogue_page", **_preview_args()) + "#rules")
    del lines[line_no - 1]
    return _save_rules("\n".join(lines) + "\n")
