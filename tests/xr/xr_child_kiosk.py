"""The kiosk-shell scenarios of tests/xr/xr_child.py (run through it, in its process): the kiosk's own screens on
the headset's panel, and the session limit's fade, rest message and 还在吗 in the headset.
"""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from experiences.xr.remote import RemoteHeadset, RemoteState
from tests.xr.xr_child import PORT, until


def screens() -> dict:
    """The kiosk in VR mode, its own screens in the headset: the attract screen, the age question and the menu
    on the panel (read back from the swapchain: the window's picture), woken, answered and picked by the
    controller's aim and trigger; the picked exhibit draws into the headset itself; its end shows the menu on
    the panel again."""
    import pygame

    from experiences.config import KioskConfig
    from experiences.kinds import default_registry
    from experiences.kiosk.states import ASK_AGE, ATTRACT, MENU, RUNNING
    from experiences.kiosk.testing import headless_shell
    from experiences.xr.poses import yaw_pitch
    from tests.exhibits.helpers import write_package
    from tests.exhibits.test_panorama import CONTENT, pattern_image

    tmp = Path(os.environ["TMPDIR_XR"])
    config = KioskConfig()
    config.kiosk.mode = "vr"
    config.kiosk.ask_age_band = True
    config.vr.graphics = os.environ.get("YUEDU_XR_GRAPHICS", "auto")
    package = write_package(tmp / "pkg", "exhibit-panorama", CONTENT, {"hall.png": pattern_image()})
    shell, sink = headless_shell([package], tmp / "data", config=config, size=(1280, 720),
                                 registry=default_registry())
    readings = {"states": []}
    try:
        shell.start_headset()
        rig = shell.xr
        readings["graphics"] = rig.session.graphics
        headset = RemoteHeadset(PORT)
        state = RemoteState()
        headset.send(state)

        def frame():
            shell.frame(1 / 30)

        def hand():
            hands = rig.tracked.hands if rig.tracked is not None else {}
            return hands.get("right") if hands.get("right") and hands["right"].aim is not None else None

        def panel_matches_window() -> float:
            """Mean difference (0..255) between the panel's swapchain image and the window's pixels."""
            image = np.frombuffer(rig.panel.read_back(), np.uint8).reshape(720, 1280, 4)[::-1, :, :3]
            window = pygame.surfarray.array3d(shell.surface).transpose(1, 0, 2)
            return float(np.abs(image.astype(int) - window.astype(int)).mean())

        def tap(x, y):
            """Aim the right controller at window pixel (x, y) on the panel, pull the trigger and let go."""
            geometry = rig.panel_inputs.geometry
            (cx, cy, cz), (w, h) = geometry.centre, geometry.size_m
            target = (cx + (x / 1280 - 0.5) * w, cy, cz + (0.5 - y / 720) * h)
            origin = hand().aim.position
            state.right.yaw, state.right.pitch = yaw_pitch(tuple(target[i] - origin[i] for i in range(3)))
            headset.send(state)
            until(frame, lambda: rig.panel_inputs.pointer is not None
                  and abs(rig.panel_inputs.pointer[0] - x) < 3 and abs(rig.panel_inputs.pointer[1] - y) < 3)
            readings.setdefault("pointed", []).append([round(v, 1) for v in rig.panel_inputs.pointer])
            state.right.trigger = 1.0
            headset.send(state)
            until(frame, lambda: rig.panel_inputs.held)
            state.right.trigger = 0.0
            headset.send(state)
            until(frame, lambda: not rig.panel_inputs.held)
            for _ in range(2):
                frame()

        until(frame, lambda: rig.panel_active and hand() is not None and rig.panel_inputs.pointer is not None)
        readings["states"].append(shell.machine.state)
        readings["attract_diff"] = panel_matches_window()
        tap(640, 360)  # wake the kiosk: the age question
        readings["states"].append(shell.machine.state)
        frame()
        readings["age_diff"] = panel_matches_window()
        choice = next(c for c in shell.age_screen.choices(shell.size) if c.band == "9-12")
        tap(*choice.rect.center)
        readings["states"].append(shell.machine.state)
        readings["age_band"] = shell.machine.age_band
        frame()
        readings["menu_diff"] = panel_matches_window()
        if os.environ.get("YUEDU_SHOTS"):
            image = np.frombuffer(rig.panel.read_back(), np.uint8).reshape(720, 1280, 4)[::-1]
            pygame.image.save(pygame.image.frombuffer(image[..., :3].tobytes(), (1280, 720), "RGB"),
                              os.path.join(os.environ["YUEDU_SHOTS"], "xr_menu_panel.png"))
            pygame.image.save(shell.surface, os.path.join(os.environ["YUEDU_SHOTS"], "xr_menu_window.png"))
        card = next(t for t in shell.menu.targets() if t.kind == "card")
        tap(*card.rect.center)
        readings["states"].append(shell.machine.state)
        until(frame, lambda: shell.host is not None and shell.host.experience.xr_view is not None
              and shell.host.experience.xr_view.submitted > 2)
        readings["run"] = {"view": type(shell.host.experience.xr_view).__name__, "panel_active": rig.panel_active}
        shown_before = rig.panel.shown
        state.right.menu = True  # the menu button leaves the run
        headset.send(state)
        until(frame, lambda: shell.machine.state == MENU and rig.panel_active)
        state.right.menu = False
        headset.send(state)
        frame()
        readings["states"].append(shell.machine.state)
        readings["after_run"] = {"panel_frames": rig.panel.shown - shown_before, "diff": panel_matches_window()}
        readings["names"] = {"ATTRACT": ATTRACT, "ASK_AGE": ASK_AGE, "MENU": MENU, "RUNNING": RUNNING}
        readings["verbs"] = [s["verb"]["display"]["en-US"] for s in sink.statements]
    finally:
        shell.close()
    return readings


def comfort() -> dict:
    """The kiosk in VR mode with a headset, an exhibit whose package says vr_minutes = 1: 还在吗 on a quad in front
    of the run (a trigger answers it), then the kiosk's session limit darkens the exhibit in the left eye's
    swapchain images over 2 s, the rest message goes on the panel, the run ends saying why, and the menu on the
    panel is uploaded once while it stays unchanged."""
    import pygame

    from experiences.config import KioskConfig
    from experiences.kinds import default_registry
    from experiences.kiosk.states import IDLE_WARNING, MENU, RUNNING
    from experiences.kiosk.testing import click, headless_shell
    from tests.exhibits.helpers import write_package
    from tests.exhibits.test_panorama import CONTENT, pattern_image

    tmp = Path(os.environ["TMPDIR_XR"])
    config = KioskConfig()
    config.kiosk.mode = "vr"
    config.kiosk.ask_age_band = False
    config.kiosk.idle_seconds, config.kiosk.warning_seconds = 5.0, 3.0
    content = CONTENT.replace("[content]\n", "[content]\nvr_minutes = 1\n")
    package = write_package(tmp / "pkg", "exhibit-panorama", content, {"hall.png": pattern_image()})
    shell, sink = headless_shell([package], tmp / "data", config=config, size=(1280, 720),
                                 registry=default_registry())
    readings = {}
    try:
        shell.start_headset()
        rig = shell.xr
        headset = RemoteHeadset(PORT)
        state = RemoteState()
        headset.send(state)
        click(5, 5)
        shell.frame(1 / 30)
        shell.launch(package)
        experience = shell.host.experience
        until(lambda: shell.frame(1 / 30), lambda: experience.xr_view is not None and experience.xr_view.submitted > 2)

        def pixels(panel) -> np.ndarray:
            width, height = panel.screen.size
            return np.frombuffer(panel.read_back(), np.uint8).reshape(height, width, 4)[::-1, :, :3]

        # 还在吗: nobody pressed anything (the head's aim is no activity); the run still draws into the headset
        until(lambda: shell.frame(0.25), lambda: shell.machine.state == IDLE_WARNING, seconds=20)
        submitted = experience.xr_view.submitted
        for _ in range(8):  # two seconds of the countdown
            shell.frame(0.25)
        notice = rig.notice_panel
        key, surface = shell.headset_notice()
        window = pygame.surfarray.array3d(surface).transpose(1, 0, 2)
        readings["warning"] = {
            "state": shell.machine.state == IDLE_WARNING, "scene_frames": experience.xr_view.submitted - submitted,
            "shown": notice.shown, "uploads": notice.uploads, "key": list(key)[:2],
            "diff": float(np.abs(pixels(notice).astype(int) - window.astype(int)).mean()),
            "paper": float((pixels(notice)[250:470, 376:392] > 220).all(axis=2).mean())}
        if os.environ.get("YUEDU_SHOTS"):
            pygame.image.save(pygame.image.frombuffer(pixels(notice).tobytes(), (1280, 720), "RGB"),
                              os.path.join(os.environ["YUEDU_SHOTS"], "xr_still_there_quad.png"))
        state.right.trigger = 1.0  # the trigger answers it
        headset.send(state)
        until(lambda: shell.frame(1 / 30), lambda: shell.machine.state == RUNNING, seconds=5)
        state.right.trigger = 0.0
        headset.send(state)
        readings["answered"] = shell.machine.state == RUNNING
        shell.machine.idle_seconds = 1000.0  # the rest of the minute without 还在吗

        def brightness() -> float:
            size = experience.xr_view.renderer.eye_size
            image = np.frombuffer(rig.session.eyes.read_back(0), np.uint8).reshape(size[1], size[0], 4)
            return float(image[..., :3].mean())

        while shell.vr_limit.remaining > 1.0:
            shell.frame(min(1.0, shell.vr_limit.remaining - 0.5))
        readings["soon"] = list(rig.notice_panel.version or [])[:1]  # the last minute's notice, below the eyes
        shell.frame(0.1)
        readings["lit"] = brightness()
        fade = []
        until(lambda: shell.frame(0.1), lambda: shell.vr_limit.state == "fade", seconds=5)
        while shell.vr_limit.state == "fade":
            fade.append([round(shell.vr_limit.darkness, 3), brightness()])
            shell.frame(0.1)
        readings["fade"] = fade
        for _ in range(12):  # the rest message's words come up
            shell.frame(0.1)
        readings["rest"] = {"state": shell.vr_limit.state, "panel": rig.panel_active,
                            "diff": float(np.abs(pixels(rig.panel).astype(int) - pygame.surfarray.array3d(
                                shell.surface).transpose(1, 0, 2).astype(int)).mean())}
        if os.environ.get("YUEDU_SHOTS"):
            pygame.image.save(shell.surface, os.path.join(os.environ["YUEDU_SHOTS"], "xr_rest_panel.png"))
        until(lambda: shell.frame(0.5), lambda: shell.host is None, seconds=20)
        readings["menu"] = shell.machine.state == MENU
        for _ in range(3):
            shell.frame(1 / 30)
        shown, uploads = rig.panel.shown, rig.panel.uploads
        for _ in range(10):  # the menu stays as it is: shown again, not uploaded again
            shell.frame(1 / 30)
        readings["still_menu"] = {"shown": rig.panel.shown - shown, "uploads": rig.panel.uploads - uploads,
                                  "diff": float(np.abs(pixels(rig.panel).astype(int) - pygame.surfarray.array3d(
                                      shell.surface).transpose(1, 0, 2).astype(int)).mean())}
        readings["statements"] = sink.statements
    finally:
        shell.close()
    return readings
