"""Reading catalogue exports into model.Record: MARC21 and UNIMARC/CNMARC (ISO 2709, .mrc), MARCXML, and CSV.

Every reader yields `Parsed(position, record, error)` one record at a time: a broken record becomes an error
naming its position and never stops the rest. ISO 2709 files are split on the record terminator here, so a bad
leader or directory costs only that record; each record's encoding is found from its own bytes (UTF-8 as the
leader says or not, GB18030 as older Chinese systems write, MARC-8 otherwise).
"""
from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import IO, Iterator

import pymarc

from server.catalogue.model import AVAILABLE, Holding, Record, normalise_isbn

RECORD_END = b"\x1d"
MARCXML_NS = "{http://www.loc.gov/MARC21/slim}"
JUVENILE_MARC21 = set("abcj")  # 008/22 target audience: preschool, primary, pre-adolescent, juvenile
JUVENILE_UNIMARC = set("abcd")  # 100$a/17: juvenile general, pre-primary, primary, children


@dataclass
class Parsed:
    position: int  # 1-based record number in the file
    record: Record | None
    error: str = ""


# --- field extraction ---------------------------------------------------------------------------------------
def _first(record: pymarc.Record, tag: str, *codes: str) -> str:
    for f in record.get_fields(tag):
        for code in codes:
            values = f.get_subfields(code)
            if values and values[0].strip():
                return values[0].strip()
    return ""


def _clean(text: str) -> str:
    return text.strip().rstrip("/:;,.=").strip()


def _status(raw: str) -> str:
    raw = raw.strip().lower()
    if raw in ("", "0", "available", "在架", "可借", "在馆"):
        return AVAILABLE
    if raw in ("on_loan", "checked out", "借出", "已借出") or raw[:1].isdigit():
        return "on_loan"  # Koha's 952$q is the due date of a loan
    if raw in ("missing", "lost", "丢失", "遗失"):
        return "missing"
    return "unknown"


def is_unimarc(record: pymarc.Record) -> bool:
    return not record.get_fields("245") and bool(record.get_fields("200"))


def is_cover_link(materials: str, format_type: str) -> bool:
    """An 856 that names a cover: $3 (materials specified) says cover/封面/image, or $q is an image type."""
    low = materials.lower()
    return any(w in low for w in ("cover", "封面", "image", "图像", "书影")) or format_type.lower().startswith("image/")


def from_marc21(record: pymarc.Record) -> Record:
    """One pass over the fields (pymarc's get_fields per tag walks them all each time)."""
    title_a = title_b = author = statement = isbn = cover = ""
    clc: list[str] = []
    subjects: list[str] = []
    holdings: list[Holding] = []
    audience = ""
    for f in record.fields:
        tag = f.tag
        if tag == "245":
            title_a, title_b, statement = f.get("a") or "", f.get("b") or "", f.get("c") or ""
        elif tag in ("100", "110"):
            author = author or (f.get("a") or "")
        elif tag == "020":
            isbn = isbn or normalise_isbn(f.get("a") or "")
        elif tag in ("084", "093"):
            clc += [v for v in f.get_subfields("a") if v.strip()]
        elif tag in ("650", "600", "651"):
            subjects += [_clean(v) for v in f.get_subfields("a") if _clean(v)]
        elif tag == "852":
            holdings.append(Holding(" ".join(x for x in (f.get("h"), f.get("i")) if x).strip(), f.get("b") or "",
                                    f.get("p") or "", _status(f.get("z") or "")))
        elif tag == "952":  # Koha: $o call number, $c location, $p barcode, $q due date, $1 lost
            holdings.append(Holding(f.get("o") or "", f.get("c") or f.get("b") or "", f.get("p") or "",
                                    _status(f.get("q") or ("missing" if (f.get("1") or "0") != "0" else ""))))
        elif tag == "008":
            if f.data and len(f.data) > 22 and f.data[22] in JUVENILE_MARC21:
                audience = "juvenile"
        elif tag == "521":
            if any("儿童" in v or "juvenile" in v.lower() for v in f.get_subfields("a")):
                audience = "juvenile"
        elif tag == "856" and not cover:
            if is_cover_link(f.get("3") or "", f.get("q") or ""):
                cover = (f.get("u") or "").strip()
    title = " ".join(v for v in (_clean(title_a), _clean(title_b)) if v)
    return Record(_control(record), title, _clean(author or statement), isbn, clc, subjects, audience, cover,
                  holdings)


def from_unimarc(record: pymarc.Record) -> Record:
    title = " ".join(_clean(v) for v in (_first(record, "200", "a"), _first(record, "200", "e")) if _clean(v))
    author = _clean(_first(record, "701", "a") or _first(record, "700", "a") or _first(record, "200", "f"))
    clc = [v for f in record.get_fields("690") for v in f.get_subfields("a") if v.strip()]
    subjects = [_clean(v) for f in record.get_fields("606", "600", "607") for v in f.get_subfields("a")]
    coded = _first(record, "100", "a")
    audience = "juvenile" if len(coded) > 17 and coded[17] in JUVENILE_UNIMARC else ""
    holdings = [Holding(f"{f.get('d', '') or ''}/{f.get('e', '') or ''}".strip("/"), f.get("c", "") or "",
                        f.get("b", "") or "", _status(f.get("s", "") or "")) for f in record.get_fields("905")]
    holdings += [Holding(f.get("k", "") or "", f.get("e", "") or "", f.get("f", "") or "",
                         _status(f.get("n", "") or "")) for f in record.get_fields("995")]
    return Record(_control(record), title, author, normalise_isbn(_first(record, "010", "a")), clc,
                  [s for s in subjects if s], audience, "", holdings)


def _control(record: pymarc.Record) -> str:
    f001 = record.get("001")
    return (f001.data or "").strip() if f001 is not None else ""


def to_record(marc: pymarc.Record, unimarc: bool | None = None) -> Record:
    """A model.Record from a pymarc record; raises ValueError for one the bridge cannot use."""
    use_unimarc = is_unimarc(marc) if unimarc is None else unimarc
    record = from_unimarc(marc) if use_unimarc else from_marc21(marc)
    if not record.id:
        raise ValueError("没有控制号 (001) / no control number (001)")
    if not record.title:
        raise ValueError("没有题名 (245/200) / no title (245 or 200)")
    return record


PYMARC_ERRORS_ZH = {  # pymarc's exceptions in words a librarian reads (the English name and text follow)
    "TruncatedRecord": "记录被截断（记录头写的长度比数据长）",
    "EndOfRecordNotFound": "找不到记录结束符",
    "RecordLengthInvalid": "记录长度无效",
    "RecordLeaderInvalid": "记录头无效",
    "BaseAddressInvalid": "数据起始地址无效",
    "BaseAddressNotFound": "找不到数据起始地址",
    "RecordDirectoryInvalid": "目录区损坏",
    "NoFieldsFound": "记录里没有字段",
    "UnicodeDecodeError": "文字编码认不出",
}


def describe_error(error: Exception) -> str:
    """A broken record's reason in 中文 and English."""
    name = type(error).__name__
    return f"{PYMARC_ERRORS_ZH.get(name, '记录读不了')} / {name}: {error}"


# --- ISO 2709 ---------------------------------------------------------------------------------------------
def _decode(chunk: bytes) -> pymarc.Record:
    leader_says_utf8 = len(chunk) > 9 and chunk[9:10] == b"a"
    try:
        chunk.decode("utf-8")
        utf8 = True
    except UnicodeDecodeError:
        utf8 = False
    if utf8 and (leader_says_utf8 or b"\x1b" not in chunk):
        return pymarc.Record(data=chunk, force_utf8=True)
    if not utf8:
        try:
            chunk.decode("gb18030")
            return pymarc.Record(data=chunk, file_encoding="gb18030")
        except UnicodeDecodeError:
            pass
    return pymarc.Record(data=chunk)  # MARC-8 (with its escape sequences for CJK)


def split_iso2709(stream: IO[bytes]) -> Iterator[bytes]:
    buffer = b""
    while True:
        block = stream.read(1 << 20)
        if not block:
            break
        buffer += block
        *chunks, buffer = buffer.split(RECORD_END)
        for chunk in chunks:
            yield chunk + RECORD_END
    if buffer.strip(b"\r\n \x00"):
        yield buffer


def read_iso2709(stream: IO[bytes], unimarc: bool | None = None) -> Iterator[Parsed]:
    for position, chunk in enumerate(split_iso2709(stream), start=1):
        chunk = chunk.lstrip(b"\r\n")
        try:
            if len(chunk) < 24 or not chunk[:5].isdigit():
                raise ValueError("记录头损坏 / bad leader (not a MARC record)")
            yield Parsed(position, to_record(_decode(chunk), unimarc))
        except Exception as error:  # pymarc raises its own errors and plain ones for broken directories
            yield Parsed(position, None, str(error) if isinstance(error, ValueError) else describe_error(error))


# --- MARCXML ----------------------------------------------------------------------------------------------
def _xml_record(element: ET.Element) -> pymarc.Record:
    record = pymarc.Record()
    leader = element.find(f"{MARCXML_NS}leader")
    if leader is not None and leader.text:
        record.leader = leader.text
    for child in element:
        tag = child.get("tag", "")
        if child.tag == f"{MARCXML_NS}controlfield":
            record.add_field(pymarc.Field(tag=tag, data=child.text or ""))
        elif child.tag == f"{MARCXML_NS}datafield":
            subfields = [pymarc.Subfield(s.get("code", ""), s.text or "") for s in child
                         if s.tag == f"{MARCXML_NS}subfield"]
            record.add_field(pymarc.Field(tag=tag, indicators=pymarc.Indicators(child.get("ind1", " ") or " ",
                                                                              child.get("ind2", " ") or " "),
                                          subfields=subfields))
    return record


def read_marcxml(stream: IO[bytes], unimarc: bool | None = None) -> Iterator[Parsed]:
    position = 0
    try:
        for _event, element in ET.iterparse(stream, events=("end",)):
            if element.tag != f"{MARCXML_NS}record":
                continue
            position += 1
            try:
                yield Parsed(position, to_record(_xml_record(element), unimarc))
            except Exception as error:
                yield Parsed(position, None, str(error))
            element.clear()
    except ET.ParseError as error:
        yield Parsed(position + 1, None, f"XML 损坏，其后的记录读不到 / broken XML, records after it are lost: {error}")


def records_from_xml_elements(elements, unimarc: bool | None = None) -> Iterator[Parsed]:
    """MARCXML <record> elements (as an OAI-PMH answer carries them)."""
    for position, element in enumerate(elements, start=1):
        try:
            yield Parsed(position, to_record(_xml_record(element), unimarc))
        except Exception as error:
            yield Parsed(position, None, str(error))


# --- CSV --------------------------------------------------------------------------------------------------
CSV_COLUMNS = ("id", "title", "author", "isbn", "clc", "subjects", "audience", "call_number", "location", "barcode",
               "status", "cover")


def read_csv(stream: IO[bytes]) -> Iterator[Parsed]:
    """The last resort: a header row naming some of CSV_COLUMNS (id and title required); one row a copy, rows
    of one id are one record with several holdings; subjects split on ; or ；."""
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    by_id: dict[str, Record] = {}
    for position, row in enumerate(csv.DictReader(text), start=2):
        row = {k.strip().lower(): (v or "").strip() for k, v in row.items() if k}
        if not row.get("id") or not row.get("title"):
            yield Parsed(position, None, "缺少 id 或 title / id and title are required")
            continue
        holding = Holding(row.get("call_number", ""), row.get("location", ""), row.get("barcode", ""),
                          _status(row.get("status", "")))
        record = by_id.get(row["id"])
        if record is None:
            record = by_id[row["id"]] = Record(
                row["id"], row["title"], row.get("author", ""), normalise_isbn(row.get("isbn", "")),
                [c for c in row.get("clc", "").replace("；", ";").split(";") if c.strip()],
                [s.strip() for s in row.get("subjects", "").replace("；", ";").split(";") if s.strip()],
                "juvenile" if row.get("audience", "").lower() in ("juvenile", "少儿", "儿童") else "",
                row.get("cover", "") if row.get("cover", "").startswith(("http://", "https://")) else "")
        if any(holding.__dict__.values()):
            record.holdings.append(holding)
    for position, record in enumerate(by_id.values(), start=1):
        yield Parsed(position, record)


def sniff(head: bytes, name: str = "") -> str:
    """"marc", "marcxml" or "csv" from the first bytes of a file (and its name as a hint)."""
    stripped = head.lstrip(b"\xef\xbb\xbf \r\n\t")
    if stripped.startswith(b"<"):
        return "marcxml"
    if stripped[:5].isdigit() and len(stripped) >= 24:
        return "marc"
    return "csv" if name.lower().endswith(".csv") or b"," in head.split(b"\n", 1)[0] else "marc"


def read_any(stream: IO[bytes], name: str = "", unimarc: bool | None = None) -> Iterator[Parsed]:
    head = stream.read(4096)
    rest = io.BufferedReader(_Prefixed(head, stream)) if hasattr(stream, "read") else stream
    kind = sniff(head, name)
    if kind == "marcxml":
        return read_marcxml(rest, unimarc)
    if kind == "csv":
        return read_csv(rest)
    return read_iso2709(rest, unimarc)


class _Prefixed(io.RawIOBase):
    def __init__(self, head: bytes, stream: IO[bytes]):
        self.head, self.stream = head, stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self.head:
            n = min(len(buffer), len(self.head))
            buffer[:n], self.head = self.head[:n], self.head[n:]
            return n
        data = self.stream.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)
