"""A small offscreen panda3d renderer with a stereo pair of display regions (left eye | right eye) in one buffer.

It renders on the pipe and engine of the exhibits' bridge (experiences/exhibits/offscreen.py): one per process.
"""
from __future__ import annotations

import math

from panda3d.core import (Camera, FrameBufferProperties, GraphicsOutput, GraphicsPipe, NodePath, PerspectiveLens,
                          Texture, WindowProperties)


class StereoView:
    """Renders `root` from two eye cameras side by side into a RAM texture; `frame_bytes()` gives RGB rows."""

    def __init__(self, size: tuple[int, int], vertical_fov: float = 60.0, background=(0.03, 0.04, 0.12)):
        self.size = size
        # One panda3d pipe per process: a second EGL pipe would terminate the shared EGL display when freed.
        from experiences.exhibits.offscreen import engine as shared_engine

        shared = shared_engine()
        self.engine, self.pipe, self.module = shared.graphics_engine, shared.pipe, shared.module
        fbp = FrameBufferProperties()
        fbp.set_rgb_color(True)
        fbp.set_rgba_bits(8, 8, 8, 0)
        fbp.set_depth_bits(16)
        self.buffer = self.engine.make_output(self.pipe, "yuedu-lanterns-vr", 0, fbp, WindowProperties.size(*size),
                                              GraphicsPipe.BF_refuse_window)
        if self.buffer is None:
            raise RuntimeError(f"panda3d ({self.module}) could not open a {size[0]}x{size[1]} offscreen buffer")
        self.texture = Texture("vr-frame")
        self.buffer.add_render_texture(self.texture, GraphicsOutput.RTM_copy_ram)
        self.root = NodePath("courtyard")
        self.head = self.root.attach_new_node("head")
        self.eyes = []
        eye_w = size[0] / 2
        horizontal = math.degrees(2 * math.atan(math.tan(math.radians(vertical_fov) / 2) * eye_w / size[1]))
        for i in range(2):
            lens = PerspectiveLens()
            lens.set_fov(horizontal, vertical_fov)
            lens.set_near_far(0.05, 100.0)
            eye = self.head.attach_new_node(Camera(f"eye-{'left' if i == 0 else 'right'}", lens))
            region = self.buffer.make_display_region(i * 0.5, (i + 1) * 0.5, 0.0, 1.0)
            region.set_camera(eye)
            region.set_clear_color_active(True)
            region.set_clear_color((*background, 1.0))
            region.set_clear_depth_active(True)
            self.eyes.append(eye)

    def set_head(self, position, yaw: float, pitch: float, ipd: float) -> None:
        """Head pose in the courtyard; each eye sits ipd/2 to its side (panda3d heading turns left: -yaw)."""
        self.head.set_pos(*position)
        self.head.set_hpr(-yaw, pitch, 0)
        self.eyes[0].set_pos(-ipd / 2, 0, 0)
        self.eyes[1].set_pos(ipd / 2, 0, 0)

    def lens_project(self, eye: int, point) -> tuple[float, float] | None:
        """Pixel position of a world point in the whole side-by-side frame, or None when behind the eye."""
        from panda3d.core import LPoint2f, LPoint3f
        camera = self.eyes[eye]
        local = camera.get_relative_point(self.root, LPoint3f(*point))
        projected = LPoint2f()
        if not camera.node().get_lens().project(local, projected):
            return None
        eye_w = self.size[0] / 2
        return (eye * eye_w + (projected.x + 1) / 2 * eye_w, (1 - projected.y) / 2 * self.size[1])

    def render(self) -> bytes:
        self.engine.render_frame()
        return bytes(self.texture.get_ram_image_as("RGB"))  # bottom row first

    def release(self) -> None:
        if self.buffer is not None:
            self.engine.remove_window(self.buffer)
            self.buffer = None
        self.root.remove_node()
