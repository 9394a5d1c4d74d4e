"""A staff member in a real browser (Playwright driving Debian's chromium, the portal's CSP in force): imports a
catalogue and sees the bad records listed, edits a rule and sees a kiosk's card change (the page's preview and the
card JSON the kiosk's own client fetches), uploads a floor plan and marks a shelf by dragging a box on it, and the
kiosk's card then carries the shelf's map, which the kiosk keeps and draws with the shelf lit. Then the pages are
audited for WCAG 2.1 AA (axe-core + tests/server/a11y_checks.js) at full width and at 320 px."""
from __future__ import annotations

import os
from pathlib import Path

import pygame
import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from experiences import drawlog
from experiences.kiosk.shelf import ShelfSource
from experiences.kiosk.shelf_screen import ShelfScreen
from experiences.screencheck import check_screen
from experiences.text import TextRenderer
from server.portal.accounts import create_user
from tests.server.a11y_audit import audit, chromium, reflow_failures
from tests.server.portal_helpers import browser_sign_in, engine_of, kiosk_auth, make_app, serving

DATA = Path(__file__).resolve().parents[1] / "data" / "catalogue"


def floor_plan(path: Path) -> Path:
    """A plan as a curator draws one: walls, two rows of shelves, a door (sample data)."""
    image = Image.new("RGB", (1000, 700), (240, 236, 226))
    pen = ImageDraw.Draw(image)
    pen.rectangle((10, 10, 990, 690), outline=(80, 80, 80), width=8)
    for i in range(7):
        pen.rectangle((80 + i * 125, 110, 150 + i * 125, 300), fill=(168, 138, 98))
        pen.rectangle((80 + i * 125, 420, 150 + i * 125, 600), fill=(168, 138, 98))
    pen.rectangle((430, 670, 570, 690), fill=(255, 255, 255))
    image.save(path)
    return path


@pytest.fixture
def live(tmp_path):
    app = make_app(tmp_path / "server", CATALOGUE_IMAGE_DIR=str(tmp_path / "images"))
    with serving(app) as url:
        yield app, url


def shots_dir(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("YUEDU_PAGE_SCREENSHOTS") or tmp_path / "shots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_staff_import_edit_a_rule_mark_a_shelf_and_the_kiosk_card_follows(live, tmp_path):
    app, url = live
    curator = create_user(engine_of(app), "curator-lin", "curator")
    _headers, key, secret = kiosk_auth(app, "booth-1")
    kiosk = ShelfSource(lambda: (f"{url}/xapi", key, secret), tmp_path / "kiosk-data", timeout=10)
    shots = shots_dir(tmp_path)
    plan_file = floor_plan(tmp_path / "plan.png")
    with chromium() as browser:
        page = browser.new_page(locale="zh-CN", viewport={"width": 1280, "height": 900})
        browser_sign_in(page, url, "curator-lin", curator.password)
        page.get_by_role("link", name="馆藏目录").click()
        expect(page.get_by_role("heading", name="馆藏目录与「去书架找一找」")).to_be_visible()

        # 1. import: the bad records listed, the rest stored
        page.get_by_label("书目文件（.mrc、.xml 或 .csv）").set_input_files(str(DATA / "sample-marc21.mrc"))
        page.get_by_role("button", name="导入", exact=True).click()
        result = page.locator("#import-result")
        expect(result).to_contain_text("读到 8 条，存入 5 条")
        expect(result.locator("li.error")).to_have_count(3)
        expect(result).to_contain_text("第 4 条 / record 4: 记录被截断")
        page.screenshot(path=str(shots / "catalogue-import.png"), full_page=True)

        # 2. preview the cards after 班门弄斧, as a kiosk would show them
        page.get_by_label("条目（成语、诗题、展品名；* 表示每一个）").first.fill("班门弄斧")
        page.locator("#band").select_option("6-8")
        page.get_by_role("button", name="预览").click()
        cards = page.locator(".book-card")
        expect(cards.first).to_have_attribute("data-id", "SAMPLE-0001")
        expect(cards.first.locator(".card-rule")).to_have_text("idiom * title {item}  # 书名里有这个成语")
        before = kiosk.fetch_now("idiom", "班门弄斧", "6-8", "booth-1")
        assert before[0].id == "SAMPLE-0001" and "SAMPLE-0007" not in [c.id for c in before]

        # 3. edit a rule: a hand-picked book for 班门弄斧, which then always comes first
        page.locator("#new_kind").select_option("idiom")
        page.locator("#new_item").fill("班门弄斧")
        page.locator("#new_how").select_option("pick")
        page.locator("#new_value").fill("SAMPLE-0007")
        page.locator("#new_note").fill("馆员精选")
        page.get_by_role("button", name="加上这条规则").click()
        expect(page.locator(".flash")).to_contain_text("规则已保存")
        expect(page.locator("tr.rule-pick")).to_contain_text("精选书，总排第一：SAMPLE-0007")
        expect(cards.first).to_have_attribute("data-id", "SAMPLE-0007")  # the kept preview, changed
        expect(cards.first.locator(".card-rule")).to_have_text("idiom 班门弄斧 pick SAMPLE-0007  # 馆员精选")
        after = kiosk.fetch_now("idiom", "班门弄斧", "6-8", "booth-1")
        assert after[0].id == "SAMPLE-0007" and after[0].rule == "idiom 班门弄斧 pick SAMPLE-0007  # 馆员精选"
        assert after[0].call_number == "I207.22/X11" and after[0].map is None

        # 4. a floor plan: upload it, drag a box over a shelf, give it a call-number range
        page.get_by_role("link", name="平面图").first.click()
        page.get_by_label("平面图名称（例如：二楼少儿阅览室）").fill("三楼文学区")
        page.get_by_label("平面图图片（PNG、JPEG、GIF 或 WebP）").set_input_files(str(plan_file))
        page.get_by_role("button", name="上传平面图").click()
        expect(page.get_by_role("heading", name="三楼文学区")).to_be_visible()
        box = page.locator("#plan-svg").bounding_box()
        page.mouse.move(box["x"] + box["width"] * 0.205, box["y"] + box["height"] * 0.157)
        page.mouse.down()
        page.mouse.move(box["x"] + box["width"] * 0.25, box["y"] + box["height"] * 0.3, steps=5)
        page.mouse.move(box["x"] + box["width"] * 0.275, box["y"] + box["height"] * 0.43, steps=5)
        page.mouse.up()
        expect(page.locator("#label")).to_be_focused()  # the drag filled the box; the name comes next
        assert abs(float(page.locator("#shelf-x").input_value()) - 20.5) < 0.6
        assert abs(float(page.locator("#shelf-h").input_value()) - 27.3) < 0.6
        assert float(page.locator("#draft").get_attribute("width")) > 50  # the box is drawn while dragging
        page.locator("#label").fill("A3")
        page.get_by_label("索书号从").fill("I207")
        page.get_by_label("索书号到（含其下所有号）").fill("I207.9")
        page.get_by_role("button", name="保存这个书架").click()
        expect(page.locator(".flash")).to_contain_text("书架已保存")
        expect(page.locator("tr.shelf-row")).to_contain_text("I207 – I207.9")
        expect(page.locator("rect.shelf-marked")).to_have_count(1)
        page.screenshot(path=str(shots / "catalogue-plan.png"), full_page=True)

        # 5. the kiosk's card now carries the map; the kiosk keeps the plan and draws the shelf lit
        lit = kiosk.fetch_now("idiom", "班门弄斧", "6-8", "booth-1")[0]
        assert lit.id == "SAMPLE-0007" and lit.map["label"] == "A3"
        x, y, w, h = lit.map["shelf"]
        assert abs(x - 0.205) < 0.006 and abs(y - 0.157) < 0.006 and abs(w - 0.07) < 0.006
        assert lit.map_file and Image.open(lit.map_file).size == (1000, 700)  # from our server, kept here
        pygame.init()
        screen = ShelfScreen([lit], TextRenderer(), "zh-CN", "6-8")
        surface = pygame.Surface((1920, 1080))
        with drawlog.recording() as log:
            screen.draw(surface)
        assert check_screen(log, (1920, 1080)) == [] and "在这里" in [d.text for d in log.texts]
        pygame.image.save(surface, str(shots / "kiosk-card-with-map.png"))

        page.goto(f"{url}/portal/catalogue?kind=idiom&item=班门弄斧&band=6-8#preview")
        expect(cards.first.locator("svg.plan-map text.shelf-here")).to_have_text("在这里")
        page.screenshot(path=str(shots / "catalogue-preview-map.png"), full_page=True)


def test_catalogue_pages_meet_wcag_aa(live, tmp_path, capsys):
    app, url = live
    curator = create_user(engine_of(app), "curator-he", "curator")
    floor_plan(tmp_path / "plan.png")
    with chromium() as browser:
        page = browser.new_page(locale="zh-CN", viewport={"width": 1280, "height": 900}, bypass_csp=True)
        browser_sign_in(page, url, "curator-he", curator.password)
        reports, narrow = [], []
        page.goto(f"{url}/portal/catalogue")
        page.get_by_label("书目文件（.mrc、.xml 或 .csv）").set_input_files(str(DATA / "sample-marc21.mrc"))
        page.get_by_role("button", name="导入", exact=True).click()
        expect(page.locator("#import-result")).to_be_visible()
        reports.append(audit(page, "catalogue, import result"))
        page.goto(f"{url}/portal/catalogue/plans")
        page.get_by_label("平面图名称（例如：二楼少儿阅览室）").fill("少儿阅览室")
        page.get_by_label("平面图图片（PNG、JPEG、GIF 或 WebP）").set_input_files(str(tmp_path / "plan.png"))
        page.get_by_role("button", name="上传平面图").click()
        plan_url = page.url
        for name, value in (("shelf-x", "7"), ("shelf-y", "15"), ("shelf-w", "8"), ("shelf-h", "28"),
                            ("label", "A1"), ("location", "少儿阅览室")):
            page.locator(f"#{name}").fill(value)
        page.get_by_role("button", name="保存这个书架").click()
        expect(page.locator("tr.shelf-row")).to_have_count(1)
        reports.append(audit(page, "floor plan with a shelf"))
        page.locator("#shelf-x").fill("7")
        page.get_by_role("button", name="保存这个书架").click()
        expect(page.locator("#shelf-error")).to_be_visible()
        reports.append(audit(page, "floor plan, shelf error"))
        page.goto(f"{url}/portal/catalogue/plans")
        reports.append(audit(page, "floor plans"))
        page.goto(f"{url}/portal/catalogue?kind=idiom&item=班门弄斧&band=3-5")
        expect(page.locator(".book-card svg.plan-map").first).to_be_visible()
        reports.append(audit(page, "catalogue, preview with a map"))
        page.goto(f"{url}/portal/catalogue?lang=en&kind=idiom&item=班门弄斧")
        reports.append(audit(page, "catalogue (en)"))
        page.set_viewport_size({"width": 320, "height": 640})
        for path in ("/portal/catalogue?lang=zh-CN&kind=idiom&item=班门弄斧", "/portal/catalogue/plans", plan_url):
            page.goto(path if path.startswith("http") else url + path)
            narrow += reflow_failures(page, path)
    with capsys.disabled():
        print("\ncatalogue pages, WCAG 2.1 AA:")
        for r in reports:
            print("  " + r.summary())
    failures = [f for r in reports for f in r.failures] + narrow
    assert not failures, "\n".join(failures)
    assert not [(r.name, u) for r in reports for u in r.contrast_unknown]
