"""WCAG 2.1 AA measured, not assumed: the checker's maths against known colour pairs, the checker catching planted
faults, then every curator-portal page and the smart wall (both orientations) audited in one headless chromium."""
from __future__ import annotations

import numpy as np
import pytest
import soundfile
from playwright.sync_api import expect

from experiences.config import KioskConfig
from experiences.share import NICKNAMES, ShareUploader, queue_share
from server.portal.accounts import create_user
from tests.server.a11y_audit import CHECKS_JS, audit, chromium, reflow_failures
from tests.server.portal_helpers import Clock, browser_sign_in, broken_zip, engine_of, good_zip, kiosk_auth, make_app, serving
from wall_fixtures import NOW, TOKEN, seed


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


# --- the checker itself -----------------------------------------------------------------------------------------

PAIRS = [  # foreground, background, WCAG contrast ratio to two places
    ("#000000", "#ffffff", 21.0), ("#777777", "#ffffff", 4.48), ("#767676", "#ffffff", 4.54),
    ("#595959", "#ffffff", 7.0), ("#949494", "#ffffff", 3.03), ("#ffffff", "#ffffff", 1.0),
]


def test_contrast_maths_matches_known_pairs(browser):
    page = browser.new_page()
    page.add_script_tag(content=CHECKS_JS)
    for fg, bg, expected in PAIRS:
        ratio = page.evaluate("([a, b]) => yueduA11y.contrast(yueduA11y.parseColor(a), yueduA11y.parseColor(b))",
                              [fg, bg])
        assert round(ratio, 2) == expected, (fg, bg, ratio)
    # Alpha composes over what is beneath: black at 50% over white is #808080 (3.95:1 on white).
    composed = page.evaluate("yueduA11y.over(yueduA11y.parseColor('rgba(0, 0, 0, 0.5)'), [255, 255, 255, 1])")
    assert [round(c) for c in composed[:3]] == [128, 128, 128]
    assert page.evaluate("[yueduA11y.isLarge(24, 400), yueduA11y.isLarge(23.9, 400), yueduA11y.isLarge(18.66, 700),"
                         " yueduA11y.isLarge(18.66, 400)]") == [True, False, True, False]
    page.close()


PLANTED = """<!doctype html><html><head><style>
  body { background: #fff; font-size: 16px; } button:focus { outline: none; }
  .band { background: rgba(0, 0, 0, 0.5); color: #333; } .shade { background: linear-gradient(#fff, #eee); color: #555; }
</style></head><body>
  <p id="fails" style="color: #777">灰色正文 #777 on white</p>
  <p id="passes" style="color: #767676">灰色正文 #767676 on white</p>
  <p id="large-ok" style="color: #949494; font-size: 24px">大号文字 3.03:1</p>
  <p id="large-no" style="color: #949494; font-size: 23px">差一点的大号文字</p>
  <p id="bold-ok" style="color: #949494; font-size: 18.66px; font-weight: 700">粗体大字</p>
  <p class="band" id="band">half-black band, #333 text</p>
  <p class="shade" id="shade">text over a gradient</p>
  <input id="nameless"><input id="faint-edge" aria-label="faint" style="border: 1px solid #dddddd">
  <input id="borderless" aria-label="no edge" style="border: 0">
  <button style="border: 0; background: none">文字按钮</button><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
  <button id="tiny" style="padding: 0; font-size: 10px">x</button>
  <p id="legend"><span aria-hidden="true" style="color: #dddddd">■</span> 浅色图例 (1.36:1)</p>
  <div id="wide" style="width: 2000px">一行太宽的内容</div>
  <table><tr><td style="width: 2000px">数据表可以横向滚动</td></tr></table>
  <p>A link <a href="#in-sentence">inside a sentence</a> is exempt from the size rule.</p>
  <svg width="200" height="60"><rect width="200" height="60" fill="#ffd166"/><text x="5" y="40" font-size="16"
    fill="#f4f6f8">light on yellow</text><text x="100" y="40" font-size="16" fill="#0f1720">dark</text>
    <rect id="faint-bar" x="150" y="5" width="20" height="20" fill="#ffe08a"/><rect id="dark-bar" x="175" y="5"
    width="20" height="20" fill="#0f1720"/><path d="M0 59 H200" stroke="#ffe9b3" fill="none"/></svg>
</body></html>"""


def test_checker_catches_planted_faults_and_passes_the_good_pairs(browser):
    page = browser.new_page()
    page.set_content(PLANTED)
    report = audit(page, "planted")
    contrast = next(v for v in report.axe_violations if v["id"] == "color-contrast")
    failing = {n["target"][0] for n in contrast["nodes"]}
    assert report.lowest_text == 3.03  # #949494 on white, the lowest pair on the page
    assert failing == {"#fails", "#large-no", "#band"}  # #767676, 24px and bold 18.66px at 3.03:1 pass
    assert [u["target"][0] for u in report.contrast_unknown] == ["#shade"]  # a gradient is reported, not guessed
    ids = {v["id"] for v in report.axe_violations}
    assert {"label", "image-alt", "html-has-lang"} <= ids
    edges = {b["element"]: b["pass"] for b in report.boundaries}
    assert edges == {"input#nameless": True, "input#faint-edge": False, "input#borderless": False,
                     "button#tiny": True}  # the browser's default edge passes, #ddd and none fail; a text button is exempt
    assert report.unnamed == ["input#nameless"] and len(report.no_alt) == 1 and report.lang == ""
    tiny = next(t for t in report.targets if t["element"] == "button#tiny")
    assert not tiny["pass"] and tiny["height"] < 44
    assert all(t["text"] != "inside a sentence" for t in report.targets)
    button_focus = next(f for f in report.focus if f["element"] == "button#tiny")
    assert button_focus["focusVisible"] and button_focus["outlineStyle"] == "none" and not button_focus["pass"]
    svg = {s["text"]: s for s in report.svg_text}
    assert not svg["light on yellow"]["pass"] and svg["light on yellow"]["ratio"] < 1.5
    assert svg["dark"]["pass"] and svg["dark"]["ratio"] > 12
    marks = {m["element"]: m["pass"] for m in report.chart_marks}
    assert marks == {"rect#faint-bar": False, "rect#dark-bar": True}  # the yellow backdrop and the stroke are no marks
    assert [(g["text"], g["pass"]) for g in report.graphics] == [("■", False)]  # a symbol is held to 3:1
    page.set_viewport_size({"width": 320, "height": 640})
    assert [f.split(" reaches ")[0] for f in reflow_failures(page, "planted")] == ["planted: at 320 px div#wide"]
    messages = "\n".join(report.failures)
    assert "axe color-contrast" in messages and "button#tiny" in messages and "light on yellow" in messages
    page.close()


# --- the real pages ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """One app with the portal, share pages and wall, seeded with wall statements, a version and a share."""
    root = tmp_path_factory.mktemp("a11y")
    app = make_app(root / "server", Clock(), WALL_TOKEN=TOKEN, WALL_CLOCK=lambda: NOW, WALL_SILENT_MINUTES=30,
                   WALL_POLL_SECONDS=600)  # no poll while the audit measures
    seed(app, 600)
    admin = create_user(engine_of(app), "admin-wu", "admin")
    with serving(app) as url:
        yield app, url, admin, root


def _share_token(app, url, root) -> str:
    take = root / "take.wav"
    t = np.arange(8000) / 16000
    soundfile.write(take, (0.3 * np.sin(2 * np.pi * 220 * t)).astype("float32"), 16000)
    config = KioskConfig()
    config.server.public_base_url = "https://read.lib.example.org"
    _headers, key, secret = kiosk_auth(app, "booth-a11y")
    ticket = queue_share(take, "jingyesi", {"total": 87, "rhythm": 90}, NICKNAMES[0], config=config,
                         poem_title="静夜思", poem_text="床前明月光，\n疑是地上霜。", outbox=root / "out")
    assert ShareUploader(url, key, secret, outbox=root / "out").send_all() == 1
    return ticket.token


def test_portal_and_wall_meet_wcag_aa(browser, site, capsys):
    app, url, admin, root = site
    broken = broken_zip(root)
    reports = []
    page = browser.new_page(locale="zh-CN", viewport={"width": 1280, "height": 900}, bypass_csp=True)  # to inject axe

    def check(name, **kwargs):
        reports.append(audit(page, name, **kwargs))

    page.goto(f"{url}/portal/login")
    check("sign-in")
    page.goto(f"{url}/portal/login?lang=en")
    check("sign-in (en)")
    page.goto(f"{url}/portal/login?lang=zh-CN")
    page.get_by_label("用户名").fill(admin.user.name)
    page.get_by_label("密码").fill("not-the-password")
    page.get_by_role("button", name="登录").click()
    expect(page.locator("#login-error")).to_be_visible()
    check("sign-in with error")
    browser_sign_in(page, url, admin.user.name, admin.password)
    page.goto(f"{url}/portal/upload")
    page.get_by_label("内容包文件（.zip）").set_input_files(str(broken))
    page.get_by_role("button", name="上传并检查").click()
    expect(page.locator("#package-errors")).to_be_visible()
    check("upload with field errors")
    page.get_by_label("内容包文件（.zip）").set_input_files(str(good_zip(root, "1.1.0")))
    page.get_by_role("button", name="上传并检查").click()
    expect(page.get_by_role("button", name="发布这个版本")).to_be_visible()
    check("package version")
    page.get_by_role("button", name="发布这个版本").click()
    expect(page.get_by_text("已发布")).to_be_visible()
    check("package version, published (flash)")
    page.goto(f"{url}/portal/")
    check("packages list")
    page.get_by_role("button", name="回退到上一版本").click()  # nothing to roll back to: an error flash
    expect(page.locator(".flash.error")).to_be_visible()
    check("packages list with error flash")
    for form in ("idioms", "poem", "panorama", "book", "treasure", "waterfall"):
        page.goto(f"{url}/portal/build/{form}")
        check(f"build {form}")
        page.locator("main form button[type=submit]").last.click()  # empty: every field error shown
        page.wait_for_load_state()
        check(f"build {form} with errors")
    for name, path in (("admin users", "/portal/admin/users"), ("admin kiosks", "/portal/admin/kiosks"),
                       ("audit log", "/portal/admin/audit"), ("password", "/portal/password"),
                       ("wall reports", "/wall/reports"), ("wall reports with error", "/wall/reports?start=2026-13-01")):
        page.goto(url + path)
        check(name)
    page.goto(f"{url}/portal/admin/users")
    page.get_by_label("名称").fill("curator-zhao")
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator(".card.once")).to_be_visible()
    check("admin users, new account shown")
    share = f"/s/{_share_token(app, url, root)}"
    page.goto(url + share)
    check("share page")
    page.goto(f"{url}/s/{'Q' * 43}")
    check("share not found")

    # Reflow (WCAG 1.4.10): the same pages at 320 CSS px wide, with the upload's field errors shown again.
    page.set_viewport_size({"width": 320, "height": 640})
    narrow = []
    page.goto(f"{url}/portal/upload")
    page.get_by_label("内容包文件（.zip）").set_input_files(str(broken))
    page.get_by_role("button", name="上传并检查").click()
    expect(page.locator("#package-errors")).to_be_visible()
    narrow += reflow_failures(page, "upload with field errors")
    for path in ("/portal/", "/portal/versions/1", "/portal/build/idioms", "/portal/build/poem", "/portal/build/panorama",
                 "/portal/build/book", "/portal/build/treasure", "/portal/build/waterfall", "/portal/admin/users", "/portal/admin/kiosks",
                 "/portal/admin/audit", "/portal/password", "/wall/reports", share, f"/s/{'Q' * 43}",
                 "/portal/login?lang=en"):
        page.goto(url + path)
        narrow += reflow_failures(page, path)

    for width, height, lang in ((1920, 1080, "zh-CN"), (1080, 1920, "zh-CN"), (1920, 1080, "en")):
        wall = browser.new_page(viewport={"width": width, "height": height}, bypass_csp=True)
        wall.goto(f"{url}/wall?token={TOKEN}&lang={lang}")
        wall.wait_for_function("document.getElementById('wall').dataset.version !== undefined", timeout=15000)
        suffix = " (en)" if lang == "en" else ""
        reports.append(audit(wall, f"wall {width}x{height}{suffix}", check_targets=False))
        wall.close()
    page.close()

    with capsys.disabled():
        print("\nWCAG 2.1 AA audit (axe-core %s + tests/server/a11y_checks.js):" % reports[0].axe_version)
        for r in reports:
            print("  " + r.summary())
    failures = [f for r in reports for f in r.failures] + narrow
    assert not failures, "\n".join(failures)
    unknown = [(r.name, u) for r in reports for u in r.contrast_unknown]
    assert not unknown, unknown  # nothing left that axe could not measure
    assert all(r.lang == ("en" if "(en)" in r.name else "zh-CN") for r in reports)
    assert sum(r.text_checked for r in reports) > 300 and sum(len(r.focus) for r in reports) > 100
    assert sum(len(r.svg_text) for r in reports if r.name.startswith("wall")) > 20
