#!/usr/bin/env python3
"""VR frame cost through OpenXR beside today's side-by-side stereo, same run, same scene (成语论箭's courtyard):

- baseline: the side-by-side path (`LanternsVRExperience.draw` without a headset: both eyes into one 1280×720
  frame, read back, flipped, blitted, the overlays drawn in both halves);
- OpenXR: the same experience with a headset (Monado's simulated HMD, null compositor): both eyes rendered at
  the recommended per-eye size (and at the side-by-side eye size, 640×720, for equal pixels), blitted into the
  swapchains on the GPU, the projection layer submitted (xrEndFrame), the overlay card updated and the kiosk's
  mirror drawn. xrWaitFrame (the runtime's pacing) is excluded.

- the kiosk's own screen in the headset (menu, age question...): a 1280×720 window surface put on the panel's
  quad layer (one glTexSubImage2D, a flipping blit, the backdrop's clear) and submitted.

`--graphics xlib` (under an X display, e.g. Xvfb) runs the whole bench on panda3d's GLX engine with the Xlib
binding (SteamVR's and ALVR's path) instead of headless EGL (Monado's, WiVRn's); its baseline runs on GLX too.

Per frame: wall ms of our work and CPU ms of the whole process (llvmpipe's rasteriser threads included; Monado's
own threads too, which idle between frames), the median of `--frames` frames, and the ratio to the baseline.
Goal (issue #16): ≤ 11 ms a frame, so a 90 Hz headset is in reach on a real GPU.

Run: .venv/bin/python bench/xr_frame.py [--frames 60] [--graphics egl|xlib]
(needs the runtime: scripts/setup.sh with ../shared/xr)
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

from tests.xrruntime import runtime_json  # noqa: E402

GOAL_MS = 11.0


class Timer:
    """Wall and CPU seconds of named parts, per frame."""

    def __init__(self):
        self.parts: dict[str, list[float]] = {}
        self.cpu: dict[str, list[float]] = {}

    def wrap(self, owner, name: str, label: str) -> None:
        real = getattr(owner, name)

        def timed(*args, **kwargs):
            start, cpu = time.perf_counter(), time.process_time()
            try:
                return real(*args, **kwargs)
            finally:
                self.parts.setdefault(label, []).append(time.perf_counter() - start)
                self.cpu.setdefault(label, []).append(time.process_time() - cpu)

        setattr(owner, name, timed)

    def median_ms(self, label: str, cpu: bool = False) -> float:
        return statistics.median((self.cpu if cpu else self.parts).get(label) or [0.0]) * 1000


def make_experience(rig=None):
    from experiences.catalog import Catalog
    from experiences.config import KioskConfig
    from experiences.engagement import ListSink, Place, SessionReporter
    from experiences.runtime import ManualClock, RunContext, create_experience

    catalog = Catalog.scan([REPO / "content"])
    package = catalog.get("org.yuedu.idioms.children")
    clock = ManualClock(1000.0)
    reporter = SessionReporter(ListSink(), Place()).experience(package.id, package.kind, package.version,
                                                               monotonic=clock.now)
    services = {"seed": 8, **({"xr": rig} if rig else {})}
    ctx = RunContext(config=KioskConfig(), reporter=reporter, size=(1280, 720), data_dir=Path(tempfile.mkdtemp()),
                     headless=True, clock=clock, catalog=catalog, services=services, vr=True, age_band="6-8")
    experience = create_experience(package, ctx)
    experience.start()
    return experience


def side_by_side(frames: int) -> dict:
    import pygame

    experience = make_experience()
    surface = pygame.Surface((1280, 720))
    wall, cpu, main = [], [], []
    try:
        for i in range(frames + 5):
            experience.handle(_head(i))
            start, cpu_start, main_start = time.perf_counter(), time.process_time(), time.thread_time()
            experience.update(1 / 60)
            experience.draw(surface)
            if i >= 5:
                wall.append(time.perf_counter() - start)
                cpu.append(time.process_time() - cpu_start)
                main.append(time.thread_time() - main_start)
    finally:
        experience.stop("quit")
    return {"wall": statistics.median(wall) * 1000, "cpu": statistics.median(cpu) * 1000,
            "main": statistics.median(main) * 1000, "pixels": 1280 * 720}


def _head(i: int):
    from experiences.runtime import InputEvent

    return InputEvent("aim", yaw=10 * ((i % 40) / 20 - 1), pitch=8, source="head")  # a head turning to and fro


GRAPHICS = "egl"


def open_session():
    from experiences.xr.session import XrSession
    from experiences.xr.stereo import engine_context

    return XrSession.open(graphics=GRAPHICS, **{"egl" if GRAPHICS == "egl" else "glx": engine_context()})


def panel(frames: int, unchanged: bool = False) -> dict:
    """The kiosk's screen (a 1280×720 surface with a picture on it) onto the headset's panel, every frame: a new
    picture each frame (the shell's screen version changes: uploaded), or `unchanged` (the same version: the
    quad shows the swapchain's last image again, nothing uploaded)."""
    import pygame

    from experiences.xr.rig import XrRig

    rig = XrRig(open_session())
    surface = pygame.Surface((1280, 720))
    for y in range(0, 720, 8):  # something to upload: bands of colour
        surface.fill((y % 256, (3 * y) % 256, 200 - y // 4), pygame.Rect(0, y, 1280, 8))
    wall, cpu, main = [], [], []
    try:
        done = 0
        while done < frames + 5:
            rig.begin_frame()
            start, cpu_start, main_start = time.perf_counter(), time.process_time(), time.thread_time()
            shown = rig.panel.shown if rig.panel else 0
            rig.end_frame(surface, 1 if unchanged else done)  # the shell's screen version
            if rig.panel is not None and rig.panel.shown > shown:
                done += 1
                if done > 5:
                    wall.append(time.perf_counter() - start)
                    cpu.append(time.process_time() - cpu_start)
                    main.append(time.thread_time() - main_start)
    finally:
        rig.close()
    return {"wall": statistics.median(wall) * 1000, "cpu": statistics.median(cpu) * 1000,
            "main": statistics.median(main) * 1000, "pixels": 1280 * 720}


def openxr(frames: int, eye_size=None) -> dict:
    import pygame

    from experiences.xr.mirror import XrSceneView
    from experiences.xr.rig import XrRig
    from experiences.xr.stereo import HudCard, XrStereoRenderer
    from experiences.xr.swapchains import XrEyes

    timer = Timer()
    timer.wrap(XrStereoRenderer, "render", "render + submit")
    timer.wrap(XrEyes, "submit", "of which blit + layer")
    timer.wrap(XrStereoRenderer, "mirror_into", "mirror")
    timer.wrap(HudCard, "show", "overlay card")
    session = open_session()
    rig = XrRig(session)
    rig.eye_size = eye_size
    experience = make_experience(rig)
    view: XrSceneView = experience.xr_view
    surface = pygame.Surface((1280, 720))
    wall, cpu, main, end_frame = [], [], [], []
    try:
        done = 0
        while done < frames + 5:
            events = rig.begin_frame()  # xrWaitFrame: the runtime's pacing, not our work
            start, cpu_start, main_start = time.perf_counter(), time.process_time(), time.thread_time()
            for event in events:
                experience.handle(event)
            experience.update(1 / 60)
            experience.draw(surface)
            ending = time.perf_counter()
            layers = session.layers_submitted
            rig.end_frame()
            stop = time.perf_counter()
            if session.layers_submitted > layers:  # a frame the runtime wanted, both eyes submitted
                done += 1
                if done > 5:
                    wall.append(stop - start)
                    cpu.append(time.process_time() - cpu_start)
                    main.append(time.thread_time() - main_start)
                    end_frame.append(stop - ending)
            if done <= 5:
                for parts in (*timer.parts.values(), *timer.cpu.values()):
                    parts.clear()
        result = {"wall": statistics.median(wall) * 1000, "cpu": statistics.median(cpu) * 1000,
                  "main": statistics.median(main) * 1000,
                  "eye": view.renderer.eye_size, "pixels": 2 * view.renderer.eye_size[0] * view.renderer.eye_size[1],
                  "parts": {label: (timer.median_ms(label), timer.median_ms(label, cpu=True)) for label in timer.parts},
                  "xrEndFrame": statistics.median(end_frame) * 1000, "system": session.info.system,
                  "layers": session.layers_submitted, "frames": session.frames_ended}
    finally:
        experience.stop("quit")
        rig.close()
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--frames", type=int, default=60)
    parser.add_argument("--graphics", choices=("egl", "xlib"), default="egl",
                        help="the OpenXR binding: headless EGL (default) or Xlib/GLX (needs DISPLAY)")
    parser.add_argument("--panel-only", action="store_true",
                        help="only the kiosk screen's rows: uploaded every frame (the baseline) and unchanged")
    args = parser.parse_args()
    global GRAPHICS
    GRAPHICS = args.graphics
    if GRAPHICS == "xlib":
        if not os.environ.get("DISPLAY"):
            print("--graphics xlib needs an X display (run it under Xvfb)")
            return 2
        from experiences.xr.stereo import use_engine

        use_engine("xlib")  # before the baseline: one GL engine per process, GLX for every row
    manifest = runtime_json()
    if manifest is None:
        print("no OpenXR runtime: run scripts/setup.sh with ../shared/xr present (or set XR_RUNTIME_JSON)")
        return 2
    # Monado in-process, its simulated HMD and controllers, config kept away from the user's
    os.environ.update(XR_RUNTIME_JSON=str(manifest), XDG_CONFIG_HOME=tempfile.mkdtemp(), SIMULATED_ENABLE="1",
                      SIMULATED_LEFT="simple", SIMULATED_RIGHT="simple", XRT_LOG="error")
    if args.panel_only:
        changed, unchanged = panel(args.frames), panel(args.frames, unchanged=True)
        print(f"the kiosk's 1280×720 screen on the panel, median of {args.frames} frames ({GRAPHICS}); wall/cpu/main ms")
        for label, row in (("a new picture every frame (baseline)", changed), ("unchanged: re-submitted", unchanged)):
            print(f"{label:<40}{row['wall']:>8.2f}{row['cpu']:>8.2f}{row['main']:>8.2f}"
                  f"  × cpu {row['cpu'] / changed['cpu']:.2f}  × main {row['main'] / changed['main']:.2f}")
        return 0
    baseline = side_by_side(args.frames)
    rows = [("side-by-side 1280×720 (baseline)", baseline, None)]
    recommended = openxr(args.frames)
    rows.append((f"OpenXR, recommended {recommended['eye'][0]}×{recommended['eye'][1]} per eye", recommended,
                 recommended))
    equal = openxr(args.frames, eye_size=(640, 720))
    rows.append(("OpenXR, 640×720 per eye (equal pixels)", equal, equal))
    rows.append(("kiosk screen 1280×720 on the panel (quad)", panel(args.frames), None))
    rows.append(("  the same screen unchanged (re-submitted)", panel(args.frames, unchanged=True), None))
    binding = "XR_MNDX_egl_enable, headless EGL" if GRAPHICS == "egl" else "Xlib binding, GLX on the X display"
    print(f"VR frame cost, median of {args.frames} frames, 成语论箭 courtyard, {recommended['system']} "
          f"(Monado null compositor, llvmpipe; {binding})")
    print("cpu: the whole process (llvmpipe's rasteriser threads too); main: the main thread only (Python, panda3d's")
    print("scene traversal, GL calls); wall swings with the machine's load. Ratios against the baseline's cpu ms.")
    print(f"{'path':<44}{'pixels':>8}{'wall ms':>9}{'cpu ms':>8}{'main ms':>9}{'× cpu':>7}{'× main':>8}")
    for label, row, _ in rows:
        print(f"{label:<44}{row['pixels']:>8}{row['wall']:>9.2f}{row['cpu']:>8.2f}{row['main']:>9.2f}"
              f"{row['cpu'] / baseline['cpu']:>7.2f}{row['main'] / baseline['main']:>8.2f}")
    for label, row, parts in rows[1:3]:
        print(f"  {label} — parts, wall/cpu ms: " + ", ".join(
            f"{name} {wall:.1f}/{cpu:.1f}" for name, (wall, cpu) in parts["parts"].items())
            + f"; xrEndFrame {parts['xrEndFrame']:.2f} ms wall; layers {parts['layers']}/{parts['frames']} frames")
    worst = max(recommended["cpu"], equal["cpu"])
    print(f"goal ≤ {GOAL_MS} ms a frame: {'met' if worst <= GOAL_MS else 'missed'} here on software GL "
          f"(worst {worst:.2f} cpu ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
