"""The read-only test hook (YUEDU_TEST_HOOK) through the real shell, headless: nothing is written when it is off;
when on, the file follows the screens (age buttons, menu cards, a running kind's own targets) and a click at the
centre of a named target does what the name says. The real-window use is tests/acceptance/."""
from __future__ import annotations

import json

from experiences.catalog import Catalog
from experiences.config import KioskConfig
from experiences.kinds import default_registry
from experiences.kiosk.testhook import ENV_VAR
from experiences.kiosk.testing import click, headless_shell, write_test_package
from experiences.package import open_package
from tests.acceptance.xkiosk import REPO_ROOT

DT = 1 / 30


def _centre(rect):
    return rect[0] + rect[2] / 2, rect[1] + rect[3] / 2


def test_off_by_default_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.delenv(ENV_VAR, raising=False)
    package = open_package(write_test_package(tmp_path / "pkg"))
    shell, _ = headless_shell([package], tmp_path)
    try:
        assert shell.test_hook is None
        for _ in range(3):
            shell.frame(DT)
    finally:
        shell.close()
    assert not list(tmp_path.glob("*.json"))


def test_the_hook_follows_the_screens_and_its_targets_are_where_clicks_land(tmp_path, monkeypatch):
    hook = tmp_path / "hook.json"
    monkeypatch.setenv(ENV_VAR, str(hook))
    package = open_package(write_test_package(tmp_path / "pkg"))
    shell, _ = headless_shell([package], tmp_path)
    try:
        shell.frame(DT)
        first = json.loads(hook.read_text())
        assert (first["state"], first["targets"], first["seq"]) == ("attract", {}, 1)
        shell.frame(DT)
        assert json.loads(hook.read_text())["seq"] == 1, "an unchanged screen is not written again"
        click(480, 300)
        shell.frame(DT)
        age = json.loads(hook.read_text())
        assert age["state"] == "ask_age" and set(age["targets"]) == {"age:3-5", "age:6-8", "age:9-12", "age:13+",
                                                                      "age:skip"}
        click(*_centre(age["targets"]["age:9-12"]))
        shell.frame(DT)
        menu = json.loads(hook.read_text())
        assert (menu["state"], menu["age_band"]) == ("menu", "9-12")
        click(*_centre(menu["targets"][f"card:{package.id}"]))
        shell.frame(DT)
        running = json.loads(hook.read_text())
        assert (running["state"], running["package"]) == ("running", package.id)
    finally:
        shell.close()


def test_the_lanterns_answer_target_is_a_hit(tmp_path, monkeypatch):
    """The kind's own target through the shell: a click on `lantern:answer` solves the round."""
    hook = tmp_path / "hook.json"
    monkeypatch.setenv(ENV_VAR, str(hook))
    catalog = Catalog.scan([REPO_ROOT / "content"])
    lanterns = catalog.get("org.yuedu.idioms.children")
    config = KioskConfig()
    config.kiosk.ask_age_band = False
    shell, _ = headless_shell([lanterns], tmp_path, config=config, registry=default_registry(), size=(1280, 720))
    shell.catalog = catalog  # the dictionary the lanterns require
    try:
        shell.launch(lanterns)
        shell.frame(DT)
        targets = json.loads(hook.read_text())["targets"]
        assert {"lantern:answer", "lantern:wrong"} <= set(targets)
        click(*_centre(targets["lantern:answer"]))
        for _ in range(60):  # the arrow flies, the lantern bursts, the story card opens
            shell.frame(DT)
        assert shell.host.experience.solved
        assert "next" in json.loads(hook.read_text())["targets"]
    finally:
        shell.close()
