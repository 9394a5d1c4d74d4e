"""E-books (the `ebook` kind, issue #19): a book of poems with pinyin, read on the kiosk, as an EPUB 3 and on a
phone through the service's reading page; the e-book waterfall shows their covers and a QR to take one along."""
from pathlib import Path

from experiences import i18n

i18n.register_catalog_dir(Path(__file__).resolve().parent / "messages")
