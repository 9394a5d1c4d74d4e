"""The wall's 从体验到书架 panel (issue #19) in Debian's chromium: the kiosk's `was recommended` statements, scans of
the cards' QR codes (`/c/<id>`, stored as `scanned` statements) and the ILS's loans export (`launcher.py catalogue
loans`) become per-experience figures and top books on the lobby page; the panel takes turns with the other
panels; empty states say what is missing. Screenshots at 1920×1080 and 1080×1920 (YUEDU_WALL_SCREENSHOTS)."""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from experiences.bookstatements import recommended
from experiences.engagement import ListSink, Place, SessionReporter
from experiences.kiosk.shelf import ShelfCard
from server.catalogue.store import CatalogueStore
from tests.catalogue_samples import import_samples
from tests.server.a11y_audit import audit, chromium
from tests.server.portal_helpers import kiosk_auth, serving
from wall_fixtures import NOW, TOKEN, make_app, seed

PLACE = Place(activity_base="https://lib.example.org/", library="图书馆", branch="总馆", kiosk_id="kiosk-a1",
              kiosk_name="大厅一号")  # the activity base of server/wall/generate.py: its packages' titles


def import_catalogue(app) -> CatalogueStore:
    return import_samples(app.extensions["yuedu"].engine)


def show_cards(client, headers: dict, package: str, kind: str, item: str, visits: int, day: dt.date) -> list[str]:
    """`visits` visitors each see the cards for `item` after `package` on `day`; the kiosk sends its statements."""
    cards = [ShelfCard(**{k: v for k, v in c.items() if k in ("id", "title", "isbn", "qr", "call_number", "rule")})
             for c in client.get(f"/api/catalogue/cards?kind={kind}&item={item}", headers=headers).get_json()["cards"]]
    at = dt.datetime.combine(day, dt.time(3)).replace(tzinfo=dt.timezone.utc).timestamp()
    statements = []
    for _ in range(visits):
        session = SessionReporter(ListSink(), PLACE, age_band="6-8", wall_clock=lambda: at)
        statements += [recommended(session, card, package, "recitation", "1.0.0") for card in cards]
    answer = client.post("/xapi/statements", json=statements, headers={**headers, "X-Experience-API-Version": "1.0.3"})
    assert answer.status_code == 200
    return [c.id for c in cards]


@pytest.fixture
def wall_with_books(tmp_path):
    import launcher

    app = make_app(tmp_path, WALL_POLL_SECONDS=1, WALL_SHELF_SECONDS=0)
    seed(app, 300)  # the packages' titles come from the kiosks' statements, as on a real wall
    store = import_catalogue(app)
    client = app.test_client()
    headers, _key, _secret = kiosk_auth(app, "kiosk-a1")
    day = NOW.date() - dt.timedelta(days=3)
    poems = show_cards(client, headers, "poems-recital", "poem", "静夜思", 4, day)
    idioms = show_cards(client, headers, "idioms-children", "idiom", "班门弄斧", 2, day)
    assert poems[0] == "SAMPLE-0003" and "SAMPLE-0001" in idioms
    for record, package, times in (("SAMPLE-0003", "poems-recital", 3), ("SAMPLE-0001", "idioms-children", 1)):
        for _ in range(times):
            assert client.get(f"/c/{record}?from={package}").status_code == 302
    loans = tmp_path / "loans.csv"
    loans.write_text("barcode,date,patron\n"  # a patron column the import never reads
                     f"S0000301,{NOW.date() - dt.timedelta(days=1)},P-7\n"  # 静夜思 绘本, after its recommendation
                     f"S0000101,{NOW.date() - dt.timedelta(days=2)},P-8\n"  # 班门弄斧 绘本, after its recommendation
                     f"S0000102,{day - dt.timedelta(days=5)},P-9\n",  # 班门弄斧 again, before: not counted
                     encoding="utf-8")
    assert launcher.main(["catalogue", "loans", str(loans), "--db", app.config["DATABASE_URL"]]) == 0
    with serving(app) as url:
        yield app, url, store, len(poems), len(idioms)


def cells(page, row: int) -> list[str]:
    return [c.strip() for c in page.locator(f"#shelf-experiences tbody tr:nth-child({row}) > *").all_inner_texts()]


def test_the_wall_shows_from_play_to_the_shelf(wall_with_books, tmp_path):
    app, base, store, poem_cards, idiom_cards = wall_with_books
    shots = Path(os.environ.get("YUEDU_WALL_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1920, "height": 1080})
        page.goto(f"{base}/wall?token={TOKEN}&view=shelf")
        assert page.locator("#shelf").is_visible() and not page.locator(".visitors").is_visible()
        assert page.locator("#shelf-title").inner_text() == "从体验到书架"
        # Both experiences borrowed one book; poems were scanned more: they come first.
        assert cells(page, 1) == ["唐诗朗诵", str(4 * poem_cards), "3", "1"]
        assert cells(page, 2) == ["成语灯笼", str(2 * idiom_cards), "1", "1"]
        total = [c.strip() for c in page.locator("#shelf-experiences tfoot tr > *").all_inner_texts()]
        assert total == ["合计", str(4 * poem_cards + 2 * idiom_cards), "4", "2"]
        assert page.locator(".shelf h3").inner_text() == "推荐后借得最多的书"
        first = page.locator("#shelf-books li").first
        assert first.locator(".book-title").inner_text() == "《静夜思 李白诗歌绘本》"
        assert first.locator(".book-call").inner_text() == "索书号 I222.742/L33"
        assert first.locator(".book-n").inner_text().startswith("借阅 1 次 · 扫码 3 次")
        assert page.locator("#shelf-no-loans").count() == 0
        # Big enough to read across the room: figures ≥ 60 px, names and book titles ≥ 44 px, notes ≥ 30 px.
        sizes = page.evaluate("""() => Object.fromEntries([['figure', '#shelf-experiences tbody td'],
            ['name', '#shelf-experiences tbody th'], ['book', '.book-title'], ['call', '.book-call'],
            ['note', '.shelf-note'], ['heading', '#shelf-title']].map(([k, s]) =>
            [k, parseFloat(getComputedStyle(document.querySelector(s)).fontSize)]))""")
        assert sizes["figure"] >= 60 and sizes["name"] >= 44 and sizes["book"] >= 44 and sizes["call"] >= 36
        assert sizes["note"] >= 30 and sizes["heading"] >= 60
        assert not overflowing(page), overflowing(page)
        page.screenshot(path=str(shots / "wall-shelf-1920x1080.png"))
        page.set_viewport_size({"width": 1080, "height": 1920})
        assert cells(page, 1)[1:] == [str(4 * poem_cards), "3", "1"]
        assert not overflowing(page), overflowing(page)
        page.screenshot(path=str(shots / "wall-shelf-1080x1920.png"))

        # Without &view= the panels and 从体验到书架 take turns (the page's clock, run ahead).
        rotating = browser.new_page(viewport={"width": 1920, "height": 1080})
        rotating.clock.install()
        rotating.goto(f"{base}/wall?token={TOKEN}")
        assert rotating.locator(".visitors").is_visible() and not rotating.locator("#shelf").is_visible()
        rotating.clock.fast_forward(21_000)
        rotating.wait_for_function("() => document.getElementById('wall').classList.contains('view-shelf')",
                                   timeout=5000)
        assert rotating.locator("#shelf").is_visible() and not rotating.locator(".visitors").is_visible()
        rotating.clock.fast_forward(21_000)
        rotating.wait_for_function("() => document.getElementById('wall').classList.contains('view-main')",
                                   timeout=5000)
        assert rotating.locator(".visitors").is_visible()

        # WCAG 2.1 AA measured (axe-core and the project's checks, tests/server/a11y_audit.py) in both layouts.
        for width, height in ((1920, 1080), (1080, 1920)):
            audited = browser.new_page(viewport={"width": width, "height": height}, bypass_csp=True)
            audited.goto(f"{base}/wall?token={TOKEN}&view=shelf")
            report = audit(audited, f"wall 从体验到书架 {width}x{height}", check_targets=False)
            print(report.summary())
            assert not report.failures and not report.contrast_unknown, report.failures
            assert report.text_checked >= 30 and report.lowest_text >= 4.5
            audited.close()
    assert (shots / "wall-shelf-1920x1080.png").stat().st_size > 20000


def overflowing(page) -> list[str]:
    """Text in the shelf panel cut by its box (scrollWidth beyond clientWidth) or below the panel's bottom."""
    return page.evaluate("""() => {
        const panel = document.getElementById('shelf').getBoundingClientRect();
        return [...document.querySelectorAll('#shelf th, #shelf td, #shelf li > span, #shelf p, #shelf h2, #shelf h3')]
          .filter(e => e.scrollWidth > e.clientWidth + 1 || e.getBoundingClientRect().bottom > panel.bottom + 1)
          .map(e => e.textContent.trim()); }""")


def test_empty_states_say_what_is_missing(tmp_path):
    app = make_app(tmp_path, WALL_SHELF_SECONDS=0)
    seed(app, 50)
    client = app.test_client()

    def shelf_text() -> str:
        html = client.get(f"/wall?token={TOKEN}&view=shelf").get_data(as_text=True)
        return html.split('id="shelf"', 1)[1]

    page = shelf_text()
    assert "尚未导入馆藏书目" in page and 'data-rotate="no"' in client.get(f"/wall?token={TOKEN}").get_data(as_text=True)
    import_catalogue(app)
    page = shelf_text()
    assert "尚无推荐数据" in page and "尚无借阅数据" in page
    assert 'data-rotate="yes"' in client.get(f"/wall?token={TOKEN}").get_data(as_text=True)
    english = client.get(f"/wall?token={TOKEN}&view=shelf&lang=en").get_data(as_text=True)
    assert "No recommendations yet" in english and "No loans yet" in english
