"""Server-side SVG charts of the wall (pygal), sized and styled to be read from five metres on a dark screen.

No script and no external file in the SVG: the lobby screen has no internet.
"""
from __future__ import annotations

import re

import pygal
from pygal.style import Style

FONT = "'Noto Sans CJK SC', 'Noto Sans SC', 'Source Han Sans SC', 'WenQuanYi Zen Hei', sans-serif"
BACKGROUND = "#0f1720"
TEXT = "#f4f6f8"  # 17:1 on the background
SUBTLE = "#c9d3dd"  # 11:1
# Bar colours all reach at least 7:1 against the background, so bars and their value labels stay legible.
COLOURS = ("#ffd166", "#6ee7b7", "#7dd3fc", "#f9a8d4", "#fdba74", "#c4b5fd", "#bef264", "#fca5a5")

WALL_STYLE = Style(
    background=BACKGROUND, plot_background=BACKGROUND, foreground=TEXT, foreground_strong=TEXT,
    foreground_subtle=SUBTLE, colors=COLOURS, font_family=FONT, label_font_family=FONT,
    major_label_font_family=FONT, value_font_family=FONT, value_label_font_family=FONT, title_font_family=FONT,
    legend_font_family=FONT, no_data_font_family=FONT, label_font_size=26, major_label_font_size=26,
    value_font_size=28, value_label_font_size=28, legend_font_size=26, title_font_size=30, no_data_font_size=34,
    guide_stroke_color="#3a4654", major_guide_stroke_color="#3a4654", opacity=".95", opacity_hover="1",
    transition="0s", value_colors=(TEXT,),
)


def _label_room(labels: list[str], font_size: int = 26) -> int:
    """Left margin for bar labels: pygal guesses Latin widths, a CJK character is a full em wide."""
    widest = max((sum(1.0 if ord(ch) > 0x2E80 else 0.6 for ch in label) for label in labels), default=0)
    return int(widest * font_size * 0.55) + 8


def nice_ticks(top: int, count: int = 4) -> list[int]:
    """A few round y-axis values from 0 to at least `top` (24 crowded numbers cannot be read from afar)."""
    if top <= 0:
        return [0, 1]
    step = 1
    for candidate in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000, 20000, 50000):
        step = candidate
        if top / candidate <= count:
            break
    else:
        step = max(1, top // count)
    return list(range(0, top + step, step))[: count + 2]


_INERT = re.compile(r"<script\b.*?</script>|<!--.*?-->", re.S)


def _render(chart) -> str:
    """The SVG without pygal's tooltip-config scripts and credit comments: a still picture for the wall."""
    return _INERT.sub("", chart.render(is_unicode=True))


def _common(chart, no_data: str):
    chart.config.js = []  # pygal links its tooltip script from the web by default
    chart.config.disable_xml_declaration = True
    chart.config.no_data_text = no_data
    chart.config.show_legend = False
    chart.config.print_values = True
    chart.config.explicit_size = True
    return chart


def bars(labels: list[str], values: list[int], *, width: int, height: int, no_data: str, horizontal: bool = True,
         title: str = "") -> str:
    """A bar chart with its values printed on the bars (the numbers are the point, not the colours)."""
    kind = pygal.HorizontalBar if horizontal else pygal.Bar
    chart = _common(kind(style=WALL_STYLE, width=width, height=height, margin=12, spacing=8,
                         print_values_position="top", show_y_guides=not horizontal, show_x_guides=False,
                         truncate_label=-1, y_labels_major_every=None, min_scale=1, max_scale=6), no_data)
    if title:
        chart.title = title
    if horizontal:
        chart.config.margin_left = _label_room(labels)
    if values and any(values):
        chart.x_labels = labels
        chart.y_labels = nice_ticks(max(values))  # counts: whole numbers on the axis, never 0.4 plays
        chart.add("", [{"value": v, "color": COLOURS[i % len(COLOURS)]} for i, v in enumerate(values)])
    return _render(chart)


def hours(values: list[int], labels: list[str], *, width: int, height: int, no_data: str) -> str:
    """Launches per local hour: 24 bars, every third hour labelled, values left to the page text."""
    chart = _common(pygal.Bar(style=WALL_STYLE, width=width, height=height, margin=12, spacing=4,
                              show_y_guides=True, x_labels_major_every=3, show_minor_x_labels=False,
                              truncate_label=-1), no_data)
    chart.config.print_values = False
    chart.x_labels = labels  # always: pygal's every-third-label step fails on no labels (a quiet morning)
    if any(values):
        chart.y_labels = nice_ticks(max(values))
        chart.add("", values)
    return _render(chart)


def pie(parts: dict[str, int], *, width: int, height: int, no_data: str) -> str:
    """Shares as a ring; the page lists each label with its number beside it (never colour alone)."""
    chart = _common(pygal.Pie(style=WALL_STYLE, width=width, height=height, margin=8, inner_radius=0.45), no_data)
    chart.config.print_values = False
    for label, value in parts.items():
        if value:
            chart.add(f"{label}：{value}", value)
    return _render(chart)
