"""The e-book on the kiosk: every screen (cover, two poem pages, the 用手机读 QR) at the kiosk's five sizes passes
the screen checks (sizes, no Latin but pinyin on zh-CN, nothing cut or overlapping); the pages show the book's own
pinyin; the QR encodes the reading page of this book; the waterfall shows an e-book's QR when its cover is tapped
instead of opening it. Real bundled content and the kiosk's real shell (experiences.kiosk.shots)."""
from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")

import numpy as np
import pygame
import pytest

import experiences.kiosk.shots as shots_module
from experiences.catalog import Catalog
from experiences.ebook.book import load_from_package
from experiences.kiosk.shots import SIZES, package_shots
from experiences.package import open_package
from experiences.screencheck import report

CONTENT = Path(__file__).resolve().parents[2] / "content"
BASE = "https://library.example.org"
SHOTS = os.environ.get("YUEDU_SHOTS")


@pytest.fixture
def public_address(monkeypatch):
    """The kiosk has the library's public address (kiosk.toml [server] public_base_url), as a real one would."""
    plain = shots_module.kiosk_config

    def config(language="zh-CN", vr=False):
        made = plain(language, vr)
        made.server.public_base_url = BASE
        return made

    monkeypatch.setattr(shots_module, "kiosk_config", config)


def decode_qr(surface: pygame.Surface) -> str:
    """What a phone's camera reads from the screen (OpenCV's QR detector, which the venv has through mediapipe)."""
    import cv2

    pixels = pygame.surfarray.array3d(surface).transpose(1, 0, 2)
    found, _points, _straight = cv2.QRCodeDetector().detectAndDecode(np.ascontiguousarray(pixels[:, :, ::-1]))
    return found


@pytest.mark.parametrize("name, band", [("ebook-tangshi", "6-8"), ("ebook-tangshi", "13+"), ("ebook-songci", "6-8"),
                                        ("ebook-qianjiashi", "3-5")])
def test_every_screen_of_an_ebook_passes_the_checks_at_every_size(public_address, name, band, tmp_path):
    package = open_package(CONTENT / name)
    book = load_from_package(package)
    first, second = book.preview(package.manifest.content.get("preview"))[:2]
    for size in SIZES:
        shots = {s.state: s for s in package_shots(package, size, age_band=band, data_dir=tmp_path)}
        assert list(shots) == ["cover", "page", "page2", "qr"], size
        for shot in shots.values():
            if SHOTS:
                os.makedirs(SHOTS, exist_ok=True)
                pygame.image.save(shot.surface, os.path.join(SHOTS, f"{band}-{shot.name}.png"))
            assert not shot.findings, f"{shot.name} ({band}):\n{report(shot.findings)}"
        drawn = {state: [t for t in shot.log.texts] for state, shot in shots.items()}
        assert any(t.text == book.title and t.role == "prompt" for t in drawn["cover"])
        assert {"翻开读读", "用手机读"} <= {t.text for t in drawn["cover"]}
        young = band != "13+"
        for state, poem in (("page", first), ("page2", second)):
            lines = [t for t in drawn[state] if t.text != poem.title and t.text in "".join(poem.lines)]
            assert "".join(t.text for t in lines) == "".join(poem.lines), (size, state)
            assert all((t.ruby_size is not None) == young for t in lines)
        prompt = [t for t in drawn["qr"] if t.role == "prompt"]
        assert "".join(t.text for t in prompt) == "用手机扫一扫，在手机上读"
        if size[0] >= 1024:  # the QR a phone reads from the screen is this book's reading page
            assert decode_qr(shots["qr"].surface) == f"{BASE}/e/{package.id}?from=ebook"


def test_the_pages_carry_the_books_reviewed_pinyin_not_a_fresh_guess():
    """A line with 长 (pypinyin: zhǎng, the book: cháng) is drawn exactly as with the book's readings."""
    from experiences import drawlog
    from experiences.ebook import view
    from experiences.kiosk import theme
    from experiences.pinyin import pinyin_for
    from experiences.text import shared_text

    pygame.init()
    book = load_from_package(open_package(CONTENT / "ebook-tangshi"))
    poem, line = next((p, line) for p in book.poems for line, row in zip(p.lines, p.pinyin)
                      if len(p.lines) <= 8 and max(map(len, p.lines)) <= 16 and "cháng" in row
                      and "cháng" not in pinyin_for(line))
    surface = pygame.Surface((1920, 1080))
    with drawlog.recording() as log:
        view.draw_poem(surface, shared_text(), poem, pygame.Rect(40, 40, 1840, 1000), 1.0, True)
    # the line, or (too wide for the box: the poem's lines split after their first comma) its part with 长
    whole = poem.pinyin[poem.lines.index(line)]
    drawn, syllables = next((t, tuple(whole[line.index(t.text):line.index(t.text) + len(t.text)]))
                            for t in log.texts if t.text and t.text in line
                            and "cháng" in whole[line.index(t.text):line.index(t.text) + len(t.text)])
    line = drawn.text
    pixels = pygame.surfarray.array3d(surface.subsurface(pygame.Rect(drawn.box)))

    def alone(readings):
        ground = pygame.Surface(drawn.box[2:])
        ground.blit(shared_text().render_with_pinyin(line, drawn.size, theme.INK, theme.INK_SOFT, drawn.ruby_size,
                                                     readings), (0, 0))
        return pygame.surfarray.array3d(ground)

    assert np.array_equal(pixels, alone({line: syllables}))
    assert not np.array_equal(pixels, alone(None))  # pypinyin's own guess would look different


def test_without_a_public_address_the_qr_screen_says_so_kindly(tmp_path, caplog):
    """In Chinese for the child and the parent, no setting's name on the screen; the staff read it in the log."""
    from experiences.ebook import experience
    from experiences.screencheck import latin_letters

    experience._TOLD_STAFF.clear()
    package = open_package(CONTENT / "ebook-qianjiashi")
    with caplog.at_level("WARNING"):
        shots = {s.state: s for s in package_shots(package, (1280, 800), age_band="6-8", data_dir=tmp_path)}
    qr = shots["qr"]
    assert not qr.findings, report(qr.findings)
    texts = [t for t in qr.log.texts]
    assert any("工作人员" in t.text for t in texts)
    assert not [t for t in texts if t.role == "staff" or latin_letters(t.text)]
    assert decode_qr(qr.surface) == ""
    told = [r.getMessage() for r in caplog.records if "public_base_url" in r.getMessage()]
    assert len(told) == 1 and "org.yuedu.ebooks.qianjiashi" in told[0]


def test_the_waterfall_shows_an_ebooks_qr_instead_of_opening_it(public_address, tmp_path):
    catalog = Catalog.scan([CONTENT])
    wall = catalog.get("org.yuedu.exhibits.waterfall")
    for size in ((1920, 1080), (1080, 1920)):
        shots = {s.state: s for s in package_shots(wall, size, data_dir=tmp_path, catalog=catalog)}
        ebook = shots["ebook"]
        assert not ebook.findings, report(ebook.findings)
        prompt = [t.text for t in ebook.log.texts if t.role == "prompt"]
        assert "".join(prompt) == "用手机扫一扫，在手机上读"
        url = decode_qr(ebook.surface)
        assert url.startswith(f"{BASE}/e/org.yuedu.ebooks.") and url.endswith("?from=waterfall"), url
        title = open_package(next(p.path for p in catalog.all() if url.split("/e/")[1].startswith(p.id))).manifest
        assert title.title("zh-CN") in [t.text for t in ebook.log.texts]


def test_launcher_config_tells_staff_the_missing_public_address(data_dir, capsys):
    import launcher

    assert launcher.main(["config"]) == 0
    assert "public_base_url 没有填写" in capsys.readouterr().out
    (data_dir / "kiosk.toml").write_text('[server]\npublic_base_url = "https://library.example"\n', encoding="utf-8")
    assert launcher.main(["config"]) == 0
    assert "没有填写" not in capsys.readouterr().out
