"""The wall blueprint: the lobby page, the panels it polls for, JSON per wall part; reports and recommendations
register on the same blueprint from their own modules. Registering it also starts the rollup job's timer."""
from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import Blueprint, Flask, Response, current_app, jsonify, render_template, request, url_for

from experiences.i18n import normalize, register_catalog_dir, t
from server.wall import charts, lobby, queries, settings
from server.wall.access import wall_token_required
from server.wall.rollup import RollupJob
from server.wall.screens import Screens
from server.wall.shelf import ShelfFigures, ShelfView, build_shelf_view
from server.wall.view import build_view

log = logging.getLogger(__name__)
wall_bp = Blueprint("wall", __name__, template_folder="templates")


@dataclass
class WallServices:
    job: RollupJob
    tz: ZoneInfo
    stop: threading.Event
    screens: Screens
    shelf: ShelfFigures
    # Rendered panels per (language, rollup version, minute): many lobby screens cost one render.
    panels: dict = field(default_factory=dict)
    latest: dict = field(default_factory=dict)  # language -> (minute, monotonic time, panels) of the last render
    lock: threading.Lock = field(default_factory=threading.Lock)
    render_lock: threading.Lock = field(default_factory=threading.Lock)


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
    if "WALL_TOKEN" not in app.config:  # given as None: no wall
        from experiences import datadir

        app.config["WALL_TOKEN"] = lobby.wall_token(datadir.server_dir())  # YUEDU_WALL_TOKEN, or kept, made once
    settings.apply_defaults(app)
    register_catalog_dir(Path(__file__).resolve().parent.parent / "messages")
    engine = app.extensions["yuedu"].engine
    job = RollupJob(engine, app.config["WALL_TIMEZONE"], int(app.config["WALL_ROLLUP_BATCH"]))
    services = WallServices(job, ZoneInfo(app.config["WALL_TIMEZONE"]), threading.Event(),
                            Screens(timedelta(seconds=float(app.config["WALL_SCREEN_GONE_SECONDS"]))),
                            ShelfFigures(float(app.config["WALL_SHELF_SECONDS"])))
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
    """The panels in `lang` as (html, {"view", "version", "json"}), rendered once for every screen asking.

    Rendering costs ~50 ms of CPU (the SVG charts) under the GIL the request threads share: while statements pour
    in and the rollups advance every second, panels are rendered again at most every WALL_RENDER_SECONDS (the
    minute in the header always shows), and by one thread at a time."""
    app = current_app
    services = wall_services()
    now = settings.now(app)
    minute = now.replace(second=0, microsecond=0)
    shelf_figures = _shelf_figures(services, now)  # kept for WALL_SHELF_SECONDS: cheap but for one ask a minute
    key = (lang, services.job.version, minute, services.shelf.generation)
    with services.lock:
        hit = _cached(services, key, float(app.config["WALL_RENDER_SECONDS"]))
    if hit is not None:
        return hit
    with services.render_lock:
        with services.lock:
            hit = services.panels.get(key)  # another thread rendered them while this one waited
        if hit is not None:
            return hit
        figures = queries.rollup_figures(services.job.engine, now, services.tz)
        with services.job.engine.connect() as conn:
            titles = queries.package_titles(conn)
            names = queries.kiosk_names(conn)
        view = build_view(figures, titles, now, services.tz, lang,
                          timedelta(minutes=float(app.config["WALL_SILENT_MINUTES"])),
                          app.config.get("LIBRARY_MAIN_BRANCH_NAME"), kiosk_names=names)
        shelf = build_shelf_view(*shelf_figures, titles, lang) if shelf_figures else ShelfView()
        html = render_template("wall/panels.html", view=view, shelf=shelf, t=t, colours=charts.COLOURS,
                               library=app.config["WALL_LIBRARY_NAME"])
        # The panels' version is their content's digest: equal panels, equal version, even across restarts. The
        # JSON answer is made once too: every screen asking gets the same bytes.
        version = hashlib.blake2b(html.encode(), digest_size=8).hexdigest()
        rendered = (html, {"view": view, "version": version,
                           "json": json.dumps({"html": html, "version": version}, ensure_ascii=False).encode()})
        with services.lock:
            if len(services.panels) > 8:
                services.panels.clear()
            services.panels[key] = rendered
            services.latest[lang] = (minute, time.monotonic(), rendered)
    return rendered


def _shelf_figures(services: WallServices, now) -> tuple | None:
    """从体验到书架's figures from the catalogue; a failure there never takes the rest of the wall down."""
    from server.catalogue.routes import catalogue_store

    try:
        return services.shelf.get(catalogue_store(), now.astimezone(services.tz).date())
    except Exception:
        log.exception("the wall's 从体验到书架 figures could not be read")
        return None


def _cached(services: WallServices, key: tuple, fresh_for: float):
    hit = services.panels.get(key)
    if hit is None and fresh_for > 0:
        lang, _, minute, _ = key
        latest = services.latest.get(lang)
        if latest is not None and latest[0] == minute and time.monotonic() - latest[1] < fresh_for:
            hit = latest[2]  # the rollups moved on a moment ago: these panels are young enough
    return hit


@wall_bp.get("/wall")
@wall_token_required
def wall_page():
    lang = _lang()
    html, context = render_panels(lang)
    panels_url = url_for("wall.wall_panels", token=request.args["token"], lang=lang)
    pinned = request.args.get("view", "")
    return render_template("wall/page.html", view=context["view"], t=t, colours=charts.COLOURS, panels_url=panels_url,
                           version=context["version"], poll_seconds=float(current_app.config["WALL_POLL_SECONDS"]),
                           library=current_app.config["WALL_LIBRARY_NAME"],
                           pinned=pinned if pinned in ("main", "shelf") else "",
                           rotate_seconds=float(current_app.config["WALL_ROTATE_SECONDS"]), panels_html=html)


@wall_bp.get("/wall/panels")
@wall_token_required
def wall_panels():
    """What an open wall page asks for every WALL_POLL_SECONDS: 204 while its panels (`have`) are current, else
    the panels as JSON. A short request that holds no worker thread between asks, however many screens there are
    and whether or not they read their answers; `screen` (the page's own id) tells /wall/api/screens who is live."""
    lang = _lang()
    wall_services().screens.seen(request.args.get("screen", ""), settings.now(current_app), lang,
                                 request.remote_addr or "")
    _, context = render_panels(lang)
    if request.args.get("have") == context["version"]:
        response = Response(status=204)
    else:
        response = Response(context["json"], mimetype="application/json")
    response.headers["Cache-Control"] = "no-store"
    return response


@wall_bp.get("/wall/stream")
@wall_token_required
def wall_stream():
    """For wall pages opened before /wall/panels: one Server-Sent Event with the panels, then the stream ends and
    the browser's EventSource connects again after `retry` (5 s). It never holds a worker thread."""
    _, context = render_panels(_lang())
    body = b"retry: 5000\n\nevent: panels\ndata: " + context["json"] + b"\n\n"
    return Response(body, mimetype="text/event-stream", headers={"Cache-Control": "no-cache"})


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
    """One part of the wall as JSON (`all` for every part; `screens`: the lobby screens live now)."""
    if part == "screens":
        now = settings.now(current_app)
        return jsonify(screens=[{"screen": s.id, "lang": s.lang, "address": s.address,
                                 "first_seen": s.first_seen.isoformat(), "last_seen": s.last_seen.isoformat()}
                                for s in wall_services().screens.live(now)])
    if part != "all" and part not in PARTS:
        return jsonify(error=f"unknown wall part {part!r}; one of {', '.join(PARTS)}, all or screens"), 404
    services = wall_services()
    w = queries.Window(settings.now(current_app), services.tz)
    with services.job.engine.connect() as conn:
        if part == "all":
            return jsonify({name: _part(name, conn, w, current_app) for name in PARTS})
        return jsonify(_part(part, conn, w, current_app))


from server.wall import recommend_routes, reports  # noqa: E402,F401  (their views join this blueprint)
