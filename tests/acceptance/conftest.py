"""Acceptance tests of the real kiosk in a real X11 window (Xvfb, SDL's x11 driver, XTest input).

One Xvfb for the whole run; each test module starts its own kiosk once (see xkiosk.KioskSession).
"""
from __future__ import annotations

import pytest

from tests.xvfb import Xvfb, require_tools


@pytest.fixture(scope="session")
def xserver():
    require_tools("Xvfb", "xdotool")
    server = Xvfb().start()
    yield server
    server.stop()


def pytest_collection_modifyitems(session, config, items):
    """The real-window tests run last: the fast headless suite reports first (also under -x)."""
    items.sort(key=lambda item: "tests/acceptance/" in item.nodeid.replace("\\", "/"))
