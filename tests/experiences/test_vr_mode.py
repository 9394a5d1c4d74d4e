"""A VR corner is one setting: `[kiosk] mode = "vr"` sets `ctx.vr` for every run; kinds with a VR mode start in it,
the rest run as usual; `play --vr` previews it and `launcher.py config` shows it."""
from __future__ import annotations

import pytest

import launcher
from experiences.config import ConfigError, KioskConfig, parse_config
from experiences.kinds import default_registry
from experiences.kiosk import testing
from experiences.kiosk.states import RUNNING
from experiences.package import open_package
from experiences.runtime import create_experience


def test_mode_defaults_to_2d_and_takes_vr():
    assert parse_config("").kiosk.mode == "2d"
    assert parse_config('[kiosk]\nmode = "vr"\n').kiosk.mode == "vr"


@pytest.mark.parametrize("value", ['"VR"', '"3d"', '""', "true"])
def test_any_other_mode_is_a_clear_error(value):
    with pytest.raises(ConfigError) as info:
        parse_config(f"[kiosk]\nmode = {value}\n")
    message = str(info.value)
    assert "[kiosk] mode" in message and "/" in message  # where, in zh-CN / en
    if value != "true":
        assert '"vr"' in message and '"2d"' in message


def test_config_command_shows_the_mode(data_dir, capsys):
    (data_dir / "kiosk.toml").write_text('[kiosk]\nmode = "vr"\n', encoding="utf-8")
    assert launcher.main(["config"]) == 0
    assert 'mode = "vr"' in capsys.readouterr().out


@pytest.mark.parametrize("mode, vr", [("2d", False), ("vr", True)])
def test_the_shell_passes_the_mode_to_every_run(tmp_path, mode, vr):
    folder = testing.write_test_package(tmp_path / "pkg", finish_after_frames=0)
    config = KioskConfig()
    config.kiosk.mode = mode
    shell, _ = testing.headless_shell([open_package(folder)], tmp_path / "data", config=config)
    try:
        assert shell.launch(shell.menu.packages[0]) and shell.machine.state == RUNNING
        assert shell.host.ctx.vr is vr
    finally:
        shell.close()


def test_play_vr_overrides_a_2d_kiosk(tmp_path):
    folder = testing.write_test_package(tmp_path / "pkg")
    shell, _ = testing.headless_shell([open_package(folder)], tmp_path / "data", vr=True)
    try:
        shell.launch(shell.menu.packages[0])
        assert shell.host.ctx.vr is True
    finally:
        shell.close()


@pytest.mark.parametrize("package_id, flat, in_vr", [
    ("exhibit-treasure", "TreasureExhibit", "VRExhibit"),
    ("idioms-children", "LanternsExperience", "LanternsVRExperience"),
    ("idiom-chain", "ChainExperience", "ChainExperience"),  # no VR mode: runs as usual
])
def test_kinds_pick_their_vr_form_from_ctx_vr(repo_root, tmp_path, package_id, flat, in_vr):
    from experiences.catalog import Catalog
    from experiences.engagement import ListSink, Place, SessionReporter
    from experiences.runtime import RunContext

    package = open_package(repo_root / "content" / package_id)
    catalog = Catalog.scan([repo_root / "content"])
    for vr, expected in ((False, flat), (True, in_vr)):
        config = KioskConfig()
        reporter = SessionReporter(ListSink(), Place.from_config(config)).experience(
            package.id, package.kind, package.version, package.manifest.titles)
        ctx = RunContext(config=config, reporter=reporter, size=(640, 360), data_dir=tmp_path, headless=True,
                         catalog=catalog, vr=vr)
        assert type(create_experience(package, ctx, default_registry())).__name__ == expected
