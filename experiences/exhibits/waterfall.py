"""exhibit-waterfall (电子书瀑布流): covers of the installed packages drift down the screen in columns of cards at
slightly different depths; tap (or gaze at, or focus and `select`) a cover to open that package through
`ctx.services["open_package"]`. Calm enough to be the kiosk's attract loop: no flashes, a slow even fall that
eases to a stop while someone points at it. The label sits in a slim header band across the top: the
title, the caption's sentences that fit beside it and the hint on the right (a tall window: the caption in up to
two lines under them); the covers slide out from under it: none is hidden behind the label while it is on the wall
(a cover still under the band is not on the wall yet: no tap, focus or test target reaches it). The columns keep to
the right of the kiosk's home button, so it never stands on a cover.
"""
from __future__ import annotations

import math

import pygame
from panda3d.core import CardMaker, LPoint2f, LPoint3f, TransparencyAttrib

from experiences.exhibits import hud, waterfall_band
from experiences.exhibits.exhibit import Exhibit3D
from experiences.exhibits.assets3d import texture_from_array
from experiences.exhibits.waterfall_covers import YOUNG_BANDS, card_pixels
from experiences.exhibits.waterfall_flow import (
    BASE_DEPTH,
    Placement,
    WaterfallLayout,
    card_corners,
    next_focus,
    point_in_polygon,
    select_packages,
)
from experiences.i18n import t
from experiences.runtime import InputEvent, home_button_area

KIND = "exhibit-waterfall"
DEFAULT_BACKGROUND = (0.13, 0.12, 0.11)
EASE_SECONDS = 0.8  # the fall slows to a stop (and picks up again) over this long: no jolts
DEPTH_DIMMING = 0.06  # per world unit behind the base plane: farther columns are a little darker


def on_screen_width(layout: WaterfallLayout, screen_width: int) -> int:
    """Pixels across a card of the nearest column: textures made this size are hardly ever minified."""
    nearest = min(column.depth for column in layout.columns)
    return max(64, math.ceil(layout.card_width / (2 * nearest * layout.tan_h) * screen_width))


def fit_width(pixels, width: int):
    """A card's pixels scaled to `width` (height in proportion), smoothly: the GPU then samples it bilinear
    without mipmaps, which on llvmpipe halves the frame time (bench/exhibit.py) and keeps text steady."""
    height = max(1, round(pixels.shape[0] * width / pixels.shape[1]))
    surface = pygame.surfarray.make_surface(pixels.transpose(1, 0, 2))
    scaled = pygame.transform.smoothscale(surface, (width, height))
    return pygame.surfarray.array3d(scaled).transpose(1, 0, 2)


class WaterfallExhibit(Exhibit3D):
    hint_key = "exhibit.waterfall_hint"

    def build(self) -> None:
        content = self.package.manifest.content
        if self.ctx.services.get("attract"):
            self.hint_key = "exhibit.waterfall_attract_hint"  # the attract loop also says how to reach the menu
        self.packages = select_packages(self._installed(), content.get("packages", "all"), content.get("tags", []),
                                        content.get("exclude", []), own_kind=KIND)
        if self.ctx.vr:  # e-books go to a phone by a QR code: nothing to scan with a headset on
            self.packages = [p for p in self.packages if p.kind != "ebook"]
        background = tuple(content.get("background", DEFAULT_BACKGROUND))
        self.stage.set_background(background)
        self.band_colour = tuple(round(255 * max(0.0, min(1.0, float(c)))) for c in background[:3])
        self.resume_after = float(content.get("resume_after", 3.0))
        self.flow_time = 0.0
        self.flow_rate = 1.0  # 0..1 of the configured speed; eases towards 0 while someone points at the wall
        self.held_until = -math.inf  # the fall stays stopped until this time
        self.focus = None  # Placement.key of the card the keyboard or gamepad is on
        self.opened: str | None = None
        self.qr_package = None  # an e-book whose 用手机读 QR code is up (a tap on an e-book's cover shows it)
        self.qr_close: pygame.Rect | None = None
        self.nodes: dict[tuple, object] = {}
        self.placements: list[Placement] = []
        self.layout = None
        if not self.packages:
            return
        fonts = self.ctx.services.get("fonts")
        if fonts is None:
            from experiences.text import shared_text

            fonts = shared_text()
        pinyin = content.get("pinyin", "auto")
        if pinyin == "auto" and getattr(self.ctx, "age_band", None) in YOUNG_BANDS:
            pinyin = True  # a young visitor reads every title, not only the young packages'
        cards = [card_pixels(p, fonts, self.ctx.language, None if pinyin == "auto" else bool(pinyin))
                 for p in self.packages]
        aspects = [pixels.shape[0] / pixels.shape[1] for pixels in cards]
        columns = int(content.get("columns", 5))
        self.layout = WaterfallLayout(aspects, columns, tuple(self.stage.lens.get_fov()), float(content.get("speed", 2.0)),
                                      span=self.wall_span(tuple(self.stage.size)))
        width = on_screen_width(self.layout, self.stage.size[0])
        self.textures = [texture_from_array(fit_width(pixels, width), f"cover-{p.id}", mipmap=False)
                         for p, pixels in zip(self.packages, cards)]
        self.wall = self.stage.root.attach_new_node("waterfall")
        self.wall.set_light_off()
        self.wall.set_transparency(TransparencyAttrib.M_none)
        # Cards never overlap (each column keeps to its own strip, cards in a column are spaced by a gap), so
        # no depth test is needed: llvmpipe's per-pixel depth work is ~2 ms of the frame at 1280×720.
        self.wall.set_depth_test(False)
        self.wall.set_depth_write(False)
        maker = CardMaker("cover")
        maker.set_frame(-0.5, 0.5, -0.5, 0.5)
        self.card_geom = maker.generate()
        self._place_cards()

    def _installed(self) -> list:
        catalog = self.ctx.catalog
        if catalog is None:
            from experiences.catalog import Catalog

            catalog = Catalog.scan()
        from experiences.kinds import default_registry

        # The kiosk's own registry when it passes one (`services["kinds"]`), so the wall shows what its menu shows.
        return catalog.playable(self.ctx.services.get("kinds") or default_registry())

    # ---- the flow -----------------------------------------------------------------------------------------
    def update(self, dt: float) -> None:
        if self.layout is None:
            return
        now = self.ctx.clock.now()
        holding = bool(self.pointers) or self.focus is not None or now < self.held_until or \
            self.qr_package is not None
        target = 0.0 if holding else 1.0
        step = dt / EASE_SECONDS
        self.flow_rate = min(target, self.flow_rate + step) if target > self.flow_rate else max(target, self.flow_rate - step)
        self.flow_time += dt * self.flow_rate
        self._place_cards()

    def _place_cards(self) -> None:
        self.placements = self.layout.placements(self.flow_time)
        seen = set()
        for placement in self.placements:
            seen.add(placement.key)
            node = self.nodes.get(placement.key)
            if node is None:
                node = self.wall.attach_new_node(self.card_geom.make_copy())
                node.set_texture(self.textures[placement.package], 1)
                dimming = max(0.7, 1.0 - DEPTH_DIMMING * (placement.center[1] - BASE_DEPTH))
                node.set_color_scale(dimming, dimming, dimming, 1)
                node.set_h(placement.tilt)
                self.nodes[placement.key] = node
            node.set_pos(*placement.center)
            grow = 1.06 if placement.key == self.focus else 1.0  # the focused card stands out by size and frame
            node.set_scale(placement.width * grow, 1, placement.height * grow)
        for key in [k for k in self.nodes if k not in seen]:
            self.nodes.pop(key).remove_node()
        if self.focus is not None and self.focus not in seen:
            self.focus = None

    def hold(self, now: float) -> None:
        """Someone is pointing at the wall: let the fall ease to a stop, and resume `resume_after` s later."""
        self.held_until = now + self.resume_after

    # ---- where covers are on screen -----------------------------------------------------------------------
    def screen_quad(self, placement: Placement) -> list[tuple[float, float]] | None:
        """The card's outline in window pixels, also where it runs past the screen's edge (a card half on
        screen is still a touch target); None if a corner is behind the camera."""
        corners = [self._project(corner) for corner in card_corners(placement)]
        return None if None in corners else corners

    def _project(self, point) -> tuple[float, float] | None:
        # Stage.project gives None outside the frame; the part of a card still on screen needs its corners.
        p_cam = self.stage.camera.get_relative_point(self.stage.root, LPoint3f(*point))
        if p_cam.y <= 0:
            return None
        film = LPoint2f()
        self.stage.lens.project(p_cam, film)  # False outside the frame, but `film` is filled in all the same
        return (film.x + 1) * 0.5 * self.stage.size[0], (1 - film.y) * 0.5 * self.stage.size[1]

    def card_at(self, x: float, y: float) -> Placement | None:
        """The nearest card whose projected outline contains pixel (x, y); nothing under the label's band."""
        if y < self.header_bottom(self.stage.size):
            return None
        hits = [p for p in self.placements if (quad := self.screen_quad(p)) and point_in_polygon((x, y), quad)]
        return min(hits, key=lambda p: p.center[1], default=None)

    def test_targets(self) -> dict[str, pygame.Rect]:
        """The covers wholly on screen now, one per package ("cover:<package id>"): the middle half of each
        projected card, so a tap there lands on it even after a little more fall."""
        targets = super().test_targets()
        if self.qr_package is not None and self.qr_close is not None:
            return {**targets, "qr-close": self.qr_close}
        width, height = self.stage.size
        top = self.header_bottom(self.stage.size)
        for placement in sorted(getattr(self, "placements", []), key=lambda p: p.center[1]):
            quad = self.screen_quad(placement)
            if not quad or not all(0 <= x < width and top <= y < height for x, y in quad):
                continue
            xs, ys = [x for x, _ in quad], [y for _, y in quad]
            box = pygame.Rect(round(min(xs)), round(min(ys)), round(max(xs) - min(xs)), round(max(ys) - min(ys)))
            targets.setdefault(f"cover:{self.package_of(placement).id}", box.inflate(-box.w // 2, -box.h // 2))
        return targets

    def package_of(self, placement: Placement):
        return self.packages[placement.package]

    def gaze_target_at(self, x: float, y: float):
        """VR's gaze dwell: the cover under the reticle (the fall holds still while it is looked at)."""
        card = self.card_at(x, y)
        if card is None:
            return None
        self.hold(self.ctx.clock.now())
        return ("cover", card.key)

    # ---- the label's band ---------------------------------------------------------------------------------
    def wall_span(self, size: tuple[int, int]) -> tuple[float, float]:
        """The screen's width the columns share (-1..1): right of the kiosk's home button and a margin, which
        then stands in a strip of its own (a VR eye keeps the whole width: its home button sits elsewhere)."""
        if self.ctx.vr:
            return -1.0, 1.0
        x, _, w, _ = home_button_area(size)[0]
        return (x + w + hud.px(size, 12)) / size[0] * 2 - 1, 1.0

    def _banded(self) -> bool:
        return self.show_label and not self.ctx.vr  # a VR eye keeps its label in the middle of the view

    def band_layout(self, size: tuple[int, int]) -> waterfall_band.Band:
        """Where the band's pieces go (waterfall_band), measured once a size: asked on every tap and key."""
        known = getattr(self, "_band", None)
        if known is None or known[0] != tuple(size):
            title, caption = self.label_texts()
            hint = self.hint(self.hint_key) if self.hint_key else ""
            known = self._band = (tuple(size), waterfall_band.band_layout(self.text, size, title, caption, hint))
        return known[1]

    def header_bottom(self, size: tuple[int, int]) -> int:
        """Where the header band with the label ends (0: no band): covers above it are not on the wall yet."""
        if not self._banded() or getattr(self, "layout", None) is None:
            return 0
        return self.band_layout(size).bottom

    def draw_label(self, surface: pygame.Surface) -> pygame.Rect | None:
        """The band across the top in the wall's colour, the covers coming out from under it instead of passing
        behind the label: the title, the description, and the hint until the first touch."""
        if not self._banded():
            return super().draw_label(surface)
        band = self.band_layout(surface.get_size())
        self.label_rect = waterfall_band.draw_band(surface, self.text, band, self.label_texts()[0], self.band_colour,
                                                   show_hint=not self.touched)
        return self.label_rect

    def hint_rect(self, surface: pygame.Surface) -> pygame.Rect | None:
        if not self._banded() or getattr(self, "layout", None) is None:
            return super().hint_rect(surface)
        return None if self.touched else self.band_layout(surface.get_size()).hint

    # ---- drawing ------------------------------------------------------------------------------------------
    def draw_overlay(self, surface: pygame.Surface) -> None:
        width, height = surface.get_size()
        size = (width, height)
        if self.layout is None:
            box = pygame.Rect(width // 8, height // 3, width * 3 // 4, height // 3)
            pygame.draw.rect(surface, hud.PAPER, box, border_radius=18)
            pygame.draw.rect(surface, hud.INK, box, width=3, border_radius=18)
            hud.note_box(surface, "panel", box, "panels")
            font_px = hud.px(size, hud.TEXT_PX)
            lines = self.text.wrap(t("exhibit.waterfall_empty", self.ctx.language), font_px, box.width - 64)
            for i, line in enumerate(lines[:4]):
                self.text.draw(surface, line, font_px, hud.INK,
                               center=(box.centerx, box.top + font_px * 1.6 + i * font_px * 1.4))
            return
        self.draw_label(surface)
        if self.qr_package is not None:
            self._draw_qr(surface)
            return
        focused = next((p for p in self.placements if p.key == self.focus), None)
        if focused is not None:
            quad = self.screen_quad(focused)
            if quad:
                top = self.header_bottom(size)
                surface.set_clip(pygame.Rect(0, top, width, height - top))  # the frame stays out of the band
                pygame.draw.polygon(surface, hud.PAPER, quad, width=9)
                pygame.draw.polygon(surface, hud.INK, quad, width=3)
                surface.set_clip(None)
                title = self.package_of(focused).manifest.title(self.ctx.language)
                font_px = hud.px(size, hud.TEXT_PX)
                bottom = max(y for _, y in quad)
                center_x = sum(x for x, _ in quad) / 4
                box = pygame.Rect(0, 0, self.text.width(title, font_px, None) + hud.px(size, 28),
                                  self.text.line_height(font_px) + round(font_px * 0.5))
                box.midtop = (center_x, min(bottom + 10, height - box.height - hud.px(size, 16)))
                box.clamp_ip(surface.get_rect())
                pygame.draw.rect(surface, hud.INK, box, border_radius=8)
                hud.note_box(surface, "focus-title", box, "panels")
                self.text.draw(surface, title, font_px, hud.PAPER, pinyin=None, center=box.center)
        if self._banded():  # the hint is in the band, not over the covers at the bottom
            for button in self.buttons:
                button.draw(surface, self.text)
        else:
            super().draw_overlay(surface)

    def shot_states(self):
        """start (the covers falling), picked (a cover chosen with the remote: framed, its title under it).
        A tapped cover opens its package at once, so that is left to the kiosk's own shots."""
        yield None
        yield "start"
        if self.layout is not None:
            self.handle(InputEvent("action", action="right", source="keyboard"))
            yield None
            yield "picked"
            ebook = next((p for p in self.placements if self.package_of(p).kind == "ebook"), None)
            if ebook is not None:  # an e-book's cover chosen: its QR code for the phone
                self.focus = None
                self.open(ebook)
                yield None
                yield "ebook"

    # ---- input --------------------------------------------------------------------------------------------
    def open(self, placement: Placement) -> None:
        package = self.package_of(placement)
        self.report_item("package", package.id, package.manifest.titles)
        if package.kind == "ebook":  # an e-book goes to the phone: its QR code, the wall stays
            self.qr_package = package
            self.touched = True  # the hint line gives way to the panel
            return
        self.opened = package.id
        opener = self.ctx.services.get("open_package")
        if opener is not None:
            opener(package.id)
        else:
            self.ctx.log.info("waterfall: %s chosen, but nothing here opens packages (a preview)", package.id)
        self.finished = True

    def on_press(self, x, y, now) -> None:
        self.hold(now)

    def on_release(self, x, y, now) -> None:
        self.hold(now)  # still for `resume_after` seconds after the finger leaves

    def on_tap(self, x, y, now) -> None:
        if self.qr_package is not None:  # 关上, or a tap anywhere: back to the falling covers
            self.close_qr(now)
            return
        card = self.card_at(x, y) if self.layout is not None else None
        if card is not None:
            self.open(card)
        elif self.ctx.services.get("attract"):
            self.finished = True  # as the attract loop: a touch beside the covers goes on to the menu
        else:
            self.focus = None

    def on_action(self, action, now) -> None:
        if self.qr_package is not None and action in ("back", "select"):
            self.close_qr(now)
            return
        if action in ("left", "right", "up", "down", "select") and self.layout is not None:
            self.hold(now)
            if action == "select" and self.focus is not None:
                focused = next(p for p in self.placements if p.key == self.focus)
                self.open(focused)
                return
            centre = (self.stage.size[0] / 2, self.stage.size[1] / 2)
            top = self.header_bottom(self.stage.size)  # a cover still under the label's band is not on the wall
            candidates = []
            for placement in self.placements:
                quad = self.screen_quad(placement)
                if quad:
                    x, y = sum(q[0] for q in quad) / 4, sum(q[1] for q in quad) / 4
                    if 0 <= x < self.stage.size[0] and top <= y < self.stage.size[1]:
                        candidates.append((placement.key, x, y))
            candidates.sort(key=lambda c: math.dist(centre, c[1:]))
            self.focus = next_focus(self.focus, candidates, "down" if action == "select" else action)
            self._place_cards()
        elif action == "back" and self.focus is not None:
            self.focus = None
        elif action in ("back", "select"):
            self.finished = True  # nothing to show: back to the menu
        else:
            super().on_action(action, now)

    def close_qr(self, now: float) -> None:
        self.qr_package = None
        self.hold(now)

    def _draw_qr(self, surface: pygame.Surface) -> None:
        """The chosen e-book's QR panel over the dimmed wall, below the wall's band (or label), with 关上 under it."""
        from experiences.ebook import view
        from experiences.ebook.links import reading_url
        from experiences.kiosk import theme

        size = surface.get_size()
        s = theme.scale(size)
        dim = pygame.Surface(size, pygame.SRCALPHA)
        dim.fill((0, 0, 0, 150))
        surface.blit(dim, (0, 0))
        m = theme.px(32, s)
        top = max(self.header_bottom(size), self.label_rect.bottom if self.label_rect is not None else 0) + m
        close_h = theme.px(130, s)
        panel = pygame.Rect(m, top, size[0] - 2 * m, size[1] - top - close_h - 2 * m)
        package, lang = self.qr_package, self.ctx.language
        count = view.poem_count(package)
        fonts = self.ctx.services.get("fonts")
        if fonts is None:
            from experiences.text import shared_text

            fonts = shared_text()
        view.draw_qr_panel(surface, fonts, panel, s, reading_url(self.ctx.config, package.id, "waterfall"),
                           package.manifest.title(lang), t("ebook.scan", lang),
                           t("ebook.scan_more", lang, count=count) if count else "", t("ebook.no_link", lang),
                           t("ebook.no_link_staff", lang), getattr(self.ctx, "age_band", None) in YOUNG_BANDS)
        self.qr_close = pygame.Rect(0, 0, theme.px(300, s), close_h)
        self.qr_close.bottomright = (size[0] - m, size[1] - m // 2)
        view.draw_button(surface, fonts, view.Button("close", t("ebook.close", lang), self.qr_close), s, True,
                         False)

    visit_key = ""  # a cover opens its package at once: nothing to count when the visitor leaves

    def progress_extensions(self) -> dict:
        return {"items-experienced": len(self.experienced), "covers-shown": len(getattr(self, "packages", []))}
