"""Covers fetched by the server at import (from a real HTTP server started here: a good cover, a page that is not
a picture, bytes that only claim to be one, a picture too large, a server too slow, a missing one), served to
kiosks by our own server; floor plans with shelves found by location code and call-number range, and the card
API carrying the shelf's map."""
from __future__ import annotations

import io
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from PIL import Image

from server.catalogue import images, marc
from server.catalogue.plans import FloorPlan, PlanError, Shelf, call_key, card_map, find_shelf, make_shelf
from server.catalogue.store import CatalogueStore
from tests.server.portal_helpers import engine_of, kiosk_auth, make_app


def picture(fmt: str = "JPEG", size=(900, 1200), colour=(200, 80, 60)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, fmt)
    return out.getvalue()


class CoverServer:
    """A small web server of covers, good and bad, counting the requests per path."""

    def __init__(self):
        self.hits: dict[str, int] = {}
        routes = {
            "/good.jpg": (200, "image/jpeg", picture()),
            "/page.html": (200, "text/html; charset=utf-8", b"<html>not a cover</html>"),
            "/fake.jpg": (200, "image/jpeg", b"\xff\xd8 this is no JPEG at all"),
            "/huge.png": (200, "image/png", None),  # says it is 50 MB
        }
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                owner.hits[self.path] = owner.hits.get(self.path, 0) + 1
                if self.path == "/slow.jpg":
                    time.sleep(1.5)
                if self.path not in routes:
                    try:
                        self.send_error(404)
                    except (BrokenPipeError, ConnectionResetError):
                        pass
                    return
                code, kind, body = routes[self.path]
                try:
                    self.send_response(code)
                    self.send_header("Content-Type", kind)
                    self.send_header("Content-Length", str(50_000_000 if body is None else len(body)))
                    self.end_headers()
                    if body:
                        self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (as it should)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def covers():
    server = CoverServer()
    yield server
    server.close()


def csv_with_covers(base: str) -> bytes:
    rows = ["id,title,call_number,location,status,cover"]
    for n, path in enumerate(["/good.jpg", "/page.html", "/fake.jpg", "/huge.png", "/slow.jpg", "/missing.jpg"], 1):
        rows.append(f"B{n},成语故事{n},H136.3/W{n},少儿阅览室,available,{base}{path}")
    rows.append("B7,没有封面的书,H136.3/W7,少儿阅览室,available,")
    rows.append("B8,本地文件的封面,H136.3/W8,少儿阅览室,available,file:///etc/passwd")
    return ("\n".join(rows) + "\n").encode()


def test_covers_are_fetched_at_import_with_limits_and_served_to_kiosks(tmp_path, covers):
    app = make_app(tmp_path, CATALOGUE_IMAGE_DIR=str(tmp_path / "images"))
    store = CatalogueStore(engine_of(app))
    report = store.import_records(marc.read_any(io.BytesIO(csv_with_covers(covers.url)), "books.csv"))
    assert report.stored == 8 and [p for p, _ in report.covers_wanted] == [1, 2, 3, 4, 5, 6]  # not file://
    started = time.monotonic()
    report.fetch_covers(tmp_path / "images", timeout=1.0)
    assert time.monotonic() - started < 5  # the slow server costs one time limit, fetched side by side
    assert report.covers == 1
    reasons = {line.split(":", 1)[0]: line for line in report.cover_errors}
    assert len(report.cover_errors) == 5
    assert "text/html" in reasons["第 2 条 / record 2"]
    assert "不是能打开的图片" in reasons["第 3 条 / record 3"]
    assert "图片太大" in reasons["第 4 条 / record 4"]
    assert "超时" in reasons["第 5 条 / record 5"]
    assert "404" in reasons["第 6 条 / record 6"]
    assert "封面 1 张，取不到 5 张" in report.summary()

    headers, _key, _secret = kiosk_auth(app)
    client = app.test_client()
    body = client.get("/api/catalogue/cards?kind=idiom&item=成语故事&k=5", headers=headers).get_json()
    by_id = {c["id"]: c for c in body["cards"]}
    path = by_id["B1"]["cover"]
    assert path.startswith("/catalogue/images/covers/") and path.endswith(".jpg")
    assert all(by_id[i]["cover"] == "" for i in by_id if i != "B1")  # drawn on the kiosk
    served = client.get(path, headers=headers)
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    stored = Image.open(io.BytesIO(served.data))
    assert max(stored.size) == images.COVER_MAX_PX  # scaled down from 900×1200
    assert client.get(path).status_code in (302, 401)  # neither a kiosk nor staff
    assert client.get("/catalogue/images/covers/..%2Fportal.sqlite3", headers=headers).status_code == 404
    assert client.get("/catalogue/images/other/" + path.rsplit("/", 1)[1], headers=headers).status_code == 404

    again = store.import_records(marc.read_any(io.BytesIO(csv_with_covers(covers.url)), "books.csv"))
    again.fetch_covers(tmp_path / "images", timeout=1.0)
    assert covers.hits["/good.jpg"] == 1 and again.covers == 1  # kept, not fetched again
    engine_of(app).dispose()


def test_marc_856_names_a_cover():
    xml = f"""<?xml version="1.0" encoding="UTF-8"?>
<collection xmlns="http://www.loc.gov/MARC21/slim"><record><leader>00000nam a2200000   4500</leader>
<controlfield tag="001">C1</controlfield>
<datafield tag="245" ind1="1" ind2="0"><subfield code="a">画蛇添足</subfield></datafield>
<datafield tag="856" ind1="4" ind2="2"><subfield code="3">目次</subfield><subfield code="u">https://x.example/toc</subfield></datafield>
<datafield tag="856" ind1="4" ind2="2"><subfield code="q">image/jpeg</subfield><subfield code="u">https://x.example/c.jpg</subfield></datafield>
</record><record><leader>00000nam a2200000   4500</leader>
<controlfield tag="001">C2</controlfield>
<datafield tag="245" ind1="1" ind2="0"><subfield code="a">守株待兔</subfield></datafield>
<datafield tag="856" ind1="4" ind2="2"><subfield code="3">封面</subfield><subfield code="u">https://x.example/2.jpg</subfield></datafield>
</record></collection>"""
    records = [p.record for p in marc.read_any(io.BytesIO(xml.encode()), "x.xml")]
    assert [r.cover for r in records] == ["https://x.example/c.jpg", "https://x.example/2.jpg"]


def test_call_numbers_sort_as_the_classification_does():
    ordered = ["I2", "I207.22/X11", "I22", "I222.742/H45", "I222.742/L33", "I222.7421/A1", "I23", "K876.41/M12"]
    assert sorted(ordered, key=call_key) == ordered
    poetry = Shelf("s1", 0.1, 0.1, 0.1, 0.1, "A3", "", "I222", "I222.9")
    assert poetry.holds("I222.742/L33", "三楼文学区") and poetry.holds("I222.9/Z1", "")
    assert not poetry.holds("I223/A1", "") and not poetry.holds("I207.22/X11", "") and not poetry.holds("", "")
    kids = Shelf("s2", 0.5, 0.5, 0.1, 0.1, "少儿", "少儿阅览室", "I222", "")
    assert kids.holds("I222.742/L33", "少儿阅览室") and not kids.holds("I222.742/L33", "三楼文学区")
    assert not Shelf("s3", 0, 0, 0.1, 0.1).holds("I222", "少儿阅览室")  # a shelf with no condition holds nothing


def test_a_shelf_from_the_form_says_what_to_fix():
    shelf = make_shelf("10", "20.5", "5", "30", "A3", "", "I222", "I222.9")
    assert (shelf.x, shelf.y, shelf.w, shelf.h) == (0.1, 0.205, 0.05, 0.3)
    for args, zh in ((("x", "1", "5", "5"), "要写数字"), (("1", "1", "0", "5"), "太小"),
                     (("90", "1", "20", "5"), "超出"), (("1", "1", "5", "5"), "位置代码或索书号范围"),
                     (("1", "1", "5", "5", "", "", "I3", "I2"), "起点比终点大")):
        with pytest.raises(PlanError) as error:
            make_shelf(*args)
        assert zh in error.value.zh and error.value.en
    plans = [FloorPlan("p", "二楼", "abc.png", 800, 600, [Shelf("a", .1, .1, .1, .1, "A", "", "H", "H9"), shelf])]
    assert find_shelf(plans, "I222.742/L33", "")[1] is shelf
    assert card_map(plans, "K876.41", "", str) is None
    assert card_map(plans, "I222.742/L33", "", lambda n: "/x/" + n) == {
        "plan": "/x/abc.png", "plan_name": "二楼", "width": 800, "height": 600, "shelf": [0.1, 0.205, 0.05, 0.3],
        "label": "A3"}


def test_a_plan_image_is_checked_scaled_and_stored(tmp_path):
    name, width, height = images.store_plan(tmp_path, picture("PNG", (4800, 2400)))
    assert (width, height) == (2400, 1200) and (tmp_path / "plans" / name).is_file() and images.safe_name(name)
    with pytest.raises(images.ImageError):
        images.store_plan(tmp_path, b"GIF89a but nothing else")
    assert not images.safe_name("../x.png") and not images.safe_name("a/b.png") and not images.safe_name(".png")


def test_catalogue_cards_prints_the_shelf_and_the_map(tmp_path, monkeypatch, capsys):
    import json
    from argparse import Namespace

    from server.catalogue import commands

    monkeypatch.setenv("YUEDU_DATA_DIR", str(tmp_path / "data"))
    app = make_app(tmp_path)
    store = CatalogueStore(engine_of(app))
    csv = "id,title,call_number,location,status\nB1,静夜思绘本,I222.742/L33,少儿阅览室,available\n"
    store.import_records(marc.read_any(io.BytesIO(csv.encode()), "b.csv"))
    store.save_plans([FloorPlan("p1", "二楼少儿阅览室", "ab12.png", 800, 600, [make_shelf("5", "5", "10", "20", "B2",
                                                                                    "少儿阅览室")])])
    url = str(engine_of(app).url)
    assert commands.run_cards(Namespace(db=url, kind="poem", item="静夜思", band=None, json=False)) == 0
    assert "书架 / shelf: B2（平面图 / plan: 二楼少儿阅览室）" in capsys.readouterr().out
    commands.run_cards(Namespace(db=url, kind="poem", item="静夜思", band=None, json=True))
    card = json.loads(capsys.readouterr().out)[0]
    assert card["map"]["plan"] == "/catalogue/images/plans/ab12.png" and card["cover"] == ""
    engine_of(app).dispose()


def test_a_folder_that_cannot_be_written_is_said_plainly(tmp_path):
    (tmp_path / "plans").write_text("a file where the folder should be")
    with pytest.raises(images.ImageError) as error:
        images.store_plan(tmp_path, picture("PNG", (100, 80)))
    assert "存不下" in error.value.zh
