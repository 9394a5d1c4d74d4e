"""Writes the catalogue fixtures (SAMPLE DATA, no real library's records): MARC21 (.mrc), MARCXML, UNIMARC/CNMARC
and CSV with Chinese titles, several holdings, odd encodings and broken records.

    PYTHONPATH=. .venv/bin/python tests/data/catalogue/make_fixtures.py
"""
from __future__ import annotations

from pathlib import Path

from server.catalogue.iso2709 import encode

HERE = Path(__file__).parent
NOTE = ("500", "  ", [("a", "样例数据，非真实馆藏 / sample data")])

BOOKS = [  # id, title, subtitle, author, isbn, clc, subjects, juvenile, holdings (call no, location, barcode, status)
    ("SAMPLE-0001", "班门弄斧", "成语故事绘本", "王小明", "978-7-5007-0001-9 (精装)", "H136.3", ["成语－儿童读物"], True,
     [("H136.3/W12", "少儿阅览室", "S0000101", ""), ("H136.3/W12", "二楼书库", "S0000102", "2026-12-20")]),
    ("SAMPLE-0002", "唐诗三百首", "", "蘅塘退士", "9787020002207", "I222.742", ["唐诗－诗集"], False,
     [("I222.742/H45", "三楼文学区", "S0000201", ""), ("I222.742/H45:2", "三楼文学区", "S0000202", "")]),
    ("SAMPLE-0003", "静夜思", "李白诗歌绘本", "李白", "", "I222.742", ["唐诗－儿童读物"], True,
     [("I222.742/L33", "少儿阅览室", "S0000301", "2026-12-11")]),
    ("SAMPLE-0004", "中国青铜器", "", "马承源", "978-7-5325-0004-1", "K876.41", ["青铜器（考古）－中国"], False,
     [("K876.41/M12", "四楼历史区", "S0000401", "")]),
]


def marc21_fields(book, include_title=True) -> list[tuple]:
    id_, title, sub, author, isbn, clc, subjects, juvenile, holdings = book
    f008 = "261207s2026    cc a   " + ("j" if juvenile else " ") + "      000 1 chi d"  # 008/22: target audience
    fields = [("001", id_), ("008", f008)]
    if isbn:
        fields.append(("020", "  ", [("a", isbn)]))
    fields.append(("084", "  ", [("a", clc), ("2", "clc")]))
    fields.append(("100", "1 ", [("a", author)]))
    if include_title:
        fields.append(("245", "10", [("a", title + (" :" if sub else "")), *([("b", sub)] if sub else [])]))
    fields.append(NOTE)
    fields += [("650", " 0", [("a", s)]) for s in subjects]
    fields += [("852", "  ", [("b", loc), ("h", call), ("p", bc), *([("z", "借出")] if due else [])])
               for call, loc, bc, due in holdings]
    return fields


def unimarc_fields(book) -> list[tuple]:
    id_, title, sub, author, isbn, clc, subjects, juvenile, holdings = book
    coded = "20261207d2026    em y0chiy0121    ea"
    coded = coded[:17] + ("c" if juvenile else "m") + coded[18:]
    fields = [("001", id_)]
    if isbn:
        fields.append(("010", "  ", [("a", isbn)]))
    fields += [("100", "  ", [("a", coded)]),
               ("200", "1 ", [("a", title), *([("e", sub)] if sub else []), ("f", author)]),
               ("300", "  ", [("a", "样例数据，非真实馆藏 / sample data")])]
    fields += [("606", "0 ", [("a", s)]) for s in subjects]
    fields += [("690", "  ", [("a", clc), ("v", "5")]), ("701", " 0", [("a", author)])]
    fields += [("905", "  ", [("b", bc), ("c", loc), ("d", call.split("/")[0]), ("e", call.split("/", 1)[1]),
                              *([("s", "借出")] if due else [])]) for call, loc, bc, due in holdings]
    return fields


def marcxml(records: list[list[tuple]], leader: str = "00000nam a2200000   4500") -> str:
    from xml.sax.saxutils import escape

    out = ['<?xml version="1.0" encoding="UTF-8"?>', '<collection xmlns="http://www.loc.gov/MARC21/slim">']
    for fields in records:
        out.append(f"  <record><leader>{leader}</leader>")
        for spec in fields:
            if len(spec) == 2:
                out.append(f'    <controlfield tag="{spec[0]}">{escape(spec[1])}</controlfield>')
            else:
                subs = "".join(f'<subfield code="{c}">{escape(v)}</subfield>' for c, v in spec[2])
                out.append(f'    <datafield tag="{spec[0]}" ind1="{spec[1][0]}" ind2="{spec[1][1]}">{subs}</datafield>')
        out.append("  </record>")
    out.append("</collection>")
    return "\n".join(out) + "\n"


def main() -> None:
    utf8 = "00000nam a2200000   4500"
    blank = "00000nam  2200000   4500"  # leader/09 blank: says MARC-8, but Chinese systems often write UTF-8 anyway
    gb = ("SAMPLE-0005", "汉语成语大词典", "", "编委会", "9787101000005", "H136.3", ["汉语－成语－词典"], False,
          [("H136.3/H21", "工具书区", "S0000501", "")])
    mrc = b"".join([
        encode(marc21_fields(BOOKS[0]), utf8),
        encode(marc21_fields(BOOKS[1]), blank),  # UTF-8 though the leader says MARC-8
        encode(marc21_fields(gb), blank, encoding="gb18030"),  # an older system's GB18030 export
        encode(marc21_fields(BOOKS[2]), utf8)[:-60] + b"\x1e\x1d",  # cut short: its directory points past the end
        b"NOT A MARC RECORD AT ALL\x1d",  # garbage between records
        encode(marc21_fields(("SAMPLE-0006", "", "", "佚名", "", "I207.22", [], False, []), include_title=False), utf8),
        encode(marc21_fields(BOOKS[3]), utf8),
        encode(marc21_fields(("SAMPLE-0007", "唐诗鉴赏辞典", "", "萧涤非", "9787532600001", "I207.22",
                              ["唐诗－诗歌欣赏"], False, [("I207.22/X11", "三楼文学区", "S0000701", "")])), utf8),
    ])
    (HERE / "sample-marc21.mrc").write_bytes(mrc)
    (HERE / "sample-unimarc.mrc").write_bytes(b"".join(
        [encode(unimarc_fields(b), utf8) for b in BOOKS] + [b"00012broken\x1d"]))
    xml_records = [marc21_fields(b) for b in BOOKS]
    xml = marcxml(xml_records)
    broken = '  <record><leader>00000nam a2200000   4500</leader><datafield tag="245" ind1="1" ind2="0">' \
             '<subfield code="a">没有控制号的记录</subfield></datafield></record>\n</collection>'
    (HERE / "sample-marcxml.xml").write_text(xml.replace("</collection>", broken), encoding="utf-8")
    (HERE / "sample.csv").write_text(
        "id,title,author,isbn,clc,subjects,audience,call_number,location,barcode,status\n"
        "SAMPLE-C1,成语接龙游戏书,李四,9787500700011,H136.3,成语;游戏,少儿,H136.3/L41,少儿阅览室,C0001,available\n"
        "SAMPLE-C1,成语接龙游戏书,李四,9787500700011,H136.3,成语;游戏,少儿,H136.3/L41,二楼书库,C0002,on_loan\n"
        ",没有编号的书,,,,,,,,,\n"
        "SAMPLE-C2,千家诗,谢枋得,,I222.72,古典诗歌,,I222.72/X23,三楼文学区,C0003,\n", encoding="utf-8")


if __name__ == "__main__":
    main()
