"""OAI-PMH harvest of MARCXML records (Koha, FOLIO, Evergreen and Chinese ILSs): ListRecords from the last
datestamp harvested (incremental), following resumption tokens, removing records the server reports deleted.

A deleted record's OAI identifier names it by its last ':'-separated part (oai:library.example:12345 -> 12345),
the control number (001) OAI servers of these systems use.
"""
from __future__ import annotations

import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from typing import Callable

from server.catalogue.marc import MARCXML_NS, records_from_xml_elements
from server.catalogue.store import CatalogueStore, ImportReport

OAI = "{http://www.openarchives.org/OAI/2.0/}"
TIMEOUT = 60
MAX_PAGES = 100_000


class HarvestError(RuntimeError):
    pass


def _fetch(url: str, opener: Callable) -> ET.Element:
    with opener(url, timeout=TIMEOUT) as response:
        return ET.fromstring(response.read())


def harvest(base_url: str, store: CatalogueStore, prefix: str = "marc21", set_spec: str = "",
            full: bool = False, opener: Callable = urllib.request.urlopen) -> ImportReport:
    """Harvests into `store`; the next harvest from the same base URL asks only for records changed since."""
    state_key = f"oai_from:{base_url}|{prefix}|{set_spec}"
    since = "" if full else store.setting(state_key)
    params = {"verb": "ListRecords", "metadataPrefix": prefix}
    if since:
        params["from"] = since
    if set_spec:
        params["set"] = set_spec
    report = ImportReport()
    newest = since
    for _page in range(MAX_PAGES):
        root = _fetch(f"{base_url}?{urllib.parse.urlencode(params)}", opener)
        error = root.find(f"{OAI}error")
        if error is not None:
            if error.get("code") == "noRecordsMatch":
                break
            raise HarvestError(f"OAI-PMH 服务器报错 / the OAI-PMH server says: {error.get('code')}: {error.text}")
        listing = root.find(f"{OAI}ListRecords")
        if listing is None:
            raise HarvestError("不是 ListRecords 的应答 / not a ListRecords answer")
        elements, deleted = [], []
        for record in listing.findall(f"{OAI}record"):
            header = record.find(f"{OAI}header")
            stamp = header.findtext(f"{OAI}datestamp", "") if header is not None else ""
            newest = max(newest, stamp)
            if header is not None and header.get("status") == "deleted":
                deleted.append(header.findtext(f"{OAI}identifier", "").rsplit(":", 1)[-1])
                continue
            marc = record.find(f"{OAI}metadata/{MARCXML_NS}record")
            if marc is not None:
                elements.append((marc, stamp))
        parsed = []
        for (marc, stamp), item in zip(elements, records_from_xml_elements([m for m, _ in elements])):
            if item.record is not None:
                item.record.datestamp = stamp
            item.position = report.read + len(parsed) + 1
            parsed.append(item)
        store.import_records(parsed, base_url, report, deleted_ids=deleted)
        token = listing.findtext(f"{OAI}resumptionToken", "").strip()
        if not token:
            break
        params = {"verb": "ListRecords", "resumptionToken": token}
    if newest:
        store.put_setting(state_key, newest)
    return report
