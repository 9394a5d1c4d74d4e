"""Library staff's first day, on the real path: `launcher.py serve` as its own process, accounts made with the
launcher, statements posted over HTTP as the kinds make them, the portal and the wall in chromium (Playwright),
and the wall after the service restarts (its figures come back from SQLite)."""
from __future__ import annotations

import base64
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid

import pytest
from PIL import Image
from playwright.sync_api import expect

from experiences.engagement import EXTENSION_NAMESPACE, Item, ListSink, Place, SessionReporter, build_result
from tests.conftest import REPO_ROOT
from tests.server.a11y_audit import chromium
from tests.server.portal_helpers import browser_sign_in, chain_folder, good_zip, zip_folder


class Service:
    """`launcher.py serve --port 0` in its own process group; `url` once it said where it listens."""

    def __init__(self, data_dir):
        self.data_dir = data_dir
        self.env = dict(os.environ, YUEDU_DATA_DIR=str(data_dir))
        self.process = None
        self.url = ""

    def launcher(self, *args) -> subprocess.CompletedProcess:
        done = subprocess.run([sys.executable, str(REPO_ROOT / "launcher.py"), *args], capture_output=True,
                              text=True, env=self.env, cwd=REPO_ROOT, timeout=60)
        assert done.returncode == 0, done.stderr
        return done

    def start(self) -> None:
        self.process = subprocess.Popen([sys.executable, str(REPO_ROOT / "launcher.py"), "serve", "--port", "0"],
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=self.env,
                                        cwd=REPO_ROOT, start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            found = re.search(r"(http://127\.0\.0\.1:\d+)/xapi/", line)
            if found:
                self.url = found.group(1)
                return
            assert line or self.process.poll() is None, "serve ended before it listened"
        raise AssertionError("serve did not say where it listens within 60 s")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)
        if self.process is not None:
            self.process.stdout.close()
        self.process = None

    def wall_token(self) -> str:
        return (self.data_dir / "server" / "wall-token").read_text(encoding="utf-8").strip()


@pytest.fixture
def service(tmp_path):
    running = Service(tmp_path / "library")
    running.start()
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture
def browser():
    with chromium() as launched:
        yield launched


def kiosk_statements() -> list[dict]:
    """What a visit makes: the idiom game (one idiom right) and the recitation booth (one scored poem)."""
    sink = ListSink()
    place = Place(activity_base="https://yuedu.example.org/", library="悦读图书馆", branch="main",
                  kiosk_id=str(uuid.uuid4()), kiosk_name="大厅一号")
    session = SessionReporter(sink, place, age_band="6-8")
    game = session.experience("org.yuedu.idioms.children", "idiom-lanterns", "1.0.0",
                              {"zh-CN": "成语论箭", "en": "Idiom Archery"})
    game.report("launched")
    game.report("answered", Item("idiom", "hua-she-tian-zu", {"zh-CN": "画蛇添足"}, "question"),
                build_result(success=True, response="足"))
    game.close("completed", score=1, score_max=1)
    booth = session.experience("org.yuedu.poems.recital", "recitation", "1.0.0", {"zh-CN": "朗诵亭"})
    booth.report("launched")
    booth.report("scored", Item("poem", "xx-yonge", {"zh-CN": "咏鹅"}, "assessment"),
                 build_result(score=88, score_max=100))
    booth.close()
    return sink.statements


def post(url: str, credential: str, body: bytes, content_type="application/json", version="1.0.3"):
    headers = {"Authorization": "Basic " + base64.b64encode(credential.encode()).decode(),
               "Content-Type": content_type, "X-Experience-API-Version": version}
    request = urllib.request.Request(f"{url}/xapi/statements", data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, answer.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def wall_figures(url: str, token: str) -> dict:
    with urllib.request.urlopen(f"{url}/wall/api/all?token={token}", timeout=30) as answer:
        return json.loads(answer.read())


def test_statements_as_kinds_make_them_are_stored_and_malformed_ones_refused(service, browser):
    credential = service.launcher("kiosk-credentials", "add", "大厅一号").stdout.strip().splitlines()[-1]
    statements = kiosk_statements()
    status, body = post(service.url, credential, json.dumps(statements).encode())
    assert status == 200 and json.loads(body) == [s["id"] for s in statements]
    one = dict(statements[0], id=str(uuid.uuid4()))
    refused = {
        "no actor": ({k: v for k, v in one.items() if k != "actor"}, "application/json", "needs actor"),
        "bad time": (dict(one, timestamp="yesterday"), "application/json", "ISO 8601"),
        "bad id": (dict(one, id="42"), "application/json", "UUID"),
        "unknown key": (dict(one, score=3), "application/json", "unknown properties ['score']"),
        "JSON sent as a form": (one, "application/x-www-form-urlencoded", "alternate request syntax"),
    }
    for name, (statement, content_type, reason) in refused.items():
        status, body = post(service.url, credential, json.dumps(statement).encode(), content_type)
        assert (status, reason in body) == (400, True), (name, status, body)
    assert post(service.url, credential, b"{not json")[0] == 400
    assert post(service.url, credential, json.dumps(one).encode(), version="0.9")[0] == 400
    assert post(service.url, "nobody:wrong", json.dumps(one).encode())[0] == 401
    # none of the refused ones was stored: the wall counts the one visit only, and survives a restart
    token = service.wall_token()
    deadline = time.monotonic() + 60
    while wall_figures(service.url, token)["plays"]["week"] != {"org.yuedu.idioms.children": 1,
                                                                "org.yuedu.poems.recital": 1}:
        assert time.monotonic() < deadline, wall_figures(service.url, token)
        time.sleep(1)
    before = wall_figures(service.url, token)
    service.stop()
    service.start()
    after = wall_figures(service.url, token)
    for part in ("plays", "idioms", "poems", "visitors", "ages"):
        assert after[part] == before[part], part
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    page.goto(f"{service.url}/wall?token={token}")
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    expect(page.get_by_text("画蛇添足")).to_be_visible()
    expect(page.get_by_text("《咏鹅》")).to_be_visible()
    # the kiosk by the name staff gave it in kiosk.toml, not by its UUID
    expect(page.get_by_text("大厅一号")).to_be_visible()
    assert statements[0]["context"]["extensions"][f"{EXTENSION_NAMESPACE}kiosk"] not in page.content()
    # counts on the charts' axes are whole numbers (2 plays were drawn as 0, 0.4, 0.8 … 2)
    numbers = page.eval_on_selector_all("svg text", "ts => ts.map(t => t.textContent.trim())")
    assert "2" in numbers and not [n for n in numbers if re.fullmatch(r"\d+\.\d+", n)], numbers


def test_a_curator_uploads_sees_the_preview_and_a_mistake_named(service, browser, tmp_path):
    created = service.launcher("users", "add", "dora", "--role", "curator").stdout
    password = re.search(r"：(\S+) / Created", created).group(1)
    assert "策展人" in created  # the role in Chinese on the Chinese half
    page = browser.new_page(locale="zh-CN", viewport={"width": 1280, "height": 900})
    browser_sign_in(page, service.url, "dora", password)
    page.goto(f"{service.url}/portal/upload")
    page.get_by_label("内容包文件（.zip）").set_input_files(str(good_zip(tmp_path)))
    page.get_by_role("button", name="上传并检查").click()
    # straight after the upload the page already knows a preview is coming (and refreshes itself) …
    expect(page.get_by_text("正在生成预览")).to_be_visible()
    assert page.locator("meta[http-equiv=refresh]").count() == 1
    # … and shows it once the renderer (a `launcher.py play` subprocess) has drawn it
    preview = page.locator("img.preview")
    expect(preview).to_be_visible(timeout=90_000)
    assert page.evaluate("document.querySelector('img.preview').naturalWidth") == 960
    # a cover that is a TIFF under a .png name: refused, the file and the format named
    folder = chain_folder(tmp_path, "1.0.3", "tiff")
    Image.effect_noise((64, 64), 80).convert("RGB").save(folder / "cover.png", format="TIFF")  # noise: no zip bomb
    page.goto(f"{service.url}/portal/upload")
    page.get_by_label("内容包文件（.zip）").set_input_files(str(zip_folder(folder, tmp_path / "tiff.zip")))
    page.get_by_role("button", name="上传并检查").click()
    errors = page.locator("main").inner_text()
    assert "cover.png" in errors and "TIFF" in errors, errors
