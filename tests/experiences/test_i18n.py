"""Message catalogs: zh-CN first, English second, every key present in both."""
from __future__ import annotations

import tomllib
from pathlib import Path

from experiences.i18n import both, t


def _keys(table, prefix=""):
    for key, value in table.items():
        full = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict):
            yield from _keys(value, full)
        else:
            yield full


def test_catalogs_have_the_same_keys(repo_root):
    for folder in repo_root.glob("**/messages"):
        if ".venv" in folder.parts:
            continue
        for zh_file in folder.glob("*zh-CN.toml"):
            en_file = zh_file.with_name(zh_file.name.replace("zh-CN.toml", "en.toml"))
            zh = set(_keys(tomllib.loads(zh_file.read_text(encoding="utf-8"))))
            en = set(_keys(tomllib.loads(en_file.read_text(encoding="utf-8"))))
            assert zh == en, f"{zh_file}: keys differ from {en_file.name}: {sorted(zh ^ en)}"


def test_translate_and_format():
    assert t("kiosk.still_there", "zh-CN") == "还在吗？"
    assert t("kiosk.still_there", "en") == "Still there?"
    assert "7" in t("kiosk.age_band", "en", band="7")
    assert t("no.such.key", "en") == "no.such.key"
    assert both("kiosk.still_there") == "还在吗？ / Still there?"
