"""E-books on phones (issue #19): the reading page a kiosk's QR opens (/e/<package id>), its poem pages with
pinyin on or off, the EPUB download, and a count of opens per day and book (no personal data)."""
