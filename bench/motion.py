#!/usr/bin/env python3
"""体感 motion corner: CPU ms per tracked 640×480 frame and camera-to-event latency, beside a bare cv2 read of the
same frames in the same run; and 成语论箭's frame time in the kiosk with tracking on and off.

    .venv/bin/python bench/motion.py [--frames 150] [--game-frames 300] [--pairs 20 --block 30]
                                     [--camera-core auto|any|N] [--busy N] [--window dummy|x11]
                                     [--size 1280x720]

Goals (issue #17): >= 15 tracked frames/s on 2 cores, latency <= 100 ms, game frame time within 10% of tracking
off. The game runs, each round, in four modes with the same screen and frame count: tracking off (the baseline),
tracking on, off with the same aim given by mouse, and the tracker running while the kiosk ignores it (what the
tracker on the other core costs the game by itself); rounds interleave them. Per mode: wall time, the kiosk
thread's own CPU time, the time it waited for a core (wall - CPU) and how often it was preempted, the load
average, and with tracking on the kiosk's own motion work and the tracking process's CPU and rate meanwhile. On a
machine shared with other work, wall time also counts waiting for a core: compare the CPU ratio and the waiting
before reading the wall ratio as the tracker's doing. Then the paired run: one kiosk, blocks of frames
alternating tracking on and off (the tracker stopped), which takes the run-to-run spread out of the ratio.
`--window x11` runs the kiosk in a real window under a private Xvfb (SDL's x11 driver, each frame presented to
the X server: the frame time a visitor's screen gets), `--size 1920x1080` at a library screen's size; the
defaults, SDL's dummy driver at 1280×720, time the game's own work alone on a small screen: the harder test for a
ratio (the overlay's cost is nearly fixed, a bigger screen's frame is not). `--busy N` loads the machine on purpose (N busy processes, each in a session of its own, like other programs on
a kiosk), `--camera-core any` leaves the tracker unpinned: the baseline for [input] camera_core "auto".
Latency is shown stage by stage. Frames are real photographs
(scikit-image: astronaut at 640×480, cameraman 512×512 — the detector finds him only at his own framing) written
to a temporary video that cv2.VideoCapture reads like a camera.
"""
from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.motion.photos import in_frame, write_video  # noqa: E402


CAMERA_CORE = "auto"  # [input] camera_core for every tracking process the bench starts (--camera-core)
SIZE = (1280, 720)  # --size: the kiosk's window
WINDOW = "dummy"  # --window: "dummy" (SDL's dummy driver: the game's own work) or "x11" (a real window under Xvfb)


def p95(values):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]


def bare_read(path: Path) -> tuple[float, float, int]:
    """Baseline: cv2 reading and colour-converting the same frames, nothing else."""
    from experiences.motion.camera import Camera

    camera = Camera(str(path), loop=False, realtime=False)
    camera.open()
    n, wall, cpu = 0, time.perf_counter(), time.process_time()
    while camera.read() is not None:
        n += 1
    return (time.perf_counter() - wall) * 1000 / n, (time.process_time() - cpu) * 1000 / n, n


def tracked(path: Path) -> tuple[float, float, int, int]:
    """The tracking process's loop, in this process: read + detect + the gestures. CPU counts every thread
    (process_time)."""
    from experiences.motion.body import LandmarkFrame
    from experiences.motion.camera import Camera
    from experiences.motion.detector import PoseDetector
    from experiences.motion.stage import GestureStage

    detector, stage = PoseDetector(), GestureStage()
    camera = Camera(str(path), loop=False, realtime=False)
    camera.open()
    detector.detect(camera.read())  # the first frame builds the graph: not counted
    n = found = 0
    wall, cpu = time.perf_counter(), time.process_time()
    while (rgb := camera.read()) is not None:
        people = detector.detect(rgb)
        stage.feed(LandmarkFrame(time.monotonic(), people, n))
        found += bool(people)
        n += 1
    result = (time.perf_counter() - wall) * 1000 / n, (time.process_time() - cpu) * 1000 / n, n, found
    detector.close()
    return result


STAGES = ("frame waits for the detector", "detector (wall)", "detector (CPU)", "published → kiosk reads",
          "gestures (tracking process)", "camera → event")


def latency(path: Path, seconds: float) -> tuple[list[tuple], int, float]:
    """The real tracking process reading the video in real time (a camera); the kiosk side drains at 60 Hz.
    Per frame, ms: each stage (experiences.motion.receiver's `stages`) and the total, frame arrived at the
    camera edge → its events read by the kiosk process (the gestures run in the tracking process, right after
    the detector). Returns (stages, events, seconds)."""
    from experiences.motion.receiver import MotionReceiver

    receiver = MotionReceiver(str(path), (1280, 720), loop=True, core=CAMERA_CORE).start()
    events = 0
    try:
        deadline = time.monotonic() + seconds + 30.0  # spawning the process and loading the model: not counted
        started = None
        while time.monotonic() < deadline:
            events += len(receiver.drain())
            if started is None and receiver.stages:
                started, events = time.monotonic(), 0
                receiver.stages.clear()
            if started is not None and time.monotonic() - started > seconds:
                break
            time.sleep(1 / 60)
    finally:
        receiver.stop()
    return list(receiver.stages), events, (time.monotonic() - started) if started else 0.0


def _tracker_cores(receiver) -> int:
    """How many cores the tracking process's threads may use now (1: kept to one core), from /proc (Linux)."""
    process = getattr(getattr(receiver, "tracker", None), "process", None)
    try:
        return max(len(os.sched_getaffinity(int(tid))) for tid in os.listdir(f"/proc/{process.pid}/task"))
    except (AttributeError, OSError, ValueError):
        return 0


def _tracker_cpu(receiver) -> tuple[float, float]:
    """(CPU seconds the tracking process has used, its landmark frames so far), from /proc (Linux)."""
    tracker = getattr(receiver, "tracker", None)
    process = getattr(tracker, "process", None)
    try:
        with open(f"/proc/{process.pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime
    except (AttributeError, OSError, ValueError, IndexError):
        return float("nan"), float("nan")
    return cpu, float(tracker.slot.array[3])  # the slot's frame index


@contextlib.contextmanager
def lantern_shell(camera: str, tmp: str):
    """The headless kiosk with [input] camera as given, 成语论箭 launched with the same round (seed 1) every time
    and 60 frames run; with a camera, once the tracking process has the camera open."""
    from experiences.catalog import Catalog
    from experiences.config import KioskConfig
    from experiences.kinds import default_registry
    from experiences.kiosk import testing

    config = KioskConfig()
    config.kiosk.ask_age_band = False
    config.input.camera = camera
    config.input.camera_core = CAMERA_CORE
    packages = list(Catalog.scan().all())
    if WINDOW == "x11":  # the real path: SDL's x11 driver, each frame presented (XShm) to the X server
        from experiences.engagement import ListSink
        from experiences.kiosk.shell import KioskShell
        from experiences.runtime import ManualClock

        shell = KioskShell(config, catalog=Catalog(packages), registry=default_registry(), headless=False,
                           size=SIZE, clock=ManualClock(), sink=ListSink(), data_dir=Path(tmp) / "data")
        shell.open()
        assert shell.video_driver == "x11", shell.video_driver
    else:
        shell, _ = testing.headless_shell(packages, Path(tmp) / "data", config=config, size=SIZE,
                                          registry=default_registry())
    shell.run_services["seed"] = 1  # the same round, idiom and lantern places in every mode and run
    try:
        shell.frame(1 / 60)
        if camera != "off":
            deadline = time.monotonic() + 30
            while not shell.motion.camera_open and time.monotonic() < deadline:
                shell.frame(1 / 60)
                time.sleep(0.05)
        shell.launch(next(p for p in shell.menu.packages if p.id == "org.yuedu.idioms.children"))
        for _ in range(60):
            shell.frame(1 / 60)
        yield shell
    finally:
        shell.close()


def paced_frame(shell) -> tuple[float, float, int]:
    """One kiosk frame paced like the kiosk (the tracker runs meanwhile): (wall ms, the kiosk thread's CPU ms,
    times it was preempted)."""
    import resource

    switches = resource.getrusage(resource.RUSAGE_THREAD).ru_nivcsw
    start, start_cpu = time.perf_counter(), time.thread_time()
    shell.frame(1 / 60)
    cpu, wall = (time.thread_time() - start_cpu) * 1000, (time.perf_counter() - start) * 1000
    preempted = resource.getrusage(resource.RUSAGE_THREAD).ru_nivcsw - switches
    time.sleep(max(0.0, 1 / 60 - wall / 1000))
    return wall, cpu, preempted


def game_frames(frames: int, camera: str, replay: dict | None = None, ignore_motion: bool = False) -> dict:
    """成语论箭 in the headless kiosk, per frame: ms of wall time, ms of the kiosk thread's own CPU time (what the
    kiosk did, whoever else wanted the cores) and how often the thread was preempted (involuntary context
    switches: waiting for a core), with [input] camera as given. Also the input events the motion corner gave,
    by frame; `replay`: such events given again as a mouse (the game's own reaction to being aimed at is not the
    tracking's cost); `ignore_motion`: the tracking process runs but the kiosk neither drains nor draws it (what
    the tracker on the other core costs the game by itself). With tracking on: the kiosk's own motion work a
    frame (the drain, the events' dispatch, the overlay) and the tracking process's CPU and rate meanwhile."""
    from dataclasses import replace

    from experiences.motion import shellglue

    given: dict[int, list] = {}
    frame_index = [-1]
    motion_ms = []  # this frame's kiosk work for motion (pump + overlay), wall ms
    pump, draw = shellglue.pump, shellglue.draw

    def timed(part):
        def run(the_shell):
            started = time.perf_counter()
            part(the_shell)
            if frame_index[0] >= 0:
                motion_ms[-1] += (time.perf_counter() - started) * 1000
        return run

    ignored = None
    shellglue.pump, shellglue.draw = timed(pump), timed(draw)
    try:
        with tempfile.TemporaryDirectory() as tmp, lantern_shell(camera, tmp) as shell:
            on_input = shell.on_input

            def recording(events):
                if frame_index[0] >= 0:
                    given.setdefault(frame_index[0], []).extend(e for e in events if e.source == "motion")
                on_input(events)

            shell.on_input = recording
            if ignore_motion:
                ignored, shell.motion = shell.motion, None
            try:
                wall, cpu, preempted = [], [], []
                load = os.getloadavg()[0]
                tracker_before, started_at = _tracker_cpu(ignored or shell.motion), time.perf_counter()
                for index in range(frames):
                    frame_index[0] = index
                    motion_ms.append(0.0)
                    for event in (replay or {}).get(index, []):
                        on_input([replace(event, source="mouse", pointer_id=0)])
                    for values, value in zip((wall, cpu, preempted), paced_frame(shell)):
                        values.append(value)
                seconds = time.perf_counter() - started_at
                tracker_after = _tracker_cpu(ignored or shell.motion)
                return {"wall": wall, "cpu": cpu, "preempted": preempted, "given": given,
                        "motion": motion_ms if camera != "off" and not ignore_motion else [],
                        "load": (load + os.getloadavg()[0]) / 2,
                        "tracker_cores": (tracker_after[0] - tracker_before[0]) / seconds,
                        "tracked_rate": (tracker_after[1] - tracker_before[1]) / seconds,
                        "tracker_on": _tracker_cores(ignored or shell.motion)}
            finally:
                if ignored is not None:
                    ignored.stop()
    finally:
        shellglue.pump, shellglue.draw = pump, draw


def paired(block: int, pairs: int, camera: str) -> dict:
    """One kiosk, one 成语论箭 round, tracking on; blocks of `block` frames alternate between tracking on and
    tracking off — the tracking process stopped (SIGSTOP) and the kiosk neither draining nor drawing motion —
    so that the same screen, memory and moment of the machine fall on both (separate runs of the same mode
    differ by 5–10% here). Per block: mean wall and kiosk-CPU ms. Linux only (signals)."""
    import signal

    blocks = {"on": [], "off": []}
    with tempfile.TemporaryDirectory() as tmp, lantern_shell(camera, tmp) as shell:
        receiver, pid = shell.motion, shell.motion.tracker.process.pid
        for index in range(2 * pairs):
            mode = ("on", "off")[(index + index // 2) % 2]  # on off, off on, on off, ...: neither always first
            if mode == "off":
                os.kill(pid, signal.SIGSTOP)
                shell.motion = None
            frames = [paced_frame(shell) for _ in range(block)]
            if mode == "off":
                shell.motion = receiver
                os.kill(pid, signal.SIGCONT)
                for _ in range(6):  # the tracker wakes and sends a fresh frame before "on" is timed again
                    paced_frame(shell)
            blocks[mode].append((statistics.fmean(f[0] for f in frames), statistics.fmean(f[1] for f in frames)))
    return blocks


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=150)
    parser.add_argument("--game-frames", type=int, default=300)
    parser.add_argument("--latency-seconds", type=float, default=10.0)
    parser.add_argument("--game-only", action="store_true", help="only the game's frame time")
    parser.add_argument("--camera-core", default="auto",
                        help='[input] camera_core: "auto" (the last core), "any" (unpinned) or a number')
    parser.add_argument("--busy", type=int, default=0,
                        help="start this many busy processes (each in a session of its own) for the whole run: "
                             "a machine loaded on purpose, the same in every run")
    parser.add_argument("--pairs", type=int, default=20, help="on/off block pairs in one kiosk (0: none)")
    parser.add_argument("--block", type=int, default=30, help="frames a block")
    parser.add_argument("--window", choices=("dummy", "x11"), default="dummy",
                        help="dummy: SDL's dummy driver, the game's own work; x11: a real window under a private "
                             "Xvfb, each frame presented (the frame time a visitor's screen gets, flip included)")
    parser.add_argument("--size", default="1280x720", help="the kiosk's window, WxH (a library's screen: 1920x1080)")
    parser.add_argument("--rounds", type=int, default=4,
                        help="game runs off, on, mouse, tracker running: this many times round")
    args = parser.parse_args()
    global CAMERA_CORE, WINDOW, SIZE
    CAMERA_CORE, WINDOW = args.camera_core, args.window
    try:
        SIZE = tuple(int(n) for n in args.size.lower().split("x"))
        assert len(SIZE) == 2 and min(SIZE) > 0
    except (ValueError, AssertionError):
        parser.error(f"--size: WxH, for example 1920x1080, not {args.size!r}")
    xvfb = None
    if WINDOW == "x11":
        from tests.xvfb import Xvfb

        xvfb = Xvfb(SIZE).start()
        os.environ.update(xvfb.env())
        os.environ.pop("SDL_VIDEODRIVER", None)
    print(f"[input] camera_core = {CAMERA_CORE!r}; {args.busy} busy processes beside the bench; "
          f"window: {WINDOW} {SIZE[0]}×{SIZE[1]}" + (f" (Xvfb {xvfb.display})" if xvfb else ""))
    busy = [subprocess.Popen([sys.executable, "-c", "while True: pass"], start_new_session=True)
            for _ in range(args.busy)]
    try:
        if not args.game_only:
            tracking_and_latency(args)
        if args.rounds:
            game(args)
        if args.pairs:
            paired_run(args)
    finally:
        for process in busy:
            process.kill()
            process.wait()
        if xvfb is not None:
            xvfb.stop()
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    return 0


def tracking_and_latency(args) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        astronaut = write_video(Path(tmp) / "astronaut.mp4", [("astronaut", args.frames / 30)], fps=30,
                                framing=in_frame)
        cameraman = write_video(Path(tmp) / "cameraman.mp4", [("camera", 4.0)], fps=30)
        print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        read_wall, read_cpu, n = bare_read(astronaut)
        track_wall, track_cpu, n2, found = tracked(astronaut)
        print(f"frames: {n} of 640×480 (astronaut photo); person found in {found}/{n2}")
        print(f"bare cv2 read  : {read_wall:6.2f} ms wall, {read_cpu:6.2f} ms CPU per frame (baseline)")
        print(f"tracked frame  : {track_wall:6.2f} ms wall, {track_cpu:6.2f} ms CPU per frame "
              f"= {1000 / track_wall:5.1f} frames/s (goal >= 15); {track_wall / read_wall:5.1f}× the bare read")
        load = os.getloadavg()[0]
        stages, events, seconds = latency(cameraman, args.latency_seconds)
        print(f"load average over the latency run: {(load + os.getloadavg()[0]) / 2:.1f} on {os.cpu_count()} cores")
        if stages:
            print(f"camera → event : {len(stages)} tracked frames in {seconds:.1f} s real time "
                  f"({len(stages) / seconds:.1f} a second), {events} events; cameraman photo at 30 fps, ms:")
            for k, name in enumerate(STAGES):
                values = [row[k] for row in stages]
                goal = " (goal: p95 <= 100 ms)" if k == len(STAGES) - 1 else ""
                print(f"  {name:30s} median {statistics.median(values):6.1f}  p95 {p95(values):6.1f}  "
                      f"max {max(values):6.1f}{goal}")
            own = [row[0] + row[2] + row[3] + row[4] for row in stages]
            print(f"  {'the same, detector at its CPU':30s} median {statistics.median(own):6.1f}  p95 {p95(own):6.1f}"
                  "  (an estimate: the detector's time had it not waited for a core)")
        else:
            print("camera → event : no tracked frames arrived")


def paired_run(args) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        video = write_video(Path(tmp) / "cameraman.mp4", [("camera", 4.0)], fps=30)
        load = os.getloadavg()[0]
        blocks = paired(args.block, args.pairs, str(video))
    load = (load + os.getloadavg()[0]) / 2
    on, off = blocks["on"], blocks["off"]
    wall_on, wall_off = (statistics.fmean(block[0] for block in mode) for mode in (on, off))
    cpu_on, cpu_off = (statistics.fmean(block[1] for block in mode) for mode in (on, off))
    ratios = sorted(a[1] / b[1] for a, b in zip(on, off))
    print(f"paired in one kiosk (load {load:4.1f}), {args.pairs} × {args.block} frames on and off alternating, the "
          f"tracker stopped while off: wall {wall_on:5.2f} / {wall_off:5.2f} ms = {wall_on / wall_off:4.2f}, "
          f"kiosk CPU {cpu_on:4.2f} / {cpu_off:4.2f} ms = {cpu_on / cpu_off:4.2f} (goal <= 1.10); "
          f"pairs' CPU ratios median {statistics.median(ratios):4.2f}, middle half {ratios[len(ratios) // 4]:4.2f}–"
          f"{ratios[(3 * len(ratios)) // 4]:4.2f}")


MODES = {"off": "tracking off, nobody aiming (baseline)", "mouse": "tracking off, the same aim by mouse",
         "running": "tracker running, kiosk ignores it; mouse aim", "on": "tracking on"}


def game(args) -> None:
    """Each round runs the four modes one after the other, the same 成语论箭 screen and frame count in each;
    rounds interleave them so a shared machine's drifting load falls on all alike."""
    print(f"load average before the game runs: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    runs = {name: {"wall": [], "cpu": [], "preempted": [], "motion": [], "load": [], "tracker_cores": [],
                   "tracked_rate": [], "tracker_on": []} for name in MODES}

    def add(name, result):
        for key in ("wall", "cpu", "preempted", "motion"):
            runs[name][key].extend(result[key])
        for key in ("load", "tracker_cores", "tracked_rate", "tracker_on"):
            runs[name][key].append(result[key])

    with tempfile.TemporaryDirectory() as tmp:
        video = write_video(Path(tmp) / "cameraman.mp4", [("camera", 4.0)], fps=30)
        given = None  # the aim the motion corner gave in the last run with tracking on, for the mouse modes
        order = ["on", "off", "mouse", "running"]  # the first round starts with "on": `given` comes first
        for round_ in range(args.rounds):  # each round in another order: no mode always runs first or last
            for name in order[round_ % 4:] + order[:round_ % 4]:
                if name == "on":
                    result = game_frames(args.game_frames, str(video))
                    given = result["given"]
                elif name == "off":
                    result = game_frames(args.game_frames, "off")
                else:
                    result = game_frames(args.game_frames, str(video) if name == "running" else "off",
                                         replay=given, ignore_motion=name == "running")
                add(name, result)
    for name, label in MODES.items():
        run = runs[name]
        wall, cpu = run["wall"], run["cpu"]
        waited = statistics.fmean(w - c for w, c in zip(wall, cpu))
        extra = ""
        if name in ("on", "running"):
            extra = (f"; tracker {statistics.fmean(run['tracker_cores']):.2f} of a core, "
                     f"{statistics.fmean(run['tracked_rate']):.1f} frames/s, on one core at the end of "
                     f"{sum(n == 1 for n in run['tracker_on'])}/{len(run['tracker_on'])} runs")
        load = statistics.fmean(run["load"])
        print(f"game frame, {label:46s} (load {load:4.1f}): wall mean {statistics.fmean(wall):5.2f} ms "
              f"(p95 {p95(wall):5.2f}), kiosk CPU mean {statistics.fmean(cpu):4.2f} (median "
              f"{statistics.median(cpu):4.2f}), waiting for a core {waited:4.2f} ms, preempted in "
              f"{sum(p > 0 for p in run['preempted']) / len(wall):4.0%} of frames{extra}")
    motion = runs["on"]["motion"]
    print(f"the kiosk's own motion work with tracking on (drain, the events' dispatch, overlay): mean "
          f"{statistics.fmean(motion):4.2f} ms, median {statistics.median(motion):4.2f} ms a frame (wall)")
    for base in ("off", "mouse", "running"):
        base_run, on_run = runs[base], runs["on"]
        wall_ratio = statistics.fmean(on_run["wall"]) / statistics.fmean(base_run["wall"])
        print(f"ratio on / {base:7s}: wall {wall_ratio:4.2f} "
              f"(medians {statistics.median(on_run['wall']) / statistics.median(base_run['wall']):4.2f}), "
              f"kiosk CPU {statistics.fmean(on_run['cpu']) / statistics.fmean(base_run['cpu']):4.2f} "
              f"(medians {statistics.median(on_run['cpu']) / statistics.median(base_run['cpu']):4.2f}) (goal <= 1.10)")
    running, mouse = runs["running"], runs["mouse"]
    print(f"the tracker on the other core by itself, running / mouse: wall "
          f"{statistics.fmean(running['wall']) / statistics.fmean(mouse['wall']):4.2f}, kiosk CPU "
          f"{statistics.fmean(running['cpu']) / statistics.fmean(mouse['cpu']):4.2f}")


if __name__ == "__main__":
    sys.exit(main())
