"""OAI-PMH harvest against a real OAI-PMH server: pyoai's server side (BatchingServer: resumption tokens,
datestamps, deleted records) serving the MARCXML fixtures over HTTP on 127.0.0.1, harvested by our client."""
from __future__ import annotations

import copy
import threading
import urllib.parse
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

oaipmh_server = pytest.importorskip("oaipmh.server", reason="pyoai (test dependency) is not installed")
from lxml import etree  # noqa: E402  (pyoai's own dependency)
from oaipmh import common, metadata  # noqa: E402

from server.catalogue.oai import harvest  # noqa: E402
from server.catalogue.store import CatalogueStore  # noqa: E402
from server.db import make_engine, upgrade_schema  # noqa: E402

DATA = Path(__file__).resolve().parents[1] / "data" / "catalogue"
MARC = "http://www.loc.gov/MARC21/slim"

# pyoai 2.5.0 decodes resumption tokens with cgi.parse_qs, which Python 3.8 removed; its successor in urllib has
# the same signature. (A shim for the library's server on today's Python, not a stand-in for our client.)
oaipmh_server.cgi.parse_qs = urllib.parse.parse_qs


class Repository:
    """An IBatchingOAIPMH repository: the fixture records with datestamps; records can change or be deleted."""

    def __init__(self):
        tree = etree.parse(str(DATA / "sample-marcxml.xml"))
        self.items: dict[str, tuple[datetime, object, bool]] = {}
        for n, element in enumerate(tree.getroot().findall(f"{{{MARC}}}record"), start=1):
            control = element.findtext(f"{{{MARC}}}controlfield[@tag='001']") or f"BROKEN-{n}"
            self.items[f"oai:library.example:{control}"] = (datetime(2026, 12, n), element, False)

    def identify(self):
        return common.Identify("样例图书馆 (sample)", "http://127.0.0.1/oai", "2.0", ["oai@library.example"],
                               datetime(2026, 1, 1), "persistent", "YYYY-MM-DDThh:mm:ssZ", ["identity"])

    def listMetadataFormats(self, identifier=None):
        return [("marc21", "http://www.loc.gov/standards/marcxml/schema/MARC21slim.xsd", MARC)]

    def listRecords(self, metadataPrefix, set=None, from_=None, until=None, cursor=0, batch_size=10):
        rows = sorted((stamp, ident, element, deleted) for ident, (stamp, element, deleted) in self.items.items()
                      if (from_ is None or stamp >= from_) and (until is None or stamp <= until))
        return [(common.Header(None, ident, stamp, [], deleted), None if deleted else element, None)
                for stamp, ident, element, deleted in rows[cursor:cursor + batch_size]]


def marc_writer(element, record):
    element.append(copy.deepcopy(record))


@pytest.fixture
def oai_server():
    repository = Repository()
    registry = metadata.MetadataRegistry()
    registry.registerWriter("marc21", marc_writer)
    server = oaipmh_server.BatchingServer(repository, registry, resumption_batch_size=2)
    requests: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(self.path).query))
            requests.append(query)
            body = server.handleRequest(query)
            self.send_response(200)
            self.send_header("Content-Type", "text/xml; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{http.server_address[1]}/oai", repository, requests
    http.shutdown()
    http.server_close()


def test_harvest_pages_then_only_changes_and_deletions(tmp_path, oai_server):
    url, repository, requests = oai_server
    engine = make_engine(f"sqlite:///{tmp_path / 'lrs.sqlite3'}")
    upgrade_schema(engine)
    store = CatalogueStore(engine)

    report = harvest(url, store)
    assert (report.stored, report.error_count) == (4, 1) and "001" in report.errors[0]
    assert len(requests) == 3 and "resumptionToken" in requests[1] and "from" not in requests[0]
    assert store.record("SAMPLE-0003").datestamp == "2026-12-03T00:00:00Z"
    assert store.cards("poem", "静夜思")[0].record.id == "SAMPLE-0003"

    # The library system changes one record and deletes another; the next harvest asks only for what changed.
    stamp, element, _ = repository.items["oai:library.example:SAMPLE-0002"]
    changed = copy.deepcopy(element)
    changed.find(f"{{{MARC}}}datafield[@tag='245']/{{{MARC}}}subfield[@code='a']").text = "唐诗三百首（新版）"
    repository.items["oai:library.example:SAMPLE-0002"] = (datetime(2026, 12, 9), changed, False)
    repository.items["oai:library.example:SAMPLE-0004"] = (datetime(2026, 12, 9), None, True)
    requests.clear()
    again = harvest(url, store)
    assert requests[0]["from"] == "2026-12-05T00:00:00Z"
    # from is inclusive: the broken record of 2026-12-05 comes again (and is reported again), nothing older
    assert (again.stored, again.deleted, again.error_count) == (1, 1, 1)
    assert store.record("SAMPLE-0002").title == "唐诗三百首（新版）"
    assert store.record("SAMPLE-0004") is None and store.record("SAMPLE-0001") is not None
    assert store.cards("exhibit", "青铜器") == []

    requests.clear()  # nothing new since: only the newest day again (from is inclusive), and nothing changes
    quiet = harvest(url, store)
    assert requests[0]["from"] == "2026-12-09T00:00:00Z" and (quiet.stored, quiet.deleted) == (1, 1)
    assert store.count() == 3


def test_staff_harvest_from_the_portal_page(tmp_path, oai_server):
    from tests.server.portal_helpers import make_app, signed_in

    url, _repository, requests = oai_server
    app = make_app(tmp_path)
    curator = signed_in(app, "curator")
    page = curator.post("/portal/catalogue/import", {"oai_url": url}, page="/portal/catalogue")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "存入 4 条" in html and "stored 4" in html
    assert html.count('<li class="error">') == 1 and "001" in html
    assert len(requests) == 3  # the pages of the answer, by resumption token
    app.extensions["yuedu"].engine.dispose()
