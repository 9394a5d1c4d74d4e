"""Launcher commands of the engagement service: serve, kiosk-credentials, backup, restore."""
from __future__ import annotations

import argparse
import os
import signal
import sys
from pathlib import Path

from server.httpserver import DEFAULT_THREADS

MESSAGES_DIR = Path(__file__).with_name("messages")


def _say(message: str, **values) -> None:
    from experiences.i18n import both, register_catalog_dir

    register_catalog_dir(MESSAGES_DIR)
    print(both(f"server.{message}", **values), flush=True)


def register(subparsers) -> None:
    serve = subparsers.add_parser("serve", help="run the engagement service (xAPI LRS) over HTTP")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=_port, default=8400, help="port, 1–65535 (default 8400; 0: any free port)")
    serve.add_argument("--db", default=None, help="database URL (default: SQLite in the data directory)")
    serve.add_argument("--xapi-default-version", choices=("1.0.3", "2.0.0"), default="1.0.3",
                       help="version reported to requests that name none (they are refused either way)")
    serve.add_argument("--access-log", action="store_true", help="print one line per request on stderr")
    serve.add_argument("--threads", type=int, default=DEFAULT_THREADS,
                       help=f"worker threads answering requests (default {DEFAULT_THREADS})")
    serve.add_argument("--sqlite-synchronous", choices=("NORMAL", "FULL"), default=None,
                       help="SQLite: NORMAL survives crashes of the service, FULL also power cuts (slower)")
    serve.add_argument("--proxy-hops", type=int, default=0,
                       help="reverse proxies in front whose X-Forwarded-For/-Proto are trusted (1 behind the TLS "
                            "proxy; default 0: forwarded headers are ignored)")
    serve.set_defaults(func=run_serve)

    creds = subparsers.add_parser("kiosk-credentials", help="manage the service's HTTP Basic credentials")
    actions = creds.add_subparsers(dest="action", metavar="ACTION", required=True)
    db_option = argparse.ArgumentParser(add_help=False)
    db_option.add_argument("--db", default=None, help="database URL (default: SQLite in the data directory)")
    add = actions.add_parser("add", parents=[db_option], help="create a credential; the last output line is KEY:SECRET")
    add.add_argument("name", help="who uses it, e.g. the kiosk's name")
    add.add_argument("--admin", action="store_true", help="may read everything (staff, wall, portal)")
    add.add_argument("--xapi-version", choices=("1.0.3", "2.0.0"), default=None,
                     help="the xAPI version this client speaks, reported when a request names none "
                          "(default: the server's --xapi-default-version)")
    add.set_defaults(func=run_credentials_add)
    listing = actions.add_parser("list", parents=[db_option], help="list credentials (keys, names, scopes; never secrets)")
    listing.set_defaults(func=run_credentials_list)
    revoke = actions.add_parser("revoke", parents=[db_option], help="revoke a credential by key")
    revoke.add_argument("key")
    revoke.set_defaults(func=run_credentials_revoke)

    rollup = subparsers.add_parser("wall-rollup", help="fold statements into the smart wall's tables, every few "
                                   "seconds (serve starts one itself; run this beside gunicorn workers)")
    from server.wall.worker import add_arguments, run_from_args

    add_arguments(rollup)
    rollup.set_defaults(func=run_from_args)

    for name, helptext, func in (("backup", "write the service's data to OUT (gzip'd JSON lines)", run_backup),
                                 ("restore", "replace the service's data with the backup IN", run_restore)):
        parser = subparsers.add_parser(name, help=helptext)
        parser.add_argument("path", metavar="OUT" if name == "backup" else "IN")
        parser.add_argument("--db", default=None, help="database URL (default: SQLite in the data directory)")
        parser.set_defaults(func=func)


def _port(text: str) -> int:
    """A TCP port; waitress would quietly take 99999 as 99999 % 65536."""
    from experiences.i18n import both, register_catalog_dir

    if not text.strip().isdigit() or int(text) > 65535:
        register_catalog_dir(MESSAGES_DIR)
        raise argparse.ArgumentTypeError(both("server.bad_port", value=text))
    return int(text)


def _engine(db_url: str | None):
    from server.db import default_database_url, ensure_sqlite_dir, make_engine, upgrade_schema

    url = db_url or default_database_url()
    ensure_sqlite_dir(url)
    engine = make_engine(url)
    upgrade_schema(engine)
    return engine


def run_serve(args) -> int:
    from server import create_app
    from server.httpserver import HttpServer, access_log

    from experiences import datadir
    from server.private_files import lock_down
    from server.wall import lobby, worker

    config = {"XAPI_DEFAULT_VERSION": args.xapi_default_version, "WALL_ROLLUP_MODE": "watch",
              "PROXY_HOPS": args.proxy_hops}
    if args.sqlite_synchronous:
        config["SQLITE_SYNCHRONOUS"] = args.sqlite_synchronous
    if args.db:
        config["DATABASE_URL"] = args.db
    os.umask(0o077)  # whatever the service writes is its own (systemd's UMask=0077 says the same)
    lock_down(datadir.server_dir())  # an installation from before: its folders 0700, its files 0600
    app = create_app(config)  # migrates the schema before the worker reads it
    server = HttpServer(access_log(app) if args.access_log else app, args.host, args.port, threads=args.threads,
                        keep_proxy_headers=app.config["PROXY_HOPS"] > 0)
    rollup = None
    previous_term = signal.signal(signal.SIGTERM, _interrupt)  # systemd's stop: finish requests in hand, then exit
    try:
        if float(app.config["WALL_ROLLUP_SECONDS"]) > 0:
            rollup = worker.SupervisedWorker(lambda: worker.spawn(
                app.config["DATABASE_URL"], app.config["WALL_TIMEZONE"], int(app.config["WALL_ROLLUP_BATCH"]),
                float(app.config["WALL_ROLLUP_SECONDS"])))
        _say("serving", url=f"http://{args.host}:{server.port}/xapi/", database=app.config["DATABASE_URL"])
        lobby.record_address(datadir.server_dir(), args.host, server.port, embedded=False)
        # The wall's token: YUEDU_WALL_TOKEN, or the one kept in the data directory (made on the first start).
        _say_wall(lobby.wall_address(args.host, server.port, app.config["WALL_TOKEN"]), sys.stdout.isatty())
        server.serve_forever()  # returns on Ctrl-C, after closing every connection
    except KeyboardInterrupt:  # Ctrl-C before serving began
        pass
    finally:
        # A second Ctrl-C or SIGTERM (a process group's stop) must not cut the clean-up short.
        previous_int = signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        if rollup is not None:
            rollup.stop()
        signal.signal(signal.SIGTERM, previous_term)
        signal.signal(signal.SIGINT, previous_int)
    return 0


def _say_wall(address, in_a_terminal: bool) -> None:
    """The wall's URL for staff: with its token in a terminal only, never into a log (systemd, a redirect)."""
    from experiences.i18n import both
    from server.wall.lobby import hide_token

    for url in address.urls:
        print(f"{both('server.wall_url')}: {url if in_a_terminal else hide_token(url)}", flush=True)
    if not in_a_terminal:
        _say("wall_token_hidden")
    _say(f"wall_note_{address.note}")


def _interrupt(_signum, _frame):
    raise KeyboardInterrupt


def run_credentials_add(args) -> int:
    from server.auth import create_credential

    made = create_credential(_engine(args.db), args.name, "admin" if args.admin else "kiosk", args.xapi_version)
    _say("credential_created", scope=made.principal.scope, name=made.principal.name)
    print(f"{made.principal.key}:{made.secret}")
    return 0


def run_credentials_list(args) -> int:
    from server.auth import list_credentials

    for row in list_credentials(_engine(args.db)):
        state = "revoked" if row["revoked"] else "active"
        version = row["xapi_version"] or "-"
        print(f"{row['key']}  {row['scope']:5}  {state:7}  {version:5}  {row['created']:%Y-%m-%d}  {row['name']}")
    return 0


def run_credentials_revoke(args) -> int:
    from server.auth import revoke_credential

    if revoke_credential(_engine(args.db), args.key):
        _say("credential_revoked", credential=args.key)
        return 0
    _say("credential_unknown", credential=args.key)
    return 1


def run_backup(args) -> int:
    from server.backup import backup

    counts = backup(_engine(args.db), Path(args.path))
    _say("backup_written", path=args.path, counts=", ".join(f"{k} {v}" for k, v in counts.items()))
    return 0


def run_restore(args) -> int:
    from server.backup import restore

    try:
        counts = restore(_engine(args.db), Path(args.path))
    except (OSError, ValueError) as exc:
        _say("restore_failed", reason=str(exc))
        return 1
    _say("restored", path=args.path, counts=", ".join(f"{k} {v}" for k, v in counts.items()))
    return 0
