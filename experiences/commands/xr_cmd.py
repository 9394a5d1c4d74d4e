"""`launcher.py xr-check [--seconds N]`: for staff and tests, what OpenXR runtime and headset this kiosk has:
the runtime's name, the system, the recommended view size per eye, then head and controller poses for a few
seconds (or plainly: no runtime is installed)."""
from __future__ import annotations

import time


def register(subparsers) -> None:
    parser = subparsers.add_parser("xr-check", help="check the OpenXR runtime and headset (VR corners)")
    parser.add_argument("--seconds", type=float, default=3.0, help="how long to print poses (default 3)")
    parser.set_defaults(func=run)


def run(args) -> int:
    from experiences.xr.runtime import find_runtime

    manifest = find_runtime()
    if manifest is None:
        print("没有安装 OpenXR 运行时：VR 角将使用左右分屏立体。/ No OpenXR runtime is installed: a VR corner "
              "uses side-by-side stereo. (Install SteamVR, Monado, WiVRn or ALVR and make it the active runtime.)")
        return 1
    print(f"runtime manifest: {manifest.path}")
    try:
        session = _open(manifest)
    except Exception as error:  # XrUnavailable, or the runtime's own error
        print(f"OpenXR 运行时无法使用 / the OpenXR runtime could not be used: {error}")
        return 1
    info = session.info
    print(f"runtime: {info.runtime}")
    print(f"system: {info.system}")
    print("recommended view size per eye: " + ", ".join(f"{w}x{h}" for w, h in info.view_sizes))
    print(f"reference space: {session.reference_type.name}")
    try:
        _print_poses(session, args.seconds)
    finally:
        session.close()
    return 0


def _open(manifest):
    from experiences.xr.session import XrSession, XrUnavailable

    try:
        return XrSession.open(manifest, graphics="headless")
    except XrUnavailable:  # a runtime without XR_MND_headless (SteamVR): a GL session on the 3D engine
        from experiences.xr.stereo import engine_context

        return XrSession.open(manifest, graphics="egl", egl=engine_context())


def _print_poses(session, seconds: float) -> None:
    def fmt(pose):
        if pose is None:
            return "not tracked"
        yaw, pitch = pose.yaw_pitch
        x, y, z = pose.position
        return f"({x:+.2f}, {y:+.2f}, {z:+.2f}) m yaw {yaw:+.0f}° pitch {pitch:+.0f}°"

    end = time.monotonic() + seconds
    last = 0.0
    while time.monotonic() < end:
        tracked = session.poll()
        session.end_frame()
        if tracked is None:
            time.sleep(0.05)
            continue
        if time.monotonic() - last >= 0.5:
            last = time.monotonic()
            hands = "; ".join(f"{side}: {fmt(hand.aim)} trigger {hand.trigger:.1f}"
                              for side, hand in sorted(tracked.hands.items())) or "controllers: none"
            print(f"head: {fmt(tracked.head)} | {hands}", flush=True)
        if session.graphics == "headless":
            time.sleep(0.01)  # a headless session is not paced by the runtime
