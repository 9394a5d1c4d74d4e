"""The tracking process: camera + pose model in a process of its own, so the game's frame time stays its own.

The gestures run here too, right after the detector (experiences.motion.stage): only what they decided — the
newest aim, state and player's body, and each tap and action, in shared memory (experiences.motion.latest) — and
camera status (a queue) cross to the kiosk: never a pixel. Niced, one thread's worth of work, at most MAX_RATE
frames a second.
"""
from __future__ import annotations

import logging
import multiprocessing
import queue as queue_module
import time

from experiences.motion.cores import CoreKeeper, choose_core, set_process_cores

log = logging.getLogger("yuedu.motion.tracker")
MAX_STATUS = 16  # status messages waiting for the kiosk at most (landmarks never queue: experiences.motion.latest)
MAX_RATE = 20.0  # tracked frames a second at most: enough for gestures, and a core left for the game
# nobody in view this long: look only IDLE_RATE times a second (a child walking up is found at most 0.2 s later;
# an empty room at night costs a quarter of the detector's CPU, the pose detector alone being 12 ms a frame)
IDLE_AFTER, IDLE_RATE = 3.0, 5.0
NICE = 10  # the game's frame comes first on a 2-core kiosk
EARLY = 0.005  # s: a frame this much before its slot still counts as on time (clocks are not exact)


def pace(unseen: float, max_rate: float = MAX_RATE) -> float:
    """Frames a second to track, `unseen` seconds after someone was last in view."""
    return max_rate if unseen < IDLE_AFTER else min(max_rate, IDLE_RATE)


def _lower_priority(core_setting: str = "auto") -> tuple[set[int], int] | None:
    """The game's frame comes first: the tracking process takes a session of its own, niced, with one thread's
    worth of OpenCV and OpenMP work (the pose graph's own threads inherit the nice value), on one core while
    that core is not busy with other work (experiences.motion.cores; the threads started later inherit it).
    Returns (every core it may use, the one it was pinned to), or None when it was not pinned.

    Linux's scheduler shares the CPU fairly between sessions first ("autogroups", on in Debian's kernels) and
    applies nice values only inside a session: niced inside the kiosk's own session, the tracker spent the
    kiosk's share, and the game's frames waited (wall time ×2.5–3 on this loaded machine, its CPU time +10%).
    In a session of its own it is charged to itself. (Raising that session's nice too, /proc/self/autogroup,
    starved it to 1 frame a second beside other busy sessions: not done.)"""
    import os

    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[name] = "1"
    try:
        os.setsid()
    except (AttributeError, OSError):
        pass
    try:
        os.nice(NICE)
    except (AttributeError, OSError):
        pass
    pinned = None
    try:
        available = os.sched_getaffinity(0)
        core = choose_core(core_setting, available)
        if core is not None and set_process_cores({core}):  # every thread: some were started at import
            pinned = set(available), core
            log.info("motion tracking on core %d", core)
    except (AttributeError, OSError):  # not Linux, or a container forbidding it: the system places it
        pass
    import cv2

    cv2.setNumThreads(1)
    return pinned


def track(source, out, stop, slot_array, *, loop: bool = True, realtime: bool | None = None,
          max_rate: float = MAX_RATE, core: str = "auto") -> None:
    """The process body: read (a thread keeping only the newest frame), detect, the gestures, publish what they
    decided, then the detector's slower checks; until `stop` is set or a file source ends (loop=False)."""
    pinned = _lower_priority(core)
    import os

    parent = os.getppid()
    from experiences.motion.body import LandmarkFrame
    from experiences.motion.camera import Camera
    from experiences.motion.detector import PoseDetector
    from experiences.motion.latest import LandmarkSlot, LatestFrame
    from experiences.motion.stage import GestureStage

    slot = LandmarkSlot(slot_array)
    stage = GestureStage(*slot.settings())

    def status(camera_status: str, why: str) -> None:
        try:
            out.put_nowait({"kind": "status", "camera": camera_status, "why": why})
            slot.status_sent()
        except queue_module.Full:
            pass

    camera = Camera(source, loop=loop, realtime=realtime)
    frames = None
    detector = None
    reported = None
    index = 0
    next_at = 0.0
    keeper = CoreKeeper(pinned=True) if pinned else None
    try:
        detector = PoseDetector()
        status("starting", "")
        paced = camera.realtime or not camera.file  # a camera, or a file played as one: newest frame only
        frames = LatestFrame(camera, stop, keep_all=not paced).start()
        seen_at = time.monotonic()  # someone was last in view (the start counts: the first seconds at full rate)
        while not stop.is_set():
            if os.getppid() != parent:  # the kiosk died without stopping us: never track an orphaned camera
                break
            if (camera.status, camera.why) != reported and camera.status != "closed":
                reported = (camera.status, camera.why)
                status(camera.status, camera.why)
            got = frames.take(next_at - EARLY if paced else 0.0, timeout=0.1)
            if got is None:
                if frames.ended:
                    break
                continue
            rgb, arrived = got
            if paced:  # the soonest the next slot can be: frames before it are not even decoded meanwhile
                frames.not_before(max(next_at + 1.0 / max_rate, arrived + 0.5 / max_rate) - EARLY)
            started, cpu = time.monotonic(), time.process_time()
            people = detector.track(rgb)
            if people:
                seen_at = arrived
            if paced:  # at most `rate` a second, on a frame that has just arrived (never a stale one)
                rate = pace(arrived - seen_at, max_rate)
                next_at = max(next_at + 1.0 / rate, arrived + 0.5 / rate)
            index += 1
            detected, detect_cpu = time.monotonic(), time.process_time()
            stage.configure(*slot.settings())  # the kiosk's age band
            decided = stage.feed(LandmarkFrame(arrived, people, index))
            slot.write(decided, (started - arrived) * 1000, (detected - started) * 1000, (detect_cpu - cpu) * 1000)
            detector.check(rgb)  # the slower looks, after the landmarks are out: they never delay an event
            del rgb  # the picture goes no further than this line
            if keeper is not None:  # waiting for its one core: every core until the machine is calm again
                now = time.monotonic()
                change = keeper.feed(now, (now - started) * 1000, (time.process_time() - cpu) * 1000)
                every_core, one_core = pinned
                if change and set_process_cores(every_core if change == "all" else {one_core}):
                    log.info("motion tracking on %s", "every core: its own was busy" if change == "all"
                             else f"core {one_core} again")
        if (camera.status, camera.why) != reported:
            status(camera.status, camera.why)
    except Exception as exc:  # the kiosk must hear why tracking stopped
        log.exception("motion tracking stopped")
        status("failed", f"{type(exc).__name__}: {exc}")
    finally:
        stop.set()
        if frames is not None:
            frames.join()
        camera.close()
        if detector is not None:
            detector.close()
        status("stopped", "")


class TrackerProcess:
    """Starts `track` in a spawned process; `messages()` drains what it sent."""

    def __init__(self, source, *, loop: bool = True, realtime: bool | None = None, core: str = "auto",
                 settings: tuple[bool, float] | None = None):
        from experiences.motion.latest import SIZE, LandmarkSlot
        from experiences.motion.stage import age_settings

        context = multiprocessing.get_context("spawn")  # never fork a process holding SDL and GL
        self.out = context.Queue(MAX_STATUS)
        self.stop_event = context.Event()
        array = context.RawArray("d", SIZE)
        self.slot = LandmarkSlot(array)
        self.configure(*(settings or age_settings(None)))
        self._statuses = 0  # status messages taken from the queue so far
        self.process = context.Process(target=track, args=(source, self.out, self.stop_event, array),
                                       kwargs={"loop": loop, "realtime": realtime, "core": core},
                                       name="yuedu-motion", daemon=True)

    def start(self) -> "TrackerProcess":
        self.process.start()
        return self

    @property
    def alive(self) -> bool:
        return self.process.is_alive()

    def configure(self, bow: bool, dwell_seconds: float) -> None:
        """The gestures' settings for the kiosk's age band: taken up from the next tracked frame on."""
        self.slot.set_settings(bow, dwell_seconds)

    def messages(self, timeout: float = 0.0) -> list[dict]:
        """Status messages sent since the last call, then what the gestures decided on the newest landmark frame
        if there is a new one ({"kind": "frame", "decided", "stages"}). Cheap when nothing happened
        (the kiosk calls this every frame): no system call, no lock."""
        got = []
        if self._statuses < self.slot.statuses or timeout:
            try:
                if timeout:
                    got.append(self.out.get(timeout=timeout))
                while True:
                    got.append(self.out.get_nowait())
            except queue_module.Empty:
                pass
            self._statuses += len(got)
        frame = self.slot.read()
        if frame is not None:
            decided, stages = frame
            got.append({"kind": "frame", "decided": decided, "stages": stages})
        return got

    def stop(self, timeout: float = 3.0) -> None:
        self.stop_event.set()
        self.process.join(timeout)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(1.0)
        self.out.close()
