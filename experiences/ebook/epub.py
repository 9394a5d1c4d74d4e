"""An EPUB 3 of a Book (experiences.ebook.book), pinyin as <ruby>/<rt> over every Han character.

Deterministic: the same book and cover give the same bytes (fixed zip dates and order, no clock, no random ids),
so the service can cache it by the package's hash and tests can compare builds. Pure: zipfile and strings only.
Checked with Debian's epubcheck in tests/ebook/test_epub.py (zero errors, zero warnings).

Layout inside the zip: `mimetype` first and stored; META-INF/container.xml; OEBPS/content.opf, nav.xhtml,
style.css, cover.xhtml + images/cover.png (when the package has a cover), text/title.xhtml and one XHTML file per
section (long sections in parts of PART_POEMS poems, so a phone's reader opens each quickly).
"""
from __future__ import annotations

import io
import zipfile
from html import escape

from experiences.ebook.book import Book, Poem
from experiences.pinyin import is_han

MEDIA_TYPE = "application/epub+zip"
PART_POEMS = 40
ZIP_DATE = (2020, 1, 1, 0, 0, 0)
XHTML_NS = 'xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"'

STYLE = """\
body { margin: 0 5%; line-height: 1.6; }
h1, h2 { font-weight: bold; text-align: center; }
h1 { font-size: 1.6em; margin: 2em 0 0.5em; }
h2 { font-size: 1.3em; margin: 2.2em 0 0.2em; }
p { margin: 0; text-indent: 0; }
.byline { text-align: center; margin-bottom: 0.8em; }
.line { text-align: center; font-size: 1.2em; line-height: 2.4; }
.note { text-align: center; font-size: 0.85em; margin-top: 0.4em; }
.section-title { font-size: 1.5em; text-align: center; margin: 1.5em 0; }
.about { margin: 1em 0; }
rt { font-size: 0.55em; }
.cover { text-align: center; margin: 0; padding: 0; }
.cover img { max-width: 100%; max-height: 100%; }
"""


def ruby(text: str, syllables) -> str:
    """Each Han character in its own <ruby> with its syllable in <rt>; everything else escaped as it is."""
    out = []
    for index, char in enumerate(text):
        syllable = syllables[index] if index < len(syllables) else ""
        if syllable and is_han(char):
            out.append(f"<ruby>{escape(char)}<rt>{escape(syllable)}</rt></ruby>")
        else:
            out.append(escape(char))
    return "".join(out)


def _page(title: str, body: str, lang: str, css: str = "../style.css", extra: str = "") -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n'
            f'<html {XHTML_NS} xml:lang="{lang}" lang="{lang}">\n<head>\n<meta charset="UTF-8"/>\n'
            f'<title>{escape(title)}</title>\n<link rel="stylesheet" type="text/css" href="{css}"/>{extra}\n'
            f'</head>\n{body}\n</html>\n')


def poem_html(poem: Poem, anchor: str) -> str:
    lines = "\n".join(f'<p class="line">{ruby(line, syllables)}</p>' for line, syllables in zip(poem.lines, poem.pinyin))
    byline = ""
    if poem.author:
        dynasty = f"〔{escape(poem.dynasty)}〕" if poem.dynasty else ""
        byline = f'\n<p class="byline">{dynasty}{ruby(poem.author, poem.author_pinyin)}</p>'
    note = f'\n<p class="note">{escape(poem.note)}</p>' if poem.note else ""
    return (f'<section id="{anchor}" epub:type="chapter">\n<h2>{ruby(poem.title, poem.title_pinyin)}</h2>{byline}\n'
            f'{lines}{note}\n</section>')


def parts(book: Book) -> list[tuple[str, str, list[int]]]:
    """(file name, heading, poem indexes) of each text file after the title page."""
    out = []
    for number, section in enumerate(book.sections, start=1):
        chunks = [section.poems[i:i + PART_POEMS] for i in range(0, len(section.poems), PART_POEMS)]
        for part, chunk in enumerate(chunks, start=1):
            heading = section.title or book.title
            if len(chunks) > 1:
                heading += f"（{part}）"
            out.append((f"text/s{number:02d}-{part}.xhtml", heading, list(chunk)))
    return out


def anchor(index: int) -> str:
    return f"p{index + 1}"


def _title_page(book: Book) -> str:
    about = f'\n<p class="about">{escape(book.description)}</p>' if book.description else ""
    rights = f'\n<p class="about">{escape(book.rights)}</p>' if book.rights else ""
    byline = f'\n<p class="byline">{escape(book.byline)}</p>' if book.byline else ""
    body = (f'<body>\n<section epub:type="titlepage">\n<h1>{ruby(book.title, book.title_pinyin)}</h1>{byline}'
            f'{about}{rights}\n</section>\n</body>')
    return _page(book.title, body, book.language)


def _nav(book: Book, files: list[tuple[str, str, list[int]]]) -> str:
    items = []
    for name, heading, indexes in files:
        poems = "\n".join(f'<li><a href="{name}#{anchor(i)}">{escape(book.poems[i].title)}</a></li>' for i in indexes)
        items.append(f'<li><a href="{name}">{escape(heading)}</a>\n<ol>\n{poems}\n</ol>\n</li>')
    body = (f'<body>\n<nav epub:type="toc" id="toc">\n<h1>目录</h1>\n<ol>\n'
            f'<li><a href="text/title.xhtml">{escape(book.title)}</a></li>\n' + "\n".join(items) +
            '\n</ol>\n</nav>\n</body>')
    return _page(f"{book.title} 目录", body, book.language, css="style.css")


def _opf(book: Book, files, has_cover: bool) -> str:
    meta = [f'<dc:identifier id="bookid">{escape(book.identifier)}</dc:identifier>',
            f"<dc:title>{escape(book.title)}</dc:title>", f"<dc:language>{escape(book.language)}</dc:language>",
            f'<meta property="dcterms:modified">{escape(book.modified)}</meta>']
    if book.byline:
        meta.append(f"<dc:creator>{escape(book.byline)}</dc:creator>")
    if book.description:
        meta.append(f"<dc:description>{escape(book.description)}</dc:description>")
    if book.rights:
        meta.append(f"<dc:rights>{escape(book.rights)}</dc:rights>")
    manifest = ['<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>',
                '<item id="css" href="style.css" media-type="text/css"/>',
                '<item id="title" href="text/title.xhtml" media-type="application/xhtml+xml"/>']
    spine = []
    if has_cover:
        manifest += ['<item id="cover-image" href="images/cover.png" media-type="image/png" properties="cover-image"/>',
                     '<item id="cover" href="cover.xhtml" media-type="application/xhtml+xml"/>']
        spine.append('<itemref idref="cover"/>')
    spine.append('<itemref idref="title"/>')
    for number, (name, _heading, _indexes) in enumerate(files, start=1):
        manifest.append(f'<item id="t{number}" href="{name}" media-type="application/xhtml+xml"/>')
        spine.append(f'<itemref idref="t{number}"/>')
    spine.append('<itemref idref="nav" linear="no"/>')
    newline = "\n"
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="bookid" '
            f'xml:lang="{book.language}">\n<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">\n'
            f'{newline.join(meta)}\n</metadata>\n<manifest>\n{newline.join(manifest)}\n</manifest>\n'
            f'<spine>\n{newline.join(spine)}\n</spine>\n</package>\n')


CONTAINER = """<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
<rootfiles>
<rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>
</rootfiles>
</container>
"""


def files_of(book: Book, cover_png: bytes | None = None) -> list[tuple[str, bytes]]:
    """Every file of the EPUB in zip order (mimetype first)."""
    files = parts(book)
    out: list[tuple[str, bytes]] = [("mimetype", MEDIA_TYPE.encode("ascii")),
                                    ("META-INF/container.xml", CONTAINER.encode("utf-8"))]
    text = {"OEBPS/content.opf": _opf(book, files, cover_png is not None), "OEBPS/nav.xhtml": _nav(book, files),
            "OEBPS/style.css": STYLE, "OEBPS/text/title.xhtml": _title_page(book)}
    if cover_png is not None:
        body = f'<body class="cover">\n<img src="images/cover.png" alt="{escape(book.title)}"/>\n</body>'
        text["OEBPS/cover.xhtml"] = _page(book.title, body, book.language, css="style.css")
    for name, heading, indexes in files:
        poems = "\n".join(poem_html(book.poems[i], anchor(i)) for i in indexes)
        body = f'<body>\n<h1 class="section-title">{escape(heading)}</h1>\n{poems}\n</body>'
        text[f"OEBPS/{name}"] = _page(f"{book.title} · {heading}", body, book.language)
    out += [(name, value.encode("utf-8")) for name, value in text.items()]
    if cover_png is not None:
        out.append(("OEBPS/images/cover.png", cover_png))
    return out


def build_epub(book: Book, cover_png: bytes | None = None) -> bytes:
    """The EPUB's bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files_of(book, cover_png):
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.create_system = 3
            info.external_attr = 0o644 << 16
            if name == "mimetype":
                info.compress_type = zipfile.ZIP_STORED  # OCF: first, uncompressed, no extra field
                archive.writestr(info, data)
            else:
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, data, compresslevel=9)
    return buffer.getvalue()


def epub_for_package(package) -> bytes:
    """The EPUB of an ebook package: its book and its cover (a PNG the manifest names, when there is one)."""
    from experiences.ebook.book import load_from_package

    book = load_from_package(package)
    cover = None
    name = package.manifest.cover
    if name.lower().endswith(".png") and package.source.exists(name):
        cover = package.source.read_bytes(name)
    return build_epub(book, cover)
