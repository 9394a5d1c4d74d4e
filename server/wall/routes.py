"""The wall blueprint: the lobby page, its live stream (SSE), JSON per wall part; reports and recommendations
register on the same blueprint from their own modules. Registering it also starts the rollup job's timer."""
from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import Blueprint, Flask, Response, current_app, jsonify, render_template, request, stream_with_context, url_for

from experiences.i18n import normalize, register_catalog_dir, t
from server.wall import charts, queries, settings
from server.wall.access import wall_token_required
from server.wall.rollup import RollupJob
from server.wall.view import build_view

log = logging.getLogger(__name__)
wall_bp = Blueprint("wall", __name__, template_folder="templates")


@dataclass
class WallServices:
    job: RollupJob
    tz: ZoneInfo
    stop: threading.Event
    # Rendered panels per (language, rollup version, minute): many lobby screens cost one render.
    panels: dict = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


def wall_services(app: Flask | None = None) -> WallServices:
    return (app or current_app).extensions["yuedu_wall"]


def _run_on_timer(job: RollupJob, seconds: float, stop: threading.Event, watch: bool) -> None:
    while not stop.wait(seconds):
        try:
            job.notice() if watch else job.run()
        except Exception:  # a failed run is retried on the next tick; the server must keep serving
            log.exception("wall rollup %s failed", "watch" if watch else "run")


@wall_bp.record_once
def _set_up(state) -> None:
    app = state.app
    settings.apply_defaults(app)
    register_catalog_dir(Path(__file__).resolve().parent.parent / "messages")
    engine = app.extensions["yuedu"].engine
    job = RollupJob(engine, app.config["WALL_TIMEZONE"], int(app.config["WALL_ROLLUP_BATCH"]))
    services = WallServices(job, ZoneInfo(app.config["WALL_TIMEZONE"]), threading.Event())
    app.extensions["yuedu_wall"] = services
    seconds = float(app.config["WALL_ROLLUP_SECONDS"])
    mode = app.config["WALL_ROLLUP_MODE"]
    if mode not in ("thread", "watch"):
        raise ValueError(f"WALL_ROLLUP_MODE must be 'thread' or 'watch', not {mode!r}")
    if seconds > 0 and not app.config.get("TESTING"):
        # Watching costs one indexed read: check every second so the live page follows the worker closely.
        period = min(seconds, 1.0) if mode == "watch" else seconds
        threading.Thread(target=_run_on_timer, args=(job, period, services.stop, mode == "watch"),
                         name="wall-rollup", daemon=True).start()


def _lang() -> str:
    return normalize(request.args.get("lang") or "zh-CN")


def render_panels(lang: str) -> tuple[str, dict]:
    app = current_app
    services = wall_services()
    now = settings.now(app)
    key = (lang, services.job.version, now.replace(second=0, microsecond=0))
    with services.lock:
        hit = services.panels.get(key)
    if hit is not None:
        return hit
    figures = queries.rollup_figures(services.job.engine, now, services.tz)
    with services.job.engine.connect() as conn:
        titles = queries.package_titles(conn)
    view = build_view(figures, titles, now, services.tz, lang,
                      timedelta(minutes=float(app.config["WALL_SILENT_MINUTES"])))
    rendered = (render_template("wall/panels.html", view=view, t=t, colours=charts.COLOURS,
                                library=app.config["WALL_LIBRARY_NAME"]), {"view": view})
    with services.lock:
        if len(services.panels) > 8:
            services.panels.clear()
        services.panels[key] = rendered
    return rendered


@wall_bp.get("/wall")
@wall_token_required
def wall_page():
    lang = _lang()
    html, context = render_panels(lang)
    stream_url = url_for("wall.wall_stream", token=request.args["token"], lang=lang)
    return render_template("wall/page.html", view=context["view"], t=t, colours=charts.COLOURS, stream_url=stream_url,
                           library=current_app.config["WALL_LIBRARY_NAME"])


@wall_bp.get("/wall/stream")
@wall_token_required
def wall_stream():
    """Server-Sent Events: the panels again whenever the rollups advance, and at least every refresh period."""
    app = current_app
    lang = _lang()
    job = wall_services().job
    refresh = float(app.config["WALL_REFRESH_SECONDS"])

    def events():
        version = job.version
        yield "retry: 5000\n\n"
        while True:  # first the panels as they are now (the page may have missed a change), then on each change
            html, _ = render_panels(lang)
            yield f"event: panels\ndata: {json.dumps({'html': html, 'version': version}, ensure_ascii=False)}\n\n"
            version = job.wait_for_change(version, timeout=refresh)

    return Response(stream_with_context(events()), mimetype="text/event-stream",
                    headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


def _part(name: str, conn, w: queries.Window, app: Flask) -> dict:
    if name == "visitors":
        today, week = queries.visitors(conn, w)
        return {"today": today, "week": week, "repeat_plays_week": queries.repeat_plays(conn, w)}
    if name == "plays":
        today, week = queries.plays(conn, w)
        return {"today": today, "week": week, "titles": queries.package_titles(conn)}
    if name == "idioms":
        right, missed = queries.idioms(conn, w)
        return {"right": right, "missed": missed}
    if name == "poems":
        recited, best = queries.poems(conn, w)
        return {"recited": recited, "best_readings": [
            {"score": s, "nickname": n, "label": n or t("wall.reader", _lang()), "poem": p} for s, n, p in best]}
    if name == "hours":
        return {"launches_per_hour": queries.hours(conn, w)}
    if name == "places":
        branches, kiosks = queries.places(conn, w)
        seen = queries.kiosk_last_seen(conn)
        after = timedelta(minutes=float(app.config["WALL_SILENT_MINUTES"]))
        from server.analytics.wall import silent_kiosks

        return {"branches_week": branches, "kiosks_today": kiosks, "silent_kiosks": silent_kiosks(seen, w.now, after),
                "kiosk_last_seen": {k: v.isoformat() for k, v in seen.items()}}
    if name == "ages":
        return {"age_bands_week": queries.age_bands(conn, w)}
    if name == "content":
        return {"new_content": queries.new_content(conn, w)}
    raise KeyError(name)


PARTS = ("visitors", "plays", "idioms", "poems", "hours", "places", "ages", "content")


@wall_bp.get("/wall/api/<part>")
@wall_token_required
def wall_part(part: str):
    """One part of the wall as JSON (`all` for every part)."""
    if part != "all" and part not in PARTS:
        return jsonify(error=f"unknown wall part {part!r}; one of {', '.join(PARTS)} or all"), 404
    services = wall_services()
    w = queries.Window(settings.now(current_app), services.tz)
    with services.job.engine.connect() as conn:
        if part == "all":
            return jsonify({name: _part(name, conn, w, current_app) for name in PARTS})
        return jsonify(_part(part, conn, w, current_app))


from server.wall import recommend_routes, reports  # noqa: E402,F401  (their views join this blueprint)
