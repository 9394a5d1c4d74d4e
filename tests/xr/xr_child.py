"""Run by test_openxr.py in a process of its own (Monado loads in-process; its threads and GL context stay out of
the test runner): one scenario against the real runtime with the remote driver, scripted over TCP. Prints one
JSON line of readings; the test judges them.
"""
from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import numpy as np

from experiences.xr.remote import RemoteHeadset, RemoteState

PORT = int(os.environ["YUEDU_XR_REMOTE_PORT"])
ROOT = Path(__file__).resolve().parents[2]
BACKGROUND = (8, 10, 31)  # XrStereoRenderer's default clear colour (0.03, 0.04, 0.12) as bytes


def gl_session():
    from experiences.xr.session import XrSession
    from experiences.xr.stereo import engine_context

    return XrSession.open(graphics="egl", egl=engine_context())


def until(step, done, seconds: float = 10.0) -> int:
    """Run frames until done() (the remote driver's data arrives a few frames after it is sent)."""
    frames, end = 0, time.monotonic() + seconds
    while time.monotonic() < end:
        step()
        frames += 1
        if done():
            return frames
    raise AssertionError("the runtime never reported the scripted state")


def red_centroid(rgba: bytes, size) -> tuple[int, float | None]:
    image = np.frombuffer(rgba, np.uint8).reshape(size[1], size[0], 4)
    mask = (image[..., 0] > 200) & (image[..., 1] < 80) & (image[..., 2] < 80)
    xs = np.nonzero(mask)[1]
    return int(mask.sum()), (float(xs.mean()) if len(xs) else None)


def lanterns_in_headset(age_band: str):
    """成语论箭 (the bundled children's package, seed 8) started in VR mode on the runtime: (rig, experience,
    1280×720 surface, statement sink, clock)."""
    import pygame

    from experiences.catalog import Catalog
    from experiences.config import KioskConfig
    from experiences.engagement import ListSink, Place, SessionReporter
    from experiences.runtime import ManualClock, RunContext, create_experience
    from experiences.xr.rig import XrRig

    rig = XrRig(gl_session())
    catalog = Catalog.scan([ROOT / "content"])
    package = catalog.get("org.yuedu.idioms.children")
    config = KioskConfig()
    sink, clock = ListSink(), ManualClock(1000.0)
    reporter = SessionReporter(sink, Place.from_config(config), age_band=age_band, wall_clock=lambda: 1.8e9
                               ).experience(package.id, package.kind, package.version, package.manifest.titles,
                                            monotonic=clock.now)
    ctx = RunContext(config=config, reporter=reporter, size=(1280, 720), data_dir=Path(os.environ["TMPDIR_XR"]),
                     headless=True, clock=clock, catalog=catalog, services={"seed": 8, "xr": rig}, vr=True)
    pygame.init()
    surface = pygame.Surface((1280, 720))
    experience = create_experience(package, ctx)
    experience.start()
    return rig, experience, surface, sink, clock


# --- scenarios ---------------------------------------------------------------------------------------------------
def render(session=None) -> dict:
    """A red card 3 m ahead; the scripted head looks straight, then 25° right: read back both eyes' images."""
    from panda3d.core import CardMaker, NodePath

    from experiences.xr.stereo import XrStereoRenderer

    session = session or gl_session()
    root = NodePath("scene")
    maker = CardMaker("card")
    maker.set_frame(-0.4, 0.4, -0.4, 0.4)
    maker.set_color(1, 0, 0, 1)
    root.attach_new_node(maker.generate()).set_pos(0, 3, 0)
    renderer = XrStereoRenderer(session, root)
    headset = RemoteHeadset(PORT)
    readings = {"renderer": renderer.gsg.get_driver_renderer(), "eye_size": list(renderer.eye_size),
                "system": session.info.system}

    def step():
        if session.poll() is not None:
            renderer.render()
        session.end_frame()

    def looking(yaw):
        head = session.tracked.head
        return head is not None and abs(head.yaw_pitch[0] - yaw) < 0.5 and renderer.frames > 0

    images = {}
    for yaw in (0, 25):
        headset.send(RemoteState(yaw=yaw))
        until(step, lambda: looking(yaw))
        step()  # one more frame rendered with that pose
        images[yaw] = [session.eyes.read_back(eye) for eye in range(2)]
    # staff's recentre: the head, still turned 25° right, now faces the scene's front again
    session.recentre()
    until(step, lambda: looking(0))
    step()
    images["recentred"] = [session.eyes.read_back(eye) for eye in range(2)]
    readings["centroids"] = {str(yaw): [red_centroid(img, renderer.eye_size) for img in eyes]
                             for yaw, eyes in images.items()}
    readings["corner"] = list(images[0][0][:3])
    # Every frame the runtime asks for gets its projection layer.
    session.layers_submitted = session.frames_ended = 0
    should = 0
    started = time.perf_counter()
    for _ in range(30):
        if session.poll() is not None and session.should_render:
            should += 1
            renderer.render()
        session.end_frame()
    readings["frames"] = {"ended": session.frames_ended, "should_render": should,
                          "layers": session.layers_submitted, "seconds": time.perf_counter() - started}
    renderer.release()
    session.close()
    return readings


def xlib() -> dict:
    """The kiosk's own start (start_rig) with `[vr] graphics = "xlib"` under Xvfb: panda3d's engine on GLX, the
    session made with XrGraphicsBindingOpenGLXlibKHR from its context; then the render scenario through it."""
    from experiences.config import KioskConfig
    from experiences.xr.rig import engine_module, start_rig

    config = KioskConfig()
    config.vr.graphics = "xlib"
    rig = start_rig(config)
    if rig is None:
        raise AssertionError("start_rig fell back to side-by-side stereo")
    readings = {"graphics": rig.session.graphics, "module": engine_module(),
                "binding": type(rig.session._binding).__name__}
    readings.update(render(rig.session))
    return readings


def lanterns() -> dict:
    """成语论箭 in the headset: the right controller aims at the answer's lantern and its trigger shoots."""
    import pygame

    from experiences.xr.poses import yaw_pitch

    rig, experience, surface, sink, clock = lanterns_in_headset("6-8")
    headset = RemoteHeadset(PORT)
    state = RemoteState()
    headset.send(state)
    inputs = []

    def step(dt=1 / 20):
        for event in rig.begin_frame():
            inputs.append(event.source)
            experience.handle(event)
        experience.update(dt)
        clock.advance(dt)
        experience.draw(surface)
        rig.end_frame()

    until(step, lambda: rig.tracked is not None and "right" in rig.tracked.hands
          and rig.tracked.hands["right"].aim is not None)
    readings = {"view": type(experience.view).__name__}
    answer = experience.game.round.answer
    hand = experience.xr_view.scene_point(rig.tracked.hands["right"].aim.position)
    lantern = experience.courtyard.find(experience.t, answer)
    direction = (lantern.x - hand[0], lantern.y - hand[1], lantern.z - hand[2])
    state.right.yaw, state.right.pitch = yaw_pitch(direction)
    headset.send(state)
    until(step, lambda: abs(experience.yaw - state.right.yaw) < 0.5)
    readings["aimed"] = [experience.yaw, experience.pitch, state.right.yaw, state.right.pitch]
    state.right.trigger = 1.0
    headset.send(state)
    until(step, lambda: experience.arrow is not None or experience.game.attempts > 0)
    state.right.trigger = 0.0
    headset.send(state)
    until(step, lambda: experience.game.solved or experience.game.attempts > 0)
    if os.environ.get("YUEDU_SHOTS"):  # look at the mirror and the left eye's headset image
        pygame.image.save(surface, os.path.join(os.environ["YUEDU_SHOTS"], "xr_lanterns_mirror.png"))
        size = experience.xr_view.renderer.eye_size
        eye = pygame.image.frombuffer(rig.session.eyes.read_back(0), size, "RGBA")
        pygame.image.save(pygame.transform.flip(eye, False, True), os.path.join(os.environ["YUEDU_SHOTS"],
                                                                                "xr_lanterns_eye.png"))
    readings.update(solved=experience.game.solved, attempts=experience.game.attempts, pulses=rig.session.pulses,
                    layers=rig.session.layers_submitted, submitted=experience.xr_view.submitted,
                    inputs=sorted(set(inputs)))
    # the window mirrors the headset: the courtyard (not one flat colour) in both halves
    pixels = pygame.surfarray.array3d(surface)
    readings["mirror_std"] = [float(pixels[:640].std()), float(pixels[640:].std())]
    experience.stop("quit")
    readings["statements"] = sink.statements
    rig.close()
    return readings


def fade() -> dict:
    """成语论箭's session limit in the headset: the time is up, the world fades to dark over two seconds (read back
    from the left eye's swapchain images), the rest message shows, and the run ends saying why."""
    import pygame

    from games.lanterns.vr.courtyard import VRSession

    rig, experience, surface, sink, clock = lanterns_in_headset("9-12")
    experience.session = VRSession(minutes=1)  # the package's vr_minutes: 1 (the shortest a curator can set)
    headset = RemoteHeadset(PORT)
    headset.send(RemoteState())

    def step(dt):
        for event in rig.begin_frame():
            experience.handle(event)
        experience.update(dt)
        clock.advance(dt)
        experience.draw(surface)
        rig.end_frame()

    def brightness() -> float:
        size = experience.xr_view.renderer.eye_size
        image = np.frombuffer(rig.session.eyes.read_back(0), np.uint8).reshape(size[1], size[0], 4)
        return float(image[..., :3].mean())

    until(lambda: step(0.05), lambda: experience.xr_view.submitted > 2)
    for _ in range(59):  # a minute of play, in seconds (the runtime is not asked for frames meanwhile)
        experience.update(1.0)
        clock.advance(1.0)
    until(lambda: step(0.05), lambda: experience.state == "fade", seconds=5)
    readings = {"lit": brightness(), "fade": [], "states": []}
    while experience.state == "fade":
        step(0.1)
        readings["fade"].append([round(experience.darkness, 3), brightness()])
    readings["rest"] = brightness()
    readings["rest_state"] = experience.state
    if os.environ.get("YUEDU_SHOTS"):
        pygame.image.save(surface, os.path.join(os.environ["YUEDU_SHOTS"], "xr_rest_mirror.png"))
    until(lambda: step(0.5), lambda: experience.finished, seconds=10)
    readings["finished"] = experience.finished
    readings["layers"], readings["submitted"] = rig.session.layers_submitted, experience.xr_view.submitted
    experience.stop("completed")
    readings["statements"] = sink.statements
    rig.close()
    return readings


def exhibit() -> dict:
    """A panorama's hotspot straight ahead: the controller's ray through its marker, then the trigger."""
    import pygame

    from experiences.runtime import create_experience
    from experiences.xr.poses import yaw_pitch
    from experiences.xr.rig import XrRig
    from tests.exhibits.helpers import make_context, write_package
    from tests.exhibits.test_panorama import CONTENT, pattern_image

    tmp = Path(os.environ["TMPDIR_XR"])
    rig = XrRig(gl_session())
    package = write_package(tmp / "pkg", "exhibit-panorama", CONTENT, {"hall.png": pattern_image()})
    ctx, sink, clock = make_context(tmp, size=(1280, 720))
    ctx.vr = True
    ctx.services["xr"] = rig
    pygame.init()
    surface = pygame.Surface((1280, 720))
    experience = create_experience(package, ctx)
    experience.start()
    headset = RemoteHeadset(PORT)
    state = RemoteState()
    headset.send(state)

    def step(dt=1 / 20):
        for event in rig.begin_frame():
            experience.handle(event)
        experience.update(dt)
        clock.advance(dt)
        experience.draw(surface)
        rig.end_frame()

    until(step, lambda: experience.controller_ray is not None and experience.inner.spots[0].screen is not None)
    view = experience.xr_view
    px, py = experience.inner.spots[0].screen
    width, height = view.card_size
    card_point = ((px / view.eye_size[0] - 0.5) * width, 2.0, (0.5 - py / view.eye_size[1]) * height)
    origin = experience.controller_ray[0]
    state.right.yaw, state.right.pitch = yaw_pitch(tuple(card_point[i] - origin[i] for i in range(3)))
    headset.send(state)
    until(step, lambda: abs(experience.controller_ray[1] - state.right.yaw) < 0.3)
    readings = {"opened_before": experience.inner.open_spot is not None, "ray_pixel": experience._controller_pixel(),
                "marker": [px, py]}
    state.right.trigger = 1.0
    headset.send(state)
    until(step, lambda: experience.inner.open_spot is not None, seconds=5)
    readings.update(opened=experience.inner.open_spot.id, submitted=view.submitted,
                    layers=rig.session.layers_submitted, stage_renders_window=experience.inner.stage.headset_view)
    if os.environ.get("YUEDU_SHOTS"):
        pygame.image.save(surface, os.path.join(os.environ["YUEDU_SHOTS"], "xr_exhibit_mirror.png"))
    experience.stop("quit")
    readings["statements"] = sink.statements
    rig.close()
    return readings


def pause() -> dict:
    """The kiosk in VR mode with a headset: an exhibit plays while the session is focused; the runtime stops
    the session (the visitor took the headset off): the run pauses, and after the idle time the kiosk is back
    on its attract screen."""
    from experiences.config import KioskConfig
    from experiences.kinds import default_registry
    from experiences.kiosk.states import ATTRACT, RUNNING
    from experiences.kiosk.testing import click, headless_shell
    from tests.exhibits.helpers import write_package
    from tests.exhibits.test_panorama import CONTENT, pattern_image

    tmp = Path(os.environ["TMPDIR_XR"])
    config = KioskConfig()
    config.kiosk.mode = "vr"
    config.kiosk.ask_age_band = False
    config.kiosk.idle_seconds, config.kiosk.warning_seconds = 5.0, 1.0
    package = write_package(tmp / "pkg", "exhibit-panorama", CONTENT, {"hall.png": pattern_image()})
    shell, sink = headless_shell([package], tmp / "data", config=config, size=(1280, 720),
                                 registry=default_registry())
    readings = {"vr": shell.vr}
    try:
        shell.start_headset()
        readings["rig"] = shell.xr is not None
        headset = RemoteHeadset(PORT)
        headset.send(RemoteState())
        click(5, 5)
        shell.frame(1 / 30)
        shell.launch(package)
        experience = shell.host.experience
        updates = []
        real_update = experience.inner.update
        experience.inner.update = lambda dt: updates.append(dt) or real_update(dt)
        until(lambda: shell.frame(1 / 30), lambda: shell.xr.session.focused and experience.xr_view is not None
              and experience.xr_view.submitted > 2)
        readings["view"] = type(experience.xr_view).__name__
        updates.clear()
        for _ in range(10):
            shell.frame(1 / 30)
        readings["played"] = len(updates)
        shell.xr.session.request_exit()  # the runtime stops the session, as when the headset comes off
        until(lambda: shell.frame(1 / 30), lambda: shell.xr.paused)
        readings["states"] = list(shell.xr.session.state_log)
        updates.clear()
        for _ in range(30):
            shell.frame(1 / 30)
        readings["paused_updates"] = len(updates)
        readings["state_paused"] = shell.machine.state
        frames = 0
        while shell.machine.state != ATTRACT and frames < 600:
            shell.frame(1 / 30)
            frames += 1
        readings["idle_seconds"] = frames / 30
        readings["attract"] = shell.machine.state == ATTRACT
        readings["verbs"] = [s["verb"]["display"]["en-US"] for s in sink.statements]
        readings["running"] = RUNNING
    finally:
        shell.close()
    return readings


if __name__ == "__main__":
    from tests.xr.xr_child_kiosk import comfort, screens

    scenario = {"render": render, "xlib": xlib, "lanterns": lanterns, "exhibit": exhibit, "pause": pause,
                "screens": screens, "fade": fade, "comfort": comfort}[sys.argv[1]]
    print(json.dumps(scenario(), ensure_ascii=False, default=str), flush=True)
