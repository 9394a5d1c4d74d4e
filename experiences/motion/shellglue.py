"""The kiosk shell's few hooks into the motion corner, kept here so the shell stays small."""
from __future__ import annotations

import logging

log = logging.getLogger("yuedu.motion")


def start(shell) -> None:
    """`[input] camera` set: start tracking (in its own process) once the attract screen is up."""
    from experiences.motion.receiver import start_from_config

    try:
        shell.motion = start_from_config(shell.config, shell.size)
    except Exception:  # the kiosk runs by touch without it
        log.exception("体感摄像头未启动，只能触摸 / motion camera not started, touch only")
        shell.motion = None
    services = shell.services
    if shell.motion is not None and services is not None:
        services.motion = shell.motion  # the staff heartbeat reports the camera


def pump(shell) -> None:
    """This frame's motion events, as input like any other. Hovering on the attract screen wakes nothing:
    a passer-by's arm is not a visitor; a hold, a swipe or both hands up is."""
    from experiences.kiosk.states import ATTRACT

    for event in shell.motion.drain():
        if event.type == "pointer_move" and shell.machine.state == ATTRACT:
            continue
        shell.on_input([event])


def draw(shell) -> None:
    from experiences.kiosk.states import ATTRACT
    from experiences.motion.overlay import draw_motion

    motion = shell.motion
    lost_for = None if motion.lost_at is None else motion.clock() - motion.lost_at
    draw_motion(shell.surface, shell.text, motion, attract=shell.machine.state == ATTRACT, lost_for=lost_for)
