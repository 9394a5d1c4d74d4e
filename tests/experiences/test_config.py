"""kiosk.toml: defaults on first run, typed values, clear bilingual errors."""
from __future__ import annotations

import pytest

from experiences.config import ConfigError, load_config, parse_config, to_toml


def test_first_run_writes_defaults_with_kiosk_id(data_dir):
    config = load_config()
    assert (data_dir / "kiosk.toml").exists()
    assert config.kiosk.idle_seconds == 90
    assert config.kiosk.kiosk_id
    again = load_config()
    assert again.kiosk.kiosk_id == config.kiosk.kiosk_id


def test_round_trip():
    config = parse_config('[kiosk]\nidle_seconds = 45\nbranch = "东区"\n[audio]\nvolume_cap = 0.5\n')
    assert config.kiosk.idle_seconds == 45.0 and config.kiosk.branch == "东区" and config.audio.volume_cap == 0.5
    assert parse_config(to_toml(config)).as_dict() == config.as_dict()


@pytest.mark.parametrize("text, fragment", [
    ("[kiosk]\nidle_seconds = 'soon'\n", "idle_seconds"),
    ("[kiosk]\nidel_seconds = 5\n", "unknown key"),
    ("[displey]\n", "unknown section"),
    ("[audio]\nvolume_cap = 3\n", "volume_cap"),
    ("[server]\nurl = 'ftp://x'\n", "http"),
    ("[kiosk\n", "TOML"),
])
def test_bad_config_names_the_problem(text, fragment):
    with pytest.raises(ConfigError) as info:
        parse_config(text)
    assert fragment in str(info.value)
    assert "/" in str(info.value)  # zh-CN / en


def test_input_section_defaults_and_typed_values():
    defaults = parse_config("")
    assert (defaults.input.tuio_enabled, defaults.input.tuio_host, defaults.input.tuio_port) == (False, "127.0.0.1", 3333)
    config = parse_config('[input]\ntuio_enabled = true\ntuio_host = "0.0.0.0"\ntuio_port = 3334\n')
    assert (config.input.tuio_enabled, config.input.tuio_host, config.input.tuio_port) == (True, "0.0.0.0", 3334)
    assert "[input]" in to_toml(config)
    assert parse_config(to_toml(config)).as_dict() == config.as_dict()
    assert defaults.input.camera_core == "auto"
    assert [parse_config(f'[input]\ncamera_core = "{v}"\n').input.camera_core for v in ("any", "3")] == ["any", "3"]


@pytest.mark.parametrize("text, fragment", [
    ("[input]\ntuio_enabled = 'yes'\n", "tuio_enabled"),
    ("[input]\ntuio_port = 3333.5\n", "tuio_port"),
    ("[input]\ntuio_port = 70000\n", "65535"),
    ("[input]\ntuio_port = -1\n", "tuio_port"),
    ("[input]\ntuio_host = ' '\n", "tuio_host"),
    ("[input]\ntuio = true\n", "unknown key"),
    ("[input]\ncamera_core = 'last'\n", "camera_core"),
    ("[input]\ncamera_core = 1\n", "camera_core"),
])
def test_bad_input_section_names_the_problem(text, fragment):
    with pytest.raises(ConfigError) as info:
        parse_config(text)
    assert fragment in str(info.value)
    assert "/" in str(info.value)  # zh-CN / en
