"""Availability from a real SIP2 server in the test (pysip2's ACS side answering Item Information over TCP): the
card API shows what the ILS says now, and the last known state when the ILS is down."""
from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

pysip2 = pytest.importorskip("pysip2", reason="pysip2 (test dependency) is not installed")
import anyio  # noqa: E402  (pysip2's own dependency)

from server.catalogue import marc  # noqa: E402
from server.catalogue.sip2 import SIP2Client, checksum, item_information, parse_item_information  # noqa: E402
from server.catalogue.store import CatalogueStore  # noqa: E402

DATA = Path(__file__).resolve().parents[1] / "data" / "catalogue"


class ILS:
    """pysip2's server in a thread; `shelf` says which barcodes are on the shelf (03) or on loan (04)."""

    def __init__(self, shelf: dict[str, str]):
        self.shelf = shelf
        self.asked: list[str] = []
        self.port = 0
        self.ready, self.stop = threading.Event(), threading.Event()
        self.thread = threading.Thread(target=anyio.run, args=(self._main,), daemon=True)

    async def _main(self):
        server = pysip2.SIP2Server(encoding="utf-8", institution_id="SAMPLE")

        @server.route(pysip2.ITEM_INFORMATION)
        def item(request, ctx):
            self.asked.append(request.item_identifier)
            return pysip2.ItemInformationResponse(
                circulation_status=self.shelf.get(request.item_identifier, "01"), security_marker="00",
                fee_type="01", transaction_date=request.transaction_date, item_identifier=request.item_identifier,
                title_identifier="sample", current_location="少儿阅览室")

        async with server.start(port=0) as port:
            self.port = port
            self.ready.set()
            while not self.stop.is_set():
                await anyio.sleep(0.02)

    def __enter__(self):
        self.thread.start()
        assert self.ready.wait(10)
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join(10)


def test_messages_follow_the_standard():
    message = item_information("SAMPLE", "S0000301", sequence=3)
    assert message.startswith("17") and "|AOSAMPLE|ABS0000301|" not in message and "AOSAMPLE|ABS0000301|AY3AZ" in message
    body, check = message[:-4], message[-4:]
    assert check == checksum(body) and (sum(message[:-4].encode()) + int(check, 16)) & 0xFFFF == 0
    status, fields = parse_item_information("18030001" "20261207    093000" "ABS1|AJ书|AY1AZFFFF\r")
    assert status == "available" and fields["AB"] == "S1"
    with pytest.raises(ValueError):
        parse_item_information("96")


def test_client_against_a_real_sip2_server():
    with ILS({"S0000301": "03", "S0000101": "04"}) as ils:
        client = SIP2Client("127.0.0.1", ils.port, "SAMPLE")
        assert client.statuses(["S0000301", "S0000101", "S9"]) == {
            "S0000301": "available", "S0000101": "on_loan", "S9": "unknown"}


def test_cards_show_the_ils_state_and_the_last_known_one_when_it_is_down(tmp_path):
    from server import create_app
    from server.auth import create_credential
    from tests.server.conftest import XAPIClient

    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'lrs.sqlite3'}", "TESTING": True,
                      "CATALOGUE_SIP2_TTL": 0})
    engine = app.extensions["yuedu"].engine
    store = CatalogueStore(engine)
    with open(DATA / "sample-unimarc.mrc", "rb") as stream:
        store.import_records(marc.read_any(stream))
    made = create_credential(engine, "kiosk-1", "kiosk")
    kiosk = XAPIClient(app.test_client(), made.principal.key, made.secret)
    url = "/api/catalogue/cards?kind=poem&item=静夜思"
    assert kiosk.get(url).get_json()["cards"][0]["on_shelf"] is False  # the catalogue's state: on loan
    with ILS({"S0000301": "03"}) as ils:
        store.put_setting("sip2", f"127.0.0.1:{ils.port}")
        first = kiosk.get(url).get_json()["cards"][0]
        assert (first["on_shelf"], first["status"]) == (True, "available") and "S0000301" in ils.asked
    started = time.monotonic()
    down = kiosk.get(url).get_json()["cards"][0]  # the ILS is gone: the last known state, without waiting long
    assert (down["on_shelf"], down["status"]) == (True, "available") and time.monotonic() - started < 3
    engine.dispose()
