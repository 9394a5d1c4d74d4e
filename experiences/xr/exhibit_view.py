"""An exhibit (treasure, book, panorama, waterfall) in the headset.

The exhibit keeps its own stage and camera: the headset's reference origin rides on that camera, so the child
looks around from where the exhibit stands. The stage stops rendering to the window (`Stage.headset_view`):
the exhibit's `draw` then gives only its 2D overlay (hotspot markers, panels, buttons) on a transparent
surface, shown on a card that fills the exhibit camera's own view at HUD_DISTANCE, so each marker sits over
its hotspot. A controller's ray is turned into the pixel it hits on that card, and its trigger into a tap
there: the exhibit's own hit tests do the rest.
"""
from __future__ import annotations

import math

import pygame

from experiences.exhibits import hud as exhibit_hud
from experiences.xr.mirror import blit_mirror
from experiences.xr.stereo import HudCard

HUD_DISTANCE = 2.0


class XrExhibitView:
    def __init__(self, rig, stage, eye_size: tuple[int, int]):
        self.rig = rig
        self.stage = stage
        self.eye_size = eye_size
        engine = stage.engine
        self.renderer = rig.renderer(engine.render, background=stage.background)
        horizontal, vertical = (math.radians(a) for a in stage.lens.get_fov())
        self.card_size = (2 * HUD_DISTANCE * math.tan(horizontal / 2), 2 * HUD_DISTANCE * math.tan(vertical / 2))
        self.hud = HudCard(self.renderer.anchor, eye_size, (0, HUD_DISTANCE, 0), self.card_size[0])
        self.hud.node.set_scale(1, 1, self.card_size[1] / (self.card_size[0] * eye_size[1] / eye_size[0]))
        self.hud_surface = pygame.Surface(eye_size, pygame.SRCALPHA)
        stage.headset_view = True  # the window gets the mirror; the stage's own buffer rests
        engine.buffer.set_active(False)
        self.background = tuple(round(c * 255) for c in stage.background)
        self.submitted = 0

    def pixel_of_ray(self, origin, yaw: float, pitch: float) -> tuple[float, float] | None:
        """Where a ray (from the reference origin's frame: the exhibit camera's) meets the overlay card, in the
        overlay's pixels; None when it points away from it or misses it."""
        y, p = math.radians(yaw), math.radians(pitch)
        direction = (math.sin(y) * math.cos(p), math.cos(y) * math.cos(p), math.sin(p))
        ox, oy, oz = origin or (0.0, 0.0, 0.0)
        if direction[1] <= 1e-6:
            return None
        t = (HUD_DISTANCE - oy) / direction[1]
        if t <= 0:
            return None
        x, z = ox + direction[0] * t, oz + direction[2] * t
        width, height = self.card_size
        px, py = (x / width + 0.5) * self.eye_size[0], (0.5 - z / height) * self.eye_size[1]
        if not (0 <= px < self.eye_size[0] and 0 <= py < self.eye_size[1]):
            return None
        return px, py

    def render_into(self, surface: pygame.Surface, inner, pointer=None) -> None:
        """The exhibit's overlay onto the card (with a ring where the controller or the gaze points), its scene
        into the headset from the exhibit camera, and the mirror into the window."""
        self.hud_surface.fill((0, 0, 0, 0))
        inner.draw(self.hud_surface)  # only the overlay: the stage renders for the headset below
        if pointer is not None:
            centre = (round(pointer[0]), round(pointer[1]))
            pygame.draw.circle(self.hud_surface, exhibit_hud.PAPER, centre, 12, width=3)
            pygame.draw.circle(self.hud_surface, exhibit_hud.INK, centre, 3)
        self.hud.show(self.hud_surface)
        self.renderer.anchor.set_transform(self.stage.camera.get_transform(self.stage.engine.render))
        if self.renderer.render():
            self.submitted += 1
        blit_mirror(self.renderer, surface, self.background)

    def release(self) -> None:
        self.stage.headset_view = False
        self.hud.remove()
        self.renderer.release()
