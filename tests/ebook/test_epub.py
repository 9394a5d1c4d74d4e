"""The bundled e-books as EPUB 3: Debian's epubcheck finds no error and no warning in any of them, the build is
byte-for-byte repeatable, every Han character carries its pinyin in <ruby>/<rt>, and the table of contents names
every poem. epubcheck also catches a broken EPUB (so its silence means something)."""
from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from experiences.ebook.book import load_from_package
from experiences.ebook.epub import build_epub, epub_for_package
from experiences.package import open_package
from experiences.pinyin import is_han

REPO = Path(__file__).resolve().parents[2]
BOOKS = ("ebook-tangshi", "ebook-songci", "ebook-qianjiashi")
EPUBCHECK_JAR = Path("/usr/share/java/epubcheck.jar")  # Debian's epubcheck (scripts/setup.sh installs it)


def epubcheck(path: Path, tmp_path: Path) -> dict:
    """epubcheck's JSON report of one file. The jar runs through java (its /usr/bin link needs binfmt_misc);
    the client JIT only: a third of the start-up time for the same checks."""
    assert shutil.which("java") and EPUBCHECK_JAR.is_file(), "epubcheck and a Java runtime: run scripts/setup.sh"
    out = tmp_path / f"{path.stem}.json"
    subprocess.run(["java", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", str(EPUBCHECK_JAR), str(path),
                    "--json", str(out)], capture_output=True, text=True, timeout=120)
    return json.loads(out.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def epubs(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("epubs")
    built = {}
    for name in BOOKS:
        data = epub_for_package(open_package(REPO / "content" / name))
        built[name] = folder / f"{name}.epub"
        built[name].write_bytes(data)
    return built


@pytest.mark.parametrize("name", BOOKS)
def test_epubcheck_finds_no_error_and_no_warning(epubs, name, tmp_path):
    result = epubcheck(epubs[name], tmp_path)
    checker = result["checker"]
    assert (checker["nFatal"], checker["nError"], checker["nWarning"]) == (0, 0, 0), result["messages"][:5]
    book = load_from_package(open_package(REPO / "content" / name))
    assert result["publication"]["title"] == book.title
    assert result["publication"]["language"] == "zh-CN"
    assert epubs[name].stat().st_size < 1_000_000  # small enough to send to a phone on a library's Wi-Fi


def test_epubcheck_reports_a_broken_epub(tmp_path):
    """A compressed `mimetype` and a poem page that is not well-formed XHTML: both are errors to epubcheck."""
    good = epub_for_package(open_package(REPO / "content" / "ebook-qianjiashi"))
    broken = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as source, zipfile.ZipFile(broken, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.startswith("OEBPS/text/s01"):
                data = data.replace(b"</ruby>", b"", 1)
            out.writestr(info.filename, data)
    path = tmp_path / "broken.epub"
    path.write_bytes(broken.getvalue())
    result = epubcheck(path, tmp_path)
    assert result["checker"]["nError"] + result["checker"]["nFatal"] >= 2, result["messages"]


@pytest.mark.parametrize("name", BOOKS)
def test_the_epub_is_repeatable_and_every_han_character_has_its_pinyin(epubs, name):
    package = open_package(REPO / "content" / name)
    data = epubs[name].read_bytes()
    assert epub_for_package(package) == data  # byte for byte: the service caches it by the package's hash
    book = load_from_package(package)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        first = archive.infolist()[0]
        assert (first.filename, first.compress_type) == ("mimetype", zipfile.ZIP_STORED)
        assert archive.read("mimetype") == b"application/epub+zip"
        texts = {n: archive.read(n).decode("utf-8") for n in archive.namelist() if n.startswith("OEBPS/text/s")}
        nav = archive.read("OEBPS/nav.xhtml").decode("utf-8")
        assert archive.read("OEBPS/images/cover.png") == package.source.read_bytes("cover.png")
    body = "".join(texts[n] for n in sorted(texts, key=lambda n: [int(x) for x in re.findall(r"\d+", n)]))
    rubies = re.findall(r"<ruby>(.)<rt>([^<]+)</rt></ruby>", body)
    expected = [(c, s) for poem in book.poems for part in [(poem.title, poem.title_pinyin),
                                                           (poem.author, poem.author_pinyin),
                                                           *zip(poem.lines, poem.pinyin)]
                for c, s in zip(*part) if is_han(c)]
    assert rubies == expected
    han = sum(is_han(c) for poem in book.poems for line in poem.lines for c in line)
    assert han > 5000 and len(rubies) > han
    for poem in book.poems:
        assert f">{poem.title}</a>" in nav


def test_a_book_without_a_cover_still_passes_its_own_structure():
    """No cover image: no cover page or cover-image item (epubcheck would flag a dangling one)."""
    book = load_from_package(open_package(REPO / "content" / "ebook-qianjiashi"))
    with zipfile.ZipFile(io.BytesIO(build_epub(book))) as archive:
        names = archive.namelist()
        opf = archive.read("OEBPS/content.opf").decode("utf-8")
    assert "OEBPS/cover.xhtml" not in names and "cover-image" not in opf
