"""Runs of every kind on the repo's own content/ packages, each reporting into a list (see helpers.py)."""
from __future__ import annotations

import time

import pygame
import pytest

from experiences.catalog import Catalog
from experiences.config import KioskConfig
from experiences.engagement import ListSink, SessionReporter
from experiences.runtime import ManualClock, RunContext

from .helpers import CONTENT, PLACE


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return Catalog.scan([CONTENT])


@pytest.fixture
def run(catalog, data_dir):
    """make(package_id, age_band=..., seed=..., services=..., size=..., vr=...) -> (package, ctx, sink, clock)."""
    pygame.init()

    def make(package_id: str, age_band: str | None = "6-8", seed: int = 1, services=None, size=(1280, 720),
             config: KioskConfig | None = None, vr: bool = False):
        sink, clock = ListSink(), ManualClock(1000.0)
        package = catalog.get(package_id)
        session = SessionReporter(sink, PLACE, age_band=age_band, wall_clock=time.time)
        reporter = session.experience(package.id, package.kind, package.version, package.manifest.titles,
                                      monotonic=clock.now)
        ctx = RunContext(config=config or KioskConfig(), reporter=reporter, size=size, data_dir=data_dir / "run",
                         headless=True, clock=clock, catalog=catalog, age_band=age_band, vr=vr,
                         services={"seed": seed, **(services or {})})
        return package, ctx, sink, clock
    return make

