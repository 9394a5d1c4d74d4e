"""Message catalogs: every user-facing string goes through `t(key)`, zh-CN first, English second.

Catalogs are TOML files `<package>/messages/[<area>.]<lang>.toml` (e.g. `validation.en.toml`); each package
registers its folder once, so separate areas never edit the same file.
"""
from __future__ import annotations

import threading
import tomllib
from pathlib import Path

LANGUAGES = ("zh-CN", "en")
DEFAULT_LANGUAGE = "zh-CN"

_catalog_dirs: list[Path] = [Path(__file__).with_name("messages")]
_catalogs: dict[str, dict[str, str]] = {}
_lock = threading.Lock()
_current = DEFAULT_LANGUAGE


def register_catalog_dir(path: str | Path) -> None:
    """Add a `messages/` folder (games/, recitation/, server/ each have one); later folders win on clashes."""
    path = Path(path)
    with _lock:
        if path not in _catalog_dirs:
            _catalog_dirs.append(path)
            _catalogs.clear()


def _flatten(prefix: str, table: dict, out: dict[str, str]) -> None:
    for key, value in table.items():
        full = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict):
            _flatten(full, value, out)
        else:
            out[full] = str(value)


def catalog(lang: str) -> dict[str, str]:
    with _lock:
        if lang not in _catalogs:
            merged: dict[str, str] = {}
            for folder in _catalog_dirs:
                for file in sorted(folder.glob(f"*{lang}.toml")):
                    if file.name == f"{lang}.toml" or file.name.endswith(f".{lang}.toml"):
                        _flatten("", tomllib.loads(file.read_text(encoding="utf-8")), merged)
            _catalogs[lang] = merged
        return _catalogs[lang]


def normalize(lang: str | None) -> str:
    if not lang:
        return _current
    lang = lang.replace("_", "-")
    if lang.lower().startswith("zh"):
        return "zh-CN"
    if lang.lower().startswith("en"):
        return "en"
    return DEFAULT_LANGUAGE


def set_language(lang: str) -> None:
    global _current
    _current = normalize(lang)


def current_language() -> str:
    return _current


def t(key: str, lang: str | None = None, **values) -> str:
    """Translate `key` into `lang` (default: the kiosk language), falling back to zh-CN, then to the key."""
    lang = normalize(lang)
    text = catalog(lang).get(key)
    if text is None and lang != DEFAULT_LANGUAGE:
        text = catalog(DEFAULT_LANGUAGE).get(key)
    if text is None:
        return key
    try:
        return text.format(**values) if values else text
    except (KeyError, IndexError, ValueError):
        return text


def both(key: str, **values) -> str:
    """`中文 / English` on one line, for curators' and operators' messages."""
    return f"{t(key, 'zh-CN', **values)} / {t(key, 'en', **values)}"
