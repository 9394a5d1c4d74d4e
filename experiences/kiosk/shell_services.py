"""The kiosk shell's background parts, started once the attract screen is up: the embedded services (statements,
content sync, what-next and shelf sources), TUIO, the kinds' warm-up and the motion corner; and synced content put
live between runs — mixed into KioskShell.
"""
from __future__ import annotations

import logging

from experiences.catalog import Catalog
from experiences.motion import shellglue as motion_glue

log = logging.getLogger("yuedu.kiosk")


class ShellServices:
    def _first_frame_done(self) -> None:
        """The attract screen is up: only now start the services (the embedded server may take a while)."""
        self.ready = True
        self.notifier.ready()
        self._start_tuio()
        if self.services_factory is not None:
            try:
                self.services = self.services_factory(self.config, self.data_dir)
                self.machine.sink = self.services.sink
                if self.picks_source is None and hasattr(self.services, "endpoint"):
                    from experiences.kiosk.whatnext import PickSource

                    self.picks_source = PickSource(self.services.endpoint, self.data_dir)
                if self.shelf_source is None and hasattr(self.services, "endpoint"):
                    from experiences.kiosk.shelf import ShelfSource

                    self.shelf_source = ShelfSource(self.services.endpoint, self.data_dir)
            except Exception:
                log.exception("kiosk services did not start; statements are kept in memory")
            self._warm_installed_kinds()
        motion_glue.start(self)
        log.info("kiosk ready: %d experiences, %dx%d, video driver %s", len(self.menu.packages), *self.size,
                 self.pygame.display.get_driver())

    def _start_tuio(self) -> None:
        """Motion sensors and touch frames speaking TUIO: listened to once the attract screen is up."""
        from experiences.input_tuio import start_from_config

        self.tuio = start_from_config(self.config, self.size)

    def _warm_installed_kinds(self) -> None:
        """Kinds with a warm hook (the booth's scorer) get ready in the background, never delaying attract."""
        from experiences.kiosk.warmup import warm_kinds

        names = sorted({package.kind for package in self.menu.packages})
        self.warmup_thread = warm_kinds(kind for kind in map(self.registry.get, names) if kind is not None)

    def _switch_synced_content(self) -> None:
        """Between runs only: put newly synced versions live and show them in the menu."""
        sync = getattr(self.services, "sync", None)
        if sync is None or self.only is not None or not sync.has_pending():
            return
        if sync.apply_pending():
            from experiences.kiosk.attract_host import attract_screen
            from experiences.kiosk.menu import MenuScreen

            self.catalog = Catalog.scan()
            packages = self.catalog.playable(self.registry)
            self.attract.reset()  # a hosted attract experience lets go of its stage
            self.attract = attract_screen(self, packages)
            self.menu = MenuScreen(packages, self.text, self.covers, self.lang)
            self.menu.set_band(self.machine.age_band)
            log.info("content updated: %d experiences", len(packages))
