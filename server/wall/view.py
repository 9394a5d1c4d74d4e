"""What the wall shows: figures turned into labelled rows, texts and charts in one language.

Key figures are plain page text (ids the lobby page and its tests read); charts repeat them as pictures.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from experiences.i18n import t
from server.analytics.wall import WallFigures, silent_kiosks
from server.labels import branch_label
from server.wall import charts

SHOWN = 5  # rows per list on the wall
# Chart boxes in CSS pixels per orientation: (wide width, narrow width, plays height, hours height, small height).
LAYOUTS = {"land": (910, 440, 240, 240, 240), "port": (1010, 490, 270, 200, 180)}


@dataclass
class WallView:
    lang: str
    updated: str
    visitors_today: int
    visitors_week: int
    repeat_plays: int
    plays: list[tuple[str, int, int]]  # (title, week, today)
    idioms_right: list[tuple[str, int]]
    idioms_missed: list[tuple[str, int]]
    poems: list[tuple[str, int]]
    readings: list[tuple[str, str, float]]  # (who, poem, score)
    busiest_hour: int | None
    branches: list[tuple[str, int]]
    kiosks: list[tuple[str, int]]
    silent: list[tuple[str, int]]  # (kiosk, minutes silent)
    ages: list[tuple[str, int]]
    new_content: list[str]
    svg: dict[str, str] = field(default_factory=dict)


def _title(titles: dict, package: str, lang: str) -> str:
    return (titles.get(package) or {}).get(lang) or package


def build_view(f: WallFigures, titles: dict[str, dict[str, str]], now: datetime, tz: ZoneInfo, lang: str,
               silent_after: timedelta, main_branch: str | None = None,
               kiosk_names: dict[str, str] | None = None) -> WallView:
    names = kiosk_names or {}
    plays = sorted(((_title(titles, p, lang), n, f.plays_today.get(p, 0)) for p, n in f.plays_week.items()),
                   key=lambda row: (-row[1], row[0]))
    hours = f.busiest_hours
    silent = [(names.get(k) or k, int((now - f.kiosk_last_seen[k]).total_seconds() // 60))
              for k in silent_kiosks(f.kiosk_last_seen, now, silent_after)]
    view = WallView(
        lang=lang,
        updated=now.astimezone(tz).strftime("%H:%M"),
        visitors_today=f.visitors_today,
        visitors_week=f.visitors_week,
        repeat_plays=f.repeat_plays_week,
        plays=plays,
        idioms_right=f.idioms_right[:SHOWN],
        idioms_missed=f.idioms_missed[:SHOWN],
        poems=f.poems_recited[:SHOWN],
        readings=[(nickname or t("wall.reader", lang), poem, score) for score, nickname, poem in f.best_readings],
        busiest_hour=hours.index(max(hours)) if any(hours) else None,
        branches=sorted(((branch_label(b, lang, main_branch) if b else t("wall.unknown_branch", lang), n) for b, n in f.branches_week.items()),
                        key=lambda r: (-r[1], r[0])),
        kiosks=sorted(((names.get(k) or k or t("wall.unknown_kiosk", lang), n) for k, n in f.kiosks_today.items()),
                      key=lambda r: (-r[1], r[0])),
        silent=silent,
        ages=sorted(f.age_bands_week.items()),
        new_content=[_title(titles, p, lang) for p in f.new_content],
    )
    no_data = t("wall.nothing", lang)
    hour_labels = [t("wall.hour_label", lang, hour=h) for h in range(24)]
    ages = {t("wall.age_band", lang, band=b): n for b, n in view.ages}
    # Each chart is drawn for the box it gets in each orientation, so its text is never scaled down.
    for layout, (wide, narrow, plays_h, hours_h, small_h) in LAYOUTS.items():
        view.svg[f"plays_{layout}"] = charts.bars([p[0] for p in plays[:8]], [p[1] for p in plays[:8]], width=wide,
                                                  height=plays_h, no_data=no_data)
        view.svg[f"hours_{layout}"] = charts.hours(hours, hour_labels, width=wide, height=hours_h, no_data=no_data)
        view.svg[f"branches_{layout}"] = charts.bars([b for b, _ in view.branches[:5]], [n for _, n in view.branches[:5]],
                                                     width=narrow, height=small_h, no_data=no_data)
        view.svg[f"ages_{layout}"] = charts.pie(ages, width=narrow // 2, height=small_h, no_data=no_data)
    return view
