"""Run by test_window.py under Xvfb: one real X11 window, panda3d's offscreen engine and the moderngl glow in the
same frames, as docs/kiosk-shell.md ("One window, no GL of its own") promises. Prints one JSON line of readings.
"""
from __future__ import annotations

import json
import os
import sys

from experiences.kiosk.window import use_window_without_gl

use_window_without_gl()

import pygame  # noqa: E402
from panda3d.core import LColor  # noqa: E402

from experiences.exhibits import geometry, offscreen  # noqa: E402
from games.lanterns.glow_gl import GLGlow  # noqa: E402

SIZE = (320, 180)
FRAMES = int(sys.argv[1]) if len(sys.argv) > 1 else 30


def main() -> None:
    pygame.display.init()
    window = pygame.display.set_mode(SIZE)
    stage = offscreen.acquire_stage(SIZE)
    stage.set_background((0.1, 0.2, 0.3))
    card = stage.root.attach_new_node(geometry.geom_node("card", *geometry.card(0.5, 0.5)))
    card.set_pos(0, 3, 0)
    card.set_color(LColor(0.0, 1.0, 0.0, 1.0))  # unlit: a flat green square in the middle
    glow = GLGlow((SIZE[0], SIZE[1]))
    readings = {"driver": pygame.display.get_driver(), "panda": offscreen.engine().renderer,
                "moderngl": glow.renderer, "frames": []}
    frame = pygame.Surface(SIZE)
    for i in range(FRAMES):
        card.set_h(i * 3)
        stage.mark_dirty()
        stage.render_into(frame)  # panda3d's EGL context is current now...
        background, middle = frame.get_at((5, 5))[:3], frame.get_at((160, 90))[:3]
        pygame.draw.circle(frame, (230, 60, 40), (60, 50), 20)  # a red lantern for the glow
        before = frame.get_at((60, 78)).r
        glow.apply(frame)  # ...and the glow's own context draws, then panda3d's is current again
        readings["frames"].append({"background": background, "middle": middle,
                                   "glow_gain": frame.get_at((60, 78)).r - before,
                                   "far_gain": frame.get_at((300, 170)).r - background[0]})
        window.blit(frame, (0, 0))
        pygame.display.flip()
        pygame.event.pump()
    readings["window"] = window.get_at((160, 90))[:3]
    # what the X server shows (not just our surface): the window's pixels read back from the screen
    from PIL import ImageGrab

    x, y = pygame.Window.from_display_module().position
    screen = ImageGrab.grab(xdisplay=os.environ["DISPLAY"]).convert("RGB")
    readings["screen"] = [screen.getpixel((x + px, y + py)) for px, py in ((160, 90), (5, 5), (315, 175))]
    glow.release()  # the glow's run ends; panda3d's EGL context must live on (an exhibit opened next)
    stage.set_background((0.5, 0.2, 0.3))
    stage.render_into(frame)
    readings["after_glow_released"] = frame.get_at((5, 5))[:3]
    stage.release()
    pygame.display.quit()
    print(json.dumps(readings))


if __name__ == "__main__":
    main()
