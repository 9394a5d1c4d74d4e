"""The wall's settings, with defaults: any of them can be given to create_app(config) like the server's own."""
from __future__ import annotations

import os
from datetime import datetime, timezone
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the launcher reads DEFAULTS for its options without importing Flask
    from flask import Flask

DEFAULTS: dict = {
    # The lobby screen opens /wall?token=<WALL_TOKEN>. Not given: YUEDU_WALL_TOKEN, else the token kept in
    # <data dir>/server/wall-token (made on first use, server/wall/lobby.py); given as None: no wall (404).
    "WALL_TOKEN": None,
    # "Today" and "this week" are cut in this zone (IANA name); changing it rebuilds the rollups.
    "WALL_TIMEZONE": "Asia/Shanghai",
    # Seconds between runs of the rollup job; 0 runs it only when called (tests).
    "WALL_ROLLUP_SECONDS": 5.0,
    # "thread": this process runs the rollup job on a timer; "watch": another process runs it (server/wall/
    # worker.py: `launcher.py serve` starts one, `launcher.py wall-rollup` is one) and this process only
    # watches the watermark to push the wall's live page.
    "WALL_ROLLUP_MODE": "thread",
    # Statements folded per rollup transaction: its write holds the database's one write lock for ~5 ms at 1,000
    # (~15 ms at 5,000), and ingest requests wait that long behind it.
    "WALL_ROLLUP_BATCH": 1000,
    # A kiosk that has sent nothing for this long is shown as silent.
    "WALL_SILENT_MINUTES": 30,
    # Each open wall page asks for its panels this often (a short request: "no change" is a 204 and holds no
    # worker thread); the panels also change every minute (the clock in the header, silent kiosks).
    "WALL_POLL_SECONDS": 5.0,
    # Panels are rendered again at most this often while the rollups keep moving (~50 ms of CPU each); 0: on every
    # change (tests).
    "WALL_RENDER_SECONDS": 5.0,
    # A lobby screen not heard from for this long has gone away (see /wall/api/screens).
    "WALL_SCREEN_GONE_SECONDS": 30.0,
    # The 从体验到书架 panel's figures (every recommendation and scan statement of 90 days) are read again at most
    # this often, for all screens (server/wall/shelf.py).
    "WALL_SHELF_SECONDS": 60.0,
    # With a catalogue imported, the wall page shows its panels and the 从体验到书架 panel in turn, each this long;
    # 0: no turns (a screen opened with &view=shelf or &view=main always shows that one).
    "WALL_ROTATE_SECONDS": 20.0,
    # Library name shown in the wall's header.
    "WALL_LIBRARY_NAME": "",
    # A function returning the current UTC time (tests pin it); None is the real clock.
    "WALL_CLOCK": None,
}


# Settings a deployment can also give as environment variables (create_app's config wins).
FROM_ENVIRONMENT = {"WALL_TOKEN": "YUEDU_WALL_TOKEN", "WALL_TIMEZONE": "YUEDU_WALL_TIMEZONE",
                    "WALL_LIBRARY_NAME": "YUEDU_LIBRARY_NAME", "WALL_ROLLUP_MODE": "YUEDU_WALL_ROLLUP_MODE"}


def apply_defaults(app: Flask) -> None:
    for key, value in DEFAULTS.items():
        if key not in app.config and key in FROM_ENVIRONMENT and os.environ.get(FROM_ENVIRONMENT[key]):
            value = os.environ[FROM_ENVIRONMENT[key]]
        app.config.setdefault(key, value)


def now(app: Flask) -> datetime:
    clock = app.config.get("WALL_CLOCK")
    return clock() if clock else datetime.now(timezone.utc)
