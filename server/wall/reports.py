"""Staff reports from the rollups: a date range and a branch, day-by-day figures, plays and idioms, CSV export."""
from __future__ import annotations

import csv
import io
from datetime import date, timedelta

from flask import Response, current_app, render_template, request
from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from experiences.i18n import normalize, t
from server.labels import branch_label
from server.wall import queries, report_charts, settings
from server.wall import tables as T
from server.wall.access import staff_required
from server.wall.routes import wall_bp, wall_services

MAX_DAYS = 366
TABLES = ("daily", "packages", "idioms")


class ReportError(ValueError):
    pass


def parse_range(args, today: date, lang: str) -> tuple[date, date, str | None]:
    """(start, end, branch) from the query string; the default is the last 7 days, all branches."""
    def day(name: str, default: date) -> date:
        value = (args.get(name) or "").strip()
        if not value:
            return default
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise ReportError(t("report.bad_date", lang, value=value)) from None

    end = day("end", today)
    start = day("start", end - timedelta(days=6))
    if start > end:
        raise ReportError(t("report.bad_range", lang))
    if (end - start).days + 1 > MAX_DAYS:
        raise ReportError(t("report.too_long", lang, days=MAX_DAYS))
    branch = args.get("branch")
    return start, end, (branch if branch not in (None, "*") else None)


def _branch(query, column, branch: str | None):
    return query if branch is None else query.where(column == branch)


def daily_rows(conn: Connection, start: date, end: date, branch: str | None) -> list[dict]:
    s, c = T.WallSession, T.WallCount
    rows = {start + timedelta(days=i): {"day": start + timedelta(days=i), "visitors": 0, "plays": 0, "right": 0,
                                        "missed": 0, "recited": 0, "repeat": 0}
            for i in range((end - start).days + 1)}
    visitors = _branch(select(s.day, func.count(s.session.distinct())).where(s.day.between(start, end)), s.branch, branch)
    for day, n in conn.execute(visitors.group_by(s.day)):
        rows[day]["visitors"] = n
    counts = _branch(select(c.day, c.metric, func.sum(c.n)).where(
        c.day.between(start, end), c.metric.in_(("plays", "right", "missed", "recited", "repeat"))), c.branch, branch)
    for day, metric, n in conn.execute(counts.group_by(c.day, c.metric)):
        rows[day][metric] = int(n)
    return list(rows.values())


def package_rows(conn: Connection, start: date, end: date, branch: str | None, lang: str) -> list[dict]:
    c = T.WallCount
    titles = queries.package_titles(conn)
    query = _branch(select(c.key, func.sum(c.n)).where(c.metric == "plays", c.day.between(start, end)), c.branch, branch)
    rows = [{"package": p, "title": (titles.get(p) or {}).get(lang, p), "plays": int(n)}
            for p, n in conn.execute(query.group_by(c.key)) if n]
    return sorted(rows, key=lambda r: (-r["plays"], r["package"]))


def idiom_rows(conn: Connection, start: date, end: date, branch: str | None) -> list[dict]:
    c = T.WallCount
    query = _branch(select(c.key, c.metric, func.sum(c.n)).where(c.metric.in_(("right", "missed")),
                                                                 c.day.between(start, end)), c.branch, branch)
    rows: dict[str, dict] = {}
    for idiom, metric, n in conn.execute(query.group_by(c.key, c.metric)):
        rows.setdefault(idiom, {"idiom": idiom, "right": 0, "missed": 0})[metric] = int(n)
    return sorted(rows.values(), key=lambda r: (-(r["right"] + r["missed"]), r["idiom"]))


def branches(conn: Connection) -> list[str]:
    return sorted(set(conn.execute(select(T.WallKiosk.branch)).scalars()) - {""})


COLUMNS = {
    "daily": ("day", "visitors", "plays", "right", "missed", "recited", "repeat"),
    "packages": ("package", "title", "plays"),
    "idioms": ("idiom", "right", "missed"),
}
# On the page a package is its title (the CSV keeps the id beside it, for spreadsheets joining other data).
PAGE_COLUMNS = dict(COLUMNS, packages=("title", "plays"))
PAGE_HEADINGS = {"title": "report.package"}
HEADINGS = {"day": "report.day", "visitors": "report.visitors", "plays": "report.plays", "right": "report.right",
            "missed": "report.missed", "recited": "report.recited", "repeat": "report.repeat",
            "package": "report.package", "title": "report.title_col", "idiom": "report.idiom"}


def report_tables(conn: Connection, start: date, end: date, branch: str | None, lang: str) -> dict[str, list[dict]]:
    return {"daily": daily_rows(conn, start, end, branch), "packages": package_rows(conn, start, end, branch, lang),
            "idioms": idiom_rows(conn, start, end, branch)}


# A spreadsheet runs a text cell starting with one of these as a formula (=HYPERLINK(…), +cmd|…, @SUM…).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> object:
    """A cell as written to the CSV: dates in ISO form, numbers as they are, text that a spreadsheet would take
    for a formula behind an apostrophe (OWASP's advice), so titles and idiom names from kiosks stay text."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def charts(tables: dict[str, list[dict]], lang: str) -> dict[str, str]:
    """One chart per table: visitors and plays per day, plays per experience, right and missed per idiom."""
    def word(key: str) -> str:
        return t(key, lang)

    daily, packages, idioms = tables["daily"], tables["packages"], tables["idioms"]
    none = word("report.no_data")
    return {
        "daily": report_charts.columns(
            "chart-daily", word("report.daily"), [r["day"].strftime("%m-%d") for r in daily],
            [(word("report.visitors"), report_charts.BLUE, [r["visitors"] for r in daily]),
             (word("report.plays"), report_charts.ORANGE, [r["plays"] for r in daily])], none),
        "packages": report_charts.hbars(
            "chart-packages", word("report.packages"), [r["title"] for r in packages],
            [(word("report.plays"), report_charts.BLUE, [r["plays"] for r in packages])], none),
        "idioms": report_charts.hbars(
            "chart-idioms", word("report.idioms"), [r["idiom"] for r in idioms],
            [(word("report.right"), report_charts.GREEN, [r["right"] for r in idioms]),
             (word("report.missed"), report_charts.RED, [r["missed"] for r in idioms])], none),
    }


def _page(lang: str, status: int = 200, **values):
    branch_names = {b: branch_label(b, lang, current_app.config.get("LIBRARY_MAIN_BRANCH_NAME"))
                    for b in values.pop("branches")}
    return render_template("wall/reports.html", t=t, lang=lang, branches=branch_names, columns=PAGE_COLUMNS,
                           headings={**HEADINGS, **PAGE_HEADINGS}, **values), status


def _today():
    return queries.Window(settings.now(current_app), wall_services().tz).today


@wall_bp.get("/wall/reports")
@staff_required
def reports_page():
    lang = normalize(request.args.get("lang") or "zh-CN")
    engine = wall_services().job.engine
    with engine.connect() as conn:
        known = branches(conn)
        try:
            start, end, branch = parse_range(request.args, _today(), lang)
        except ReportError as error:
            return _page(lang, 400, error=str(error), branches=known, args=request.args, tables={}, charts={})
        tables = report_tables(conn, start, end, branch, lang)
    args = {"start": start.isoformat(), "end": end.isoformat(), "branch": branch or "*", "lang": lang}
    return _page(lang, error=None, branches=known, args=args, tables=tables, charts=charts(tables, lang))


@wall_bp.get("/wall/reports.csv")
@staff_required
def reports_csv():
    lang = normalize(request.args.get("lang") or "zh-CN")
    table = request.args.get("table", "daily")
    if table not in TABLES:
        return Response(f"table must be one of {', '.join(TABLES)}", 400)
    try:
        start, end, branch = parse_range(request.args, _today(), lang)
    except ReportError as error:
        return Response(str(error), 400, mimetype="text/plain")
    with wall_services().job.engine.connect() as conn:
        rows = report_tables(conn, start, end, branch, lang)[table]
    out = io.StringIO()
    out.write("\ufeff")  # spreadsheet programs read the Chinese headings as UTF-8 only with the mark
    writer = csv.writer(out)
    writer.writerow([t(HEADINGS[c], lang) for c in COLUMNS[table]])
    for row in rows:
        writer.writerow([csv_cell(row[c]) for c in COLUMNS[table]])
    name = f"yuedu-{table}-{start.isoformat()}-{end.isoformat()}.csv"
    return Response(out.getvalue(), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
