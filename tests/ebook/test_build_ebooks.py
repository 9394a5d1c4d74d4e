"""The bundled e-books in content/: valid packages, the pinyin conventions and the reviewed readings applied, and
(with ../shared/data beside the repository) rebuilt byte for byte by scripts/build_ebooks.py."""
from __future__ import annotations

import filecmp
import json
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from experiences.ebook.book import load_from_package
from experiences.package import open_package
from experiences.validation import validate_package
from tests.rawdata import full_shared_data

REPO = Path(__file__).resolve().parents[2]
BOOKS = {"ebook-tangshi": ("唐诗三百首", 320), "ebook-songci": ("宋词三百首", 280), "ebook-qianjiashi": ("千家诗", 226)}
REVIEW = tomllib.loads((REPO / "scripts" / "ebook_pinyin_review.toml").read_text(encoding="utf-8"))
SHARED_DATA = full_shared_data()


def books():
    return {name: load_from_package(open_package(REPO / "content" / name)) for name in BOOKS}


@pytest.mark.parametrize("name", BOOKS)
def test_the_bundled_ebook_is_a_valid_package_with_every_poem(name):
    report = validate_package(REPO / "content" / name)
    assert report.ok and not report.warnings, [str(p) for p in report.problems]
    package = open_package(REPO / "content" / name)
    book = load_from_package(package)
    title, count = BOOKS[name]
    assert (package.kind, package.manifest.title("zh-CN"), book.title, len(book.poems)) == ("ebook", title, title, count)
    assert len({p.id for p in book.poems}) == count  # the shared data's duplicate id (隋宫) was made unique
    assert 5 <= len(book.preview()) and all(len(p.lines) <= 8 for p in book.preview())


def test_the_pinyin_follows_the_conventions_and_the_reviewed_readings():
    read = {}
    for book in books().values():
        for poem in book.poems:
            for line, syllables in zip(poem.lines, poem.pinyin):
                for phrase, reading in REVIEW["phrases"].items():
                    start = line.find(phrase)
                    if start >= 0:
                        got = syllables[start:start + len(phrase)]
                        read[phrase] = all(w in ("_", g) for w, g in zip(reading.split(" "), got))
                for char, syllable in zip(line, syllables):
                    if char == "一":
                        assert syllable == "yī", line  # citation tones, as the booth's poems
                    if char == "不":
                        assert syllable == "bù", line
    assert set(read) == set(REVIEW["phrases"]), set(REVIEW["phrases"]) - set(read)  # every phrase still occurs
    assert all(read.values()), [p for p, ok in read.items() if not ok]
    tang = books()["ebook-tangshi"]
    # 长 is cháng in 长安 (pypinyin read zhǎng in 104 places of these books, nearly all wrong)
    changan = [s for p in tang.poems for line, row in zip(p.lines, p.pinyin) for i, s in enumerate(row)
               if line[i:i + 2] == "长安"]
    assert changan and set(changan) == {"cháng"}


@pytest.mark.skipif(SHARED_DATA is None, reason="needs ../shared/data beside the repository (CI has it)")
def test_the_build_script_rebuilds_the_committed_packages_byte_for_byte(tmp_path):
    result = subprocess.run([sys.executable, str(REPO / "scripts" / "build_ebooks.py"), "--shared",
                             str(SHARED_DATA.parent), "--out", str(tmp_path)], capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    for name in BOOKS:
        files = sorted(p.name for p in (REPO / "content" / name).iterdir())
        assert files == sorted(p.name for p in (tmp_path / name).iterdir())
        match, mismatch, errors = filecmp.cmpfiles(REPO / "content" / name, tmp_path / name, files, shallow=False)
        assert not mismatch and not errors, (name, mismatch, errors)
        source = json.loads((SHARED_DATA / "poems" / {"ebook-tangshi": "tangshi300.json",
                                                      "ebook-songci": "songci300.json",
                                                      "ebook-qianjiashi": "qianjiashi.json"}[name]).read_text())
        book = load_from_package(open_package(tmp_path / name))
        assert [list(p.lines) for p in book.poems] == [p["paragraphs"] for p in source]  # the text is untouched
