"""An e-book from the kiosk to a phone, end to end: the kiosk draws 用手机读 with the library's address, a phone
camera (OpenCV's QR detector on the kiosk's own screen) reads the code, a phone-sized Chromium (Debian's, through
Playwright) opens it, reads a poem with pinyin, hides the pinyin, and downloads the EPUB. The pages pass WCAG 2.1
AA (axe and the project's checks), use large type, show no Latin letters in Chinese but pinyin, and never scroll
sideways; the open is counted once, with nothing about the phone. Screenshots go to $YUEDU_PAGE_SCREENSHOTS (else
the test's tmp dir)."""
from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")

import numpy as np
import pygame
import pytest
from playwright.sync_api import expect
from sqlalchemy import text

import experiences.kiosk.shots as shots_module
from experiences.package import open_package
from experiences.screencheck import latin_letters
from tests.server.a11y_audit import audit, chromium
from tests.server.portal_helpers import engine_of, make_app, serving
from tests.server.test_family_pages_browser import OVERFLOW_JS, TEXT_SIZES_JS, VISIBLE_TEXT_JS

CONTENT = Path(__file__).resolve().parents[2] / "content"
PHONE = {"width": 390, "height": 844}


def kiosk_qr(base_url: str, monkeypatch, tmp_path) -> tuple[str, pygame.Surface]:
    """The kiosk's 用手机读 screen for 唐诗三百首 with `base_url` as the library's public address, and what a phone
    reads from it."""
    import cv2

    plain = shots_module.kiosk_config

    def config(language="zh-CN", vr=False):
        made = plain(language, vr)
        made.server.public_base_url = base_url
        return made

    monkeypatch.setattr(shots_module, "kiosk_config", config)
    shots = {s.state: s for s in shots_module.package_shots(open_package(CONTENT / "ebook-tangshi"), (1280, 800),
                                                             age_band="6-8", data_dir=tmp_path / "kiosk")}
    screen = shots["qr"].surface
    pixels = np.ascontiguousarray(pygame.surfarray.array3d(screen).transpose(1, 0, 2)[:, :, ::-1])
    found, _points, _straight = cv2.QRCodeDetector().detectAndDecode(pixels)
    return found, screen


def page_problems(page, name: str) -> list[str]:
    problems = [f for f in audit(page, name).failures]
    sizes = page.evaluate(TEXT_SIZES_JS)
    # Large type: the text 18 px and more (notes and the footer 16), pinyin over characters at least 14 px.
    problems += [f"{name}: {s['tag']} {s['text']!r} is {s['px']} px" for s in sizes
                 if s["px"] < (14 if s["tag"] == "RT" else 16)]
    base = float(page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)"))
    poem = page.evaluate("[...document.querySelectorAll('.poem p')].map(p => parseFloat(getComputedStyle(p).fontSize))")
    if base < 20 or any(px < 28 for px in poem):
        problems.append(f"{name}: body text {base} px (< 20) or poem lines {poem} px (< 28)")
    letters = latin_letters(page.evaluate(VISIBLE_TEXT_JS))
    if letters:
        problems.append(f"{name}: Latin letters outside the pinyin: {letters!r}")
    problems += [f"{name}: {o}" for o in page.evaluate(OVERFLOW_JS)]
    return problems


def test_a_phone_opens_the_ebook_by_the_kiosks_qr_toggles_pinyin_and_downloads_it(tmp_path, monkeypatch):
    shots = Path(os.environ.get("YUEDU_PAGE_SCREENSHOTS") or tmp_path / "shots")
    shots.mkdir(parents=True, exist_ok=True)
    app = make_app(tmp_path / "server")
    with serving(app) as url:
        qr_url, screen = kiosk_qr(url, monkeypatch, tmp_path)
        pygame.image.save(screen, str(shots / "kiosk-qr.png"))
        assert qr_url == f"{url}/e/org.yuedu.ebooks.tangshi?from=ebook"  # read off the kiosk's screen
        with chromium() as browser:
            context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True,
                                          locale="zh-CN", accept_downloads=True,
                                          bypass_csp=True)  # to inject axe
            page = context.new_page()
            page.goto(qr_url)
            assert page.url == f"{url}/e/org.yuedu.ebooks.tangshi"  # the count's ?from= is gone at once
            expect(page.locator("h1")).to_contain_text("唐")
            expect(page.locator("h1 rt").first).to_have_text("táng")
            page.screenshot(path=str(shots / "ebook-contents-390.png"))
            problems = page_problems(page, "contents")
            page.get_by_role("link", name="登鹳雀楼").click()
            expect(page.locator(".poem rt").first).to_be_visible()
            assert page.locator(".poem rt").all_inner_texts()[:5] == ["bái", "rì", "yī", "shān", "jǐn"]
            page.screenshot(path=str(shots / "ebook-poem-pinyin-390.png"), full_page=True)
            problems += page_problems(page, "poem with pinyin")
            page.get_by_role("link", name="隐藏拼音").click()
            expect(page.locator(".poem rt")).to_have_count(0)
            expect(page.locator(".poem")).to_contain_text("白日依山尽，")
            page.screenshot(path=str(shots / "ebook-poem-plain-390.png"), full_page=True)
            problems += page_problems(page, "poem without pinyin")
            page.get_by_role("link", name="下一首").click()  # the choice stays as the reader turns the page
            expect(page.locator(".poem rt")).to_have_count(0)
            page.get_by_role("link", name="显示拼音").click()
            expect(page.locator(".poem rt").first).to_be_visible()
            with page.expect_download() as info:
                page.get_by_role("link", name="下载电子书").click()
            download = info.value
            saved = tmp_path / download.suggested_filename
            download.save_as(saved)
            head = page.request.get(f"{url}/e/org.yuedu.ebooks.tangshi/book.epub")
            assert head.headers["content-type"] == "application/epub+zip"
            assert saved.suffix == ".epub"
            with zipfile.ZipFile(io.BytesIO(saved.read_bytes())) as archive:
                assert archive.read("mimetype") == b"application/epub+zip"
                assert "唐诗三百首" in archive.read("OEBPS/content.opf").decode("utf-8")
            context.close()
        assert not problems, "\n".join(problems)
        with engine_of(app).connect() as conn:
            rows = [tuple(r) for r in conn.execute(text("SELECT package, source, n FROM ebook_opens"))]
        assert rows == [("org.yuedu.ebooks.tangshi", "ebook", 1)]
