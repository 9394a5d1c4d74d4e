"""`launcher.py catalogue import FILE|URL`, `catalogue cards KIND ITEM [--json]`, `catalogue rules [--set FILE]`."""
from __future__ import annotations

import argparse
import json
import sys


def register(subparsers) -> None:
    cat = subparsers.add_parser("catalogue", help="the library catalogue bridge: import records, check 去书架找一找 cards")
    actions = cat.add_subparsers(dest="action", metavar="ACTION", required=True)
    db = argparse.ArgumentParser(add_help=False)
    db.add_argument("--db", default=None, help="database URL (default: SQLite in the data directory)")
    imp = actions.add_parser("import", parents=[db], help="import MARC21/UNIMARC (.mrc), MARCXML, CSV, or harvest "
                             "an OAI-PMH base URL (http…)")
    imp.add_argument("source", help="a file, or an OAI-PMH base URL")
    imp.add_argument("--format", choices=("auto", "marc21", "unimarc"), default="auto",
                     help="MARC flavour (default: found per record: 245 is MARC21, 200 is UNIMARC)")
    imp.add_argument("--prefix", default="marc21", help="OAI-PMH metadataPrefix (default marc21)")
    imp.add_argument("--set", default="", help="OAI-PMH set")
    imp.add_argument("--full", action="store_true", help="OAI-PMH: harvest everything, not only what changed")
    imp.add_argument("--no-covers", action="store_true", help="do not fetch the covers the records name "
                     "(kiosks then draw covers from the titles)")
    imp.set_defaults(func=run_import)
    cards = actions.add_parser("cards", parents=[db], help="the cards a kiosk would show after KIND ITEM, with the "
                               "rule that chose each (e.g. cards idiom 班门弄斧)")
    cards.add_argument("kind", help="idiom, poem, poet, exhibit, package…")
    cards.add_argument("item")
    cards.add_argument("--band", default=None, help="the visitor's age band (3-5, 6-8, 9-12, 13+)")
    cards.add_argument("--json", action="store_true")
    cards.set_defaults(func=run_cards)
    rules = actions.add_parser("rules", parents=[db], help="print the link rules, or --set FILE to replace them")
    rules.add_argument("--set", dest="set_file", default=None)
    rules.set_defaults(func=run_rules)
    loans = actions.add_parser("loans", parents=[db], help="import the ILS's loans export (CSV: barcode,date; "
                               "no patron data) for the wall's 从体验到书架")
    loans.add_argument("file")
    loans.set_defaults(func=run_loans)
    links = actions.add_parser("links", parents=[db], help="where a card's QR leads: --opac URL with {id} for the "
                               "record's control number, --public URL of this service as phones reach it")
    links.add_argument("--opac", default=None, help="e.g. https://opac.library.example/record/{id}")
    links.add_argument("--public", default=None, help="e.g. https://lrs.library.example/")
    links.add_argument("--sip2", default=None, help="the ILS's SIP2 address HOST:PORT for availability ('' for none)")
    links.add_argument("--sip2-institution", default=None, help="the SIP2 institution id (AO)")
    links.set_defaults(func=run_links)


def _store(db_url):
    from server.catalogue.store import CatalogueStore
    from server.commands import _engine

    return CatalogueStore(_engine(db_url))


def run_import(args) -> int:
    from server.catalogue import marc

    store = _store(args.db)
    unimarc = {"auto": None, "marc21": False, "unimarc": True}[args.format]
    if args.source.startswith(("http://", "https://")):
        from server.catalogue.oai import HarvestError, harvest

        try:
            report = harvest(args.source, store, args.prefix, args.set, args.full)
        except (HarvestError, OSError, ValueError) as error:
            print(f"收割失败 / harvest failed: {error}", file=sys.stderr)
            return 1
    else:
        try:
            with open(args.source, "rb") as stream:
                report = store.import_records(marc.read_any(stream, args.source, unimarc), args.source)
        except OSError as error:
            print(f"读不了文件 / cannot read the file: {error}", file=sys.stderr)
            return 1
    if not args.no_covers and report.covers_wanted:
        from server.catalogue.images import default_dir

        report.fetch_covers(default_dir())
    for line in report.errors + report.cover_errors:
        print(line, file=sys.stderr)
    print(report.summary())
    return 0 if report.stored or not report.error_count else 1


def run_cards(args) -> int:
    from server.catalogue.images import card_view, default_dir

    store = _store(args.db)
    cards = store.cards(args.kind, args.item, args.band)
    plans = store.plans()
    views = [card_view(c, plans, default_dir()) for c in cards]
    if args.json:
        print(json.dumps(views, ensure_ascii=False, indent=2))
        return 0
    if not cards:
        print(f"没有找到书 / no books for {args.kind} {args.item}")
        named = sorted({r.kind for r in store.index()[1]} - {"*"})
        if args.kind not in named:
            print(f"没有规则提到 “{args.kind}”；规则里的种类 / no rule names kind “{args.kind}”; the rules name: "
                  + (", ".join(named) or "-"))
    for n, (card, view) in enumerate(zip(cards, views), start=1):
        h = card.holding
        where = f"{h.call_number}  {h.location}  {'在架' if h.on_shelf else '不在架'}" if h else "（没有馆藏 / no copies）"
        print(f"{n}. 《{card.record.title}》 {card.record.author}  {where}\n   规则 / rule: {card.rule.text()}")
        if view["map"]:
            shelf = view["map"]["label"] or "-"
            print(f"   书架 / shelf: {shelf}（平面图 / plan: {view['map']['plan_name']}）")
    return 0


def run_rules(args) -> int:
    from server.catalogue.rules import RuleError

    store = _store(args.db)
    if args.set_file:
        try:
            with open(args.set_file, encoding="utf-8") as f:
                store.set_rules(f.read())
        except RuleError as error:
            print(error, file=sys.stderr)
            return 1
    print(store.rules_text(), end="")
    return 0


def run_links(args) -> int:
    store = _store(args.db)
    if args.opac is not None:
        if args.opac and "{id}" not in args.opac:
            print("OPAC 地址要含 {id} / the OPAC URL needs {id}", file=sys.stderr)
            return 1
        store.put_setting("opac_url", args.opac)
    if args.public is not None:
        store.put_setting("public_url", args.public)
    if args.sip2 is not None:
        if args.sip2 and not args.sip2.rpartition(":")[2].isdigit():
            print("SIP2 地址写成 主机:端口 / the SIP2 address is HOST:PORT", file=sys.stderr)
            return 1
        store.put_setting("sip2", args.sip2)
    if args.sip2_institution is not None:
        store.put_setting("sip2_institution", args.sip2_institution)
    for key in ("opac_url", "public_url", "sip2", "sip2_institution"):
        print(f"{key}: {store.setting(key) or '-'}")
    return 0


def run_loans(args) -> int:
    from server.catalogue.funnel import read_loans_csv

    try:
        with open(args.file, "rb") as stream:
            report = _store(args.db).import_loans(read_loans_csv(stream))
    except OSError as error:
        print(f"读不了文件 / cannot read the file: {error}", file=sys.stderr)
        return 1
    for line in report.errors:
        print(line, file=sys.stderr)
    print(report.summary())
    return 0
