"""The visitor's age band picks the idiom games' level: the kiosk's answer (RunContext.age_band) wins over the
package's own band; with no answer the package's only band (or "all") is played, as before."""
from __future__ import annotations

import pygame
import pytest

from experiences.catalog import Catalog
from experiences.config import KioskConfig
from experiences.engagement import ListSink, Place, SessionReporter
from experiences.kinds import default_registry
from experiences.kiosk.shell import KioskShell
from experiences.kiosk.states import ASK_AGE, RUNNING
from experiences.runtime import InputEvent, ManualClock, RunContext, create_experience
from games.idioms.levels import DEFAULT_LEVELS

from tests.games.conftest import manifest, write_package

LANTERNS_ID = "org.yuedu.idioms.older"


@pytest.fixture
def catalog(installed, children, tmp_path):
    """The games' installed content plus a lanterns package made for 9–12 only (its default level)."""
    text = manifest(LANTERNS_ID, "idiom-lanterns", 'idioms = "idioms.json"\ndictionary = "org.yuedu.idioms.xinhua"\n'
                    'rounds = 3\n').replace('age_bands = ["6-8", "9-12"]', 'age_bands = ["9-12"]')
    write_package(tmp_path / "extra" / "older", text, {"idioms.json": children})
    return Catalog.scan([installed, tmp_path / "extra"])


def context(catalog, data_dir, *, age_band=None, session_band=None) -> RunContext:
    config = KioskConfig()
    package = catalog.get(LANTERNS_ID)
    session = SessionReporter(ListSink(), Place.from_config(config), age_band=session_band)
    reporter = session.experience(package.id, package.kind, package.version, monotonic=lambda: 0.0)
    return RunContext(config=config, reporter=reporter, size=(960, 600), data_dir=data_dir, headless=True,
                      clock=ManualClock(), catalog=catalog, services={"seed": 3}, age_band=age_band)


def test_without_an_answer_the_package_band_sets_the_level(catalog, data_dir):
    game = create_experience(catalog.get(LANTERNS_ID), context(catalog, data_dir))
    assert game.band == "9-12" and game.level == DEFAULT_LEVELS["9-12"]


@pytest.mark.parametrize("band", ["3-5", "6-8", "9-12", "13+"])
def test_the_visitor_band_in_the_context_sets_the_level(catalog, data_dir, band):
    # a stale band in the session never beats the context's answer
    game = create_experience(catalog.get(LANTERNS_ID), context(catalog, data_dir, age_band=band, session_band="13+"))
    assert game.band == band and game.level == DEFAULT_LEVELS[band]


def test_a_band_chosen_at_the_kiosk_plays_the_game_at_its_level(catalog, data_dir):
    """Through the real shell: wake, tap 3–5 on the age question, open the 9–12 package: it plays at 3–5."""
    shell = KioskShell(KioskConfig(), catalog=catalog, registry=default_registry(), headless=True, size=(960, 600),
                       clock=ManualClock(), sink=ListSink(), data_dir=data_dir / "kiosk")
    shell.open()
    try:
        shell.frame(1 / 30)
        shell.on_input([InputEvent("pointer_down", 3, 3), InputEvent("pointer_up", 3, 3)])
        assert shell.machine.state == ASK_AGE
        youngest = next(c for c in shell.age_screen.choices(shell.size) if c.band == "3-5")
        shell.on_input([InputEvent("pointer_down", *youngest.rect.center)])
        shell.on_input([InputEvent("pointer_up", *youngest.rect.center)])
        assert shell.open_by_id(LANTERNS_ID) and shell.machine.state == RUNNING
        game = shell.host.experience
        assert shell.host.ctx.age_band == "3-5"
        assert game.level == DEFAULT_LEVELS["3-5"]
        shell.frame(1 / 30)
        assert len(game.round.lanterns) == DEFAULT_LEVELS["3-5"].lanterns and game.time_left is None
        assert pygame.display.get_surface() is not None
    finally:
        shell.close()
