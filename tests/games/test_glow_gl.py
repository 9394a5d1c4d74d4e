"""The moderngl glow path renders headless on EGL and brightens around warm light only."""
from __future__ import annotations

import pygame

from games.lanterns.glow_gl import GLGlow


def test_glow_brightens_around_a_lantern_and_leaves_the_dark_alone():
    glow = GLGlow.create((320, 180))
    assert glow is not None, "moderngl on EGL must work headless (FACTS.md)"
    try:
        frame = pygame.Surface((320, 180))
        frame.fill((10, 12, 40))
        pygame.draw.circle(frame, (230, 60, 40), (80, 50), 20)     # a red lantern in the upper half
        pygame.draw.circle(frame, (250, 250, 250), (240, 130), 3)  # a white star: not warm, barely glows
        before = frame.copy()
        glow.apply(frame)
        assert frame.get_at((80, 78)).r > before.get_at((80, 78)).r + 10  # just below the lantern's edge
        assert abs(frame.get_at((280, 170)).r - before.get_at((280, 170)).r) <= 2  # far away: untouched
        # not upside down: nothing glows at the lantern's mirror image
        assert abs(frame.get_at((80, 180 - 50)).r - before.get_at((80, 180 - 50)).r) <= 2
        def gain(x, y):
            return frame.get_at((x, y)).r - before.get_at((x, y)).r
        assert gain(240, 138) < gain(80, 78)
    finally:
        glow.release()


def test_lantern_game_uses_the_glow_service(run_context):
    from experiences.runtime import create_experience
    glow = GLGlow.create((1280, 720))
    try:
        package, ctx, _, _ = run_context("org.yuedu.idioms.children", services={"glow": glow})
        exp = create_experience(package, ctx)
        exp.start()
        plain, glowing = pygame.Surface((1280, 720)), pygame.Surface((1280, 720))
        exp.draw(glowing)
        exp.ctx.services.pop("glow")
        exp.glow = None
        exp.draw(plain)
        lantern = exp.field.placed(exp.t)[0]
        beside = (int(lantern.x + lantern.radius * 1.3), int(lantern.y))
        assert glowing.get_at(beside).r > plain.get_at(beside).r
    finally:
        glow.release()
