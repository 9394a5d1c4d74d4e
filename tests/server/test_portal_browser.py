"""A real browser (Playwright driving Debian's chromium, headless) against a live portal: sign in, upload a good
package, see field-level errors for a broken one, publish, and a kiosk process (`launcher.py sync`) pulls it."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest
from playwright.sync_api import expect

from experiences.config import KioskConfig, save_config
from server.portal.accounts import create_user
from tests.server.portal_helpers import REPO, broken_zip, engine_of, good_zip, kiosk_auth, make_app, serving
from tests.server.a11y_audit import chromium



@pytest.fixture
def live_portal(tmp_path):
    app = make_app(tmp_path / "server")
    with serving(app) as url:
        yield app, url


def test_curator_uploads_sees_errors_publishes_and_a_kiosk_syncs(live_portal, tmp_path):
    app, url = live_portal
    curator = create_user(engine_of(app), "curator-li", "curator")
    good, broken = good_zip(tmp_path, "1.1.0"), broken_zip(tmp_path)
    with chromium() as browser:
        page = browser.new_page(locale="zh-CN")
        page.goto(f"{url}/portal/")
        expect(page).to_have_url(f"{url}/portal/login?next=/portal/?")
        page.get_by_label("用户名").fill("curator-li")
        page.get_by_label("密码").fill(curator.password)
        page.get_by_role("button", name="登录").click()
        expect(page.get_by_role("heading", name="修改密码")).to_be_visible()  # the one-time password goes
        page.get_by_label("当前密码（或一次性密码）").fill(curator.password)
        page.get_by_label("新密码（至少 10 个字符）").fill("tea-and-poems-2026")
        page.get_by_label("再输入一次新密码").fill("tea-and-poems-2026")
        page.get_by_role("button", name="保存新密码").click()
        expect(page.get_by_role("heading", name="内容包", exact=True)).to_be_visible()

        unlabeled = """[...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
            .filter(e => !e.labels || e.labels.length === 0).map(e => e.name)"""
        for form_page in ("/portal/build/idioms", "/portal/build/poem", "/portal/build/panorama",
                          "/portal/build/book", "/portal/build/treasure", "/portal/upload", "/portal/password"):
            page.goto(url + form_page)
            assert page.evaluate(unlabeled) == [], form_page  # every control has a label
        page.goto(f"{url}/portal/upload?lang=en")
        expect(page.get_by_role("heading", name="Upload a package")).to_be_visible()
        page.goto(f"{url}/portal/upload?lang=zh-CN")
        page.get_by_label("内容包文件（.zip）").set_input_files(str(broken))
        page.get_by_role("button", name="上传并检查").click()
        errors = page.locator("#package-errors")
        expect(errors).to_be_visible()
        expect(page.get_by_label("内容包文件（.zip）")).to_have_attribute("aria-invalid", "true")
        expect(errors.locator('li[data-file="experience.toml"][data-field="age_bands"]')).to_be_visible()
        expect(errors.locator('li[data-file="cover.png"]').first).to_be_visible()
        assert errors.locator("li.problem.error").count() >= 3

        page.get_by_label("内容包文件（.zip）").set_input_files(str(good))
        page.get_by_role("button", name="上传并检查").click()
        expect(page.get_by_text("org.yuedu.idioms.chain 1.1.0")).to_be_visible()
        page.get_by_role("button", name="发布这个版本").click()
        expect(page.get_by_text("已发布")).to_be_visible()

    kiosk_home = tmp_path / "kiosk-data"
    _headers, key, secret = kiosk_auth(app, "booth-1")
    config = KioskConfig()
    config.server.url, config.server.key, config.server.secret = url, key, secret
    save_config(config, kiosk_home / "kiosk.toml")
    env = dict(os.environ, YUEDU_DATA_DIR=str(kiosk_home))
    done = subprocess.run([sys.executable, str(REPO / "launcher.py"), "sync"], env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "org.yuedu.idioms.chain 1.1.0" in done.stdout
    manifest = kiosk_home / "packages" / "org.yuedu.idioms.chain" / "experience.toml"
    assert 'version = "1.1.0"' in manifest.read_text(encoding="utf-8")
    from server.portal.publish import list_kiosks

    booth = next(k for k in list_kiosks(engine_of(app)) if k["name"] == "booth-1")
    assert booth["report"]["content"] == {"org.yuedu.idioms.chain": "1.1.0"}  # the heartbeat after the sync
