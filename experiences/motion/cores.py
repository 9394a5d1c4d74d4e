"""Which cores the tracking process runs on: one core while it keeps up, all of them while that core is busy.

On a quiet kiosk the tracker keeps to one core (`[input] camera_core`, "auto": the last), so the game's thread
always finds the other one free: unpinned, the tracker's threads (the pose graph's executor threads, the still
image graph's, the camera reader) woke on either core and preempted the game in a quarter of its frames. Its
work is sequential (a frame's pose, then its checks: 0.7 of a core), so one core is all it needs — unless other
work lands on that core too: then it waits for its own core while the other may be idle (a loaded machine gave it
a third of the frames). `CoreKeeper` watches the detector's wall time against its CPU time and lets the process
use every core while it waits, and goes back to one core once it has run without waiting for a while. Pure
logic; `set_process_cores` is the one edge (Linux: every thread of this process).
"""
from __future__ import annotations

import collections
import os
import statistics

BUSY_RATIO = 1.5  # the median frame's detector wall / CPU time over BUSY_SECONDS above this while on one core
BUSY_SECONDS = 1.5
CALM_RATIO = 1.15  # ... at most this over the calm period while on all cores: back to one core
CALM_SECONDS = 10.0  # the calm period; doubled each time one core proved busy again soon after, up to CALM_MAX
CALM_MAX = 300.0
SETTLED = 60.0  # s on one core without waiting: the calm period starts again from CALM_SECONDS
MIN_FRAMES = 5  # frames in a window before any decision


def choose_core(setting: str, available: set[int]) -> int | None:
    """The one core the tracking process keeps to, from `[input] camera_core` and the cores this process may
    use; None: let the system place it. "auto": the last core when there are 2 or more; "any": no pinning; a
    number: that core, if this process may use it (else as "auto")."""
    cores = sorted(available)
    if setting == "any" or len(cores) < 2:
        return None
    if setting.isascii() and setting.isdigit() and int(setting) in available:
        return int(setting)
    return cores[-1]


class CoreKeeper:
    """Feed it each tracked frame's detector wall and CPU ms; it says when to change: "all" (use every core:
    the one core is busy with other work) or "one" (back to one core: the machine is calm again); else None."""

    def __init__(self, pinned: bool):
        self.pinned = pinned
        self.calm_seconds = CALM_SECONDS
        self._frames: collections.deque = collections.deque()  # (t, wall ms, cpu ms)
        self._since = None  # when the present placement began
        self._back = False  # on one core again after a busy spell (not from the start)

    def feed(self, t: float, wall_ms: float, cpu_ms: float) -> str | None:
        if self._since is None:
            self._since = t
        frames = self._frames
        frames.append((t, wall_ms, cpu_ms))
        window = BUSY_SECONDS if self.pinned else self.calm_seconds
        while frames and frames[0][0] < t - window:
            frames.popleft()
        if self.pinned and t - self._since >= SETTLED:
            self.calm_seconds = CALM_SECONDS  # a long calm on one core: forget the earlier trouble
        if len(frames) < MIN_FRAMES or t - self._since < window:
            return None
        # the median frame: one frame held up by something else (the process stopped, the machine suspended)
        # says nothing about the core
        ratio = statistics.median(f[1] / f[2] if f[2] > 0 else 1.0 for f in frames)
        if self.pinned and ratio > BUSY_RATIO:
            if self._back and t - self._since < SETTLED:  # back on one core not long ago, busy again: wait longer
                self.calm_seconds = min(CALM_MAX, self.calm_seconds * 2)
            return self._change(t, "all")
        if not self.pinned and ratio <= CALM_RATIO:
            return self._change(t, "one")
        return None

    def _change(self, t: float, to: str) -> str:
        self.pinned = self._back = to == "one"
        self._since = t
        self._frames.clear()
        return to


def set_process_cores(cores: set[int]) -> bool:
    """Every thread of this process onto `cores` (threads started later inherit the caller's). Linux only:
    False where it cannot be done (then the system places them)."""
    try:
        tids = [int(name) for name in os.listdir("/proc/self/task")]
    except (FileNotFoundError, NotADirectoryError):
        tids = [0]
    done = False
    for tid in tids:
        try:
            os.sched_setaffinity(tid, cores)
            done = True
        except (AttributeError, OSError):  # a thread that just ended, or not allowed here
            continue
    return done
