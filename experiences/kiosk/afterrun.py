"""After a run, over the menu: 去书架找一找 (books from the library's catalogue, experiences/kiosk/shelf.py) and
"what next?" picks (experiences/kiosk/whatnext.py) with one or two of the same books beside them — the kiosk shell's
offers, mixed into KioskShell.

The state lives on the shell (tests and the acceptance hook read it there): `what_next`, `pending_picks`, `shelf`,
`picks_source`, `shelf_source` and the run the shelf's books were recommended after.
"""
from __future__ import annotations


class AfterRunOffers:
    def _what_next_after(self, finished: str | None) -> str | None:
        """What the picks follow: the last ranked item reported on (a poem's IRI), else the finished package."""
        from experiences.kiosk.whatnext import ITEM_TYPES_RANKED

        reporter = self.host.ctx.reporter if self.host is not None else None
        last = getattr(reporter, "last_item", None)
        return last[1] if finished and last and last[0] in ITEM_TYPES_RANKED else finished

    def _offer_what_next(self, finished: str) -> None:
        """Show picks at once (cached, or the catalog's), and ask the server on a thread for fresher ones."""
        from experiences.kiosk.whatnext import complete
        from experiences.kiosk.whatnext_screen import WhatNextScreen

        self.pending_picks = self.picks_source.request(finished, self.machine.age_band, self.config.kiosk.kiosk_id)
        picks = complete(self.pending_picks.cached, self._playable_ids(), finished, self._titles)
        self.what_next = WhatNextScreen(picks, {p.id: p for p in self.menu.packages}, self.text, self.covers, self.lang,
                                        self.machine.age_band)

    def _offer_shelf(self, finished: str) -> None:
        """去书架找一找: ask the catalogue about the last item the visitor met (or the package), showing the last
        known cards at once; the screen steps aside by itself when the library has no book for it."""
        if self.shelf_source is None:
            return
        from experiences.kiosk.shelf import shelf_query
        from experiences.kiosk.shelf_screen import ShelfScreen

        package = next((p for p in self.menu.packages if p.id == finished), None)
        if package is None:
            return
        kind, item = shelf_query(package.kind, package.manifest.title("zh-CN"), self._last_item)
        pending = self.shelf_source.request(kind, item, self.machine.age_band, self.config.kiosk.kiosk_id)
        self.shelf = ShelfScreen(pending, self.text, self.lang, self.machine.age_band, after=package.id)
        if self.what_next is not None:  # the same books, one or two, beside the picks of 「接下来玩什么？」
            self.what_next.offer_books(pending, after=package.id)
        self._shelf_after = (package.id, package.kind, package.manifest.version)
        self._shelf_reported = set()

    def _last_item_met(self) -> tuple[str, str, str] | None:
        from experiences.kiosk.whatnext import after_parts

        reporter = self.host.ctx.reporter if self.host is not None else None
        last = getattr(reporter, "last_item", None)
        if not last:
            return None
        return last[0], after_parts(last[1])[1], getattr(reporter, "last_item_name", "")

    def _update_shelf(self) -> None:
        if self.shelf is not None:
            self.shelf.update()
            if self.shelf.nothing_to_show:
                self.shelf = None
            else:
                self._report_books(self.shelf.cards_shown)
        if self.what_next is not None and self.what_next.books is not None:
            self.what_next.update()
            if self.shelf is None:  # 「接下来玩什么？」 is on screen: its books were shown too (each reported once)
                self._report_books(self.what_next.books_shown)

    def _report_books(self, cards) -> None:
        """One `recommended` statement per book card the visitor was shown (the book as the activity)."""
        session = self.machine.session
        if session is None or self._shelf_after is None:
            return
        from experiences.bookstatements import recommended

        for card in cards:
            if card.id not in self._shelf_reported:
                self._shelf_reported.add(card.id)
                session.sink.put(recommended(session, card, *self._shelf_after))

    def _take_fresh_picks(self) -> None:
        pending = self.pending_picks
        if pending is None or not pending.done.is_set():
            return
        self.pending_picks = None
        if pending.fresh and self.what_next is not None:
            from experiences.kiosk.whatnext import complete

            self.what_next.replace_picks(complete(pending.fresh, self._playable_ids(), pending.after, self._titles))

    def _playable_ids(self) -> list[str]:
        return [p.id for p in self.menu.packages]

    def _titles(self, package_id: str) -> dict[str, str]:
        package = next((p for p in self.menu.packages if p.id == package_id), None)
        return dict(package.manifest.titles) if package else {}
