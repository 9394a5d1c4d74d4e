"""A scripted headset for tests and demos: Monado's "remote" driver takes the whole device state (head, both
controllers' poses, trigger and buttons) as one 376-byte C struct over TCP (`struct r_remote_data` in Monado's
src/xrt/drivers/remote/r_interface.h); each struct sent is what OpenXR reports from the next frame on.

Poses here are OpenXR's: x right, y up, -z forward, metres; orientations as (x, y, z, w) quaternions.
"""
from __future__ import annotations

import math
import socket
import struct
import time
from dataclasses import dataclass, field

HEADER = b"mndrmt3\0"
_POSE = "4f3f"  # xrt_pose: orientation (x, y, z, w), position (x, y, z)
_VIEW = "4f" + _POSE + "I"  # fov (left, right, up, down radians), pose relative to the head centre, padding
_HEAD = _VIEW * 2 + _POSE + "?3x"  # views, centre pose, per_view_data_valid
# pose, linear and angular velocity, hand curl[5], trigger, squeeze, squeeze force, thumbstick(2),
# trackpad force, trackpad(2), then 16 bools: hand tracking active, active, system/a/b click+touch, trigger
# click+touch, thumbstick click+touch, trackpad touch, 3 padding
_CONTROLLER = _POSE + "3f3f5f" + "fff2ff2f" + "16?"
FORMAT = "<8s" + _HEAD + _CONTROLLER * 2
SIZE = struct.calcsize(FORMAT)
assert SIZE == 376, SIZE


def yaw_pitch_quat(yaw: float, pitch: float) -> tuple[float, float, float, float]:
    """The orientation of a head or hand turned `yaw` degrees to the right and `pitch` degrees up (x, y, z, w):
    a turn about OpenXR's up axis (+y; a right turn is negative), then about the turned right axis (+x)."""
    h, p = math.radians(-yaw) / 2, math.radians(pitch) / 2
    qy = (0.0, math.sin(h), 0.0, math.cos(h))
    qx = (math.sin(p), 0.0, 0.0, math.cos(p))
    return _mul(qy, qx)


def _mul(a, b):
    ax, ay, az, aw = a
    bx, by, bz, bw = b
    return (aw * bx + ax * bw + ay * bz - az * by,
            aw * by - ax * bz + ay * bw + az * bx,
            aw * bz + ax * by - ay * bx + az * bw,
            aw * bw - ax * bx - ay * by - az * bz)


@dataclass
class Hand:
    position: tuple[float, float, float] = (0.0, 1.0, -0.3)
    yaw: float = 0.0
    pitch: float = 0.0
    trigger: float = 0.0
    menu: bool = False  # the Index controller's B button (its profile's menu is system: the runtime keeps it)
    active: bool = True

    def values(self) -> tuple:
        trigger_click = self.trigger >= 0.9
        bools = (False, self.active, False, False, False, False, self.menu, self.menu, trigger_click,
                 self.trigger > 0.05, False, False, False, False, False, False)
        return (*yaw_pitch_quat(self.yaw, self.pitch), *self.position, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                self.trigger, 0, 0, 0, 0, 0, 0, 0, *bools)


@dataclass
class RemoteState:
    """Everything the remote driver reports: a head looking `yaw`/`pitch` degrees from `position`, two hands."""

    position: tuple[float, float, float] = (0.0, 1.6, 0.0)
    yaw: float = 0.0
    pitch: float = 0.0
    left: Hand = field(default_factory=lambda: Hand(position=(-0.2, 1.3, -0.3)))
    right: Hand = field(default_factory=lambda: Hand(position=(0.2, 1.3, -0.3)))

    def pack(self) -> bytes:
        fov = (-0.8, 0.8, 0.8, -0.8)
        views = []
        for side in (-1, 1):
            views += [*fov, 0, 0, 0, 1, side * 0.032, 0, 0, 0]
        head = (*views, *yaw_pitch_quat(self.yaw, self.pitch), *self.position, False)
        return struct.pack(FORMAT, HEADER, *head, *self.left.values(), *self.right.values())


class RemoteHeadset:
    """The TCP client of Monado's remote driver (which listens once the OpenXR instance is created)."""

    def __init__(self, port: int, host: str = "127.0.0.1", timeout: float = 10.0):
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.sock = socket.create_connection((host, port), timeout=timeout)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.state = RemoteState()

    def send(self, state: RemoteState | None = None) -> None:
        if state is not None:
            self.state = state
        self.sock.sendall(self.state.pack())

    def close(self) -> None:
        self.sock.close()
