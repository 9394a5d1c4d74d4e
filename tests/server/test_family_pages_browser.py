"""The families' share pages and the staff pages as a browser draws them (Debian's chromium via Playwright): at a
phone's size the share, expired and not-found pages use readable sizes (body text >= 16 CSS px, headings bigger),
show no Latin letters in Chinese (pinyin in <rt> aside) and nothing runs off the screen sideways; the report has a
chart per table and a way back; the portal asks for times in the library's zone and calls the branch 总馆.
Screenshots of every page at 1080×1920 and 1920×1080 go to $YUEDU_PAGE_SCREENSHOTS (else the test's tmp dir)."""
from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest
import soundfile
from playwright.sync_api import expect

from experiences.config import KioskConfig
from experiences.screencheck import latin_letters
from experiences.share import NICKNAMES, ShareUploader, queue_share
from server.portal.accounts import create_user
from tests.server.a11y_audit import chromium
from tests.server.portal_helpers import Clock, browser_sign_in, engine_of, good_zip, kiosk_auth, make_app, serving
from wall_fixtures import NOW, TOKEN, seed

PHONES = ({"width": 360, "height": 740}, {"width": 390, "height": 844})
SCREENS = ((1080, 1920), (1920, 1080))
POEM = "床前明月光，疑是地上霜。\n举头望明月，低头思故乡。"
MARKS = "ggggugggmg|gggggggggg"
LONG = "故人西辞黄鹤楼，烟花三月下扬州。\n孤帆远影碧空尽，唯见长江天际流。"  # seven characters a phrase

# Every element that holds text of its own: its computed font size, and whether it is a heading or pinyin.
TEXT_SIZES_JS = """() => {
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own || ['SCRIPT', 'STYLE', 'TITLE'].includes(el.tagName)) continue;
    const style = getComputedStyle(el), box = el.getBoundingClientRect();
    if (style.display === 'none' || style.visibility === 'hidden' || box.width <= 1 || box.height <= 1) continue;
    out.push({tag: el.tagName, text: el.textContent.trim().slice(0, 30), px: parseFloat(style.fontSize),
              heading: /^H[1-6]$/.test(el.tagName) || !!el.closest('h1, h2, h3')});
  }
  return out;
}"""
# The words on the page as a reader sees them, the pinyin above the characters (<rt>) left out.
VISIBLE_TEXT_JS = """() => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT), out = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!node.textContent.trim() || el.closest('rt, script, style, title')) continue;
    if (!el.checkVisibility({visibilityProperty: true})) continue;
    out.push(node.textContent.trim());
  }
  return out.join(' ');
}"""
# Elements reaching past the viewport's left or right edge, as far as they are seen: the part an ancestor clips or
# scrolls sideways (overflow other than visible) does not count.
OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth, out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || el.closest('.sr-only, .skip')) continue;  // the skip link waits off screen
    let left = box.left, right = box.right;
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (getComputedStyle(up).overflowX !== 'visible') {
        const clip = up.getBoundingClientRect();
        left = Math.max(left, clip.left); right = Math.min(right, clip.right);
      }
    }
    if (right > width + 0.5 || left < -0.5)
      out.push(`${el.tagName}.${el.getAttribute('class')} ${Math.round(left)}..${Math.round(right)} of ${width}`);
  }
  if (document.documentElement.scrollWidth > width) out.push(`page scrolls sideways: ${document.documentElement.scrollWidth} > ${width}`);
  return out;
}"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("family")
    clock = Clock(NOW.replace(tzinfo=None))
    app = make_app(root / "server", clock, WALL_TOKEN=TOKEN, WALL_CLOCK=lambda: NOW, WALL_SILENT_MINUTES=30,
                   WALL_POLL_SECONDS=600, WALL_LIBRARY_NAME="东城区少年儿童图书馆")
    seed(app, 600)
    take = root / "take.wav"
    t = np.arange(8000) / 16000
    soundfile.write(take, (0.3 * np.sin(2 * np.pi * 220 * t)).astype("float32"), 16000)
    config = KioskConfig()
    config.server.public_base_url = "https://read.lib.example.org"
    _headers, key, secret = kiosk_auth(app, "booth-family")
    scores = {"overall": 87, "completeness": 95, "fluency": 82, "tones": 76, "marks": MARKS}
    ticket = queue_share(take, "xx-jingyesi", scores, NICKNAMES[0], config=config, poem_title="静夜思",
                         poem_text=POEM, outbox=root / "out")
    short = queue_share(take, "xx-jingyesi", {"overall": 70}, config=config, poem_title="静夜思", poem_text=POEM,
                        days=1, outbox=root / "out")
    long = queue_share(take, "tang-huanghelou", {"overall": 55}, config=config, poem_title="黄鹤楼送孟浩然之广陵",
                       poem_text=LONG, outbox=root / "out")
    with serving(app) as url:
        assert ShareUploader(url, key, secret, outbox=root / "out").send_all() == 3
        with chromium() as browser:
            yield app, url, clock, browser, ticket.token, short.token, root, long.token


def _shots(tmp_path) -> Path:
    folder = Path(os.environ.get("YUEDU_PAGE_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _check_family_page(page, name: str) -> list[str]:
    problems = []
    sizes = page.evaluate(TEXT_SIZES_JS)
    assert sizes, f"{name}: no text measured"
    body = [s for s in sizes if not s["heading"]]
    small = [s for s in body if s["px"] < 16]
    problems += [f"{name}: {s['tag']} {s['text']!r} is {s['px']} px (< 16)" for s in small]
    h1 = [s["px"] for s in sizes if s["tag"] == "H1"]
    base = float(page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)"))
    if not h1 or min(h1) < 1.5 * base:
        problems.append(f"{name}: the heading ({h1} px) is not clearly bigger than the text ({base} px)")
    problems += [f"{name}: {s['tag']} {s['text']!r} heading {s['px']} px <= text {base} px"
                 for s in sizes if s["heading"] and s["px"] <= base]
    letters = latin_letters(page.evaluate(VISIBLE_TEXT_JS))
    if letters:
        problems.append(f"{name}: Latin letters on a zh-CN page: {letters!r}")
    problems += [f"{name}: {o}" for o in page.evaluate(OVERFLOW_JS)]
    return problems


def test_share_expired_and_unknown_pages_read_well_on_a_phone(site, tmp_path):
    app, url, clock, browser, token, short, _root, long = site
    shots = _shots(tmp_path)
    problems = []
    for viewport in PHONES:
        page = browser.new_page(viewport=viewport, device_scale_factor=2, locale="en-US",
                                extra_http_headers={"Accept-Language": "en-US,en;q=0.9"})  # an English phone
        size = f"{viewport['width']}x{viewport['height']}"
        page.goto(f"{url}/s/{token}")
        expect(page.locator("#play")).to_be_visible()  # the big play button (its script ran)
        assert page.locator("html").get_attribute("lang") == "zh-CN"
        assert page.locator("#score-badge b").inner_text() == "87"
        rt = page.locator(".poem .cell:not(.punct) rt")
        assert rt.count() == 20 and rt.first.inner_text() == "chuáng"
        assert page.locator(".poem .mark-m").count() == 1 and page.locator("header").count() == 0  # no portal bar
        text = page.evaluate(VISIBLE_TEXT_JS)
        assert "再读一首" in text and "声调" in text and "小熊猫" in text
        problems += _check_family_page(page, f"share {size}")
        page.screenshot(path=str(shots / f"share-{size}.png"), full_page=True)
        play = page.locator("#play").bounding_box()
        assert play["width"] >= 88 and play["height"] >= 88  # a thumb's target, not a 44 px control

        page.goto(f"{url}/s/{long}")  # a long title and seven-character lines: they wrap, they do not run off
        problems += _check_family_page(page, f"share, seven-character lines {size}")
        tops = page.locator(".poem p").first.locator(".part").evaluate_all("parts => parts.map(p => p.offsetTop)")
        assert len(tops) == 4 and (viewport["width"] > 360 or tops[0] < tops[1]), tops  # broken at the caesura
        page.screenshot(path=str(shots / f"share-long-{size}.png"), full_page=True)

        response = page.goto(f"{url}/s/{'Q' * 43}")
        assert response.status == 404
        problems += _check_family_page(page, f"not found {size}")
        page.screenshot(path=str(shots / f"share-unknown-{size}.png"), full_page=True)
        page.close()

    clock.now += timedelta(days=2)  # the one-day share has expired, the 30-day one not
    try:
        for viewport in PHONES:
            page = browser.new_page(viewport=viewport, device_scale_factor=2)
            size = f"{viewport['width']}x{viewport['height']}"
            response = page.goto(f"{url}/s/{short}")
            assert response.status == 410 and "这段朗诵已经过期啦" in page.locator("h1").inner_text()
            problems += _check_family_page(page, f"expired {size}")
            page.screenshot(path=str(shots / f"share-expired-{size}.png"), full_page=True)
            page.close()
        for width, height in SCREENS:
            page = browser.new_page(viewport={"width": width, "height": height})
            for name, path in (("share", f"/s/{token}"), ("share-expired", f"/s/{short}")):
                page.goto(url + path)
                problems += [f"{name} {width}x{height}: {o}" for o in page.evaluate(OVERFLOW_JS)]
                page.screenshot(path=str(shots / f"{name}-{width}x{height}.png"), full_page=True)
            page.close()
    finally:
        clock.now -= timedelta(days=2)
    assert not problems, "\n".join(problems)


def _sign_in(page, url, app):
    made = create_user(engine_of(app), "curator-lin", "curator")
    browser_sign_in(page, url, made.user.name, made.password)


def test_staff_pages_and_the_wall_at_both_screen_shapes(site, tmp_path):
    app, url, clock, browser, _token, _short, root, _long = site
    shots = _shots(tmp_path)
    page = browser.new_page(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    _sign_in(page, url, app)
    page.goto(f"{url}/portal/upload")
    page.get_by_label("内容包文件（.zip）").set_input_files(str(good_zip(root, "1.2.0")))
    page.get_by_role("button", name="上传并检查").click()
    expect(page.get_by_role("button", name="发布这个版本")).to_be_visible()
    # Publish from 20:00 library time (UTC+8) on the clock's day: stored as 12:00 UTC, shown again as 20:00.
    assert "UTC+8" in page.locator("#when-hint").inner_text()
    assert page.locator("#branch option").all_inner_texts() == ["总馆"]
    day = (clock.now + timedelta(hours=8)).date().isoformat()
    page.locator("#starts").fill(f"{day}T20:00")
    page.get_by_role("button", name="发布这个版本").click()
    expect(page.get_by_text("已发布")).to_be_visible()
    assert f"{day} 20:00" in page.locator("table").first.inner_text()
    from server.portal.publish import list_publications
    stored = list_publications(engine_of(app))[0]["starts"]
    assert stored.strftime("%Y-%m-%d %H:%M") == f"{day} 12:00"
    page.goto(f"{url}/portal/build/idioms")
    ages = page.locator("fieldset fieldset label").all_inner_texts()
    assert "全部" in ages and "all" not in ages and "3–5 岁" in ages
    assert "SPDX" not in page.locator("main").inner_text() and "内容包 id" not in page.locator("main").inner_text()

    page.goto(f"{url}/wall/reports")
    assert page.locator("svg.chart").count() == 3  # a chart per table
    packages = page.locator("#report-packages").inner_text()
    assert "镇馆之宝" in packages and "exhibit-treasure" not in packages
    back = page.get_by_role("link", name="← 返回馆员门户")
    assert back.get_attribute("href").startswith("/portal/")

    problems = []
    for width, height in SCREENS:
        page.set_viewport_size({"width": width, "height": height})
        for name, path in (("portal", "/portal/"), ("report", "/wall/reports"), ("publish", "/portal/versions/1")):
            page.goto(url + path)
            problems += [f"{name} {width}x{height}: {o}" for o in page.evaluate(OVERFLOW_JS)]
            page.screenshot(path=str(shots / f"{name}-{width}x{height}.png"), full_page=True)
        wall = browser.new_page(viewport={"width": width, "height": height})
        wall.goto(f"{url}/wall?token={TOKEN}")
        header = wall.locator("header.bar")
        for item in wall.locator("#silent li").all():  # every warning whole: inside the header, not cut
            box, bar = item.bounding_box(), header.bounding_box()
            scroll = item.evaluate("el => [el.scrollWidth, el.clientWidth]")
            assert scroll[0] <= scroll[1] + 1, (width, item.inner_text(), scroll)
            assert bar["x"] <= box["x"] and box["x"] + box["width"] <= bar["x"] + bar["width"] + 0.5, item.inner_text()
        problems += [f"wall {width}x{height}: {o}" for o in wall.evaluate(OVERFLOW_JS)]
        wall.screenshot(path=str(shots / f"wall-{width}x{height}.png"))
        wall.close()
    page.close()
    assert not problems, "\n".join(problems)
