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
