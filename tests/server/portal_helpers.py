"""Helpers of the portal tests: an app on SQLite, a browser-like client that signs in and sends CSRF tokens,
and package zips built from the bundled idiom-chain package (good, broken, hostile)."""
from __future__ import annotations

import base64
import re
import shutil
import threading
import zipfile
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from werkzeug.serving import make_server

from server import create_app
from server.auth import create_credential
from server.portal.accounts import create_user

REPO = Path(__file__).resolve().parents[2]
CHAIN = REPO / "content" / "idiom-chain"
NEW_PASSWORD = "a-long-new-password-1"
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


class Clock:
    """An injected portal clock (naive UTC)."""

    def __init__(self, start: datetime = datetime(2026, 11, 23, 10, 0, 0)):
        self.now = start

    def __call__(self) -> datetime:
        return self.now


def make_app(tmp_path: Path, clock: Clock | None = None, **config):
    settings = {"DATABASE_URL": f"sqlite:///{tmp_path / 'portal.sqlite3'}", "TESTING": True,
                "SECRET_KEY": "test-secret", "PORTAL_PREVIEW": False, "PORTAL_STORE_DIR": str(tmp_path / "store"),
                "SHARE_DIR": str(tmp_path / "shares"), "PORTAL_CLOCK": clock}
    settings.update(config)
    return create_app(settings)


def engine_of(app):
    return app.extensions["yuedu"].engine


class Browser:
    """A test client used the way a browser is: forms carry the CSRF token of the page they came from."""

    def __init__(self, app):
        self.app = app
        self.client = app.test_client()

    def token(self, page: str = "/portal/login") -> str:
        match = CSRF_RE.search(self.client.get(page).get_data(as_text=True))
        assert match, f"no CSRF token on {page}"
        return match.group(1)

    def login(self, name: str, password: str):
        return self.client.post("/portal/login", data={"name": name, "password": password,
                                                       "csrf_token": self.token()})

    def post(self, url: str, data: dict | None = None, page: str = "/portal/upload", **kwargs):
        data = dict(data or {})
        data.setdefault("csrf_token", self.token(page))
        return self.client.post(url, data=data, **kwargs)

    def get(self, url: str, **kwargs):
        return self.client.get(url, **kwargs)


def signed_in(app, role: str, name: str | None = None) -> Browser:
    made = create_user(engine_of(app), name or f"{role}-user", role)
    browser = Browser(app)
    response = browser.login(made.user.name, made.password)
    assert response.status_code == 302, response.get_data(as_text=True)
    changed = browser.post("/portal/password", {"current": made.password, "new": NEW_PASSWORD,
                                                "confirm": NEW_PASSWORD}, page="/portal/password")
    assert changed.status_code == 302, changed.get_data(as_text=True)
    browser.user = made
    return browser


def kiosk_auth(app, name: str = "kiosk-1") -> tuple[dict, str, str]:
    made = create_credential(engine_of(app), name, "kiosk")
    header = "Basic " + base64.b64encode(f"{made.principal.key}:{made.secret}".encode()).decode()
    return {"Authorization": header}, made.principal.key, made.secret


def chain_folder(tmp_path: Path, version: str = "1.0.1", name: str = "chain") -> Path:
    folder = tmp_path / name
    shutil.copytree(CHAIN, folder)
    manifest = folder / "experience.toml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace('version = "1.0.0"', f'version = "{version}"'),
                        encoding="utf-8")
    return folder


def zip_folder(folder: Path, out: Path) -> Path:
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                zf.write(path, path.relative_to(folder).as_posix())
    return out


def good_zip(tmp_path: Path, version: str = "1.0.1") -> Path:
    return zip_folder(chain_folder(tmp_path, version, f"good-{version}"), tmp_path / f"chain-{version}.zip")


def broken_zip(tmp_path: Path) -> Path:
    """Three problems at once: a manifest field of the wrong type, a missing data file, a corrupt image."""
    folder = chain_folder(tmp_path, "1.0.2", "broken")
    manifest = folder / "experience.toml"
    text = manifest.read_text(encoding="utf-8")
    text = text.replace('age_bands = ["6-8", "9-12", "13+"]', 'age_bands = "everyone"')
    text = text.replace('preferred = "preferred.json"', 'preferred = "missing.json"')
    manifest.write_text(text, encoding="utf-8")
    (folder / "cover.png").write_bytes(b"\x89PNG\r\n\x1a\nnot really an image")
    return zip_folder(folder, tmp_path / "broken.zip")


def upload(browser: Browser, path: Path):
    with open(path, "rb") as handle:
        return browser.post("/portal/upload", {"package": (handle, path.name)},
                            content_type="multipart/form-data")


@contextmanager
def serving(app):
    """The app on a free 127.0.0.1 port in a thread; yields its base URL, then stops it and closes the database."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        engine_of(app).dispose()


def browser_sign_in(page, url: str, name: str, password: str) -> None:
    """A first sign-in to the portal in a real browser (Playwright page): the password change it asks for, then
    the packages page."""
    from playwright.sync_api import expect

    page.goto(f"{url}/portal/login")
    page.get_by_label("用户名").fill(name)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.get_by_label("当前密码（或一次性密码）").fill(password)
    page.get_by_label("新密码（至少 10 个字符）").fill("tea-and-poems-2026")
    page.get_by_label("再输入一次新密码").fill("tea-and-poems-2026")
    page.get_by_role("button", name="保存新密码").click()
    expect(page.get_by_role("heading", name="内容包", exact=True)).to_be_visible()
