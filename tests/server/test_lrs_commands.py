"""The launcher's service commands: kiosk-credentials, backup and restore (round trip), serve's parser."""
from __future__ import annotations

import uuid

import launcher
from server import create_app
from server.auth import CredentialChecker, create_credential
from server.db import default_database_url


def _last_line(capsys) -> str:
    return capsys.readouterr().out.strip().splitlines()[-1]


def test_credentials_add_prints_key_secret_last(capsys):
    assert launcher.main(["kiosk-credentials", "add", "kiosk-3"]) == 0
    key, secret = _last_line(capsys).split(":")
    assert launcher.main(["kiosk-credentials", "add", "staff", "--admin", "--xapi-version", "2.0.0"]) == 0
    admin_key, admin_secret = _last_line(capsys).split(":")
    app = create_app()
    checker = app.extensions["yuedu"].credentials
    assert checker.check(key, secret).scope == "kiosk" and checker.check(key, secret).xapi_version is None
    assert checker.check(admin_key, admin_secret).xapi_version == "2.0.0"
    assert launcher.main(["kiosk-credentials", "list"]) == 0
    listing = capsys.readouterr().out
    assert key in listing and admin_key in listing and secret not in listing
    assert "2.0.0" in next(line for line in listing.splitlines() if admin_key in line)
    assert launcher.main(["kiosk-credentials", "revoke", key]) == 0
    assert CredentialChecker(app.extensions["yuedu"].engine).check(key, secret) is None
    assert launcher.main(["kiosk-credentials", "revoke", "nope"]) == 1


def _dump(engine) -> dict:
    with engine.connect() as conn:
        return {table: conn.exec_driver_sql(f"SELECT * FROM {table} ORDER BY 1").all()
                for table in ("credentials", "statements", "statement_agents", "statement_activities")}


def test_backup_restore_round_trip(tmp_path, capsys, make_statement):
    app = create_app()
    services = app.extensions["yuedu"]
    made = create_credential(services.engine, "kiosk-4")
    services.statements.store([make_statement(n, id=str(uuid.uuid4())) for n in range(30)], principal=made.principal, version="1.0.3")
    before = _dump(services.engine)
    out = tmp_path / "lrs-backup.jsonl.gz"
    assert launcher.main(["backup", str(out)]) == 0
    assert "statements 30" in capsys.readouterr().out

    other_url = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    other = create_app({"DATABASE_URL": other_url})
    create_credential(other.extensions["yuedu"].engine, "to-be-replaced")
    assert launcher.main(["restore", str(out), "--db", other_url]) == 0
    assert _dump(other.extensions["yuedu"].engine) == before
    assert CredentialChecker(other.extensions["yuedu"].engine).check(made.principal.key, made.secret) is not None
    # The restored database keeps working: new rows get fresh ids.
    other.extensions["yuedu"].statements.store([make_statement(99)], principal=made.principal, version="1.0.3")


def test_restore_rejects_a_foreign_file_and_changes_nothing(tmp_path, capsys):
    app = create_app()
    create_credential(app.extensions["yuedu"].engine, "kiosk-5")
    junk = tmp_path / "junk.gz"
    import gzip
    with gzip.open(junk, "wt") as handle:
        handle.write('{"format": "something-else"}\n')
    assert launcher.main(["restore", str(junk)]) == 1
    assert "nothing changed" in capsys.readouterr().out
    assert len(_dump(app.extensions["yuedu"].engine)["credentials"]) == 1


def test_serve_parser_defaults():
    args = launcher.build_parser().parse_args(["serve", "--port", "0", "--db", "sqlite://"])
    assert (args.host, args.port, args.db) == ("127.0.0.1", 0, "sqlite://")
    assert default_database_url().endswith("server/lrs.sqlite3")


def test_wsgi_entry_point_reads_the_environment(tmp_path, monkeypatch):
    import importlib

    url = f"sqlite:///{tmp_path / 'prod.sqlite3'}"
    monkeypatch.setenv("YUEDU_LRS_DATABASE_URL", url)
    monkeypatch.setenv("YUEDU_LRS_SQLITE_SYNCHRONOUS", "FULL")
    import server.wsgi

    module = importlib.reload(server.wsgi)
    assert module.app.config["DATABASE_URL"] == url
    assert module.app.test_client().get("/healthz").json["status"] == "ok"
    module.app.extensions["yuedu"].engine.dispose()
