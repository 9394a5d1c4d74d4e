"""The staff pages of the catalogue bridge through a browser-like client (sign-in, CSRF): import a catalogue with
every bad record listed in 中文 and English, rules in words, added, deleted and edited as text (a bad line
refused), the card preview with the rule behind each card, and floor plans with shelves that reach the kiosks'
card JSON."""
from __future__ import annotations

import io
from pathlib import Path

from PIL import Image

from server.catalogue.store import CatalogueStore
from tests.server.portal_helpers import engine_of, kiosk_auth, make_app, signed_in

DATA = Path(__file__).resolve().parents[1] / "data" / "catalogue"


def app_and_curator(tmp_path):
    app = make_app(tmp_path, CATALOGUE_IMAGE_DIR=str(tmp_path / "images"))
    return app, signed_in(app, "curator")


def import_file(browser, name: str, data: bytes | None = None, **form):
    stream = io.BytesIO(data) if data is not None else open(DATA / name, "rb")
    with stream:
        return browser.post("/portal/catalogue/import", {"catalogue": (stream, name), **form},
                            page="/portal/catalogue", content_type="multipart/form-data")


def test_only_staff_reach_the_pages(tmp_path):
    app = make_app(tmp_path)
    client = app.test_client()
    for path in ("/portal/catalogue", "/portal/catalogue/plans"):
        assert client.get(path).status_code == 302
    assert client.post("/portal/catalogue/rules", data={"rules": ""}).status_code in (400, 401)
    engine_of(app).dispose()


def test_import_lists_every_bad_record_and_stores_the_rest(tmp_path):
    app, curator = app_and_curator(tmp_path)
    page = import_file(curator, "sample-marc21.mrc")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "读到 8 条，存入 5 条" in html and "read 8, stored 5" in html
    assert html.count('<li class="error">') == 3
    assert "第 4 条 / record 4: 记录被截断" in html and "TruncatedRecord" in html
    assert "第 6 条 / record 6: 没有题名 (245/200) / no title" in html
    assert CatalogueStore(engine_of(app)).count() == 5
    nothing = curator.post("/portal/catalogue/import", {}, page="/portal/catalogue")
    assert nothing.status_code == 400 and "请选择一个文件" in nothing.get_data(as_text=True)
    bad_url = curator.post("/portal/catalogue/import", {"oai_url": "ftp://x"}, page="/portal/catalogue")
    assert bad_url.status_code == 400 and "http://" in bad_url.get_data(as_text=True)
    refused = curator.post("/portal/catalogue/import", {"oai_url": "http://127.0.0.1:9/oai"}, page="/portal/catalogue")
    assert refused.status_code == 400 and "收割失败" in refused.get_data(as_text=True)
    english = curator.get("/portal/catalogue?lang=en").get_data(as_text=True)
    assert "Import records" in english and "The catalogue holds 5 records." in english
    engine_of(app).dispose()


def test_rules_in_words_added_deleted_and_edited_and_the_preview_follows(tmp_path):
    app, curator = app_and_curator(tmp_path)
    import_file(curator, "sample-marc21.mrc")
    import_file(curator, "sample.csv")
    html = curator.get("/portal/catalogue?kind=idiom&item=班门弄斧").get_data(as_text=True)
    assert "中图法分类号以 H136.3 开头" in html and "少儿读物加 80 分" in html  # the shipped rules, in words
    first = html.index('class="book-card"')
    assert 'data-id="SAMPLE-0001"' in html[first:first + 60]
    assert "idiom * title {item}" in html  # the rule that chose it

    added = curator.post("/portal/catalogue/rules/add", {"kind": "idiom", "item": "班门弄斧", "how": "pick",
                                                          "value": "SAMPLE-C2", "note": "馆员精选",
                                                          "keep_kind": "idiom", "keep_item": "班门弄斧"},
                         page="/portal/catalogue")
    assert added.status_code == 302 and "item=" in added.headers["Location"]
    html = curator.get("/portal/catalogue?kind=idiom&item=班门弄斧").get_data(as_text=True)
    first = html.index('class="book-card"')
    assert 'data-id="SAMPLE-C2"' in html[first:first + 60]  # the hand-picked book now comes first
    assert "精选书，总排第一：SAMPLE-C2" in html and "idiom 班门弄斧 pick SAMPLE-C2  # 馆员精选" in html

    store = CatalogueStore(engine_of(app))
    line = store.rules_text().splitlines().index("idiom 班门弄斧 pick SAMPLE-C2  # 馆员精选") + 1
    stale = curator.post(f"/portal/catalogue/rules/{line}/delete", {"line": "poem * clc I222.742"},
                         page="/portal/catalogue")
    assert stale.status_code == 302 and "SAMPLE-C2" in store.rules_text()  # not the line the page showed
    assert "没有删除" in curator.get(stale.headers["Location"]).get_data(as_text=True)
    assert curator.post(f"/portal/catalogue/rules/{line}/delete", {"line": "idiom 班门弄斧 pick SAMPLE-C2  # 馆员精选"},
                        page="/portal/catalogue").status_code == 302
    assert "SAMPLE-C2" not in store.rules_text()

    bad = curator.post("/portal/catalogue/rules", {"rules": "idiom * title\n"}, page="/portal/catalogue")
    text = bad.get_data(as_text=True)
    assert bad.status_code == 400 and "第 1 行 / line 1" in text and "a rule has four parts" in text
    assert "SAMPLE" not in store.rules_text() and "idiom  *  title" in store.rules_text()  # nothing stored
    wrong_how = curator.post("/portal/catalogue/rules/add", {"kind": "poem", "item": "*", "how": "colour",
                                                              "value": "red"}, page="/portal/catalogue")
    assert wrong_how.status_code == 400 and "方式只能是" in wrong_how.get_data(as_text=True)
    assert curator.post("/portal/catalogue/rules", {"rules": "poem * title {item}\n"},
                        page="/portal/catalogue").status_code == 302
    assert store.rules_text() == "poem * title {item}\n"
    html = curator.get("/portal/catalogue?kind=idiom&item=班门弄斧").get_data(as_text=True)
    assert 'id="preview-none"' in html  # no rule for idioms any more: no cards
    engine_of(app).dispose()


def plan_png(size=(800, 600)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (236, 232, 222)).save(out, "PNG")
    return out.getvalue()


def test_a_shelf_marked_on_a_plan_reaches_the_kiosks_card(tmp_path):
    app, curator = app_and_curator(tmp_path)
    import_file(curator, "sample-marc21.mrc")
    refused = curator.post("/portal/catalogue/plans", {"name": "二楼", "image": (io.BytesIO(b"not a picture"), "p.png")},
                           page="/portal/catalogue/plans", content_type="multipart/form-data")
    assert refused.status_code == 400 and "不是能打开的图片" in refused.get_data(as_text=True)
    made = curator.post("/portal/catalogue/plans", {"name": "二楼少儿阅览室", "image": (io.BytesIO(plan_png()), "p.png")},
                        page="/portal/catalogue/plans", content_type="multipart/form-data")
    assert made.status_code == 302
    plan_url = made.headers["Location"]
    page = curator.get(plan_url).get_data(as_text=True)
    assert 'id="plan-svg"' in page and "plan.js" in page
    nothing = curator.post(plan_url + "/shelves", {"x": "10", "y": "10", "w": "8", "h": "20"}, page=plan_url)
    assert nothing.status_code == 400 and "位置代码或索书号范围" in nothing.get_data(as_text=True)
    saved = curator.post(plan_url + "/shelves", {"x": "10", "y": "15", "w": "8", "h": "20", "label": "A3",
                                                 "location": "少儿阅览室", "call_from": "H136", "call_to": "H136.9"},
                         page=plan_url)
    assert saved.status_code == 302
    assert "A3" in curator.get(plan_url).get_data(as_text=True)

    headers, _k, _s = kiosk_auth(app)
    cards = app.test_client().get("/api/catalogue/cards?kind=idiom&item=班门弄斧&band=6-8",
                                  headers=headers).get_json()["cards"]
    lit = cards[0]
    assert lit["location"] == "少儿阅览室" and lit["call_number"] == "H136.3/W12"
    assert lit["map"]["shelf"] == [0.1, 0.15, 0.08, 0.2] and lit["map"]["label"] == "A3"
    assert (lit["map"]["width"], lit["map"]["height"]) == (800, 600)
    served = app.test_client().get(lit["map"]["plan"], headers=headers)
    assert served.status_code == 200 and served.mimetype == "image/png"
    assert all(c["map"] is None for c in cards if c["location"] != "少儿阅览室")
    preview = curator.get("/portal/catalogue?kind=idiom&item=班门弄斧&band=6-8").get_data(as_text=True)
    assert 'class="plan-map"' in preview and "在这里" in preview

    shelf_id = CatalogueStore(engine_of(app)).plans()[0].shelves[0].id
    assert curator.post(f"{plan_url}/shelves/{shelf_id}/delete", {}, page=plan_url).status_code == 302
    cards = app.test_client().get("/api/catalogue/cards?kind=idiom&item=班门弄斧", headers=headers).get_json()["cards"]
    assert all(c["map"] is None for c in cards)
    assert curator.post(f"{plan_url}/delete", {}, page=plan_url).status_code == 302
    assert CatalogueStore(engine_of(app)).plans() == []
    engine_of(app).dispose()
