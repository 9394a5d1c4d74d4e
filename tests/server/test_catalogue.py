"""The catalogue bridge (issue #19): reading MARC21 / MARCXML / UNIMARC / CSV fixtures record by record, the
curator's link rules, storage on SQLite and PostgreSQL, the kiosks' card API, the QR short link, the CLI."""
from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from server.catalogue import marc
from server.catalogue.model import Holding, Record, normalise_isbn
from server.catalogue.rules import DEFAULT_RULES, Catalogue, RuleError, parse_rules
from server.catalogue.store import CatalogueStore
from tests.catalogue_samples import import_samples

DATA = Path(__file__).resolve().parents[1] / "data" / "catalogue"


def read(name: str) -> list[marc.Parsed]:
    with open(DATA / name, "rb") as stream:
        return list(marc.read_any(stream, name))


def good(parsed) -> dict[str, Record]:
    return {p.record.id: p.record for p in parsed if p.record}


def test_marc21_bad_records_are_errors_and_the_rest_is_read():
    parsed = read("sample-marc21.mrc")
    errors = [p for p in parsed if p.record is None]
    assert [p.position for p in errors] == [4, 5, 6]  # cut short, garbage, no title
    assert "no title" in errors[2].error and "Truncated" in errors[0].error
    records = good(parsed)
    assert set(records) == {"SAMPLE-0001", "SAMPLE-0002", "SAMPLE-0004", "SAMPLE-0005", "SAMPLE-0007"}
    book = records["SAMPLE-0001"]
    assert (book.title, book.author, book.isbn, book.clc) == ("班门弄斧 成语故事绘本", "王小明", "9787500700019", ["H136.3"])
    assert book.audience == "juvenile"  # 008/22 = j
    assert [(h.call_number, h.location, h.barcode, h.status) for h in book.holdings] == [
        ("H136.3/W12", "少儿阅览室", "S0000101", "available"), ("H136.3/W12", "二楼书库", "S0000102", "on_loan")]


def test_odd_encodings_utf8_under_a_marc8_leader_and_gb18030():
    records = good(read("sample-marc21.mrc"))
    assert records["SAMPLE-0002"].title == "唐诗三百首"  # leader/09 blank, bytes are UTF-8
    assert records["SAMPLE-0005"].title == "汉语成语大词典"  # GB18030 bytes
    assert records["SAMPLE-0005"].subjects == ["汉语－成语－词典"]


def test_unimarc_cnmarc_fields():
    parsed = read("sample-unimarc.mrc")
    assert [p.position for p in parsed if p.record is None] == [5]
    poem = good(parsed)["SAMPLE-0003"]
    assert (poem.title, poem.author, poem.clc, poem.audience) == ("静夜思 李白诗歌绘本", "李白", ["I222.742"], "juvenile")
    assert [(h.call_number, h.location, h.status) for h in poem.holdings] == [("I222.742/L33", "少儿阅览室", "on_loan")]
    assert good(parsed)["SAMPLE-0002"].isbn == "9787020002207"


def test_marcxml_and_csv():
    parsed = read("sample-marcxml.xml")
    assert len(good(parsed)) == 4 and "001" in next(p.error for p in parsed if p.record is None)
    csv_parsed = read("sample.csv")
    records = good(csv_parsed)
    assert [h.barcode for h in records["SAMPLE-C1"].holdings] == ["C0001", "C0002"]  # one record, two copies
    assert records["SAMPLE-C1"].subjects == ["成语", "游戏"] and records["SAMPLE-C1"].audience == "juvenile"
    assert any(p.record is None for p in csv_parsed)


def test_broken_xml_keeps_what_came_before():
    text = (DATA / "sample-marcxml.xml").read_bytes()
    parsed = list(marc.read_any(io.BytesIO(text[: len(text) // 2 + 40]), "cut.xml"))
    assert len(good(parsed)) >= 1 and "broken XML" in parsed[-1].error


def test_isbn_normalised():
    assert normalise_isbn("978-7-02-000220-7 (精装) : CNY25.00") == "9787020002207"
    assert normalise_isbn("7-02-000220-X") == "702000220X"
    assert normalise_isbn("not one") == ""


def catalogue() -> Catalogue:
    records = {}
    for name in ("sample-marc21.mrc", "sample-unimarc.mrc", "sample.csv"):
        records.update(good(read(name)))
    return Catalogue(list(records.values()))


def test_cards_say_which_rule_chose_them():
    rules = parse_rules(DEFAULT_RULES)
    cards = catalogue().cards(rules, "idiom", "班门弄斧")
    assert [c.record.id for c in cards] == ["SAMPLE-0001", "SAMPLE-C1", "SAMPLE-0005"]
    assert [c.rule.how for c in cards] == ["title", "subject", "clc"]
    poem = catalogue().cards(rules, "poem", "静夜思")
    assert poem[0].record.id == "SAMPLE-0003" and poem[0].rule.how == "title"
    assert {c.record.clc[0] for c in poem[1:]} <= {"I222.742", "I207.22"}
    bronze = catalogue().cards(rules, "exhibit", "鼎")
    assert [(c.record.title, c.rule.value) for c in bronze] == [("中国青铜器", "K876.41")]
    assert catalogue().cards(rules, "game", "无关") == []


def test_a_narrower_class_and_young_visitors():
    rules = parse_rules("poem * clc I2  #\npoem * clc I222.742\n* * juvenile 500\n")
    adult = catalogue().cards(rules, "poem", "春晓", band="13+")
    assert adult[0].rule.value == "I222.742"  # the narrower class scores higher
    young = catalogue().cards(rules, "poem", "春晓", band="3-5")
    assert young[0].record.audience == "juvenile"
    assert young[0].holding.location == "少儿阅览室"  # the children's room copy


def test_hand_picked_books_always_win():
    rules = parse_rules(DEFAULT_RULES + "idiom 画蛇添足 pick 978-7-5325-0004-1  # 馆员精选\n")
    cards = catalogue().cards(rules, "idiom", "画蛇添足")
    assert cards[0].record.id == "SAMPLE-0004" and cards[0].rule.note == "馆员精选"
    assert catalogue().cards(rules, "idiom", "班门弄斧")[0].record.id == "SAMPLE-0001"  # only for its item


@pytest.mark.parametrize("line, part", [("idiom * clc", "line 1"), ("idiom * near H1", "HOW must be"),
                                        ("* * juvenile lots", "number"), ("idiom * pick 123", "names its item")])
def test_bad_rules_name_the_line(line, part):
    with pytest.raises(RuleError) as caught:
        parse_rules(line)
    assert part in str(caught.value) and "第 1 行" in str(caught.value)


def test_best_holding_prefers_a_copy_on_the_shelf():
    record = Record("x", "书", holdings=[Holding("A1/1", "书库", "1", "on_loan"), Holding("A1/1", "阅览室", "2", "available")])
    assert record.best_holding().barcode == "2" and record.on_shelf


# --- the service ---------------------------------------------------------------------------------------------
def import_fixtures(store: CatalogueStore):
    import_samples(store.engine, links=False)


def test_store_import_rules_and_cards(app):
    store = CatalogueStore(app.extensions["yuedu"].engine)
    with open(DATA / "sample-marc21.mrc", "rb") as stream:
        report = store.import_records(marc.read_any(stream), "sample-marc21.mrc")
    assert (report.read, report.stored, report.error_count) == (8, 5, 3)
    assert report.errors[0].startswith("sample-marc21.mrc 第 4 条 / record 4:")
    import_fixtures(store)  # again, and newer copies: replaced, not doubled
    assert store.count() == 8
    assert store.record("SAMPLE-0003").holdings[0].status == "on_loan"
    assert store.cards("idiom", "班门弄斧")[0].record.id == "SAMPLE-0001"
    with pytest.raises(RuleError):
        store.set_rules("idiom * pick SAMPLE-0004\n")  # a pick names its item; nothing is stored
    assert store.cards("idiom", "班门弄斧")[0].record.id == "SAMPLE-0001"
    store.set_rules("idiom 班门弄斧 pick SAMPLE-0004\n")  # a rule change shows at once
    assert [c.record.id for c in store.cards("idiom", "班门弄斧")] == ["SAMPLE-0004"]
    with pytest.raises(RuleError):
        store.set_rules("nonsense")
    assert "SAMPLE-0004" in store.rules_text()
    store.import_records([], deleted_ids=["SAMPLE-0004"])
    assert store.cards("idiom", "班门弄斧") == [] and store.record("SAMPLE-0004") is None


def test_card_api_and_qr_short_link(app, client, kiosk):
    store = CatalogueStore(app.extensions["yuedu"].engine)
    import_fixtures(store)
    assert client.get("/api/catalogue/cards?kind=poem&item=静夜思").status_code == 401
    assert kiosk.get("/api/catalogue/cards?kind=poem").status_code == 400
    body = kiosk.get("/api/catalogue/cards?kind=poem&item=静夜思&band=3-5").get_json()
    first = body["cards"][0]
    assert (first["title"], first["call_number"], first["on_shelf"]) == ("静夜思 李白诗歌绘本", "I222.742/L33", False)
    assert first["rule"].startswith("poem * title {item}")
    assert first["qr"] == "http://localhost/c/SAMPLE-0003"
    assert client.get("/c/SAMPLE-0003").status_code == 404  # no OPAC address configured yet
    store.put_setting("opac_url", "https://opac.library.example/record/{id}")
    store.put_setting("public_url", "https://lrs.library.example/")
    assert kiosk.get("/api/catalogue/cards?kind=poem&item=静夜思").get_json()["cards"][0]["qr"] == \
        "https://lrs.library.example/c/SAMPLE-0003"
    for _ in range(2):
        answer = client.get("/c/SAMPLE-0003?from=org.example.poems",
                            headers={"User-Agent": "phone", "X-Forwarded-For": "10.1.2.3"})
        assert answer.status_code == 302 and answer.location == "https://opac.library.example/record/SAMPLE-0003"
    assert client.get("/c/NOT-A-BOOK").status_code == 404
    assert store.scans() == {"SAMPLE-0003": 2}
    with app.extensions["yuedu"].engine.connect() as conn:  # nothing about the phone is kept
        assert [tuple(r) for r in conn.exec_driver_sql("SELECT * FROM catalogue_scans")][0][1:] == \
            ("SAMPLE-0003", "org.example.poems", 2)


def test_cli_import_and_cards(tmp_path, capsys):
    import launcher

    db = f"sqlite:///{tmp_path / 'lrs.sqlite3'}"
    assert launcher.main(["catalogue", "import", str(DATA / "sample-marc21.mrc"), "--db", db]) == 0
    out = capsys.readouterr()
    assert "stored 5" in out.out and "record 5: 记录头损坏" in out.err
    assert launcher.main(["catalogue", "import", str(DATA / "sample-unimarc.mrc"), "--db", db]) == 0
    capsys.readouterr()
    assert launcher.main(["catalogue", "cards", "idiom", "班门弄斧", "--db", db]) == 0
    text = capsys.readouterr().out
    assert "《班门弄斧 成语故事绘本》" in text and "H136.3/W12" in text and "idiom * title {item}" in text
    assert launcher.main(["catalogue", "cards", "poem", "静夜思", "--json", "--db", db]) == 0
    cards = json.loads(capsys.readouterr().out)
    assert cards[0]["call_number"] == "I222.742/L33" and cards[0]["rule"].startswith("poem * title")
    assert launcher.main(["catalogue", "cards", "idoim", "班门弄斧", "--db", db]) == 0  # a typo in the kind
    typo = capsys.readouterr().out
    assert "no books for idoim" in typo and "no rule names kind “idoim”" in typo and "idiom" in typo.split("name:")[1]
    bad = tmp_path / "rules.txt"
    bad.write_text("idiom * nearby 成语\n", encoding="utf-8")
    assert launcher.main(["catalogue", "rules", "--set", str(bad), "--db", db]) == 1
    assert "HOW must be" in capsys.readouterr().err


def test_from_play_to_the_shelf_per_experience(app, client, kiosk, admin, tmp_path):
    """Statements the kiosk sent, scans of its cards' QR codes and the ILS's loans export, per experience."""
    import datetime as dt

    from experiences.bookstatements import recommended
    from experiences.engagement import ListSink, Place, SessionReporter
    from experiences.kiosk.shelf import ShelfCard
    from server.catalogue.funnel import read_loans_csv

    store = CatalogueStore(app.extensions["yuedu"].engine)
    import_fixtures(store)
    store.put_setting("opac_url", "https://opac.library.example/record/{id}")
    place = Place(activity_base="https://lib.example.org/", library="图书馆", branch="总馆", kiosk_id="k1",
                  kiosk_name="一号")
    today = dt.date.today()
    session = SessionReporter(ListSink(), place, wall_clock=lambda: dt.datetime.combine(
        today, dt.time(10)).replace(tzinfo=dt.timezone.utc).timestamp())
    cards = [ShelfCard(**{k: v for k, v in c.items() if k in ("id", "title", "isbn", "qr", "call_number", "rule")})
             for c in kiosk.get("/api/catalogue/cards?kind=poem&item=静夜思").get_json()["cards"]]
    statements = [recommended(session, c, "org.example.poems", "recitation", "1.0.0") for c in cards]
    statements.append(recommended(session, cards[0], "org.example.idioms", "idiom-lanterns", "1.0.0"))
    assert kiosk.post("/xapi/statements", json=statements).status_code == 200
    assert client.get("/c/SAMPLE-0003?from=org.example.poems").status_code == 302
    loans = f"barcode,date\nS0000301,{today.isoformat()}\nS0000201,{(today - dt.timedelta(days=30)).isoformat()}\n"
    report = store.import_loans(read_loans_csv(io.BytesIO(loans.encode())))
    assert (report.stored, report.error_count) == (2, 0)
    assert client.get("/api/catalogue/funnel").status_code in (302, 401)  # staff only
    got = {f["package"]: f for f in admin.get("/api/catalogue/funnel").get_json()["experiences"]}
    assert got["org.example.poems"] == {"package": "org.example.poems", "recommended": 3, "books": 3, "scans": 1,
                                        "borrowed": 1}  # 《静夜思》 borrowed today; 唐诗三百首's loan is older
    assert got["org.example.idioms"]["recommended"] == 1 and got["org.example.idioms"]["borrowed"] == 1
