"""The staff reports' charts: small inline SVGs drawn here (no script, no style attribute, no file fetched), one
per report table, on a white page: marks at least 3:1 and text at least 4.5:1 against white (WCAG 2.1 AA)."""
from __future__ import annotations

from markupsafe import Markup, escape

from server.wall.charts import nice_ticks

TEXT = "#1a1a1a"
GRID = "#8c8c8c"  # 3.4:1 on white
FONT = "'Noto Sans CJK SC', 'Noto Sans SC', sans-serif"
BLUE, ORANGE, GREEN, RED = "#1f5fa8", "#a84300", "#2e6b2f", "#a3160b"  # 6.6, 6.0, 6.4, 7.6 : 1 on white
SIZE = 16  # px of the chart's text at its natural width (it scales with the page)


def _width(text: str, size: int = SIZE) -> float:
    return sum(size if ord(ch) > 0x2E80 else size * 0.6 for ch in text)


def _svg(width: int, height: int, title: str, body: list[str], chart_id: str) -> Markup:
    head = (f'<svg class="chart" id="{chart_id}" role="img" aria-labelledby="{chart_id}-title" '
            f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" font-family="{FONT}" '
            f'font-size="{SIZE}" fill="{TEXT}" xmlns="http://www.w3.org/2000/svg">'
            f'<title id="{chart_id}-title">{escape(title)}</title>')
    return Markup(head + "".join(body) + "</svg>")


def _legend(series: list[tuple[str, str]], x: float, y: float) -> tuple[list[str], float]:
    out = []
    for name, colour in series:
        out.append(f'<rect x="{x:.0f}" y="{y - 12:.0f}" width="14" height="14" fill="{colour}"/>'
                   f'<text x="{x + 20:.0f}" y="{y:.0f}">{escape(name)}</text>')
        x += 20 + _width(name) + 24
    return out, x


def hbars(chart_id: str, title: str, labels: list[str], series: list[tuple[str, str, list[int]]],
          no_data: str, max_rows: int = 15) -> Markup:
    """Horizontal bars, one row per label, the series stacked left to right, each row's numbers at its end."""
    rows = list(zip(labels, *[values for _n, _c, values in series]))[:max_rows]
    width, row_h, top = 720, 30, 34 if len(series) > 1 else 8
    if not rows or not any(sum(r[1:]) for r in rows):
        return _svg(width, 60, title, [f'<text x="8" y="36">{escape(no_data)}</text>'], chart_id)
    left = min(260, max(_width(r[0]) for r in rows) + 16)
    totals = [sum(r[1:]) for r in rows]
    room = width - left - 10 - _width(" / ".join(str(max(totals)) for _ in series)) - 8
    scale = room / max(max(totals), 1)
    body = []
    if len(series) > 1:
        body += _legend([(n, c) for n, c, _v in series], left, 20)[0]
    for i, row in enumerate(rows):
        y = top + i * row_h
        label = row[0] if _width(row[0]) <= left - 16 else row[0][: int((left - 16) / SIZE) - 1] + "…"
        body.append(f'<text x="{left - 10:.0f}" y="{y + 20}" text-anchor="end">{escape(label)}</text>')
        x = left
        for (name, colour, _v), value in zip(series, row[1:]):
            if value:
                body.append(f'<rect x="{x:.1f}" y="{y + 5}" width="{value * scale:.1f}" height="{row_h - 10}" '
                            f'fill="{colour}"><title>{escape(name)}：{value}</title></rect>')
            x += value * scale
        numbers = " / ".join(str(v) for v in row[1:])
        body.append(f'<text x="{x + 6:.1f}" y="{y + 20}">{numbers}</text>')
    body.append(f'<path d="M{left} {top} V{top + len(rows) * row_h}" stroke="{GRID}" fill="none"/>')
    return _svg(width, top + len(rows) * row_h + 6, title, body, chart_id)


def columns(chart_id: str, title: str, labels: list[str], series: list[tuple[str, str, list[int]]],
            no_data: str) -> Markup:
    """Grouped columns per label (a day), y axis with a few round ticks, at most ~12 x labels."""
    width, height, left, top, bottom = 880, 300, 44, 34, 36
    if not labels or not any(any(v) for _n, _c, v in series):
        return _svg(width, 60, title, [f'<text x="8" y="36">{escape(no_data)}</text>'], chart_id)
    ticks = nice_ticks(max(max(v) for _n, _c, v in series))
    plot_w, plot_h = width - left - 8, height - top - bottom
    scale = plot_h / ticks[-1]
    slot = plot_w / len(labels)
    bar = max(1.0, min(28.0, slot * 0.8 / len(series)))
    body = _legend([(n, c) for n, c, _v in series], left, 20)[0]
    for tick in ticks:
        y = top + plot_h - tick * scale
        body.append(f'<path d="M{left} {y:.1f} H{width - 8}" stroke="{GRID}" stroke-width="0.6" fill="none"/>'
                    f'<text x="{left - 6}" y="{y + 5:.1f}" text-anchor="end">{tick}</text>')
    every = max(1, -(-len(labels) // 12))
    for i, label in enumerate(labels):
        x0 = left + i * slot + (slot - bar * len(series)) / 2
        for k, (name, colour, values) in enumerate(series):
            h = values[i] * scale
            if h:
                body.append(f'<rect x="{x0 + k * bar:.1f}" y="{top + plot_h - h:.1f}" width="{bar:.1f}" '
                            f'height="{h:.1f}" fill="{colour}"><title>{escape(label)} {escape(name)}：{values[i]}'
                            f'</title></rect>')
        if i % every == 0:
            body.append(f'<text x="{left + (i + 0.5) * slot:.1f}" y="{height - 12}" text-anchor="middle">'
                        f'{escape(label)}</text>')
    body.append(f'<path d="M{left} {top + plot_h:.1f} H{width - 8}" stroke="{TEXT}" fill="none"/>')
    return _svg(width, height, title, body, chart_id)
