"""The phone's e-book pages (server/ebooks): contents and poem pages in plain HTML with pinyin as ruby (or none),
the EPUB download with its content type and a name a phone keeps, a QR open counted per day and book with nothing
about the phone, a friendly 404, and a curator's published ebook package served like a bundled one."""
from __future__ import annotations

import io
import json
import re
import shutil
import zipfile
from pathlib import Path

from sqlalchemy import text

from experiences.ebook.book import load_from_package
from experiences.package import open_package

CONTENT = Path(__file__).resolve().parents[2] / "content"
TANG = "org.yuedu.ebooks.tangshi"


def test_the_contents_page_lists_every_poem_and_reads_without_javascript(client):
    book = load_from_package(open_package(CONTENT / "ebook-tangshi"))
    page = client.get(f"/e/{TANG}")
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    assert "<script" not in html
    assert '<ruby>唐<rt>táng</rt></ruby>' in html  # the title with its pinyin
    links = re.findall(rf'href="/e/{re.escape(TANG)}/(\d+)"', html)
    assert [int(n) for n in links] == list(range(1, len(book.poems) + 1))
    for section in ("五言绝句", "七言律诗", "乐府"):
        assert f"<h3>{section}</h3>" in html
    assert f'href="/e/{TANG}/book.epub"' in html and 'download' in html
    assert client.get(f"/e/{TANG}/cover.png").data == (CONTENT / "ebook-tangshi" / "cover.png").read_bytes()


def test_a_poem_page_has_its_pinyin_and_the_toggle_takes_it_away(client):
    book = load_from_package(open_package(CONTENT / "ebook-tangshi"))
    number = next(i for i, p in enumerate(book.poems, 1) if p.title == "登鹳雀楼")
    poem = book.poems[number - 1]
    html = client.get(f"/e/{TANG}/{number}").get_data(as_text=True)
    rubies = re.findall(r"<ruby>(.)<rt>([^<]+)</rt></ruby>", html.split('class="poem"')[1].split("</div>")[0])
    assert rubies == [(c, s) for line, row in zip(poem.lines, poem.pinyin) for c, s in zip(line, row) if s]
    assert f'rel="prev" href="/e/{TANG}/{number - 1}"' in html and f'rel="next" href="/e/{TANG}/{number + 1}"' in html
    toggle = re.search(r'class="toggle" href="([^"]+)">([^<]+)<', html)
    assert toggle.group(2) == "隐藏拼音" and toggle.group(1) == f"/e/{TANG}/{number}?py=0"
    plain = client.get(toggle.group(1)).get_data(as_text=True)
    assert "<ruby>" not in plain and poem.lines[0] in re.sub(r"<[^>]+>", "", plain)
    # the reader's choice goes along with every link of the page
    assert f'rel="next" href="/e/{TANG}/{number + 1}?py=0"' in plain
    assert re.search(r'class="toggle" href="([^"]+)">显示拼音<', plain).group(1) == f"/e/{TANG}/{number}"
    english = client.get(f"/e/{TANG}/{number}?lang=en").get_data(as_text=True)
    assert "Hide pinyin" in english and '<html lang="en">' in english


def test_the_epub_downloads_with_its_type_and_a_name(client):
    response = client.get(f"/e/{TANG}/book.epub")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/epub+zip"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="org.yuedu.ebooks.tangshi.epub"')
    assert "filename*=UTF-8''%E5%94%90%E8%AF%97%E4%B8%89%E7%99%BE%E9%A6%96.epub" in disposition  # 唐诗三百首.epub
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        assert archive.read("mimetype") == b"application/epub+zip"
    again = client.get(f"/e/{TANG}/book.epub", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_a_qr_open_is_counted_per_day_and_book_with_nothing_about_the_phone(app, client, admin):
    headers = {"User-Agent": "Mozilla/5.0 (iPhone) MicroMessenger", "X-Forwarded-For": "203.0.113.9"}
    first = client.get(f"/e/{TANG}?from=waterfall", headers=headers)
    assert first.status_code == 303 and first.headers["Location"].endswith(f"/e/{TANG}")
    client.get(f"/e/{TANG}?from=waterfall&py=0")
    client.get(f"/e/{TANG}?from=ebook")
    client.get(f"/e/{TANG}?from=somewhere-else")
    client.head(f"/e/{TANG}?from=ebook")  # a link preview, not a reader
    client.get(f"/e/{TANG}")  # the page itself (a reload, a bookmark): not counted again
    client.get("/e/org.example.nothing?from=ebook")  # no such book: nothing stored
    engine = app.extensions["yuedu"].engine
    with engine.connect() as conn:
        rows = sorted(tuple(r[1:]) for r in conn.execute(text("SELECT day, package, source, n FROM ebook_opens")))
        columns = [c[1] for c in conn.execute(text("PRAGMA table_info(ebook_opens)"))] if \
            engine.dialect.name == "sqlite" else None
    assert rows == [(TANG, "ebook", 1), (TANG, "other", 1), (TANG, "waterfall", 2)]
    if columns is not None:
        assert columns == ["day", "package", "source", "n"]  # no address, agent or time of day
    assert client.get("/api/ebooks/opens").status_code in (302, 401)  # staff only
    opens = admin.get("/api/ebooks/opens").get_json()
    assert opens["books"] == [{"package": TANG, "opens": 4, "by_screen": {"ebook": 1, "other": 1, "waterfall": 2}}]


def test_an_unknown_book_gets_a_kind_page_not_an_error(client):
    missing = client.get("/e/org.example.nothing")
    assert missing.status_code == 404 and "这本书找不到了" in missing.get_data(as_text=True)
    assert client.get("/e/org.example.nothing/book.epub").status_code == 404
    assert client.get(f"/e/{TANG}/9999").status_code == 302


def test_a_published_ebook_package_is_served_and_wins_over_the_bundled_copy(app, client, tmp_path):
    from experiences.validation import pack_package
    from server.portal.publish import publish

    folder = tmp_path / "qjs"
    shutil.copytree(CONTENT / "ebook-qianjiashi", folder)
    toml = (folder / "experience.toml").read_text(encoding="utf-8")
    (folder / "experience.toml").write_text(toml.replace('version = "1.0.0"', 'version = "1.1.0"'), encoding="utf-8")
    book = json.loads((folder / "book.json").read_text(encoding="utf-8"))
    book["title"], book["title_pinyin"] = "千家诗（馆藏版）", ["qiān", "jiā", "shī", "", "guǎn", "cáng", "bǎn", ""]
    (folder / "book.json").write_text(json.dumps(book, ensure_ascii=False), encoding="utf-8")
    store = app.extensions["yuedu_portal_store"]
    upload = store.incoming("qjs.zip")
    report = pack_package(folder, upload)
    assert report.ok, [str(p) for p in report.problems]
    ingested = store.ingest(upload, "curator")  # the portal's own path: validated, stored by its sha256
    assert ingested.ok, [str(p) for p in ingested.report.problems]
    version_id = ingested.version_id
    engine = app.extensions["yuedu"].engine
    publish(engine, version_id, "all", "", by="curator")
    html = client.get("/e/org.yuedu.ebooks.qianjiashi").get_data(as_text=True)
    assert "千家诗（馆藏版）" in re.sub(r"<rt>[^<]*</rt>|<[^>]+>", "", html)
    epub = client.get("/e/org.yuedu.ebooks.qianjiashi/book.epub")
    with zipfile.ZipFile(io.BytesIO(epub.data)) as archive:
        assert "千家诗（馆藏版）" in archive.read("OEBPS/content.opf").decode("utf-8")
