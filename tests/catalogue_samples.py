"""The sample catalogue every catalogue test imports: tests/data/catalogue's MARC21, UNIMARC and CSV records
(clearly sample data; made by tests/data/catalogue/make_fixtures.py), with the OPAC and public links a library
would set."""
from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "catalogue"
SAMPLE_FILES = ("sample-marc21.mrc", "sample-unimarc.mrc", "sample.csv")


def import_samples(engine, *, links: bool = True):
    """A CatalogueStore on `engine` holding the sample records (bad ones skipped, as any import does); with
    `links`, the OPAC record link and the server's public address are set too."""
    from server.catalogue import marc
    from server.catalogue.store import CatalogueStore

    store = CatalogueStore(engine)
    for name in SAMPLE_FILES:
        with open(DATA / name, "rb") as stream:
            store.import_records(marc.read_any(stream, name), name)
    if links:
        store.put_setting("opac_url", "https://opac.library.example/record/{id}")
        store.put_setting("public_url", "https://lrs.library.example/")
    return store
