"""Text for the games: the kiosk's shared renderer (experiences.text), switchable per run.

The kiosk passes its renderer in RunContext.services["fonts"]; without one the engine's shared renderer is used.
Whether the words on screen carry pinyin is set once per run from the level (`show_pinyin`), read by every drawer.
"""
from __future__ import annotations

from pathlib import Path

from experiences.text import KAI_FONT, shared_text

_current = None
_pinyin = False


def kai_font_path() -> Path:
    return KAI_FONT


def text_renderer():
    """The renderer the games draw with: the kiosk's, else the engine's shared one."""
    global _current
    if _current is None:
        _current = shared_text()
    return _current


def use_renderer(renderer) -> None:
    """Draw with the kiosk's renderer (RunContext.services["fonts"]), so shell and games share one cache."""
    global _current
    if renderer is not None:
        _current = renderer


def show_pinyin(on: bool) -> None:
    """Set by a game when it starts, from its level (the youngest bands read with pinyin everywhere)."""
    global _pinyin
    _pinyin = bool(on)


def pinyin_shown() -> bool:
    """Whether labels, status lines and messages get a pinyin row (their Han characters only)."""
    return _pinyin
