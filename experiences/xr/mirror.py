"""A kind's 3D scene in the headset, with the kiosk window mirroring what the child sees.

`XrSceneView(rig, size, eye_point)` has the parts of a side-by-side stereo view a kind uses (`root`,
`set_head`, `release`) plus `render_into(surface, overlay)`: both eyes rendered and submitted to the headset,
the kind's 2D overlay shown on a card in front of the child, and the window given the two eyes side by side
(scaled to fit each half): the mirror shows exactly what the child sees, for parents and staff.
"""
from __future__ import annotations

import math

import pygame
from panda3d.core import LPoint2f, LPoint3f, NodePath

from experiences.xr.stereo import HudCard

HUD_DISTANCE = 2.5  # metres in front of the reference origin
HUD_VERTICAL_FOV = 60.0  # degrees the card spans up to down: as one eye of the side-by-side view, whose sizes
# the kinds' overlays are laid out for


class XrSceneView:
    def __init__(self, rig, size: tuple[int, int], eye_point, background=(0.03, 0.04, 0.12)):
        self.rig = rig
        self.size = size
        self.top = NodePath("xr-view")  # the kind's scene (root) and the overlay's card: a fade dims the scene only
        self.root = self.top.attach_new_node("xr-scene")
        self.background_colour = tuple(background)
        self.darkness = 0.0
        self.renderer = rig.renderer(self.top, background=background)
        # seated: the reference origin is the child's eyes, put at the scene's eye point; standing: the floor
        x, y, z = eye_point
        self.anchor_point = (x, y, 0.0) if rig.floor_level else (x, y, z)
        self.renderer.anchor.set_pos(*self.anchor_point)
        self.eye_size = (size[0] // 2, size[1])
        width = 2 * HUD_DISTANCE * math.tan(math.radians(HUD_VERTICAL_FOV / 2)) * self.eye_size[0] / self.eye_size[1]
        self.hud = HudCard(self.top, self.eye_size, (x, y + HUD_DISTANCE, z), width)
        self.hud_surface = pygame.Surface(self.eye_size, pygame.SRCALPHA)
        self.background = tuple(round(c * 255) for c in background)
        self.submitted = 0

    def scene_point(self, origin) -> tuple[float, float, float]:
        """A position the runtime reported (from the reference origin) in scene coordinates."""
        return tuple(self.anchor_point[i] + origin[i] for i in range(3))

    def set_head(self, position, yaw: float, pitch: float, ipd: float) -> None:
        """The headset places the eyes itself (experiences/xr/stereo.py)."""

    def eye_pixel(self, eye: int, point) -> tuple[float, float] | None:
        """Where a scene point lands in an eye's headset image (pixels from the top left), None if behind."""
        camera = self.renderer.cameras[eye]
        local = camera.get_relative_point(self.root, LPoint3f(*point))
        projected = LPoint2f()
        if local.y <= 0 or not camera.node().get_lens().project(local, projected):
            return None
        width, height = self.renderer.eye_size
        return (projected.x + 1) / 2 * width, (1 - projected.y) / 2 * height

    def set_fade(self, darkness: float, overlay_alpha: float = 1.0) -> None:
        """Darken the scene and its sky (0: as lit, 1: black) on the GPU (a colour scale and the clear colour);
        the overlay's card is dimmed separately (`overlay_alpha`), so a message can shine on the dark."""
        darkness = min(1.0, max(0.0, darkness))
        if darkness != self.darkness:
            self.darkness = darkness
            light = 1.0 - darkness
            self.root.set_color_scale(light, light, light, 1.0)
            self.renderer.set_background(tuple(c * light for c in self.background_colour))
        self.hud.node.set_color_scale(1.0, 1.0, 1.0, min(1.0, max(0.0, overlay_alpha)))

    def render_into(self, surface: pygame.Surface, overlay=None) -> None:
        self.hud_surface.fill((0, 0, 0, 0))
        if overlay is not None:
            overlay(self.hud_surface)
        self.hud.show(self.hud_surface)
        if self.renderer.render():
            self.submitted += 1
        blit_mirror(self.renderer, surface, self.background)

    def release(self) -> None:
        self.hud.remove()
        self.renderer.release()
        self.top.remove_node()


def blit_mirror(renderer, surface: pygame.Surface, background) -> None:
    """The headset's last frame into the kiosk window: each eye scaled to fit its half, centred."""
    renderer.mirror_into(surface, background)
